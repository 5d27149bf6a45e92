"""The ground every write of a :class:`~jobnudge.store.writes.Tx` stands on: the open
connection, the user's write lock, the revisions bumped at commit, integrity errors turned into
sentences, the checks that a referenced record is the user's, and the users themselves. Apart
from the record writes so each kind of record reads in a module of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Executable, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from jobnudge.errors import Conflict, NotFound
from jobnudge.store import convert
from jobnudge.store.locking import lock_user
from jobnudge.store.reads import Reader, ids_present
from jobnudge.store.revisions import CHANNEL as REVISION_CHANNEL
from jobnudge.store.revisions import announcements
from jobnudge.store.tables import users
from jobnudge.store.waiting import Notice, log_notice

_NOUNS = {"companies": "company", "contacts": "contact", "opportunities": "opportunity"}


def new_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row just inserted."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the database returned no id for the inserted row")
    return int(key[0])


def is_unique_violation(exc: IntegrityError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def is_fk_violation(exc: IntegrityError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate == "23503" or "FOREIGN KEY constraint failed" in str(exc.orig)


class TxBase(Reader):
    """The connection, locking and checks of one open transaction (see ``store.writes``)."""

    def __init__(
        self, connection: Connection, now: datetime, *, notice: Notice = log_notice
    ) -> None:
        self._conn = connection
        self._now = convert.aware(now, "now")
        self._touched: set[int] = set()
        self._claimed: set[int] = set()
        self._user_locks = connection.dialect.name == "postgresql"
        self._notice = notice

    @property
    def now(self) -> datetime:
        """The instant stamped on rows created or changed in this transaction."""
        return self._now

    def claim(self, owner: int) -> None:
        """Hold ``owner``'s write lock until this transaction ends (see ``store.locking``).

        Every read and write method for a user calls it first, so whatever the transaction
        reads already includes the commits of the writers before it. On SQLite it has nothing
        to do: BEGIN IMMEDIATE already holds the whole file.
        """
        if owner not in self._claimed:
            if self._user_locks:
                lock_user(self._conn, owner, self._notice)
            self._claimed.add(owner)

    def touch(self, owner: int) -> None:
        """Note that this transaction changes ``owner``'s search: their revision goes up at commit.

        Every write method calls it; code writing through the connection directly (mail) must
        too, or pages kept for that user would not be rebuilt.
        """
        self.claim(owner)
        self._touched.add(owner)

    def bump_revisions(self) -> dict[int, int]:
        """Increase the revision of every user this transaction wrote for (just before commit)
        and return the new numbers. On PostgreSQL they are also announced on the revisions
        channel, which delivers them only if the transaction commits."""
        bumped: dict[int, int] = {}
        touched = sorted(self._touched)
        for start in range(0, len(touched), 500):  # short lists: SQLite caps bound values
            rows = self._conn.execute(
                update(users)
                .where(users.c.id.in_(touched[start : start + 500]))
                .values(revision=users.c.revision + 1)
                .returning(users.c.id, users.c.revision)
            )
            bumped.update((int(owner), int(value)) for owner, value in rows)
        self._touched.clear()
        if bumped and self._conn.dialect.name == "postgresql":
            for payload in announcements(dict(sorted(bumped.items()))):
                self._conn.execute(select(func.pg_notify(REVISION_CHANNEL, payload)))
        return bumped

    @contextmanager
    def _same(self, owner: int | None) -> Iterator[Connection]:
        if owner is not None:
            self.claim(owner)
        yield self._conn

    def _connect(self, owner: int | None) -> AbstractContextManager[Connection]:
        return self._same(owner)

    def _execute(
        self,
        statement: Executable,
        params: Any = None,
        *,
        duplicate: str = "",
        missing: str = "",
    ) -> CursorResult[Any]:
        """Run a write, turning integrity errors into sentences a person can act on."""
        try:
            return self._conn.execute(statement, params)
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise Conflict(duplicate or "That record already exists.") from exc
            if is_fk_violation(exc):
                raise NotFound(
                    missing or "A referenced record does not exist for this user; check the ids."
                ) from exc
            raise

    # Checks that referenced records exist for this owner, with the field named.

    def _require(self, table: Any, owner: int, ids: Iterable[int | None], field: str) -> None:
        wanted = {convert.whole(i, field) for i in ids if i is not None}
        missing = sorted(wanted - ids_present(self._conn, table, owner, wanted))
        if missing:
            noun = _NOUNS[table.name]
            listed = ", ".join(str(i) for i in missing)
            raise NotFound(
                f"{field}: no {noun} with id {listed} for this user; check the id or add the "
                f"{noun} first."
            )

    def _require_owner(self, owner: int) -> None:
        if self._conn.scalar(select(users.c.id).where(users.c.id == owner)) is None:
            raise NotFound(f"No user with id {owner}; create the user first (ensure_user).")

    # Users

    def ensure_user(self, name: str) -> int:
        """The id of the user called ``name``, created with empty settings if missing."""
        cleaned = convert.clean_text(name, "user name", required=True)
        found = self._conn.scalar(select(users.c.id).where(users.c.name == cleaned))
        if found is not None:
            return int(found)
        result = self._execute(
            insert(users).values(name=cleaned, created_at=self._now, settings={}),
            duplicate=f"The user '{cleaned}' was created at the same moment; try again.",
        )
        return new_id(result)

    def set_user_settings(self, owner: int, doc: Mapping[str, Any]) -> None:
        """Replace the user's settings document (any JSON-serialisable mapping)."""
        self.touch(owner)
        result = self._execute(update(users).where(users.c.id == owner).values(settings=dict(doc)))
        if result.rowcount == 0:
            raise NotFound(f"No user with id {owner}; create the user first (ensure_user).")
