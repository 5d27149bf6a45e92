"""`nudge mail ...`: test the account, send approved follow-ups exactly once, read replies.

Only Typer is imported here; the services (and SQLAlchemy with them) load inside each command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jobnudge import plural
from jobnudge.bounds import MAX_ID
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from jobnudge.services.mail_send import FlushReport
    from jobnudge.services.mail_sync import Gone
    from jobnudge.store.mail import OutboxItem

mail_app = typer.Typer(
    help="Send approved follow-ups by email, exactly once, and notice replies (docs/mail.md).",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Number = Annotated[
    int,
    typer.Argument(min=1, max=MAX_ID, help="The outbox number shown by `nudge mail outbox`."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(mail_app, name="mail")


def _fail_code() -> int:
    from jobnudge.errors import MailError

    return MailError.exit_code


@mail_app.command("test")
@handles_errors
def test_(ctx: typer.Context, as_json: Json = False) -> None:
    """Check both connections step by step (DNS, connect, TLS, login, mailbox names) and say
    precisely what failed. The password is never shown.

    Example: nudge mail test
    """
    from jobnudge.services import mail_account

    checks = mail_account.test(state(ctx).settings)
    if wants_json(ctx, as_json):
        echo_json(
            [{"side": c.side, "step": c.step, "ok": c.ok, "detail": c.detail} for c in checks]
        )
    else:
        for c in checks:
            typer.echo(f"{'ok  ' if c.ok else 'FAIL'} {c.side} {c.step}: {c.detail}")
    if not all(c.ok for c in checks):
        raise typer.Exit(_fail_code())


@mail_app.command("login")
@handles_errors
def login(
    ctx: typer.Context,
    device: Annotated[
        bool, typer.Option("--device", help="Sign in with a code typed on any device.")
    ] = False,
    browser: Annotated[
        bool, typer.Option("--browser", help="Sign in in this machine's browser.")
    ] = False,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", help="With --browser: print the address, open nothing."),
    ] = False,
) -> None:
    """Sign in to your mailbox's provider (Outlook.com, Microsoft 365, Gmail) with OAuth 2.0 and
    keep the refresh token like a password (system keyring, else a file only you can read).

    Microsoft: a code to type at microsoft.com/devicelogin. Google: your browser opens.
    Example: nudge mail login
    """
    from jobnudge.errors import UsageError
    from jobnudge.services import mail_account

    if device and browser:
        raise UsageError("--device and --browser: choose one way to sign in.")
    flow = "device" if device else "browser" if browser else None
    done = mail_account.login(
        state(ctx).settings, flow=flow, say=typer.echo, open_browser=not no_browser
    )
    typer.echo(
        f"Signed in as {done.username}; the sign-in is kept in {done.where}. "
        "Check it with: nudge mail test"
    )


@mail_app.command("logout")
@handles_errors
def logout(ctx: typer.Context) -> None:
    """Forget the mailbox sign-in here, and withdraw it at the provider where it allows that.

    Example: nudge mail logout
    """
    from jobnudge.services import mail_account

    confirmed = mail_account.logout(state(ctx).settings)
    typer.echo(
        "Signed out; the provider withdrew the sign-in."
        if confirmed
        else "Signed out here. To withdraw jobnudge's access at the provider too, remove it "
        "from your account's security page (docs/mail.md)."
    )


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
            f"({_local(mail_approve.when_due(session, prepared), session.tz)}) | --at WHEN"
        )
        return
    if at is not None:
        moment = parse_when(at, field="--at", tz=session.tz, base=session.now, tense=Tense.FUTURE)
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
                f"Queued #{item.id} to {item.to_address} for {_local(moment, session.tz)}; "
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
        raise typer.Exit(_fail_code())


def _local(moment: Any, tz: str) -> str:
    from jobnudge.cli.render import when

    return str(when(moment, tz))


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
        typer.echo(
            f"#{i.id} {shown} {_local(moment, session.tz)} to {i.to_address} “{i.subject}”{reply}"
        )


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


def _gone_line(g: Gone) -> str:
    from jobnudge.playbook.wording import title

    who = f" to {g.contact}" if g.contact else ""
    return f"  “{title(g.rule)}”{who} ({g.short_id}) is no longer pending"


@mail_app.command("sync")
@handles_errors
def sync(ctx: typer.Context, as_json: Json = False) -> None:
    """Read what is new in your Inbox and Sent mailbox: replies and messages you sent from your
    own mail client are logged (the follow-ups they settle disappear), auto-replies are not
    counted, bounces flag the address, and anything unsure goes to `nudge mail review`.

    Example: nudge mail sync
    """
    from jobnudge.services import mail_account, mail_sync

    st = state(ctx)
    account = mail_account.account(st.settings)
    session = st.session()
    report = mail_sync.sync(session, account)
    if wants_json(ctx, as_json):
        echo_json(
            {
                "mailboxes": [
                    {
                        "mailbox": m.mailbox,
                        "full": m.full,
                        "fetched": m.new,
                        "uidvalidity": m.uidvalidity,
                        "last_uid": m.last_uid,
                    }
                    for m in report.mailboxes
                ],
                "logged": [
                    {
                        "message_id": lg.message_id,
                        "event_id": lg.event.id,
                        "type": lg.event.type.value,
                        "opportunity_id": lg.opportunity.id,
                        "who": lg.who,
                        "subject": lg.subject,
                        "matched_by": lg.why,
                        "settled": [
                            {"rule": g.rule, "id": g.short_id, "contact": g.contact}
                            for g in lg.gone
                        ],
                        "proposed": lg.proposed,
                    }
                    for lg in report.logged
                ],
                "review": report.review,
                "automatic": report.automatic,
                "bounces": report.bounces,
                "duplicates": report.duplicates,
                "bytes_read": report.bytes_read,
            }
        )
        return
    for m in report.mailboxes:
        how = "read from the start" if m.full else "new since the last sync"
        typer.echo(f"{m.mailbox}: {plural.count(m.new, 'message')} {how}")
    for lg in report.logged:
        what = "reply from" if lg.event.type.value == "received" else "you sent to"
        typer.echo(
            f"Logged {what} {lg.who} on {lg.opportunity.company} — {lg.opportunity.role}: "
            f"“{lg.subject}” (matched: {lg.why})"
        )
        reason = (
            "they replied" if lg.event.type.value == "received" else "you already wrote to them"
        )
        for g in lg.gone:
            typer.echo(f"{_gone_line(g)}: {reason}.")
        if lg.proposed:
            typer.echo(
                f"  It reads like {'an offer' if lg.proposed == 'offer' else 'a rejection'}: "
                "confirm it with `nudge mail review`."
            )
    for line in report.automatic:
        typer.echo(f"Not a reply (automatic): {line}")
    for line in report.bounces:
        typer.echo(f"Bounced, address flagged: {line}")
    if report.review:
        typer.echo(f"{plural.count(len(report.review), 'message')} to look at: nudge mail review")


@mail_app.command("review")
@handles_errors
def review(
    ctx: typer.Context,
    action: Annotated[
        str | None, typer.Argument(help="accept or ignore (leave out to list).")
    ] = None,
    number: Annotated[
        int | None, typer.Argument(min=1, max=MAX_ID, help="The review item's number.")
    ] = None,
    opportunity: Annotated[
        str | None,
        typer.Argument(help="For accept: the opportunity it belongs to (id or name)."),
    ] = None,
    as_json: Json = False,
) -> None:
    """What a sync was not sure about: messages that may belong to one of several
    opportunities ("Is this from Acme?"), and messages that read like an offer or a rejection.

    Examples: nudge mail review · nudge mail review accept 3 acme · nudge mail review ignore 4
    """
    from jobnudge.errors import UsageError
    from jobnudge.services import mail_sync

    session = state(ctx).session()
    if action is None:
        views = mail_sync.review_list(session)
        if wants_json(ctx, as_json):
            from jobnudge.cli.render import iso

            echo_json(
                [
                    {
                        "id": v.item.id,
                        "kind": v.item.kind,
                        "direction": v.item.direction,
                        "from": v.item.from_address,
                        "subject": v.item.subject,
                        "at": iso(v.item.at, session.tz),
                        "reason": v.item.reason,
                        "candidates": [
                            {"id": o.id, "company": o.company, "role": o.role} for o in v.candidates
                        ],
                        "snippet": v.item.body[:300],
                    }
                    for v in views
                ]
            )
            return
        if not views:
            typer.echo("Nothing to review.")
            return
        for v in views:
            item = v.item
            question = {
                "match": "Which opportunity is this about?",
                "offer": "Is this an offer?",
                "rejected": "Is this a rejection?",
                "address": "Is this a contact's new address?",
            }.get(item.kind, "")
            typer.echo(
                f"#{item.id} {question} {item.from_name or item.from_address} "
                f"<{item.from_address}>, {_local(item.at, session.tz)}: “{item.subject}”"
            )
            typer.echo(f"    why: {item.reason}")
            for o in v.candidates:
                typer.echo(f"    #{o.id} {o.company} — {o.role}")
            snippet = " ".join(item.body.split())[:160]
            if snippet:
                typer.echo(f"    “{snippet}”")
        typer.echo(
            "Accept: nudge mail review accept N [OPPORTUNITY] · ignore: nudge mail review ignore N"
        )
        return
    if action not in ("accept", "ignore"):
        raise UsageError(f"ACTION: '{action}' is not accept or ignore.")
    if number is None:
        raise UsageError(f"N: say which item to {action}, e.g. `nudge mail review {action} 3`.")
    if action == "ignore":
        item = mail_sync.ignore(session, number)
        typer.echo(f"Ignored #{item.id} (“{item.subject}”).")
        return
    done = mail_sync.accept(session, number, opportunity)
    if done.corrected is not None or done.event is None:
        who = done.corrected.name if done.corrected else "the contact"
        typer.echo(f"{who}'s address is now {done.item.from_address}.")
        return
    typer.echo(
        f"Logged {done.event.type.value} on {done.opportunity.company} — "
        f"{done.opportunity.role} (“{done.item.subject}”)."
    )
    for g in done.gone:
        typer.echo(f"{_gone_line(g)}.")
    if done.proposed:
        typer.echo(f"It also reads like {done.proposed}: it is on the review list.")
