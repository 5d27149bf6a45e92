"""Sending approved follow-ups exactly once.

Approving a message (:func:`approve`) writes it to the outbox in one transaction, with its
Message-ID already made. A sender (:func:`flush`: ``nudge mail flush``, ``nudge mail send
--now``, or a periodic task) then moves each message through these states, committing each step
before taking the next:

    queued --claim--> sending --handed over, 250--> sent     (SENT event recorded with it)
                         |------------ 5xx -------> failed   (the server's answer kept)
                         |------------ 4xx -------> queued   (later), failed after 5 tries
                         `-- connection lost after hand-over, or the sender died --> unknown

A message is *handed over* once the server has said "go ahead" to DATA; that moment is recorded
before the first byte of the message leaves. A sender that dies before it leaves its message
``sending`` without a hand-over: nothing went, and the next run queues it again. One that dies
after leaves it ``unknown``: before anything is sent again the Sent mailbox is searched over IMAP
for the Message-ID. Found: it went, and is recorded as sent. Not found, where the server files
sent mail itself (``append_sent = false``: Gmail, Outlook): it did not go, and is sent again.
Not found where jobnudge files the copy (it does so right after the 250, before recording):
nothing can tell, so it stays ``unknown`` until the user decides (``nudge mail retry``).
Never a second copy without that search.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobnudge.bounds import is_digits
from jobnudge.domain import Channel, EventType, MessageKind, short_id
from jobnudge.errors import ConfigError, Conflict, MailError, UsageError
from jobnudge.mail import fault
from jobnudge.mail.compose import (
    Outgoing,
    make_message_id,
    parse_draft,
    references_for,
    reply_subject,
    to_bytes,
)
from jobnudge.plural import count
from jobnudge.services import nudges
from jobnudge.store import mail as mailstore
from jobnudge.store.mail import (
    ACTIVE,
    CANCELLED,
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    UNKNOWN,
    OutboxItem,
)

if TYPE_CHECKING:
    from jobnudge.drafts import Finding
    from jobnudge.mail.account import Account
    from jobnudge.mail.imap import ImapClient
    from jobnudge.mail.smtp import SmtpClient
    from jobnudge.services.session import Session
    from jobnudge.store.rows import AgendaRow

LEASE = timedelta(minutes=10)
"""How long a claim holds without its sender; past it, another sender may recover the message."""
SENT_COPY_GRACE = timedelta(minutes=2)
"""How long after a hand-over the server's own Sent copy may take to appear."""
MAX_ATTEMPTS = 5
"""Temporary refusals (4xx) tried this many times before the message is marked failed."""


@dataclass(frozen=True)
class Prepared:
    """A follow-up email ready to approve: what will be sent and what the checker thinks."""

    row: AgendaRow
    outgoing: Outgoing  # message_id is "" until approval makes one
    kind: MessageKind
    findings: list[Finding]
    source: str  # where the text came from
    bad_address: str | None  # why the address is flagged, if it bounced before


@dataclass
class Outcome:
    item: int
    to: str
    subject: str
    state: str
    detail: str


@dataclass
class FlushReport:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def add(self, item: OutboxItem, state: str, detail: str) -> None:
        self.outcomes.append(Outcome(item.id, item.to_address, item.subject, state, detail))


# Preparing and approving


