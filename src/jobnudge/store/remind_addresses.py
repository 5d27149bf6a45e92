"""The ``remind_addresses`` and ``remind_sends`` rows: which addresses an account confirmed for
its e-mail digest, the links still open, and what the server sent on the account's behalf.

The limits themselves are ``services.remind_addresses``'s; here each check and the write it
allows are one transaction, with the account's row locked on PostgreSQL, so two web workers
cannot both let the last message through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from jobnudge.store.accounts import _read
from jobnudge.store.core import Store
from jobnudge.store.remind_tables import remind_addresses, remind_sends
from jobnudge.store.tables import users

_KEEP_SENDS_FOR_DAYS = 2  # older counts never matter to a limit


@contextmanager
def _locked(store: Store, owner: int) -> Iterator[Connection]:
    with store.writing() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(users.c.id).where(users.c.id == owner).with_for_update())
        yield conn


def _key(address: str) -> str:
    return address.strip().lower()


def sent_since(conn: Connection, owner: int, kind: str, since: datetime) -> int:
    table = remind_sends
    return int(
        conn.scalar(
            select(func.count())
            .select_from(table)
            .where((table.c.owner_id == owner) & (table.c.kind == kind) & (table.c.sent_at > since))
        )
        or 0
    )


def sent_to_since(conn: Connection, address: str, since: datetime) -> int:
    """Confirmation links sent to ``address`` since then, by every account together."""
    table = remind_sends
    return int(
        conn.scalar(
            select(func.count())
            .select_from(table)
            .where(
                (table.c.kind == "confirm")
                & (table.c.address == _key(address))
                & (table.c.sent_at > since)
            )
        )
        or 0
    )


def _note(
    conn: Connection, owner: int, kind: str, now: datetime, address: str | None = None
) -> None:
    from datetime import timedelta

    table = remind_sends
    conn.execute(
        delete(table).where(
            (table.c.owner_id == owner)
            & (table.c.sent_at < now - timedelta(days=_KEEP_SENDS_FOR_DAYS))
        )
    )
    conn.execute(
        insert(table).values(
            owner_id=owner,
            kind=kind,
            address=None if address is None else _key(address),
            sent_at=now,
        )
    )


@contextmanager
def counting(
    store: Store, owner: int, kind: str, now: datetime, address: str | None = None
) -> Iterator[Connection]:
    """A transaction in which the caller checks the account's count of ``kind`` (with
    :func:`sent_since`) and, when the block ends without raising, one more is noted."""
    with _locked(store, owner) as conn:
        yield conn
        _note(conn, owner, kind, now, address)


def forget_ask(store: Store, owner: int, address: str, token_hash: str) -> None:
    """Undo an ask whose link could not be sent (a confirmed address stays confirmed)."""
    table = remind_addresses
    where = (
        (table.c.owner_id == owner)
        & (table.c.address == _key(address))
        & (table.c.token_hash == token_hash)
    )
    with store.writing() as conn:
        conn.execute(delete(table).where(where & table.c.confirmed_at.is_(None)))
        conn.execute(update(table).where(where).values(token_hash=None))


def asked_at(conn: Connection, address: str) -> datetime | None:
    """When any account last asked for a link to ``address``."""
    table = remind_addresses
    found: datetime | None = conn.scalar(
        select(func.max(table.c.asked_at)).where(table.c.address == _key(address))
    )
    return found


def ask(conn: Connection, owner: int, address: str, token_hash: str, now: datetime) -> None:
    """Open a new link for ``address`` (an earlier link for it stops working)."""
    table = remind_addresses
    where = (table.c.owner_id == owner) & (table.c.address == _key(address))
    if conn.scalar(select(table.c.address).where(where)) is None:
        conn.execute(
            insert(table).values(
                owner_id=owner,
                address=_key(address),
                token_hash=token_hash,
                asked_at=now,
                confirmed_at=None,
            )
        )
    else:
        conn.execute(update(table).where(where).values(token_hash=token_hash, asked_at=now))


def opened(store: Store, token_hash: str, asked_after: datetime) -> tuple[int, str] | None:
    """The (owner, address) of a link still open and asked for after ``asked_after``."""
    table = remind_addresses
    with _read(store) as conn:
        row = conn.execute(
            select(table.c.owner_id, table.c.address).where(
                (table.c.token_hash == token_hash) & (table.c.asked_at > asked_after)
            )
        ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def confirm(
    store: Store, token_hash: str, asked_after: datetime, now: datetime
) -> tuple[int, str] | None:
    """Mark the link's address confirmed and close the link; its (owner, address), or None
    when no such link is open."""
    table = remind_addresses
    with store.writing() as conn:
        row = conn.execute(
            select(table.c.owner_id, table.c.address).where(
                (table.c.token_hash == token_hash) & (table.c.asked_at > asked_after)
            )
        ).first()
        if row is None:
            return None
        conn.execute(
            update(table)
            .where((table.c.owner_id == row[0]) & (table.c.address == row[1]))
            .values(token_hash=None, confirmed_at=now)
        )
    return int(row[0]), str(row[1])


def is_confirmed(store: Store, owner: int, address: str) -> bool:
    table = remind_addresses
    with _read(store) as conn:
        found = conn.scalar(
            select(table.c.confirmed_at).where(
                (table.c.owner_id == owner) & (table.c.address == _key(address))
            )
        )
    return found is not None


def state(store: Store, owner: int, address: str) -> tuple[datetime | None, datetime | None]:
    """(asked_at, confirmed_at) of ``address`` for ``owner``; (None, None) if never asked."""
    table = remind_addresses
    with _read(store) as conn:
        row = conn.execute(
            select(table.c.asked_at, table.c.confirmed_at).where(
                (table.c.owner_id == owner) & (table.c.address == _key(address))
            )
        ).first()
    return (None, None) if row is None else (row[0], row[1])
