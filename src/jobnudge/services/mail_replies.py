"""What a sync does with two kinds of mail beyond logging it: an out-of-office reply that names
the day its writer is back moves the pending status question to the first working day after
it (one snooze event, whose note is the reason the follow-up shows), and a message from a new
address at a company whose contact's address bounced offers to correct the contact."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz

from jobnudge.domain import Contact, EventType
from jobnudge.errors import UsageError
from jobnudge.mail import ooo
from jobnudge.mail.match import Match, domain_keys
from jobnudge.mail.parse import MailHeaders
from jobnudge.playbook import calendar, wording
from jobnudge.playbook.guards import STATUS_QUESTIONS
from jobnudge.services import nudges
from jobnudge.store import mail_flagged

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store.mail_flagged import ReviewItem

SAME_PERSON = 80  # rapidfuzz score (0-100) above which two names or mailbox names are one person


def postpone(session: Session, h: MailHeaders, found: Match, text: str) -> str | None:
    """Move the opportunity's pending status question to that contact past the return date
    their out-of-office reply gives; what was moved, in words, or None."""
    store, owner = session.store, session.owner
    if found.opportunity_id is None:
        return None
    written = (h.date or session.now).astimezone(ZoneInfo(session.tz)).date()
    back = ooo.return_day(text, written, english=ooo.looks_english(text))
    if back is None:
        return None
    # Only the absence of the person the follow-up would go to delays it: a colleague's note
    # in the same thread does not.
    writers = [c for c in store.contacts(owner) if c.email.strip().lower() == h.from_address]
    person = next((c for c in writers if c.id == found.contact_id), None) or next(
        iter(writers), None
    )
    if person is None:
        return None
    who = person.name
    country = person.country or session.settings.profile.country
    first = calendar.next_working_day(back + timedelta(days=1), country)
    moved: list[str] = []
    with store.transaction(now=session.now) as tx:
        for nudge in tx.opportunity_nudges(owner, found.opportunity_id):
            if nudge.rule not in STATUS_QUESTIONS or nudge.contact_id not in (person.id, None):
                continue
            clock = calendar.local_clock(nudge.due, nudge.tz)
            until = calendar.at_local(first, clock, nudge.tz)
            if until <= nudge.due:
                continue
            note = (
                f"{who}'s automatic reply says they are away until {wording.day(back)}, so "
                f"this waits until {wording.day(first)}, their first working day after they "
                "are back."
            )
            tx.add_event(
                owner,
                opportunity_id=found.opportunity_id,
                type=EventType.NUDGE_SNOOZED,
                at=session.now,
                tz=session.tz,
                nudge_key=nudge.key,
                until=until,
                note=note,
            )
            moved.append(f"the follow-up now waits until {wording.day(first)}")
        if moved:
            nudges.refresh(store, tx, owner, found.opportunity_id, session.settings)
    return moved[0] if moved else None


def _same_person(contact: Contact, name: str, address: str) -> bool:
    local = address.partition("@")[0].replace(".", " ").replace("_", " ").replace("-", " ")
    theirs = contact.email.partition("@")[0].replace(".", " ").replace("_", " ").replace("-", " ")
    return (
        bool(name) and fuzz.token_sort_ratio(contact.name.lower(), name.lower()) >= SAME_PERSON
    ) or (bool(theirs) and fuzz.ratio(local.lower(), theirs.lower()) >= SAME_PERSON)


def offer_correction(
    session: Session, h: MailHeaders, opportunity_id: int, mailbox: str, at: datetime, text: str
) -> int | None:
    """A review item offering ``h``'s sender address for a contact at the same company whose
    address bounced, when the names agree; its id, or None."""
    store, owner = session.store, session.owner
    bad = dict(mail_flagged.bad_addresses(store, owner))
    if not bad or h.from_address in bad:
        return None
    domains = set(domain_keys(h.from_address))
    for contact in store.opportunity_contacts(owner, opportunity_id):
        old = contact.email.strip().lower()
        if old not in bad or not domains.intersection(domain_keys(old)):
            continue
        if not _same_person(contact, h.from_name, h.from_address):
            continue
        with store.transaction(now=session.now) as tx:
            return mail_flagged.add_review(
                tx,
                owner,
                message_id=h.message_id,
                kind="address",
                direction="in",
                mailbox=mailbox,
                from_address=h.from_address,
                from_name=h.from_name,
                to_addresses=list(h.recipients),
                subject=h.subject,
                at=at,
                body=text,
                contact_id=contact.id,
                candidates=[opportunity_id],
                opportunity_id=opportunity_id,
                reason=f"mail to {contact.name} at {old} bounced, and this comes from "
                f"{h.from_address}; accept to use the new address for {contact.name}",
            )
    return None


def correct_address(session: Session, item: ReviewItem) -> Contact:
    """Accept an address correction: the contact's email becomes the sender's."""
    if item.contact_id is None:
        raise UsageError(f"N: review item #{item.id} names no contact to correct.")
    with session.store.transaction(now=session.now) as tx:
        contact = tx.update_contact(session.owner, item.contact_id, email=item.from_address)
        mail_flagged.decide_review(tx, session.owner, item.id, "accepted")
    return contact
