"""`nudge remind`: send the morning digest when it is due (once per item and channel), show
it first with --dry-run, and set up the operating system's timer with --install (docs/reminders.md).

Only Typer is imported here; the services load inside the command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from jobnudge.remind.timers import Installed
    from jobnudge.services.reminding import Report


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def remind(
        ctx: typer.Context,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would go out now; send nothing.")
        ] = False,
        channel: Annotated[
            list[str] | None,
            typer.Option(
                "--channel",
                help="Only this channel (email, apprise or desktop); repeat for several. "
                "Default: remind.channels; with --install, saved as remind.channels.",
            ),
        ] = None,
        test: Annotated[
            str | None,
            typer.Option("--test", help="Send a test message on this channel, nothing else."),
        ] = None,
        install: Annotated[
            bool,
            typer.Option("--install", help="Set up a timer the system runs every 15 minutes."),
        ] = False,
        uninstall: Annotated[
            bool, typer.Option("--uninstall", help="Remove the timer --install set up.")
        ] = False,
        scheduler: Annotated[
            str | None,
            typer.Option(
                "--scheduler",
                help="With --install/--uninstall: systemd, launchd, windows or cron "
                "(default: this system's).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Send the morning digest when it is due: the follow-ups due today, the overdue ones,
        tomorrow's interviews and, on review day, the weekly review. Each item goes out once
        per channel, however often this runs; a failed delivery is retried next run.

        Example: nudge remind --install
        """
        from jobnudge.errors import UsageError
        from jobnudge.remindconfig import CHANNELS

        chosen = [c.strip().lower() for c in channel or []]
        for name in chosen:
            if name not in CHANNELS:
                raise UsageError(
                    f"--channel: '{name}' is not a channel; use {', '.join(CHANNELS)}."
                )
        if sum((dry_run, test is not None, install, uninstall)) > 1:
            raise UsageError("--dry-run, --test, --install and --uninstall: give only one of them.")
        if scheduler is not None and not (install or uninstall):
            raise UsageError("--scheduler: use it with --install or --uninstall.")
        if install or uninstall:
            if chosen and install:
                _save_channels(chosen, as_json or state(ctx).json)
            _timer(ctx, install, scheduler, as_json)
            return
        st = state(ctx)
        if test is not None:
            _test(ctx, test.strip().lower(), as_json)
            return
        from jobnudge.services import reminding

        session = st.session()
        if dry_run:
            report = reminding.preview(session, channels=chosen or None)
        else:
            report = reminding.run(session, channels=chosen or None)
        _show(ctx, report, as_json, dry_run)


def _save_channels(channels: list[str], quiet: bool) -> None:
    """``--install --channel C``: keep the channels in the settings file, for the timer's runs."""
    from jobnudge.services.preferences import FilePreferences

    prefs = FilePreferences()
    document = prefs.document(0)
    section = document.get("remind")
    document["remind"] = {**(section if isinstance(section, dict) else {}), "channels": channels}
    prefs.save(0, document)
    if not quiet:
        typer.echo(f"Saved remind.channels = {channels} in {prefs.path}")


def _test(ctx: typer.Context, name: str, as_json: bool) -> None:
    from jobnudge.errors import UsageError
    from jobnudge.remindconfig import CHANNELS
    from jobnudge.services import reminding

    if name not in CHANNELS:
        raise UsageError(f"--test: '{name}' is not a channel; use {', '.join(CHANNELS)}.")
    said = reminding.send_test(state(ctx).session(), name)
    if wants_json(ctx, as_json):
        echo_json({"channel": name, "state": "delivered", "detail": said})
    else:
        typer.echo(f"Test sent by {name}: {said}")


def _show(ctx: typer.Context, report: Report, as_json: bool, dry_run: bool) -> None:
    from jobnudge.remind.channels import DeliveryFailed

    if wants_json(ctx, as_json):
        echo_json(
            {
                "due": report.moment.slot is not None,
                "why": report.moment.why,
                "next_at": report.moment.next_at.isoformat(),
                "outcomes": [
                    {
                        "channel": o.channel,
                        "state": o.state,
                        "slot": o.slot,
                        "subject": o.subject,
                        "items": o.items,
                        "item_keys": list(o.keys),
                        "detail": o.detail,
                        "text": o.digest.text if o.digest else None,
                    }
                    for o in report.outcomes
                ],
            }
        )
    else:
        if dry_run:
            when = "it is due now" if report.moment.slot else f"not now: {report.moment.why}"
            typer.echo(f"Dry run, nothing is sent ({when}). If it went out now:")
        elif report.moment.slot is None and not report.outcomes:
            typer.echo(f"Nothing to send: {report.moment.why}.")
        for o in report.outcomes:
            _say(o, dry_run)
        if not dry_run and report.moment.slot and not report.outcomes:
            typer.echo("Nothing new to send: today's digest already went out.")
    if report.failed:
        raise typer.Exit(DeliveryFailed.exit_code)


def _say(o: Any, dry_run: bool) -> None:
    if o.state == "empty":
        typer.echo(f"{o.channel}: nothing new to remind you of.")
    elif o.state in ("preview", "pending"):
        retry = " (waiting to be retried)" if o.state == "pending" else ""
        typer.echo(f"--- {o.channel}{retry}: {o.subject}")
        if o.digest is not None:
            typer.echo(o.digest.text)
    elif o.state == "failed":
        print(f"{o.channel}: not delivered, retried next run: {o.detail}", file=sys.stderr)
    else:
        typer.echo(f"{o.channel}: sent “{o.subject}”")


def _timer(ctx: typer.Context, install: bool, scheduler: str | None, as_json: bool) -> None:
    from jobnudge import config
    from jobnudge.remind import timers

    chosen = (scheduler or timers.default_scheduler()).strip().lower()
    home = Path.home()
    if install:
        done = timers.install(chosen, home=home, data_dir=config.data_dir(), env=dict(os.environ))
    else:
        done = timers.uninstall(chosen, home=home, data_dir=config.data_dir())
    _show_timer(ctx, done, install, as_json)


def _show_timer(ctx: typer.Context, done: Installed, install: bool, as_json: bool) -> None:
    if wants_json(ctx, as_json):
        echo_json(
            {
                "scheduler": done.scheduler,
                "files": {str(p): text for p, text in done.files.items()},
                "ran": done.ran,
                "todo": done.todo,
            }
        )
        return
    verb = "Wrote" if install else "Removed"
    for path, text in done.files.items():
        if str(path) == "crontab":
            typer.echo(f"{'Added to' if install else 'Removed from'} your crontab:")
            typer.echo(text.rstrip("\n") or "(the jobnudge lines)")
            continue
        typer.echo(f"{verb} {path}" + (":" if install else ""))
        if install:
            typer.echo(text.rstrip("\n"))
    for line in done.ran:
        typer.echo(f"Ran: {line}")
    if done.todo:
        typer.echo("To finish, run:")
        for line in done.todo:
            typer.echo(f"  {line}")
    elif install:
        typer.echo("jobnudge now looks every 15 minutes whether the morning digest is due.")
    elif not done.files:
        typer.echo("No jobnudge timer was installed.")
