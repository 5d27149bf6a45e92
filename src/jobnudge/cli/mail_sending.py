"""`nudge mail send`, `flush`, `outbox`, `retry` and `cancel`: approved follow-ups sent
exactly once (``services.mail_approve``, ``mail_send``, ``mail_outbox``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jobnudge.cli.mail import Json, Number, fail_code, local_time, mail_app
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from jobnudge.services.mail_send import FlushReport
    from jobnudge.store.mail import OutboxItem


@mail_app.command("send")
@handles_errors
def send(
    ctx: typer.Context,
    nudge: Annotated[str, typer.Argument(help="The id shown by `nudge today`.")],
    now: Annotated[bool, typer.Option("--now", help="Approve and send it right away.")] = False,
    at: Annotated[
        str | None, typer.Option("--at", help="Approve it to go at this moment, e.g. 'friday 9am'.")
    ] = None,
    when_due: Annotated[
        bool,
        typer.Option(
            "--when-due",
            help="Approve it to go at the nudge's recommended moment (e.g. the end of the "
            "interviewer's working day for a thank-you).",
        ),
    ] = False,
    preview: Annotated[
        bool, typer.Option("--preview", help="Only show the message (the default).")
    ] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Send this text (To:/Subject: lines, blank line, body)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Send despite checker errors or an address that bounced before."
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Preview a follow-up email, or approve it: into the outbox, to be sent exactly once.

    The text is the draft saved by `nudge draft` (edit it there first), --file, or a fresh
    draft. Replies thread onto the conversation (In-Reply-To, References). Without --now,
    --at or --when-due nothing is approved.

    Example: nudge mail send 3fa2c1e --when-due
    """
    from jobnudge.cli.drafts import show_findings
    from jobnudge.errors import ConfigError, UsageError
    from jobnudge.services import mail_account, mail_approve, mail_send
    from jobnudge.timeparse import Tense, parse_when

    chosen = [name for name, on in (("--now", now), ("--at", at), ("--when-due", when_due)) if on]
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)}: choose one moment.")
    if preview and chosen:
        raise UsageError(f"--preview: leave it out to approve with {chosen[0]}.")
    st = state(ctx)
    account = mail_account.account(st.settings) if now else None
    if chosen and not now and not st.settings.mail.configured:
        raise ConfigError("Mail is not set up; add a [mail] section first (docs/mail.md).")
    session = st.session()
    prepared = mail_approve.prepare(session, nudge, file=file)
    if not chosen:
        if wants_json(ctx, as_json):
            echo_json(
                {
                    "id": prepared.row.short_id,
                    "text": mail_approve.preview(prepared),
                    "findings": [f.as_dict() for f in prepared.findings],
                    "source": prepared.source,
                    "bounced": prepared.bad_address,
                }
            )
            return
        text = mail_approve.preview(prepared)
        typer.echo(text.rstrip("\n"))
        typer.echo(f"\n(from {prepared.source})")
        show_findings(prepared.outgoing.body, prepared.findings)
        if prepared.bad_address:
            typer.echo(f"warning: this address bounced before: {prepared.bad_address}")
        short = prepared.row.short_id
        typer.echo(
            f"Approve: nudge mail send {short} --now | --when-due "
            f"({local_time(mail_approve.when_due(session, prepared), session.tz)}) | --at WHEN"
        )
        return
    if at is not None:
        moment = parse_when(
            at,
            field="--at",
            tz=session.tz,
            base=session.now,
            tense=Tense.FUTURE,
            country=session.settings.profile.country,
        )
    elif when_due:
        moment = mail_approve.when_due(session, prepared)
    else:
        moment = session.now
    item = mail_approve.approve(session, prepared, send_after=moment, force=force)
    if account is None:
        if wants_json(ctx, as_json):
            echo_json(_item_json(item, session.tz, session.now))
        else:
            typer.echo(
                f"Queued #{item.id} to {item.to_address} for {local_time(moment, session.tz)}; "
                "`nudge mail flush` sends what is due (run it then, or from a timer)."
            )
        return
    report = mail_send.flush(session, account, only=item.id)
    _show_flush(ctx, report, as_json)


