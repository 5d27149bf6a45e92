"""Noticing replies: read what is new in the Inbox and the Sent mailbox, log what belongs to an
opportunity, and let the playbook re-plan at once.

Each mailbox is read incrementally: its UIDVALIDITY and the last UID read are stored, and only
UIDs above it are fetched (headers first; a message's text only when it matches). A changed
UIDVALIDITY means the server renumbered the mailbox: it is read again from the start (back
``mail.since_days``), and the Message-IDs already logged keep anything from being logged twice.

A matched message becomes an event in one transaction with its Message-ID and the opportunity's
recomputed nudges: RECEIVED for the employer's messages, SENT (its kind inferred) for what the
user sent from their own mail client (:mod:`mail_log`). What counts as a reply is decided in
:mod:`mail_reading`: auto-replies, out-of-office notes, receipts and bounces never count; a bounce
flags the address. A message that reads like an offer or a rejection is
logged as received and *proposed* as such on the review list; so is any message whose
opportunity is not certain. Nothing is decided silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from jobnudge.domain import Contact, Event, EventType, Opportunity
from jobnudge.errors import UsageError
from jobnudge.mail.match import MatchIndex, domain_keys
from jobnudge.mail.parse import parse_headers
from jobnudge.maildomains import PUBLIC_DOMAINS
from jobnudge.services import mail_log, mail_reading, mail_replies, nudges
from jobnudge.services.mail_log import Gone, Logged, MailboxReport, SyncReport
from jobnudge.store import mail as mailstore
from jobnudge.store import mail_flagged
from jobnudge.store.mail_flagged import ReviewItem

# The report's parts live in mail_log; callers keep reaching them here.
__all__ = ["Gone", "Logged", "MailboxReport", "SyncReport"]

if TYPE_CHECKING:
    from jobnudge.mail.account import Account
    from jobnudge.mail.imap import ImapClient
    from jobnudge.services.session import Session

BATCH = 500


def own_addresses(session: Session) -> frozenset[str]:
    mail, profile = session.settings.mail, session.settings.profile
    found = {mail.from_address, mail.username, profile.email}
    return frozenset(a.strip().lower() for a in found if a and "@" in a)


def build_index(session: Session) -> MatchIndex:
    """What matching needs, read once per sync."""
    store, owner = session.store, session.owner
    pairs = store.opportunities(owner)
    active = frozenset(o.id for o, stage in pairs if stage.is_active or stage.value == "offer")
    newest_first = sorted(pairs, key=lambda p: (p[0].id not in active, -p[0].id))
    of_company: dict[int, list[int]] = {}
    of_contact: dict[int, list[int]] = {}
    for opp, _stage in newest_first:
        for company_id in (opp.company_id, opp.staffing_firm_id):
            if company_id is not None:
                of_company.setdefault(company_id, []).append(opp.id)
        direct = {opp.referrer_id, opp.recruiter_id} - {None}
        for person in store.opportunity_contacts(owner, opp.id):
            if person.company_id not in (opp.company_id, opp.staffing_firm_id):
                direct.add(person.id)
        linked = _linked_contacts(session, opp.id)
        for contact_id in direct | linked:
            if contact_id is not None:
                of_contact.setdefault(contact_id, []).append(opp.id)
    by_address: dict[str, list[int]] = {}
    by_domain: dict[str, list[int]] = {}
    company_of: dict[int, int] = {}
    for person in store.contacts(owner):
        if person.email:
            by_address.setdefault(person.email.strip().lower(), []).append(person.id)
        if person.company_id is not None:
            company_of[person.id] = person.company_id
            if "@" in person.email:
                domain = domain_keys(person.email)[0] if domain_keys(person.email) else ""
                if domain and domain not in PUBLIC_DOMAINS:
                    by_domain.setdefault(domain, []).append(person.company_id)
    names: dict[int, tuple[str, ...]] = {}
    for company in store.companies(owner):
        names[company.id] = company.names
        for domain in company.domains:
            by_domain.setdefault(domain.lower(), []).append(company.id)
    return MatchIndex(
        contacts_by_address={k: tuple(dict.fromkeys(v)) for k, v in by_address.items()},
        companies_by_domain={k: tuple(dict.fromkeys(v)) for k, v in by_domain.items()},
        opportunities_of_contact={k: tuple(v) for k, v in of_contact.items()},
        opportunities_of_company={k: tuple(v) for k, v in of_company.items()},
        company_of_contact=company_of,
        company_names=names,
        active=active,
        own_addresses=own_addresses(session),
    )


def _linked_contacts(session: Session, opportunity_id: int) -> set[int]:
    """Contacts named in the opportunity's events (interviewers met, people written to)."""
    found: set[int] = set()
    for event in session.store.events(session.owner, opportunity_id):
        found.update(event.contact_ids)
    return found


