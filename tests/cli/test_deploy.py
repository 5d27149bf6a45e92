"""`nudge deploy systemd`: the units render, systemd accepts them, and their commands work.

The rendered files are checked by the real ``systemd-analyze verify``; the worker unit's command
line is run (with ``--once``) against a real PostgreSQL database with the environment the unit
sets, and the backup unit's command (as systemd would pass it to the shell) writes a dump that
``pg_restore --list`` reads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobnudge.deploy import UNITS

from .conftest import Nudge

NUDGE_BIN = str(Path(sys.executable).with_name("nudge"))


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is needed for this test")
        pytest.skip(f"{name} is not installed")
    return found


def _units(nudge: Nudge, folder: Path) -> dict[str, str]:
    folder.mkdir()
    nudge(
        "deploy", "systemd", "--out", str(folder), "--nudge", NUDGE_BIN, "--user", "root",
        "--data-dir", str(folder), "--backup-dir", str(folder), "--env-file",
        str(folder / "env"),
    )  # fmt: skip
    return {name: (folder / name).read_text(encoding="utf-8") for name in UNITS}


def _key(text: str, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{key}=")]


def _unescape(value: str) -> str:
    """What systemd hands the process for a command line without variables: %% and $$."""
    return value.replace("%%", "%").replace("$$", "$")


@pytest.fixture
def pg_url() -> Iterator[str]:
    from tests.store.conftest import _database

    with _database() as url:
        yield url


def test_printed_units_name_every_process(nudge: Nudge) -> None:
    printed = nudge("deploy", "systemd").stdout
    for name in UNITS:
        assert f"# ---- {name}" in printed
    assert "serve --accounts --host 127.0.0.1 --port %i" in printed
    assert "Environment=NUDGE_JOB_QUEUE=on" in printed


def test_bad_paths_are_refused_naming_the_option(nudge: Nudge) -> None:
    result = nudge("deploy", "systemd", "--nudge", "nudge", ok=False)
    assert result.returncode != 0
    assert "--nudge: give an absolute path" in result.stderr
    assert "Traceback" not in result.stderr


def test_systemd_accepts_the_units(nudge: Nudge, tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze")
    folder = tmp_path / "units"
    units = _units(nudge, folder)
    (folder / "env").write_text("NUDGE_DB=postgresql://x@127.0.0.1/x\n", encoding="utf-8")
    instances = ["jobnudge-web@8001.service", "jobnudge-worker@1.service"]
    instances += ["jobnudge-backup.service", "jobnudge-backup.timer"]
    result = subprocess.run(
        [analyze, "verify", *(f"./{n}" for n in instances)],
        cwd=folder, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Unknown key" not in result.stderr
    assert _key(units["jobnudge-web@.service"], "EnvironmentFile") == [str(folder / "env")]


@pytest.mark.postgres
def test_the_worker_and_backup_commands_run(nudge: Nudge, tmp_path: Path, pg_url: str) -> None:
    pg_restore = _tool("pg_restore")
    units = _units(nudge, tmp_path / "units")
    worker = units["jobnudge-worker@.service"]
    env = {**nudge.env, "NUDGE_DB": pg_url}
    for assignment in _key(worker, "Environment"):
        name, value = assignment.split("=", 1)
        env[name] = value
    assert env["NUDGE_JOB_QUEUE"] == "on"
    (command,) = _key(worker, "ExecStart")
    ran = subprocess.run(
        [*_unescape(command).split(), "--once"], env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Worker running jobs" in ran.stderr

    (backup,) = _key(units["jobnudge-backup.service"], "ExecStart")
    shell = _unescape(backup)
    assert shell.startswith("/bin/sh -c '") and shell.endswith("'")
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    done = subprocess.run(
        ["/bin/sh", "-c", shell[len("/bin/sh -c '") : -1]],
        env={**os.environ, "NUDGE_DB": plain}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (dump,) = (tmp_path / "units").glob("jobnudge-*.dump")
    listed = subprocess.run(
        [pg_restore, "--list", str(dump)], capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0 and "TABLE public opportunities" in listed.stdout
