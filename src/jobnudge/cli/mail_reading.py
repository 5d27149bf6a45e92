"""`nudge mail sync` and `review`: replies and messages sent from the user's own client
logged, and what is unsure shown for the user to decide (``services.mail_sync``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jobnudge import plural
from jobnudge.bounds import MAX_ID
from jobnudge.cli.mail import Json, local_time, mail_app
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from jobnudge.services.mail_sync import Gone


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
                f"<{item.from_address}>, {local_time(item.at, session.tz)}: “{item.subject}”"
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