@mail_app.command("flush")
@handles_errors
def flush(ctx: typer.Context, as_json: Json = False) -> None:
    """Send every approved message whose moment has come; first settle any whose sender was
    interrupted (searching the Sent mailbox for it, never sending a second copy blindly).

    Example: nudge mail flush
    """
    from jobnudge.services import mail_account, mail_send

    st = state(ctx)
    account = mail_account.account(st.settings)
    _show_flush(ctx, mail_send.flush(st.session(), account), as_json)


def _show_flush(ctx: typer.Context, report: FlushReport, as_json: bool) -> None:
    if wants_json(ctx, as_json):
        echo_json(
            {
                "outcomes": [
                    {
                        "id": o.item,
                        "to": o.to,
                        "subject": o.subject,
                        "state": o.state,
                        "detail": o.detail,
                    }
                    for o in report.outcomes
                ],
                "errors": report.errors,
            }
        )
    else:
        if not report.outcomes and not report.errors:
            typer.echo("Nothing to send now.")
        for o in report.outcomes:
            typer.echo(f"#{o.item} {o.state}: {o.to} “{o.subject}” — {o.detail}")
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
    if report.errors or any(o.state in ("failed", "unknown") for o in report.outcomes):
        raise typer.Exit(fail_code())


def _item_json(item: OutboxItem, tz: str, now: Any) -> dict[str, Any]:
    from jobnudge.cli.render import iso
    from jobnudge.services.mail_outbox import shown_state

    return {
        "id": item.id,
        "state": shown_state(item, now),
        "message_id": item.message_id,
        "nudge": item.nudge_key,
        "rule": item.rule,
        "opportunity_id": item.opportunity_id,
        "to": item.to_address,
        "subject": item.subject,
        "in_reply_to": item.in_reply_to,
        "send_after": iso(item.send_after, tz),
        "sent_at": iso(item.sent_at, tz),
        "attempts": item.attempts,
        "server_reply": item.server_reply,
        "copy_saved": item.copy_saved,
    }


@mail_app.command("outbox")
@handles_errors
def outbox(
    ctx: typer.Context,
    everything: Annotated[
        bool, typer.Option("--all", help="Also the sent and cancelled messages.")
    ] = False,
    as_json: Json = False,
) -> None:
    """The approved messages not yet sent (or all of them), with their state and the
    server's last answer.

    Example: nudge mail outbox --all
    """
    from jobnudge.services import mail_outbox

    session = state(ctx).session()
    items = mail_outbox.outbox(session, everything=everything)
    if wants_json(ctx, as_json):
        echo_json([_item_json(i, session.tz, session.now) for i in items])
        return
    if not items:
        typer.echo("The outbox is empty.")
        return
    for i in items:
        shown = mail_outbox.shown_state(i, session.now)
        moment = i.sent_at or i.send_after
        reply = f" — {i.server_reply}" if i.server_reply else ""
        when = local_time(moment, session.tz)
        typer.echo(f"#{i.id} {shown} {when} to {i.to_address} “{i.subject}”{reply}")


@mail_app.command("retry")
@handles_errors
def retry(ctx: typer.Context, number: Number) -> None:
    """Queue a failed, unknown or cancelled message again. An unknown one is first searched
    for in the Sent mailbox: if it is there it is recorded as sent, not sent again.

    Example: nudge mail retry 4
    """
    from jobnudge.services import mail_account, mail_outbox

    st = state(ctx)
    account = mail_account.account(st.settings) if st.settings.mail.configured else None
    item = mail_outbox.retry(st.session(), account, number)
    if item.state == "sent":
        typer.echo(f"#{item.id} was found in the Sent mailbox: recorded as sent, not sent again.")
    else:
        typer.echo(f"#{item.id} is queued again; `nudge mail flush` sends it.")


@mail_app.command("cancel")
@handles_errors
def cancel(ctx: typer.Context, number: Number) -> None:
    """Withdraw a queued, failed or unknown message.

    Example: nudge mail cancel 4
    """
    from jobnudge.services import mail_outbox

    item = mail_outbox.cancel(state(ctx).session(), number)
    typer.echo(f"#{item.id} to {item.to_address} is cancelled.")
