"""`nudge draft`, `nudge check` and `nudge sent`: write the message, catch the classic mistakes,
and record it as sent with its words."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from jobnudge.drafts import Finding

Channel = Annotated[
    str | None,
    typer.Option(
        "--channel", help="email, call, voicemail, text or card (default: the nudge's channel)."
    ),
]
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "hint": "cyan"}


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def show_findings(text: str, findings: list[Finding]) -> None:
    from rich.markup import escape

    from jobnudge.cli.render import console

    out = console()
    if not findings:
        out.print("[green]The checker found nothing to fix.[/]")
        return
    for f in findings:
        where = f" at {_position(text, f.start)} “{f.excerpt(text)}”" if f.end > f.start else ""
        style = SEVERITY_STYLE.get(str(f.severity), "")
        out.print(f"[{style}]{f.severity}[/] {f.code}{escape(where)}: {escape(f.message)}")


def _edit(path: Path) -> None:
    """Open ``path`` in $VISUAL / $EDITOR (vi when neither is set) and wait for it."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    # The editor is the one the user chose for themselves in $VISUAL/$EDITOR.
    result = subprocess.run([*shlex.split(editor), str(path)], check=False)  # noqa: S603
    if result.returncode != 0:
        from jobnudge.errors import UsageError

        raise UsageError(
            f"--edit: the editor '{editor}' exited with {result.returncode}; the "
            f"draft is kept in {path}."
        )


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def draft(
        ctx: typer.Context,
        nudge: Annotated[str, typer.Argument(help="The id shown by `nudge today`.")],
        channel: Channel = None,
        edit: Annotated[
            bool,
            typer.Option(
                "--edit", help="Open the draft in $EDITOR, and check it again after each edit."
            ),
        ] = False,
        fresh: Annotated[
            bool,
            typer.Option(
                "--fresh", help="Start again from the template, discarding your saved edits."
            ),
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Write the message a follow-up calls for, and check it.

        The draft is saved, so you can edit it (--edit) and then record it with `nudge sent`.
        Optional content the advice suggests is a [[marked slot]]: fill it in or delete it.

        Example: nudge draft 3fa2c1e --edit
        """
        from jobnudge.cli.prompts import record_it
        from jobnudge.drafts.errors import NotAMessage
        from jobnudge.services import drafting, nudges
        from jobnudge.services.validate import channel as to_channel

        session = state(ctx).session()
        try:
            composed = drafting.compose(session, nudge, to_channel(channel))
        except NotAMessage as exc:
            row = nudges.find(session, nudge)
            answer = record_it(row.rule, row.opportunity_id)
            raise NotAMessage(exc.message + (f" {answer}" if answer else "")) from None
        path = drafting.saved_path(composed.row)
        if fresh or not path.exists() or channel:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(composed.draft.text, encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        findings = drafting.recheck(session, composed, text)
        if wants_json(ctx, as_json):
            d = composed.draft
            echo_json(
                {
                    "id": composed.row.short_id,
                    "rule": d.rule,
                    "channel": d.channel.value,
                    "to": d.to_name,
                    "to_address": d.to_address,
                    "subject": d.subject,
                    "body": d.body,
                    "text": text,
                    "path": str(path),
                    "findings": [f.as_dict() for f in findings],
                }
            )
            return
        while True:
            if edit:
                _edit(path)
                text = path.read_text(encoding="utf-8")
                findings = drafting.recheck(session, composed, text)
            else:
                typer.echo(text.rstrip("\n"))
                typer.echo(f"\n(saved in {path})")
            show_findings(text, findings)
            if not edit or not sys.stdin.isatty() or not findings:
                break
            if not typer.confirm("Edit again?", default=True):
                break
        typer.echo(f"When you have sent it: nudge sent {composed.row.short_id}")

    @app.command()
    @handles_errors
    def check(
        ctx: typer.Context,
        file: Annotated[str, typer.Argument(help="The text to check, or - for standard input.")],
        to: Annotated[str, typer.Option("--to", help="The opportunity it is addressed to.")],
        contact: Annotated[
            str | None, typer.Option("--contact", help="The person it is to.")
        ] = None,
        channel: Channel = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Check any message before it goes out: wrong company, misspelled name, too familiar,
        too long, pleading, no thanks, spelling, leftover placeholders.

        Example: nudge check thankyou.txt --to acme --contact "Dana Lee"
        """
        from jobnudge import textfile
        from jobnudge.domain import Channel as Ch
        from jobnudge.errors import UsageError
        from jobnudge.services import drafting
        from jobnudge.services.validate import channel as to_channel

        if contact is not None and not contact.strip():
            raise UsageError("--contact: give the person's name or id, or leave the option out.")
        if channel is not None and not channel.strip():
            raise UsageError(
                "--channel: give one of email, call, voicemail, text or card, or leave it out."
            )
        text = textfile.read_input("FILE") if file == "-" else textfile.read(Path(file), "FILE")
        session = state(ctx).session()
        findings = drafting.check_text(
            session, text, to, contact=contact, channel=to_channel(channel) or Ch.EMAIL
        )
        from jobnudge.cli import quick

        quick.remember(session.settings)  # so that the next check can skip reading them
        if wants_json(ctx, as_json):
            echo_json([f.as_dict() for f in findings])
        else:
            show_findings(text, findings)
        if any(str(f.severity) == "error" for f in findings):
            raise typer.Exit(1)

    @app.command()
    @handles_errors
    def sent(
        ctx: typer.Context,
        nudge: Annotated[str, typer.Argument(help="The id shown by `nudge today`.")],
        file: Annotated[
            Path | None,
            typer.Option("--file", help="The text you sent (default: the saved draft, if any)."),
        ] = None,
        channel: Channel = None,
        at: Annotated[
            str | None, typer.Option("--at", help="When you sent it (default now).")
        ] = None,
        anyway: Annotated[
            bool,
            typer.Option("--anyway", help="Record it even though the checker found errors in it."),
        ] = False,
    ) -> None:
        """Record a follow-up's message as sent, with its text: the nudge is done.

        The text is checked first: if the checker finds errors (the wrong company, a
        misspelt name), nothing is recorded unless you add --anyway.

        Example: nudge sent 3fa2c1e
        """
        from jobnudge import textfile
        from jobnudge.playbook.wording import title
        from jobnudge.services import drafting, nudges
        from jobnudge.services.validate import channel as to_channel
        from jobnudge.timeparse import Tense, parse_when

        session = state(ctx).session()
        row = nudges.find(session, nudge)
        source = file or drafting.saved_path(row)
        text = textfile.read(source, "--file") if file is not None or source.exists() else ""
        moment = (
            parse_when(
                at,
                field="--at",
                tz=session.tz,
                base=session.now,
                tense=Tense.PAST,
                country=session.settings.profile.country,
            )
            if at
            else None
        )
        try:
            done = drafting.mark_sent(
                session, nudge, text=text, channel=to_channel(channel), at=moment, anyway=anyway
            )
        except drafting.CheckerErrors as refused:
            show_findings(text, refused.findings)
            raise
        saved = drafting.saved_path(done)
        if saved.exists():
            saved.unlink()
        typer.echo(
            f"Logged as sent: “{title(done.rule)}” to {done.contact or 'the hiring team'} "
            f"({done.company or 'your search'})."
        )
