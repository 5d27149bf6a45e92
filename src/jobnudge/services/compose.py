"""Writing the message a nudge calls for: its draft, the checker's findings on the user's edited
text, and "mark sent", which records the message (with its text) as a SENT event.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jobnudge.domain import Channel, EventType
from jobnudge.errors import NotFound, UsageError
from jobnudge.services.drafting import KIND_FOR_RULE, with_posting

if TYPE_CHECKING:
    from jobnudge.drafts import Draft, DraftContext, Finding
    from jobnudge.services.nudges import AgendaItem
    from jobnudge.services.records import Outcome
    from jobnudge.services.session import Session


MAX_TEXT = 20_000
"""Longer than any follow-up should be; refused rather than checked."""


@dataclass(frozen=True)
class Composition:
    item: AgendaItem
    context: DraftContext
    draft: Draft
    channels: tuple[Channel, ...]
    text: str  # what the user is editing (the draft's text until they change it)
    findings: list[Finding]


def pending(session: Session, handle: str) -> AgendaItem:
    """The pending nudge with this short id, assessed at the session's moment."""
    from jobnudge.services import nudges

    row = nudges.find(session, handle)
    return nudges.assess([row], session.settings, session.now)[0]


def is_message(rule: str) -> bool:
    from jobnudge.drafts import MESSAGE_CHANNELS

    return rule in MESSAGE_CHANNELS


def compose(
    session: Session,
    handle: str,
    *,
    channel: str | None = None,
    text: str | None = None,
    user_templates: Path | None = None,
) -> Composition:
    """The draft for nudge ``handle`` (in ``channel``, default the nudge's) and the checker's
    findings on ``text`` (the user's edit; default the draft itself)."""
    from jobnudge.drafts import channels_for, check_draft, context_for, draft
    from jobnudge.services import nudges, validate

    if text is not None and len(text) > MAX_TEXT:
        raise UsageError(f"text: the message is {len(text)} characters; keep it under {MAX_TEXT}.")
    item = pending(session, handle)
    store, owner = session.store, session.owner
    opp_id = item.row.opportunity_id
    if opp_id is not None:
        history = store.history(owner, opp_id)
        contacts = {c.id: c for c in store.opportunity_contacts(owner, opp_id)}
    else:
        history = None
        contacts = {c.id: c for c in store.contacts(owner)}
    wanted = validate.channel(channel, "channel") if channel else None
    nudge = nudges.assess_in(item.row, wanted, session.settings, session.now) if wanted else None
    ctx = context_for(
        nudge or item.nudge,
        history,
        contacts,
        session.settings,
        session.now,
        pipeline=store.companies(owner),
    )
    ctx = with_posting(session, ctx)
    made = draft(ctx, wanted, user_templates=user_templates)
    edited = made.text if text is None else text.replace("\r\n", "\n")
    findings = check_draft(made, ctx, session.settings, text=edited)
    return Composition(
        item=item,
        context=ctx,
        draft=made,
        channels=channels_for(item.row.rule),
        text=edited,
        findings=findings,
    )


def mark_sent(
    session: Session,
    handle: str,
    *,
    text: str = "",
    channel: str | None = None,
    anyway: bool = False,
) -> AgendaItem:
    """Record that the message nudge ``handle`` asked for was sent (with its text, when given).

    The SENT event completes the nudge through the playbook; should a rule not recognise it,
    the nudge is marked done as well, so "mark sent" always clears it. A text with errors the
    checker finds raises ``CheckerErrors`` unless ``anyway`` (the user confirmed).
    """
    from jobnudge.services import drafting, event_log, nudges, validate

    if len(text) > MAX_TEXT:
        raise UsageError(f"text: the message is {len(text)} characters; keep it under {MAX_TEXT}.")
    item = pending(session, handle)
    row = item.row
    chosen = validate.channel(channel, "channel") if channel else None
    if not anyway and is_message(row.rule):
        errors = drafting.errors_in(session, handle, text.replace("\r\n", "\n"), chosen)
        drafting.refuse_errors(errors, row.short_id, "--anyway")
    via = chosen or row.channel or Channel.EMAIL
    if row.opportunity_id is None or not is_message(row.rule):
        nudges.decide(session, row.short_id, EventType.NUDGE_DONE, note=_first_line(text))
        return item
    word = {Channel.CALL: "called", Channel.VOICEMAIL: "voicemail"}.get(via, "sent")
    kind = KIND_FOR_RULE.get(row.rule)
    out: Outcome = event_log.log_event(
        session,
        str(row.opportunity_id),
        word,
        with_=[str(row.contact_id)] if row.contact_id is not None else [],
        kind=kind.value if kind else None,
        channel=via,
        body=text.replace("\r\n", "\n").strip(),
    )
    assert out.event is not None
    try:
        session.store.nudge(session.owner, row.key)
    except NotFound:
        return item
    nudges.decide(session, row.short_id, EventType.NUDGE_DONE, note="sent")
    return item


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
