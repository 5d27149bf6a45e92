"""Failed sign-ins in the database, so that every web worker counts the same ones.

Each ``open()`` is one write transaction; on PostgreSQL it first takes one advisory lock for
all sign-in bookkeeping (sign-ins are rare, and the rows a failure creates do not exist yet to
be locked), on SQLite the IMMEDIATE transaction holds the file's write lock. Names and
addresses are stored as SHA-256, never in clear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, delete, insert, select, text, update

from jobnudge.store.account_tables import signin_known, signin_runs
from jobnudge.store.core import Store
from jobnudge.store.engine import WRITE
from jobnudge.store.locking import LOCK_SPACE

Key = tuple[str, str]
_SIGNIN_LOCK = 0  # second key of the sign-in lock; user ids start at 1
_LOCK = text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:key AS integer))")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(("jobnudge sign-in", *parts)).encode()).hexdigest()


class DatabaseRuns:
    """``signin_limits.Runs`` kept in the store's database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def open(self) -> Iterator[_View]:
        with self.store.write_connection() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(_LOCK, {"space": LOCK_SPACE, "key": _SIGNIN_LOCK})
                yield _View(conn)


class _View:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, key: Key) -> tuple[int, float] | None:
        row = self.conn.execute(
            select(signin_runs.c.failures, signin_runs.c.last_at).where(
                signin_runs.c.key_hash == _hash(*key)
            )
        ).first()
        return None if row is None else (int(row[0]), float(row[1]))

    def put(self, key: Key, failures: int, last: float) -> None:
        values = {"failures": failures, "last_at": last}
        where = signin_runs.c.key_hash == _hash(*key)
        if self.conn.execute(update(signin_runs).where(where).values(**values)).rowcount == 0:
            self.conn.execute(insert(signin_runs).values(key_hash=_hash(*key), **values))

    def drop(self, key: Key) -> None:
        self.conn.execute(delete(signin_runs).where(signin_runs.c.key_hash == _hash(*key)))

    def is_known(self, account: str, address: str) -> bool:
        found = self.conn.scalar(
            select(signin_known.c.seen_at).where(
                (signin_known.c.account_hash == _hash("account", account))
                & (signin_known.c.address_hash == _hash("address", address))
            )
        )
        return found is not None

    def remember(self, account: str, address: str, now: float, keep: int) -> None:
        mine = _hash("account", account)
        where = (signin_known.c.account_hash == mine) & (
            signin_known.c.address_hash == _hash("address", address)
        )
        self.conn.execute(delete(signin_known).where(where))
        self.conn.execute(
            insert(signin_known).values(
                account_hash=mine, address_hash=_hash("address", address), seen_at=now
            )
        )
        stale = self.conn.scalars(
            select(signin_known.c.address_hash)
            .where(signin_known.c.account_hash == mine)
            .order_by(signin_known.c.seen_at.desc())
            .offset(keep)
        ).all()
        if stale:
            self.conn.execute(
                delete(signin_known).where(
                    (signin_known.c.account_hash == mine) & signin_known.c.address_hash.in_(stale)
                )
            )

    def prune(self, before: float) -> None:
        self.conn.execute(delete(signin_runs).where(signin_runs.c.last_at < before))
