"""What a sync logs: one message as an event on its opportunity, in one transaction with its
Message-ID, any proposal (offer, rejection) and the opportunity's recomputed follow-ups; and the
report of a sync."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from jobnudge.domain import Channel, Event, EventType, Opportunity
from jobnudge.mail import classify
from jobnudge.mail.match import Match
from jobnudge.mail.parse import MailHeaders
from jobnudge.services import nudges
from jobnudge.store import mail as mailstore
from jobnudge.store import mail_flagged

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx


@dataclass
class Gone:
    """A pending follow-up that a logged message settled."""

    rule: str
    short_id: str
    contact: str | None


@dataclass
class Logged:
    message_id: str
    event: Event
    opportunity: Opportunity
    who: str
    subject: str
    why: str  # how it was matched
    gone: list[Gone] = field(default_factory=list)
    proposed: str | None = None  # "offer" or "rejected", on the review list


@dataclass
class MailboxReport:
    mailbox: str
    full: bool  # read from the start (first sync, or a changed UIDVALIDITY)
    new: int  # messages fetched
    uidvalidity: int
    last_uid: int


@dataclass
class SyncReport:
    mailboxes: list[MailboxReport] = field(default_factory=list)
    logged: list[Logged] = field(default_factory=list)
    review: list[int] = field(default_factory=list)  # new review item ids
    automatic: list[str] = field(default_factory=list)  # no replies: auto-replies, receipts...
    bounces: list[str] = field(default_factory=list)
    duplicates: int = 0  # already logged (a resync, or a message in both mailboxes)
    bytes_read: int = 0


def log(
    session: Session,
    mailbox: str,
    direction: str,
    h: MailHeaders,
    found: Match,
    opportunity_id: int,
    text: str,
    at: datetime,
) -> Logged:
    owner = session.owner
    with session.store.transaction(now=session.now) as tx:
        event, gone, proposed = record(
            session,
            tx,
            direction=direction,
            mailbox=mailbox,
            message_id=h.message_id,
            opportunity_id=opportunity_id,
            contact_id=found.contact_id,
            subject=h.subject,
            who=h.from_address if direction == "in" else ", ".join(h.recipients),
            references=[*h.references, *[r for r in h.in_reply_to if r not in h.references]],
            text=text,
            at=at,
            from_name=h.from_name,
            from_address=h.from_address,
            recipients=list(h.recipients),
        )
        opportunity = tx.opportunity(owner, opportunity_id)
    who = h.from_name or h.from_address if direction == "in" else ", ".join(h.recipients)
    return Logged(h.message_id, event, opportunity, who, h.subject, found.reason, gone, proposed)


def record(
    session: Session,
    tx: Tx,
    *,
    direction: str,
    mailbox: str,
    message_id: str,
    opportunity_id: int,
    contact_id: int | None,
    subject: str,
    who: str,
    references: list[str],
    text: str,
    at: datetime,
    from_name: str,
    from_address: str,
    recipients: list[str],
) -> tuple[Event, list[Gone], str | None]:
    """The event, the seen Message-ID, any proposal, the recomputed nudges: one transaction."""
    owner = session.owner
    before = {n.key: n for n in tx.opportunity_nudges(owner, opportunity_id)}
    if direction == "in":
        event = tx.add_event(
            owner,
            opportunity_id=opportunity_id,
            type=EventType.RECEIVED,
            at=at,
            tz=session.tz,
            contact_ids=(contact_id,) if contact_id is not None else (),
            channel=Channel.EMAIL,
            note=f"Email “{subject}” from {who}",
            body=text,
        )
    else:
        event = tx.add_event(
            owner,
            opportunity_id=opportunity_id,
            type=EventType.SENT,
            at=at,
            tz=session.tz,
            contact_ids=(contact_id,) if contact_id is not None else (),
            channel=Channel.EMAIL,
            kind=classify.infer_kind(subject, text),
            note=f"Email “{subject}” to {who}, sent from your mail client",
            body=text,
        )
    mailstore.add_message(
        tx,
        owner,
        message_id=message_id,
        direction=direction,
        mailbox=mailbox,
        opportunity_id=opportunity_id,
        contact_id=contact_id,
        event_id=event.id,
        outbox_id=None,
        subject=subject,
        reference_ids=references,
        at=at,
    )
    proposed = classify.proposal(subject, text) if direction == "in" else None
    if proposed is not None:
        what = "an offer" if proposed == "offer" else "a rejection"
        mail_flagged.add_review(
            tx,
            owner,
            message_id=message_id,
            kind=proposed,
            direction=direction,
            mailbox=mailbox,
            from_address=from_address,
            from_name=from_name,
            to_addresses=recipients,
            subject=subject,
            at=at,
            body=text,
            contact_id=contact_id,
            candidates=[opportunity_id],
            opportunity_id=opportunity_id,
            reason=f"it reads like {what}; confirm to log it",
        )
    nudges.refresh(session.store, tx, owner, opportunity_id, session.settings)
    nudges.refresh_search(session.store, tx, owner, session.settings, session.now)
    after = {n.key for n in tx.opportunity_nudges(owner, opportunity_id)}
    names = {c.id: c.name for c in tx.opportunity_contacts(owner, opportunity_id)}
    gone = [
        Gone(n.rule, n.id, names.get(n.contact_id) if n.contact_id is not None else None)
        for key, n in before.items()
        if key not in after
    ]
    return event, gone, proposed