def prepare(session: Session, handle: str, *, file: Path | None = None) -> Prepared:
    """The email a nudge calls for: the draft saved by ``nudge draft`` (or ``file``, or a new
    draft), addressed, threaded onto the conversation, and checked."""
    from jobnudge.drafts import NoDraft, NotAMessage
    from jobnudge.services import drafting

    row = nudges.find(session, handle)
    kind = drafting.KIND_FOR_RULE.get(row.rule)
    if kind is None:
        raise UsageError(
            f"NUDGE: {row.short_id} is a prompt, not a message; there is nothing to send."
        )
    try:
        composed = drafting.compose(session, handle, Channel.EMAIL)
    except (NoDraft, NotAMessage) as exc:
        raise UsageError(f"NUDGE: {exc.message}") from None
    saved = drafting.saved_path(row)
    if file is not None:
        from jobnudge import textfile

        text, source = textfile.read(file, "--file"), str(file)
    elif saved.is_file():
        text, source = saved.read_text(encoding="utf-8"), str(saved)
    else:
        text, source = composed.draft.text, "a new draft"
    draft = parse_draft(text)
    to_address = draft.to_address or composed.draft.to_address
    to_name = draft.to_name or composed.draft.to_name
    if "@" not in to_address:
        who = to_name or "the contact"
        raise UsageError(
            f"NUDGE: {who} has no email address; add it with "
            f'`nudge contact edit "{who}" --email ADDRESS`, or put a "To:" line in the draft.'
        )
    subject = draft.subject or composed.draft.subject
    if not subject:
        raise UsageError('NUDGE: the draft has no "Subject:" line; add one (nudge draft --edit).')
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    if row.opportunity_id is not None:
        parent = mailstore.latest_message(
            session.store, session.owner, row.opportunity_id, row.contact_id
        )
        if parent is not None:
            in_reply_to = parent.message_id
            references = references_for(parent.message_id, tuple(parent.reference_ids))
            subject = reply_subject(parent.subject or subject)
    mail = session.settings.mail
    from_address = mail.from_address or session.settings.profile.email
    if not from_address:
        raise ConfigError(
            "mail.address: give the address your messages come from ([mail] address = ...)."
        )
    outgoing = Outgoing(
        from_name=session.settings.profile.name,
        from_address=from_address,
        to_name=to_name,
        to_address=to_address,
        subject=subject,
        body=draft.body,
        message_id="",
        in_reply_to=in_reply_to,
        references=references,
    )
    bad = mailstore.bad_addresses(session.store, session.owner).get(to_address.lower())
    return Prepared(
        row=row,
        outgoing=outgoing,
        kind=kind,
        findings=drafting.recheck(session, composed, text),
        source=source,
        bad_address=bad,
    )


def preview(prepared: Prepared) -> str:
    """The message as it will be sent (the Date is set when it is sent)."""
    out = prepared.outgoing
    lines = [
        f"From: {out.from_name} <{out.from_address}>".replace(" <", " <", 1),
        f"To: {out.to_name} <{out.to_address}>" if out.to_name else f"To: {out.to_address}",
        f"Subject: {out.subject}",
        f"Message-ID: {out.message_id or '(made when you approve it)'}",
    ]
    if out.in_reply_to:
        lines.append(f"In-Reply-To: {out.in_reply_to}")
        lines.append(f"References: {' '.join(out.references)}")
    return "\n".join(lines) + "\n\n" + out.body


def when_due(session: Session, prepared: Prepared) -> datetime:
    """The nudge's recommended moment (e.g. the end of the interviewer's working day for a
    thank-you), or now when that has passed."""
    return max(session.now, prepared.row.due)


def approve(
    session: Session, prepared: Prepared, *, send_after: datetime, force: bool = False
) -> OutboxItem:
    """Put the message in the outbox (one transaction), its Message-ID made now."""
    errors = [f for f in prepared.findings if str(f.severity) == "error"]
    if errors and not force:
        codes = ", ".join(sorted({f.code for f in errors}))
        raise UsageError(
            f"The checker found {count(len(errors), 'error')} in the draft ({codes}); fix it with "
            f"`nudge draft {prepared.row.short_id} --edit`, or add --force to send it as it is."
        )
    out = prepared.outgoing
    if prepared.bad_address and not force:
        raise Conflict(
            f"{out.to_address} bounced before ({prepared.bad_address}); correct the contact's "
            "email (nudge contact edit NAME --email ...), or add --force."
        )
    message_id = make_message_id(out.from_address)
    row = prepared.row
    with session.store.transaction(now=session.now) as tx:
        for item in mailstore.outbox_for_nudge(tx, session.owner, row.key):
            if item.state in ACTIVE:
                raise Conflict(
                    f"This follow-up is already in the outbox as #{item.id} ({item.state}); "
                    f"`nudge mail outbox` shows it, `nudge mail cancel {item.id}` withdraws it."
                )
        return mailstore.add_outbox(
            tx,
            session.owner,
            message_id=message_id,
            state=QUEUED,
            nudge_key=row.key,
            rule=row.rule,
            opportunity_id=row.opportunity_id,
            contact_id=row.contact_id,
            kind=prepared.kind,
            from_name=out.from_name,
            from_address=out.from_address,
            to_name=out.to_name,
            to_address=out.to_address,
            subject=out.subject,
            body=out.body,
            in_reply_to=out.in_reply_to,
            reference_ids=list(out.references),
            raw=None,
            send_after=send_after,
        )


