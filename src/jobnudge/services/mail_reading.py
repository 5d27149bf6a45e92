"""Reading one new message the way a person would (see docs/mail.md, "How replies are read"):
your own messages and bounces are never replies; a group relay is the person in its Reply-To;
out-of-office notes, mail to many, receipts, alerts and newsletters are no answer; anything
else that matches an opportunity is logged, or put on the review list when the match is not
sure."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from jobnudge.mail import classify, ooo, receipts
from jobnudge.mail.match import MatchIndex, match
from jobnudge.mail.parse import MailHeaders, body_text, bounce_info
from jobnudge.services import mail_log, mail_replies
from jobnudge.services.mail_log import SyncReport
from jobnudge.store import mail as mailstore
from jobnudge.store import mail_flagged

if TYPE_CHECKING:
    from jobnudge.mail.imap import ImapClient
    from jobnudge.services.session import Session


def read_one(
    session: Session,
    imap: ImapClient,
    mailbox: str,
    direction: str,
    uid: int,
    h: MailHeaders,
    index: MatchIndex,
    report: SyncReport,
) -> None:
    store, owner = session.store, session.owner
    own = index.own_addresses
    if direction == "out":
        if h.from_address not in own or classify.automated(h):
            return
        if mailstore.outbox_by_message_id(store, owner, h.message_id) is not None:
            return  # jobnudge's own message: the sender records it (or settles it if unknown)
        _file(session, imap, mailbox, direction, uid, h, index, report)
        return
    if h.from_address in own:
        return
    if classify.is_bounce(h):
        _bounce(session, imap, mailbox, uid, h, report)
        return
    person = classify.relayed_by(h)
    if person is not None:
        if person[1] in own:
            return  # our own message, echoed by a group address it was copied to
        h = replace(h, from_name=person[0], from_address=person[1])
    if mailstore.outbox_by_message_id(store, owner, h.message_id) is not None:
        return  # our own message came back
    _file(session, imap, mailbox, direction, uid, h, index, report)


def _file(
    session: Session,
    imap: ImapClient,
    mailbox: str,
    direction: str,
    uid: int,
    h: MailHeaders,
    index: MatchIndex,
    report: SyncReport,
) -> None:
    """Match the message and read it: log it, propose it, or say why it is no reply."""
    store, owner = session.store, session.owner
    threads = mailstore.threads(store, owner, (*h.in_reply_to, *h.references))
    found = match(h, direction, replace(index, threads=threads))
    incoming = direction == "in"
    in_thread = any(t[0] is not None for t in threads.values())
    from_contact = h.from_address in index.contacts_by_address
    automatic = classify.automatic(h) if incoming else None
    # A reply in our thread, or a contact's mail relayed by a group, is a reply whatever list
    # headers it carries.
    many = classify.bulk(h) if incoming and not (in_thread or from_contact) else None
    if found.certainty == "none":
        if automatic or many:
            _not_a_reply(report, h, automatic or many or "")
        return
    text = body_text(imap.fetch_message(uid))
    if incoming:
        away = ooo.is_out_of_office(h.subject, text) or (
            "an out-of-office reply" if automatic and ooo.says_away(text) else None
        )
        if automatic or away:
            moved = mail_replies.postpone(session, h, found, text) if away and found.sure else None
            _not_a_reply(report, h, (away or automatic or "") + (f"; {moved}" if moved else ""))
            return
        if many:
            _not_a_reply(report, h, many)
            return
        if not (in_thread or from_contact):
            why = receipts.not_an_answer(h.from_address, h.subject, text)
            if why:
                _not_a_reply(report, h, why)
                return
    at = min(h.date or session.now, session.now)
    if found.sure and found.opportunity_id is not None:
        logged = mail_log.log(session, mailbox, direction, h, found, found.opportunity_id, text, at)
        report.logged.append(logged)
        if incoming and not from_contact:
            offered = mail_replies.offer_correction(
                session, h, found.opportunity_id, mailbox, at, text
            )
            if offered is not None:
                report.review.append(offered)
        return
    with store.transaction(now=session.now) as tx:
        new = mail_flagged.add_review(
            tx,
            owner,
            message_id=h.message_id,
            kind="match",
            direction=direction,
            mailbox=mailbox,
            from_address=h.from_address,
            from_name=h.from_name,
            to_addresses=list(h.recipients),
            subject=h.subject,
            at=at,
            body=text,
            contact_id=found.contact_id,
            candidates=list(found.candidates),
            opportunity_id=None,
            reason=found.reason,
        )
    if new is not None:
        report.review.append(new)


def _not_a_reply(report: SyncReport, h: MailHeaders, why: str) -> None:
    report.automatic.append(f"{h.from_address or 'unknown sender'}: {h.subject} ({why})")


def _bounce(
    session: Session,
    imap: ImapClient,
    mailbox: str,
    uid: int,
    h: MailHeaders,
    report: SyncReport,
) -> None:
    """Flag the addresses a delivery status notification says failed (contacts' addresses and
    addresses jobnudge sent to); a bounce is never a reply."""
    store, owner = session.store, session.owner
    info = bounce_info(imap.fetch_message(uid))
    ours = mailstore.outbox_by_message_id(store, owner, info.original_message_id or "")
    known = {c.email.strip().lower() for c in store.contacts(owner) if c.email}
    if ours is not None:
        known.add(ours.to_address.lower())
    failed = [a for a in info.addresses if a in known]
    reason = info.diagnostic or h.subject or "the message bounced"
    with store.transaction(now=session.now) as tx:
        for address in failed:
            mail_flagged.flag_address(tx, owner, address, reason, h.message_id)
        mailstore.add_message(
            tx,
            owner,
            message_id=h.message_id,
            direction="bounce",
            mailbox=mailbox,
            opportunity_id=None,
            contact_id=None,
            event_id=None,
            outbox_id=ours.id if ours else None,
            subject=h.subject,
            reference_ids=[],
            at=min(h.date or session.now, session.now),
        )
        if ours is not None:
            mailstore.update_outbox(
                tx, owner, ours.id, server_reply=f"{ours.server_reply}; then bounced: {reason}"
            )
    if failed:
        report.bounces.append(f"{', '.join(failed)}: {reason}")