def sync(session: Session, account: Account, *, imap: ImapClient | None = None) -> SyncReport:
    """Read what is new in the Inbox and the Sent mailbox; log, flag or propose it."""
    from jobnudge.mail.imap import ImapClient

    report = SyncReport()
    mail = account.settings
    client = imap or ImapClient(
        mail.imap, mail.username, account.password, mail.timeout_seconds, account.bearer
    )
    if imap is None:
        client.connect()
    try:
        index = build_index(session)
        for mailbox, direction in ((mail.inbox, "in"), (mail.sent, "out")):
            _sync_mailbox(session, client, mailbox, direction, index, report)
    finally:
        report.bytes_read = client.bytes_read
        if imap is None:
            client.close()
    return report


def _sync_mailbox(
    session: Session,
    imap: ImapClient,
    mailbox: str,
    direction: str,
    index: MatchIndex,
    report: SyncReport,
) -> None:
    store, owner, now = session.store, session.owner, session.now
    status = imap.examine(mailbox)
    state = mailstore.sync_state(store, owner, mailbox)
    full = state is None or state[0] != status.uidvalidity
    last_uid = 0 if full or state is None else state[1]
    if full:
        days = session.settings.mail.since_days
        uids = imap.uids_since(now - timedelta(days=days) if days else None)
    elif status.uidnext and status.uidnext <= last_uid + 1:
        uids = []  # UIDNEXT says nothing arrived: not even a search is needed
    else:
        uids = imap.uids_after(last_uid)
    handled: set[str] = set()
    for start in range(0, len(uids), BATCH):
        chunk = uids[start : start + BATCH]
        parsed = [(uid, parse_headers(head)) for uid, head in imap.fetch_headers(chunk)]
        ids = [h.message_id for _uid, h in parsed]
        known = mailstore.seen_ids(store, owner, ids) | mail_flagged.reviewed_ids(store, owner, ids)
        for uid, headers in parsed:
            if headers.message_id in known or headers.message_id in handled:
                report.duplicates += 1
            else:
                mail_reading.read_one(
                    session, imap, mailbox, direction, uid, headers, index, report
                )
                handled.add(headers.message_id)
        last_uid = max([last_uid, *chunk])
        with store.transaction(now=now) as tx:
            mailstore.save_sync_state(tx, owner, mailbox, status.uidvalidity, last_uid)
        report.mailboxes.append(
            MailboxReport(mailbox, full, len(parsed), status.uidvalidity, last_uid)
        )
    if full:
        last_uid = max(last_uid, status.uidnext - 1 if status.uidnext else 0)
    if not uids or full:
        with store.transaction(now=now) as tx:
            mailstore.save_sync_state(tx, owner, mailbox, status.uidvalidity, last_uid)
    if not uids:
        report.mailboxes.append(MailboxReport(mailbox, full, 0, status.uidvalidity, last_uid))


# The review list


@dataclass(frozen=True)
class ReviewView:
    item: ReviewItem
    candidates: list[Opportunity]


def review_list(session: Session) -> list[ReviewView]:
    store, owner = session.store, session.owner
    opps = {o.id: o for o, _stage in store.opportunities(owner)}
    return [
        ReviewView(item, [opps[c] for c in item.candidates if c in opps])
        for item in mail_flagged.review_items(store, owner)
    ]