# The outbox as the user sees it


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child its parent has not reaped yet is a zombie: dead all the same
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def is_stale(item: OutboxItem, now: datetime) -> bool:
    """A ``sending`` message whose sender is gone (dead here, or silent past its lease)."""
    if item.state != SENDING:
        return False
    if item.lease_until is None or item.lease_until < now:
        return True
    host, _, pid = (item.claimed_by or "").rpartition(":")
    return host == socket.gethostname() and is_digits(pid) and not _pid_alive(int(pid))


def shown_state(item: OutboxItem, now: datetime) -> str:
    """The state to show: a message whose sender died is ``unknown`` once handed over."""
    if is_stale(item, now):
        return UNKNOWN if item.handed_over_at is not None else QUEUED
    return item.state


def outbox(session: Session, *, everything: bool = False) -> list[OutboxItem]:
    states = None if everything else (QUEUED, SENDING, UNKNOWN, FAILED)
    return mailstore.outbox_items(session.store, session.owner, states=states)


# Delivering


class _Connections:
    """The SMTP and IMAP sessions of one run, opened when first needed."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self._smtp: SmtpClient | None = None
        self._imap: ImapClient | None = None

    def smtp(self) -> SmtpClient:
        if self._smtp is None or self._smtp._smtp is None:
            from jobnudge.mail.smtp import SmtpClient

            m = self.account.settings
            client = SmtpClient(
                m.smtp, m.username, self.account.password, m.timeout_seconds, self.account.bearer
            )
            client.connect()
            self._smtp = client
        return self._smtp

    def imap(self) -> ImapClient:
        if self._imap is None or self._imap._imap is None:
            from jobnudge.mail.imap import ImapClient

            m = self.account.settings
            client = ImapClient(
                m.imap, m.username, self.account.password, m.timeout_seconds, self.account.bearer
            )
            client.connect()
            self._imap = client
        return self._imap

    def close(self) -> None:
        for client in (self._smtp, self._imap):
            if client is not None:
                client.close()


def flush(
    session: Session,
    account: Account,
    *,
    only: int | None = None,
    grace: timedelta = SENT_COPY_GRACE,
) -> FlushReport:
    """Deliver every queued message whose moment has come (or only #``only``), after
    recovering from any sender that died and settling every ``unknown`` one first."""
    report = FlushReport()
    _recover(session)
    conns = _Connections(account)
    try:
        for item in mailstore.outbox_items(session.store, session.owner, states=(UNKNOWN,)):
            if only is None or item.id == only:
                _settle_unknown(session, conns, item, grace, report)
        for item in mailstore.due_outbox(session.store, session.owner, session.now):
            if only is not None and item.id != only:
                continue
            try:
                _send_one(session, conns, item, report)
            except MailError as exc:
                report.errors.append(exc.message)
                break  # the server or the account is the problem: the rest would fail alike
        if account.settings.append_sent:
            _file_missing_copies(session, conns, report)
    finally:
        conns.close()
    return report


def _recover(session: Session) -> None:
    """Messages left ``sending`` by a sender that is gone: unknown if handed over, else queued."""
    for item in mailstore.outbox_items(session.store, session.owner, states=(SENDING,)):
        if not is_stale(item, session.now):
            continue
        with session.store.transaction(now=session.now) as tx:
            if item.handed_over_at is not None:
                mailstore.update_outbox(
                    tx,
                    session.owner,
                    item.id,
                    expect=(SENDING,),
                    state=UNKNOWN,
                    claimed_by=None,
                    lease_until=None,
                    server_reply="the sender stopped after handing the message over",
                )
            else:
                mailstore.update_outbox(
                    tx,
                    session.owner,
                    item.id,
                    expect=(SENDING,),
                    state=QUEUED,
                    claimed_by=None,
                    lease_until=None,
                )


def _still_due(session: Session, item: OutboxItem) -> str | None:
    """Why the follow-up no longer needs sending, or None when it still does."""
    if item.nudge_key is None:
        return None
    pending = [
        n
        for n in (
            session.store.opportunity_nudges(session.owner, item.opportunity_id)
            if item.opportunity_id is not None
            else session.store.opportunity_nudges(session.owner, None)
        )
        if n.key == item.nudge_key
    ]
    if not pending:
        return "the follow-up is no longer due (a reply or another message settled it)"
    expires = pending[0].expires
    if expires is not None and expires <= session.now:
        return "the follow-up's moment has passed"
    return None


def _outgoing(item: OutboxItem) -> Outgoing:
    return Outgoing(
        from_name=item.from_name,
        from_address=item.from_address,
        to_name=item.to_name,
        to_address=item.to_address,
        subject=item.subject,
        body=item.body,
        message_id=item.message_id,
        in_reply_to=item.in_reply_to,
        references=tuple(item.reference_ids),
    )


def _send_one(session: Session, conns: _Connections, item: OutboxItem, report: FlushReport) -> None:
    owner, now = session.owner, session.now
    settled = _still_due(session, item)
    with session.store.transaction(now=now) as tx:
        fresh = mailstore.outbox_item(tx, owner, item.id)
        if fresh.state != QUEUED:
            return  # another sender took it
        if settled is not None:
            mailstore.update_outbox(
                tx, owner, item.id, expect=(QUEUED,), state=CANCELLED, server_reply=settled
            )
            report.add(item, CANCELLED, f"not sent: {settled}")
            return
        raw = fresh.raw or to_bytes(_outgoing(fresh), now).decode("ascii")
        claimed = mailstore.update_outbox(
            tx,
            owner,
            item.id,
            expect=(QUEUED,),
            state=SENDING,
            attempts=fresh.attempts + 1,
            claimed_by=_me(),
            lease_until=now + LEASE,
            raw=raw,
        )
    if not claimed:
        return
    fault.point("claimed")
    try:
        smtp = conns.smtp()
    except MailError:
        _release(session, item)
        raise
    fault.point("connected")

    def handing_over() -> None:
        with session.store.transaction(now=now) as tx:
            mailstore.update_outbox(tx, owner, item.id, expect=(SENDING,), handed_over_at=now)
        fault.point("handing-over")

    try:
        delivery = smtp.deliver(
            raw.encode("ascii"), item.from_address, [item.to_address], handing_over
        )
    except MailError:
        _release(session, item)
        raise
    from jobnudge.mail.smtp import ACCEPTED, DEFERRED, REFUSED

    if delivery.outcome == ACCEPTED:
        fault.point("accepted")
        copied = not session.settings.mail.append_sent
        note = ""
        if not copied:
            try:
                conns.imap().append(session.settings.mail.sent, raw.encode("ascii"), now)
                copied = True
                fault.point("copied")
            except MailError as exc:
                note = f"; the Sent copy will be filed later ({exc.message})"
        record_sent(session, item.id, at=now, reply=delivery.reply, copied=copied)
        fault.point("recorded")
        report.add(item, SENT, f"accepted: {delivery.reply}{note}")
        return
    with session.store.transaction(now=now) as tx:
        common = {"claimed_by": None, "lease_until": None, "server_reply": delivery.reply}
        if delivery.outcome == REFUSED:
            mailstore.update_outbox(tx, owner, item.id, state=FAILED, handed_over_at=None, **common)
            report.add(item, FAILED, f"refused, not retried: {delivery.reply}")
        elif delivery.outcome == DEFERRED and fresh.attempts + 1 < MAX_ATTEMPTS:
            later = now + timedelta(minutes=5 * (fresh.attempts + 1) ** 2)
            mailstore.update_outbox(
                tx, owner, item.id, state=QUEUED, handed_over_at=None, send_after=later, **common
            )
            report.add(item, QUEUED, f"deferred until {later:%Y-%m-%d %H:%M} UTC: {delivery.reply}")
        elif delivery.outcome == DEFERRED:
            mailstore.update_outbox(tx, owner, item.id, state=FAILED, handed_over_at=None, **common)
            report.add(item, FAILED, f"deferred {MAX_ATTEMPTS} times: {delivery.reply}")
        else:
            mailstore.update_outbox(tx, owner, item.id, state=UNKNOWN, **common)
            report.add(
                item,
                UNKNOWN,
                f"{delivery.reply}; the Sent mailbox will be searched before any retry",
            )


def _release(session: Session, item: OutboxItem) -> None:
    """Give back a claim when nothing was handed over."""
    with session.store.transaction(now=session.now) as tx:
        mailstore.update_outbox(
            tx,
            session.owner,
            item.id,
            expect=(SENDING,),
            state=QUEUED,
            claimed_by=None,
            lease_until=None,
            handed_over_at=None,
        )


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


def _settle_unknown(
    session: Session,
    conns: _Connections,
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


def _file_missing_copies(session: Session, conns: _Connections, report: FlushReport) -> None:
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


# The user's decisions


def retry(session: Session, account: Account | None, item_id: int) -> OutboxItem:
    """Queue a failed or unknown message again. An unknown one is searched for in the Sent
    mailbox first (found: recorded as sent, not sent again)."""
    item = mailstore.outbox_item(session.store, session.owner, item_id)
    state = shown_state(item, session.now)
    if state not in (FAILED, UNKNOWN, CANCELLED):
        raise Conflict(
            f"#{item.id} is {state}; only failed, unknown or cancelled ones are retried."
        )
    if state == UNKNOWN:
        if account is None:
            raise ConfigError("Retrying an unknown message needs the mail account set up.")
        _recover(session)
        conns = _Connections(account)
        try:
            hits = conns.imap().find_message_id(session.settings.mail.sent, item.message_id)
        finally:
            conns.close()
        if hits:
            record_sent(
                session,
                item.id,
                at=item.handed_over_at or session.now,
                reply="found in the Sent mailbox",
                copied=True,
            )
            return mailstore.outbox_item(session.store, session.owner, item.id)
    values: dict[str, Any] = {
        "state": QUEUED,
        "send_after": session.now,
        "handed_over_at": None,
        "claimed_by": None,
        "lease_until": None,
    }
    if state in (FAILED, CANCELLED):  # never handed over: the address may be corrected
        values["raw"] = None
        if item.contact_id is not None:
            email = session.store.contact(session.owner, item.contact_id).email
            if email and email != item.to_address:
                values["to_address"] = email
    with session.store.transaction(now=session.now) as tx:
        mailstore.update_outbox(tx, session.owner, item.id, **values)
    return mailstore.outbox_item(session.store, session.owner, item.id)


def cancel(session: Session, item_id: int) -> OutboxItem:
    item = mailstore.outbox_item(session.store, session.owner, item_id)
    state = shown_state(item, session.now)
    if state not in (QUEUED, FAILED, UNKNOWN):
        raise Conflict(f"#{item.id} is {state}; it can no longer be cancelled.")
    with session.store.transaction(now=session.now) as tx:
        mailstore.update_outbox(
            tx,
            session.owner,
            item.id,
            state=CANCELLED,
            claimed_by=None,
            lease_until=None,
            server_reply=item.server_reply or "cancelled by you",
        )
    return mailstore.outbox_item(session.store, session.owner, item.id)
