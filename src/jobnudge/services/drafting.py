"""From a nudge to a message: write the draft, check any text before it goes out, and record
a sent message with its words so the playbook sees the follow-up done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jobnudge import config
from jobnudge.domain import Channel, Contact, EventType, History, MessageKind
from jobnudge.errors import Conflict, UsageError
from jobnudge.services import nudges

if TYPE_CHECKING:
    from jobnudge.drafts import Draft, DraftContext, Finding
    from jobnudge.services.session import Session
    from jobnudge.store.rows import AgendaRow

# The kind of message each rule's follow-up is, so logging it completes the right nudge.
KIND_FOR_RULE: dict[str, MessageKind] = {
    "apply.check-in": MessageKind.FOLLOW_UP,
    "interview.status-check": MessageKind.FOLLOW_UP,
    "silence.retry": MessageKind.FOLLOW_UP,
    "interview.confirm": MessageKind.CONFIRMATION,
    "interview.thank-you": MessageKind.THANK_YOU,
    "offer.thank-you": MessageKind.THANK_YOU,
    "rejection.gracious-note": MessageKind.THANK_YOU,
    "references.thanks": MessageKind.THANK_YOU,
    "referral.update": MessageKind.UPDATE,
    "references.heads-up": MessageKind.UPDATE,
    "staffing.keep-in-touch": MessageKind.UPDATE,
    "rejection.reconnect": MessageKind.NOTE,
}
"""The kind of message each rule asks for, recorded when it is logged as sent (the command line,
the web app and the mail outbox all read this one table)."""


@dataclass(frozen=True)
class Composed:
    row: AgendaRow
    draft: Draft
    context: DraftContext
    findings: list[Finding]


def drafts_dir() -> Path:
    return config.data_dir() / "drafts"


def saved_path(row: AgendaRow) -> Path:
    """Where the draft the user is editing for a nudge lives (kept across runs)."""
    return drafts_dir() / f"{row.short_id}.txt"


def _context(session: Session, row: AgendaRow, channel: Channel | None = None) -> DraftContext:
    from jobnudge.drafts import context_for

    store, owner = session.store, session.owner
    history: History | None = None
    contacts: dict[int, Contact] = {}
    if row.opportunity_id is not None:
        history = store.history(owner, row.opportunity_id)
        contacts = {c.id: c for c in store.opportunity_contacts(owner, row.opportunity_id)}
    if row.contact_id is not None and row.contact_id not in contacts:
        contacts[row.contact_id] = store.contact(owner, row.contact_id)
    nudge = nudges.assess_in(row, channel, session.settings, session.now)
    made = context_for(
        nudge,
        history,
        contacts,
        session.settings,
        session.now,
        pipeline=store.companies(owner),
    )
    return with_posting(session, made)


def with_posting(session: Session, ctx: DraftContext) -> DraftContext:
    """The context with the kept posting's focus sentence, for drafts that can point at it."""
    from dataclasses import replace

    from jobnudge.postings.statements import focus

    if ctx.opportunity is None:
        return ctx
    kept = session.store.posting(session.owner, ctx.opportunity.id)
    return replace(ctx, posting_focus=focus(kept.text)) if kept is not None else ctx


def compose(session: Session, handle: str, channel: Channel | None = None) -> Composed:
    """The draft for a pending nudge, in its channel or the one asked for, with its findings."""
    from jobnudge.drafts import check_draft, draft

    row = nudges.find(session, handle)
    ctx = _context(session, row, channel)
    message = draft(ctx, channel, user_templates=config.config_path().parent / "templates")
    return Composed(row, message, ctx, check_draft(message, ctx, session.settings))


def recheck(session: Session, composed: Composed, text: str) -> list[Finding]:
    """The findings for the user's edited version of a draft."""
    from jobnudge.drafts import check_draft

    return check_draft(composed.draft, composed.context, session.settings, text=text)