@dataclass
class Accepted:
    item: ReviewItem
    event: Event | None  # None for an address correction, which logs nothing
    opportunity: Opportunity
    gone: list[Gone]
    proposed: str | None
    corrected: Contact | None = None  # the contact whose address was corrected


def accept(session: Session, number: int, opportunity: str | None = None) -> Accepted:
    """Confirm a review item: log the message on the opportunity (given, or the only
    candidate), or log the offer or rejection it was proposed as."""
    from jobnudge.services import records

    store, owner = session.store, session.owner
    item = mail_flagged.review_item(store, owner, number)
    if item.state != "open":
        raise UsageError(f"N: review item #{item.id} is already {item.state}.")
    if item.kind == "address" and item.opportunity_id is not None:
        contact = mail_replies.correct_address(session, item)
        chosen = store.opportunity(owner, item.opportunity_id)
        return Accepted(item, None, chosen, [], None, contact)
    if opportunity is not None:
        target = records.opportunity(session, opportunity)[0].id
    elif item.opportunity_id is not None:
        target = item.opportunity_id
    elif len(item.candidates) == 1:
        target = item.candidates[0]
    else:
        opps = {o.id: o for o, _s in store.opportunities(owner)}
        listed = "; ".join(
            f"#{c} {opps[c].company} — {opps[c].role}" for c in item.candidates if c in opps
        )
        raise UsageError(
            f"OPPORTUNITY: say which opportunity #{item.id} belongs to"
            + (f" ({listed})" if listed else "")
            + f", e.g. `nudge mail review accept {item.id} ACME`."
        )
    proposed: str | None = None
    with store.transaction(now=session.now) as tx:
        if item.kind == "match":
            if mailstore.seen_ids(tx, owner, [item.message_id]):
                raise UsageError(f"N: the message of #{item.id} is already logged.")
            event, gone, proposed = mail_log.record(
                session,
                tx,
                direction=item.direction,
                mailbox=item.mailbox,
                message_id=item.message_id,
                opportunity_id=target,
                contact_id=item.contact_id,
                subject=item.subject,
                who=item.from_address if item.direction == "in" else ", ".join(item.to_addresses),
                references=[],
                text=item.body,
                at=item.at,
                from_name=item.from_name,
                from_address=item.from_address,
                recipients=item.to_addresses,
            )
        else:
            before = {n.key: n for n in tx.opportunity_nudges(owner, target)}
            event = tx.add_event(
                owner,
                opportunity_id=target,
                type=EventType.OFFER if item.kind == "offer" else EventType.REJECTED,
                at=item.at,
                tz=session.tz,
                contact_ids=(item.contact_id,) if item.contact_id is not None else (),
                note=f"From the email “{item.subject}” ({item.from_address})",
            )
            nudges.refresh(store, tx, owner, target, session.settings)
            nudges.refresh_search(store, tx, owner, session.settings, session.now)
            after = {n.key for n in tx.opportunity_nudges(owner, target)}
            gone = [Gone(n.rule, n.id, None) for k, n in before.items() if k not in after]
        mail_flagged.decide_review(tx, owner, item.id, "accepted", event_id=event.id)
        chosen = tx.opportunity(owner, target)
    return Accepted(item, event, chosen, gone, proposed)


def ignore(session: Session, number: int) -> ReviewItem:
    item = mail_flagged.review_item(session.store, session.owner, number)
    if item.state != "open":
        raise UsageError(f"N: review item #{item.id} is already {item.state}.")
    with session.store.transaction(now=session.now) as tx:
        mail_flagged.decide_review(tx, session.owner, item.id, "ignored")
    return item


def bad_addresses(session: Session) -> dict[str, str]:
    """Addresses that bounced, with the server's reason (for ``nudge contact list``)."""
    return dict(mail_flagged.bad_addresses(session.store, session.owner))
