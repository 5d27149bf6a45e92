"""Service files for running jobnudge on a server: systemd units rendered from the templates in
this folder (``nudge deploy systemd``). Kept as package data so that what docs/deploy.md shows
and what a test checks are the same files."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from string import Template

from jobnudge.errors import UsageError

UNITS = (
    "jobnudge-web@.service",
    "jobnudge-worker@.service",
    "jobnudge-backup.service",
    "jobnudge-backup.timer",
)


@dataclass(frozen=True)
class Site:
    """Where and as whom the services run."""

    nudge: str = "/opt/jobnudge/.venv/bin/nudge"  # the installed command
    user: str = "jobnudge"  # the system account the services run as
    env_file: str = "/etc/jobnudge/jobnudge.env"  # NUDGE_DB, NUDGE_SERVER_KEY, ...
    data_dir: str = "/var/lib/jobnudge"
    backup_dir: str = "/var/backups/jobnudge"


def _absolute(value: str, what: str) -> str:
    if not value.startswith("/") or any(c in value for c in "\n\r$%\"'` "):
        raise UsageError(
            f"--{what}: give an absolute path without spaces or quotes, like /opt/jobnudge."
        )
    return value


def render(site: Site) -> dict[str, str]:
    """Each unit's file name and text."""
    if not site.user.replace("-", "").replace("_", "").isalnum():
        raise UsageError("--user: give a system account name (letters, digits, '-', '_').")
    values = {
        "nudge": _absolute(site.nudge, "nudge"),
        "user": site.user,
        "env_file": _absolute(site.env_file, "env-file"),
        "data_dir": _absolute(site.data_dir, "data-dir"),
        "backup_dir": _absolute(site.backup_dir, "backup-dir"),
    }
    folder = resources.files(__package__)
    return {
        name: Template(folder.joinpath(f"{name}.in").read_text(encoding="utf-8")).substitute(values)
        for name in UNITS
    }
