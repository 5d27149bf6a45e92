"""Store access for reminders: the digests prepared per channel and the items they carried.

Functions take a Reader (the Store, or a Tx to read inside a write) or a Tx for writes, as
``store/mail.py`` does; every query filters by ``owner_id``. These rows are not part of the
search itself, so writing them leaves the search's revision alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update

from jobnudge.store.reads import Reader
from jobnudge.store.remind_tables import reminder_items, reminders
from jobnudge.store.writes import Tx

PENDING, HANDED, DELIVERED, EMPTY = "pending", "handed", "delivered", "empty"


@dataclass(frozen=True, slots=True)
class ReminderRow:
    id: int
    channel: str
    slot: str
    state: str
    subject: str
    body: str
    html: str
    item_count: int
    attempts: int
    last_error: str
    lease_until: datetime | None
    created_at: datetime
    delivered_at: datetime | None


def _row(row: Any) -> ReminderRow:
    values = row._mapping
    return ReminderRow(**{f.name: values[f.name] for f in fields(ReminderRow)})


def rows(
    reader: Reader, owner: int, *, states: Collection[str] | None = None, limit: int = 0
) -> list[ReminderRow]:
    """The user's digests, newest first."""
    query = select(reminders).where(reminders.c.owner_id == owner)
    if states is not None:
        query = query.where(reminders.c.state.in_(list(states)))
    query = query.order_by(reminders.c.id.desc())
    if limit:
        query = query.limit(limit)
    with reader._connect(owner) as conn:
        return [_row(r) for r in conn.execute(query)]


def slot_channels(reader: Reader, owner: int, slot: str) -> set[str]:
    """The channels that already have a digest (of any state) for ``slot``."""
    with reader._connect(owner) as conn:
        return set(
            conn.scalars(
                select(reminders.c.channel).where(
                    reminders.c.owner_id == owner, reminders.c.slot == slot
                )
            )
        )


def open_rows(reader: Reader, owner: int, slot: str | None) -> list[ReminderRow]:
    """The user's pending digests (any day) and every digest of ``slot``, in one query."""
    where = reminders.c.state == PENDING
    if slot is not None:
        where = or_(where, reminders.c.slot == slot)
    with reader._connect(owner) as conn:
        found = conn.execute(
            select(reminders).where(reminders.c.owner_id == owner, where).order_by(reminders.c.id)
        )
        return [_row(r) for r in found]


def known_items(reader: Reader, owner: int, channel: str, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` a digest on ``channel`` already carried."""
    wanted = list(keys)
    if not wanted:
        return set()
    found: set[str] = set()
    with reader._connect(owner) as conn:
        for start in range(0, len(wanted), 500):
            found |= set(
                conn.scalars(
                    select(reminder_items.c.item_key).where(
                        reminder_items.c.owner_id == owner,
                        reminder_items.c.channel == channel,
                        reminder_items.c.item_key.in_(wanted[start : start + 500]),
                    )
                )
            )
    return found


def add(
    tx: Tx,
    owner: int,
    *,
    channel: str,
    slot: str,
    state: str,
    subject: str = "",
    body: str = "",
    html: str = "",
    item_keys: Collection[str] = (),
    lease_until: datetime | None = None,
) -> ReminderRow:
    """A digest and its items, in the caller's transaction (held until ``lease_until``)."""
    tx.claim(owner)
    with tx._connect(owner) as conn:
        result = conn.execute(
            insert(reminders).values(
                owner_id=owner,
                channel=channel,
                slot=slot,
                state=state,
                subject=subject,
                body=body,
                html=html,
                item_count=len(item_keys),
                attempts=0,
                last_error="",
                lease_until=lease_until,
                created_at=tx.now,
            )
        )
        key = result.inserted_primary_key
        assert key is not None  # an insert of one row always has one
        new_id = int(key[0])
        if item_keys:
            conn.execute(
                insert(reminder_items),
                [
                    {"owner_id": owner, "channel": channel, "item_key": k, "reminder_id": new_id}
                    for k in item_keys
                ],
            )
    return ReminderRow(
        new_id,
        channel,
        slot,
        state,
        subject,
        body,
        html,
        len(item_keys),
        0,
        "",
        lease_until,
        tx.now,
        None,
    )


def drop(tx: Tx, owner: int, reminder_id: int) -> None:
    """Forget an undelivered digest and its items (a newer digest carries them instead)."""
    tx.claim(owner)
    with tx._connect(owner) as conn:
        where = (reminder_items.c.owner_id == owner, reminder_items.c.reminder_id == reminder_id)
        conn.execute(delete(reminder_items).where(*where))
        conn.execute(
            delete(reminders).where(reminders.c.owner_id == owner, reminders.c.id == reminder_id)
        )


def claim(tx: Tx, owner: int, reminder_id: int, until: datetime) -> bool:
    """Take a pending digest for delivery until ``until``; False if another run holds it."""
    tx.claim(owner)
    with tx._connect(owner) as conn:
        result = conn.execute(
            update(reminders)
            .where(
                reminders.c.owner_id == owner,
                reminders.c.id == reminder_id,
                reminders.c.state == PENDING,
                or_(reminders.c.lease_until.is_(None), reminders.c.lease_until < tx.now),
            )
            .values(lease_until=until)
        )
        return bool(result.rowcount)


def finish(
    tx: Tx, owner: int, reminder_id: int, *, state: str, error: str = "", attempt: bool = True
) -> None:
    """Record how a delivery attempt ended (the lease is released)."""
    tx.claim(owner)
    values: dict[str, Any] = {"state": state, "last_error": error, "lease_until": None}
    if attempt:
        values["attempts"] = reminders.c.attempts + 1
    if state in (DELIVERED, HANDED):
        values["delivered_at"] = tx.now
    with tx._connect(owner) as conn:
        conn.execute(
            update(reminders)
            .where(reminders.c.owner_id == owner, reminders.c.id == reminder_id)
            .values(**values)
        )


def sent_count(reader: Reader, owner: int) -> int:
    with reader._connect(owner) as conn:
        return int(
            conn.scalar(
                select(func.count()).where(
                    reminders.c.owner_id == owner,
                    reminders.c.state.in_([DELIVERED, HANDED]),
                )
            )
            or 0
        )


def settings_documents(reader: Reader, owners: Collection[int]) -> dict[int, dict[str, Any]]:
    """The settings documents of many users in one query (a server's reminder pass)."""
    from jobnudge.store.tables import users

    wanted = list(owners)
    found: dict[int, dict[str, Any]] = {}
    with reader._connect(None) as conn:
        for start in range(0, len(wanted), 1000):
            rows = conn.execute(
                select(users.c.id, users.c.settings).where(
                    users.c.id.in_(wanted[start : start + 1000])
                )
            )
            found.update({int(r.id): dict(r.settings or {}) for r in rows})
    return found
