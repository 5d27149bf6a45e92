"""Sending approved follow-ups exactly once.

Approving a message (``services.mail_approve``) writes it to the outbox in one transaction,
with its Message-ID already made. A sender (:func:`flush`: ``nudge mail flush``, ``nudge mail
send --now``, or a periodic task) then moves each message through these states, committing each
step before taking the next:

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
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from jobnudge.bounds import is_digits
from jobnudge.errors import MailError
from jobnudge.mail import fault
from jobnudge.mail.compose import Outgoing, to_bytes
from jobnudge.services.mail_sent import file_missing_copies, record_sent, settle_unknown
from jobnudge.store import mail as mailstore
from jobnudge.store.mail import CANCELLED, FAILED, QUEUED, SENDING, SENT, UNKNOWN, OutboxItem

if TYPE_CHECKING:
    from datetime import datetime

    from jobnudge.mail.account import Account
    from jobnudge.mail.imap import ImapClient
    from jobnudge.mail.smtp import SmtpClient
    from jobnudge.services.session import Session

LEASE = timedelta(minutes=10)
"""How long a claim holds without its sender; past it, another sender may recover the message."""
SENT_COPY_GRACE = timedelta(minutes=2)
"""How long after a hand-over the server's own Sent copy may take to appear."""
MAX_ATTEMPTS = 5
"""Temporary refusals (4xx) tried this many times before the message is marked failed."""


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


class Connections:
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
    recover(session)
    conns = Connections(account)
    try:
        for item in mailstore.outbox_items(session.store, session.owner, states=(UNKNOWN,)):
            if only is None or item.id == only:
                settle_unknown(session, conns, item, grace, report)
        for item in mailstore.due_outbox(session.store, session.owner, session.now):
            if only is not None and item.id != only:
                continue
            try:
                _send_one(session, conns, item, report)
            except MailError as exc:
                report.errors.append(exc.message)
                break  # the server or the account is the problem: the rest would fail alike
        if account.settings.append_sent:
            file_missing_copies(session, conns, report)
    finally:
        conns.close()
    return report


def recover(session: Session) -> None:
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


def _send_one(session: Session, conns: Connections, item: OutboxItem, report: FlushReport) -> None:
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
