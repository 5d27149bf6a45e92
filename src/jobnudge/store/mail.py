"""Store access for mail: the outbox, sync state and seen messages (the review list and bad
addresses are ``store.mail_flagged``).

Functions take a :class:`~jobnudge.store.reads.Reader` (the Store, or a Tx to read inside a
write transaction) or a :class:`~jobnudge.store.writes.Tx` for writes, so mail writes commit
together with the events and nudges they go with. Every query filters by ``owner_id``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, update

from jobnudge.domain import MessageKind
from jobnudge.errors import NotFound
from jobnudge.store.mail_tables import (
    mail_messages,
    mail_outbox,
    mail_sync_state,
)
from jobnudge.store.reads import Reader
from jobnudge.store.writes import Tx

QUEUED, SENDING, SENT, FAILED, UNKNOWN, CANCELLED = (
    "queued",
    "sending",
    "sent",
    "failed",
    "unknown",
    "cancelled",
)
ACTIVE = (QUEUED, SENDING, UNKNOWN)  # not finished: a second message for the nudge would clash


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    message_id: str
    state: str
    nudge_key: str | None
    rule: str | None
    opportunity_id: int | None
    contact_id: int | None
    kind: MessageKind | None
    from_name: str
    from_address: str
    to_name: str
    to_address: str
    subject: str
    body: str
    in_reply_to: str | None
    reference_ids: list[str]
    raw: str | None
    send_after: datetime
    attempts: int
    claimed_by: str | None
    lease_until: datetime | None
    handed_over_at: datetime | None
    server_reply: str
    copy_saved: bool
    event_id: int | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SeenMessage:
    message_id: str
    direction: str
    mailbox: str
    opportunity_id: int | None
    contact_id: int | None
    event_id: int | None
    outbox_id: int | None
    subject: str
    reference_ids: list[str]
    at: datetime


def _build(cls: Any, row: Any) -> Any:
    """The record ``cls`` made from a row with a column for each of its fields."""
    values = row._mapping
    return cls(**{f.name: values[f.name] for f in fields(cls)})


def _conn(reader: Reader, owner: int) -> Any:
    """The reader's connection context: a short read for the Store, the open one for a Tx
    (which first takes the user's write lock, see ``Tx.claim``)."""
    return reader._connect(owner)


# The outbox


def add_outbox(tx: Tx, owner: int, **values: Any) -> OutboxItem:
    tx.touch(owner)
    with _conn(tx, owner) as conn:
        result = conn.execute(
            insert(mail_outbox).values(
                owner_id=owner,
                attempts=0,
                server_reply="",
                copy_saved=False,
                created_at=tx.now,
                updated_at=tx.now,
                **values,
            )
        )
        new_id = int(result.inserted_primary_key[0])
    return outbox_item(tx, owner, new_id)


def outbox_item(reader: Reader, owner: int, item_id: int) -> OutboxItem:
    with _conn(reader, owner) as conn:
        row = conn.execute(
            select(mail_outbox).where(mail_outbox.c.owner_id == owner, mail_outbox.c.id == item_id)
        ).first()
    if row is None:
        raise NotFound(f"No outbox message #{item_id}; `nudge mail outbox --all` lists them.")
    item: OutboxItem = _build(OutboxItem, row)
    return item


def outbox_items(
    reader: Reader, owner: int, *, states: Collection[str] | None = None
) -> list[OutboxItem]:
    query = select(mail_outbox).where(mail_outbox.c.owner_id == owner)
    if states is not None:
        query = query.where(mail_outbox.c.state.in_(list(states)))
    with _conn(reader, owner) as conn:
        rows = conn.execute(query.order_by(mail_outbox.c.send_after, mail_outbox.c.id))
        return [_build(OutboxItem, r) for r in rows]


def due_outbox(reader: Reader, owner: int, now: datetime) -> list[OutboxItem]:
    """Queued messages whose moment has come, oldest first."""
    with _conn(reader, owner) as conn:
        rows = conn.execute(
            select(mail_outbox)
            .where(
                mail_outbox.c.owner_id == owner,
                mail_outbox.c.state == QUEUED,
                mail_outbox.c.send_after <= now,
            )
            .order_by(mail_outbox.c.send_after, mail_outbox.c.id)
        )
        return [_build(OutboxItem, r) for r in rows]


def outbox_for_nudge(reader: Reader, owner: int, nudge_key: str) -> list[OutboxItem]:
    with _conn(reader, owner) as conn:
        rows = conn.execute(
            select(mail_outbox)
            .where(mail_outbox.c.owner_id == owner, mail_outbox.c.nudge_key == nudge_key)
            .order_by(mail_outbox.c.id)
        )
        return [_build(OutboxItem, r) for r in rows]


def outbox_by_message_id(reader: Reader, owner: int, message_id: str) -> OutboxItem | None:
    with _conn(reader, owner) as conn:
        row = conn.execute(
            select(mail_outbox).where(
                mail_outbox.c.owner_id == owner, mail_outbox.c.message_id == message_id
            )
        ).first()
    return None if row is None else _build(OutboxItem, row)


def update_outbox(
    tx: Tx, owner: int, item_id: int, *, expect: Collection[str] | None = None, **values: Any
) -> bool:
    """Change an outbox row; with ``expect``, only while its state is one of those (a claim).
    Returns whether a row changed."""
    tx.touch(owner)
    where = [mail_outbox.c.owner_id == owner, mail_outbox.c.id == item_id]
    if expect is not None:
        where.append(mail_outbox.c.state.in_(list(expect)))
    with _conn(tx, owner) as conn:
        result = conn.execute(update(mail_outbox).where(*where).values(updated_at=tx.now, **values))
        return bool(result.rowcount)


# Sync state


def sync_state(reader: Reader, owner: int, mailbox: str) -> tuple[int, int] | None:
    """``(uidvalidity, last_uid)`` of a mailbox, or None before its first sync."""
    with _conn(reader, owner) as conn:
        row = conn.execute(
            select(mail_sync_state.c.uidvalidity, mail_sync_state.c.last_uid).where(
                mail_sync_state.c.owner_id == owner, mail_sync_state.c.mailbox == mailbox
            )
        ).first()
    return None if row is None else (int(row.uidvalidity), int(row.last_uid))


def save_sync_state(tx: Tx, owner: int, mailbox: str, uidvalidity: int, last_uid: int) -> None:
    with _conn(tx, owner) as conn:
        where = and_(mail_sync_state.c.owner_id == owner, mail_sync_state.c.mailbox == mailbox)
        changed = conn.execute(
            update(mail_sync_state)
            .where(where)
            .values(uidvalidity=uidvalidity, last_uid=last_uid, synced_at=tx.now)
        ).rowcount
        if not changed:
            conn.execute(
                insert(mail_sync_state).values(
                    owner_id=owner,
                    mailbox=mailbox,
                    uidvalidity=uidvalidity,
                    last_uid=last_uid,
                    synced_at=tx.now,
                )
            )


# Seen messages


def seen_ids(reader: Reader, owner: int, message_ids: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(message_ids))
    if not wanted:
        return set()
    with _conn(reader, owner) as conn:
        return set(
            conn.scalars(
                select(mail_messages.c.message_id).where(
                    mail_messages.c.owner_id == owner, mail_messages.c.message_id.in_(wanted)
                )
            )
        )


def threads(
    reader: Reader, owner: int, message_ids: Iterable[str]
) -> dict[str, tuple[int | None, int | None]]:
    """``message id -> (opportunity id, contact id)`` for the ids jobnudge knows."""
    wanted = list(dict.fromkeys(message_ids))
    if not wanted:
        return {}
    with _conn(reader, owner) as conn:
        rows = conn.execute(
            select(
                mail_messages.c.message_id,
                mail_messages.c.opportunity_id,
                mail_messages.c.contact_id,
            ).where(mail_messages.c.owner_id == owner, mail_messages.c.message_id.in_(wanted))
        )
        return {r.message_id: (r.opportunity_id, r.contact_id) for r in rows}


def add_message(tx: Tx, owner: int, **values: Any) -> None:
    tx.touch(owner)
    with _conn(tx, owner) as conn:
        conn.execute(insert(mail_messages).values(owner_id=owner, created_at=tx.now, **values))


def latest_message(
    reader: Reader, owner: int, opportunity_id: int, contact_id: int | None
) -> SeenMessage | None:
    """The newest message of an opportunity's conversation with ``contact_id`` (either way),
    else the newest one the employer sent: what a follow-up replies to."""
    base = select(mail_messages).where(
        mail_messages.c.owner_id == owner,
        mail_messages.c.opportunity_id == opportunity_id,
        mail_messages.c.direction.in_(["in", "out"]),
    )
    order = (mail_messages.c.at.desc(), mail_messages.c.created_at.desc())
    with _conn(reader, owner) as conn:
        row = None
        if contact_id is not None:
            row = conn.execute(
                base.where(mail_messages.c.contact_id == contact_id).order_by(*order).limit(1)
            ).first()
        if row is None:
            row = conn.execute(
                base.where(mail_messages.c.direction == "in").order_by(*order).limit(1)
            ).first()
    return None if row is None else _build(SeenMessage, row)


# The review list


# Bad addresses
