"""The outbox as the user sees it, and their decisions about a message: the state to show (a
message whose sender died reads ``unknown`` once handed over), a retry (an unknown message is
searched for in the Sent mailbox first, never sent twice blindly) and a cancel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobnudge.errors import ConfigError, Conflict
from jobnudge.services.mail_send import Connections, is_stale, recover
from jobnudge.services.mail_sent import record_sent
from jobnudge.store import mail as mailstore
from jobnudge.store.mail import CANCELLED, FAILED, QUEUED, SENDING, UNKNOWN, OutboxItem

if TYPE_CHECKING:
    from datetime import datetime

    from jobnudge.mail.account import Account
    from jobnudge.services.session import Session


def shown_state(item: OutboxItem, now: datetime) -> str:
    """The state to show: a message whose sender died is ``unknown`` once handed over."""
    if is_stale(item, now):
        return UNKNOWN if item.handed_over_at is not None else QUEUED
    return item.state


def outbox(session: Session, *, everything: bool = False) -> list[OutboxItem]:
    states = None if everything else (QUEUED, SENDING, UNKNOWN, FAILED)
    return mailstore.outbox_items(session.store, session.owner, states=states)


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
        recover(session)
        conns = Connections(account)
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