def check_text(
    session: Session,
    text: str,
    opportunity: str,
    *,
    contact: str | None = None,
    channel: Channel = Channel.EMAIL,
) -> list[Finding]:
    """Check any text addressed to an opportunity (and a contact there) before it goes out."""
    from jobnudge.drafts import check
    from jobnudge.drafts.checks.company import roles_besides
    from jobnudge.services import records

    if not text.strip():
        raise UsageError("FILE: the text to check is empty.")
    opp, _stage = records.opportunity(session, opportunity)
    store, owner = session.store, session.owner
    companies = store.companies(owner)
    person = records.contact(session, contact) if contact else None
    people = store.opportunity_contacts(owner, opp.id)
    every = [o for o, _stage in store.opportunities(owner)]
    return check(
        text,
        channel=channel,
        opportunity=opp,
        company=next((c for c in companies if c.id == opp.company_id), None),
        contact=person,
        pipeline_companies=companies,
        settings=session.settings,
        people=people,
        to_address=person.email if person and channel is Channel.EMAIL else "",
        roles=roles_besides(opp, every),
    )


class CheckerErrors(Conflict):
    """The message about to be recorded as sent has errors the checker found: recording it
    needs the user's say-so (``--anyway``, or the web page's confirmation). ``findings`` are
    the errors, for the caller to show."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


def errors_in(
    session: Session, handle: str, text: str, channel: Channel | None = None
) -> list[Finding]:
    """The checker's errors (not warnings or hints) in ``text``, the message a nudge asked
    for; none for an empty text (nothing to check)."""
    from jobnudge.drafts import Severity, channels_for

    if not text.strip():
        return []
    rule = nudges.find(session, handle).rule
    # A channel with no template of its own (a thank-you given by phone) is checked as the
    # rule's usual one.
    composed = compose(session, handle, channel if channel in channels_for(rule) else None)
    return [f for f in recheck(session, composed, text) if f.severity is Severity.ERROR]


def refuse_errors(findings: list[Finding], short_id: str, flag: str) -> None:
    """Raise :class:`CheckerErrors` naming how to go ahead when ``findings`` holds errors."""
    if not findings:
        return
    codes = ", ".join(sorted({f.code for f in findings}))
    from jobnudge.plural import count

    raise CheckerErrors(
        f"{flag}: the checker found {count(len(findings), 'error')} in this message ({codes}); "
        "fix it "
        f"(`nudge draft {short_id} --edit`), or add {flag} to record it as sent as it is.",
        findings,
    )


def mark_sent(
    session: Session,
    handle: str,
    *,
    text: str = "",
    channel: Channel | None = None,
    at: datetime | None = None,
    anyway: bool = False,
) -> AgendaRow:
    """Record the nudge's message as sent (with its words), which completes the nudge.

    A text the checker finds errors in is refused unless ``anyway``: jobnudge did not send
    it, so this is the last moment to catch the wrong company or a misspelt name.
    """
    row = nudges.find(session, handle)
    kind = KIND_FOR_RULE.get(row.rule)
    if kind is None:
        raise UsageError(
            f"NUDGE: {row.short_id} is a prompt, not a message; use "
            f"`nudge done {row.short_id}` once you have acted on it."
        )
    if not anyway:
        refuse_errors(errors_in(session, handle, text, channel), row.short_id, "--anyway")
    moment = at or session.now
    if moment > session.now:
        raise UsageError("--at: a message cannot have been sent in the future.")
    with session.store.transaction() as tx:
        tx.add_event(
            session.owner,
            opportunity_id=row.opportunity_id,
            type=EventType.SENT,
            at=moment,
            tz=session.tz,
            contact_ids=(row.contact_id,) if row.contact_id is not None else (),
            channel=channel or row.channel or Channel.EMAIL,
            kind=kind,
            body=text,
        )
        if row.opportunity_id is not None:
            nudges.refresh(session.store, tx, session.owner, row.opportunity_id, session.settings)
        nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)
    return row
