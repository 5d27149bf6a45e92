"""What happens once the server has a message: the SENT event recorded with the outbox row in
one transaction, an ``unknown`` message settled by searching the Sent mailbox for its
Message-ID, and Sent copies that could not be filed at once filed later (searched first, so
never twice). See ``services.mail_send`` for the states.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.domain import Channel, EventType, short_id
from jobnudge.errors import MailError
from jobnudge.services import nudges
from jobnudge.store import mail as mailstore
from jobnudge.store.mail import QUEUED, SENT, UNKNOWN, OutboxItem

if TYPE_CHECKING:
    from jobnudge.services.mail_send import Connections, FlushReport
    from jobnudge.services.session import Session


def record_sent(session: Session, item_id: int, *, at: datetime, reply: str, copied: bool) -> None:
    """One transaction: the outbox row sent, the SENT event (which completes the nudge), the
    Message-ID remembered for threading and dedupe, and the nudges recomputed."""
    owner = session.owner
    with session.store.transaction(now=session.now) as tx:
        item = mailstore.outbox_item(tx, owner, item_id)
        if item.state == SENT:
            return
        contacts = (item.contact_id,) if item.contact_id is not None else ()
        event = tx.add_event(
            owner,
            opportunity_id=item.opportunity_id,
            type=EventType.SENT,
            at=at,
            tz=session.tz,
            contact_ids=contacts,
            channel=Channel.EMAIL,
            kind=item.kind,
            note=f"Emailed “{item.subject}” to {item.to_address} (Message-ID {item.message_id})",
            body=item.body,
        )
        if not mailstore.seen_ids(tx, owner, [item.message_id]):
            mailstore.add_message(
                tx,
                owner,
                message_id=item.message_id,
                direction="out",
                mailbox=session.settings.mail.sent,
                opportunity_id=item.opportunity_id,
                contact_id=item.contact_id,
                event_id=event.id,
                outbox_id=item.id,
                subject=item.subject,
                reference_ids=item.reference_ids,
                at=at,
            )
        mailstore.update_outbox(
            tx,
            owner,
            item.id,
            state=SENT,
            sent_at=at,
            server_reply=reply,
            copy_saved=copied,
            event_id=event.id,
            claimed_by=None,
            lease_until=None,
        )
        if item.opportunity_id is not None:
            nudges.refresh(session.store, tx, owner, item.opportunity_id, session.settings)
        nudges.refresh_search(session.store, tx, owner, session.settings, session.now)
    if item.nudge_key:
        from jobnudge.services import drafting

        saved = drafting.drafts_dir() / f"{short_id(item.nudge_key)}.txt"
        saved.unlink(missing_ok=True)


def settle_unknown(
    session: Session,
    conns: Connections,
    item: OutboxItem,
    grace: timedelta,
    report: FlushReport,
) -> None:
    """The Sent check: an ``unknown`` message is found (sent) or, where the server files copies
    itself, known not to have gone (queued again). Otherwise it waits for the user."""
    mail = session.settings.mail
    handed = item.handed_over_at or item.updated_at
    if not mail.append_sent and session.now - handed < grace:
        report.add(item, UNKNOWN, "waiting a moment for the server's Sent copy before checking")
        return
    try:
        hits = conns.imap().find_message_id(mail.sent, item.message_id)
    except MailError as exc:
        report.add(item, UNKNOWN, f"the Sent mailbox could not be searched: {exc.message}")
        return
    if hits:
        record_sent(
            session,
            item.id,
            at=handed,
            reply="found in the Sent mailbox after an interrupted send",
            copied=True,
        )
        report.add(item, SENT, "found in the Sent mailbox: it went, and is now recorded")
        return
    if mail.append_sent:
        report.add(
            item,
            UNKNOWN,
            "not in the Sent mailbox, but this server does not file sent mail itself, so it "
            f"may have gone; look in the recipient's replies, then `nudge mail retry {item.id}` "
            f"to send it again or `nudge mail cancel {item.id}`",
        )
        return
    with session.store.transaction(now=session.now) as tx:
        mailstore.update_outbox(
            tx,
            session.owner,
            item.id,
            expect=(UNKNOWN,),
            state=QUEUED,
            handed_over_at=None,
            server_reply="not in the Sent mailbox after an interrupted send: it did not go",
        )
    report.add(item, QUEUED, "not in the Sent mailbox, so it did not go: sending again")


def file_missing_copies(session: Session, conns: Connections, report: FlushReport) -> None:
    """Sent messages whose copy could not be filed yet (never filed twice: searched first)."""
    mail = session.settings.mail
    for item in mailstore.outbox_items(session.store, session.owner, states=(SENT,)):
        if item.copy_saved or item.raw is None:
            continue
        try:
            imap = conns.imap()
            if not imap.find_message_id(mail.sent, item.message_id):
                imap.append(mail.sent, item.raw.encode("ascii"), item.sent_at or session.now)
        except MailError as exc:
            report.errors.append(f"#{item.id}: the Sent copy is still not filed: {exc.message}")
            return
        with session.store.transaction(now=session.now) as tx:
            mailstore.update_outbox(tx, session.owner, item.id, copy_saved=True)
