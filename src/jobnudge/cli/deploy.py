"""`nudge deploy systemd`: the systemd units for a server (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jobnudge.cli.state import handles_errors

deploy_app = typer.Typer(
    help="Service files for running jobnudge on a server (docs/deploy.md).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(deploy_app, name="deploy")


@deploy_app.command("systemd")
@handles_errors
def systemd(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the unit files into this folder instead of printing."),
    ] = None,
    nudge: Annotated[
        str, typer.Option("--nudge", help="The installed `nudge` command (absolute path).")
    ] = "/opt/jobnudge/.venv/bin/nudge",
    user: Annotated[str, typer.Option("--user", help="The system account to run as.")] = (
        "jobnudge"
    ),
    env_file: Annotated[
        str,
        typer.Option("--env-file", help="File with NUDGE_DB, NUDGE_SERVER_KEY and the rest."),
    ] = "/etc/jobnudge/jobnudge.env",
    data_dir: Annotated[str, typer.Option("--data-dir", help="The services' data folder.")] = (
        "/var/lib/jobnudge"
    ),
    backup_dir: Annotated[str, typer.Option("--backup-dir", help="Where pg_dump writes.")] = (
        "/var/backups/jobnudge"
    ),
) -> None:
    """Print (or write with --out) a systemd unit for each process: web workers
    (jobnudge-web@PORT), background workers (jobnudge-worker@N) and the nightly backup.

    Example: nudge deploy systemd --out /etc/systemd/system
    """
    from jobnudge.deploy import Site, render
    from jobnudge.errors import UsageError

    units = render(Site(nudge, user, env_file, data_dir, backup_dir))
    if out is None:
        for name, text in units.items():
            typer.echo(f"# ---- {name}\n{text}")
        return
    if not out.is_dir():
        raise UsageError(f"--out: {out} is not a folder; create it or give another.")
    for name, text in units.items():
        (out / name).write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out / name}")
