"""The Store: opening a database (migrating it first) and the entry points for reads and writes.

No engine exists until :func:`open_store` is called, so importing this module has no effect on
the database and tests can open as many independent stores as they like.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from jobnudge import clock, interrupts
from jobnudge.errors import Conflict, StoreError
from jobnudge.store import lease
from jobnudge.store.engine import NOTICE, WRITE, is_busy, make_engine, parse_url
from jobnudge.store.location import default_sqlite_path
from jobnudge.store.migrate import upgrade
from jobnudge.store.reads import Reader
from jobnudge.store.revisions import Revisions
from jobnudge.store.waiting import Notice, log_notice
from jobnudge.store.writes import Tx

_RACES = frozenset({"40001", "40P01"})  # PostgreSQL: serialization failure, deadlock detected


class _OpenWrites(threading.local):
    """The databases this thread has a write transaction open on."""

    def __init__(self) -> None:
        self.keys: set[str] = set()


_open_writes = _OpenWrites()


class Store(Reader):
    """A user-partitioned store of companies, contacts, opportunities, events and nudges.

    Read methods (inherited from :class:`~jobnudge.store.reads.Reader`) each run in their own
    short read transaction. Writes happen only through :meth:`transaction`.
    """

    def __init__(
        self, engine: Engine, *, sqlite_path: Path | None = None, notice: Notice = log_notice
    ) -> None:
        self._engine = engine
        self._sqlite_path = sqlite_path
        self.backup_path: Path | None = None
        """The copy made before this open upgraded the SQLite file, if it did."""
        self.notice = notice
        """Told when a write has waited a moment for another writer (``store.waiting``)."""
        self._revisions = Revisions(engine)
        self._postgres = engine.dialect.name == "postgresql"
        if sqlite_path is not None:
            self._key = f"sqlite:{sqlite_path.resolve()}"
        elif engine.dialect.name == "sqlite":
            self._key = f"memory:{id(engine)}"
        else:
            self._key = engine.url.render_as_string(hide_password=False)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, for the fast agenda read; None for PostgreSQL or in-memory SQLite."""
        return self._sqlite_path

    @property
    def url(self) -> str:
        """The database URL with any password hidden, for messages."""
        return self._engine.url.render_as_string(hide_password=True)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads: on PostgreSQL in autocommit, and the request's own when
        one is leased (see :mod:`jobnudge.store.lease`); on SQLite a short read transaction."""
        if self._postgres:
            leased = lease.current()
            if leased is not None:
                with leased.borrow(self._key, self._open_read) as held:
                    if held is not None:
                        yield held
                        return
        with self._open_read() as connection:
            yield connection

    def write_connection(self) -> Connection:
        """A connection for a write transaction, taken after giving back this thread's idle
        read connection (``store.lease``), so that a piece of work holds one at a time."""
        lease.give_back(self._key)
        return self._engine.connect()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One short write transaction outside a job search (accounts, organisations, job
        records, kept cohort numbers): committed when the block ends, rolled back if it
        raises."""
        with self.write_connection() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn
                interrupts.raise_if_requested()  # Ctrl-C dropped in a callback: roll back

    def _open_read(self) -> Connection:
        connection = self._engine.connect()
        if self._postgres:
            connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection

    def _read(self) -> AbstractContextManager[Connection]:
        return self.reading()

    def _connect(self, owner: int | None) -> AbstractContextManager[Connection]:
        return self._read()

    @contextmanager
    def transaction(self, *, now: datetime | None = None) -> Iterator[Tx]:
        """One all-or-nothing write transaction: ``with store.transaction() as tx: ...``.

        Commits when the block ends, rolls back if it raises. Writers of one search go one
        at a time: on SQLite the transaction begins IMMEDIATE, on PostgreSQL it takes the
        user's lock at its first read or write for them (``store.locking``); either way it
        waits as long as the writer before it takes, telling :attr:`notice` after a moment.
        A thread cannot open a second write transaction on a database while its first is
        open (it would wait for itself). ``now`` stamps created and updated rows (default:
        the clock).
        """
        stamp = now if now is not None else clock.now()
        if self._key in _open_writes.keys:
            raise RuntimeError(
                "a write transaction is already open on this database in this thread; "
                "do the work inside it"
            )
        _open_writes.keys.add(self._key)
        try:
            with self.write_connection() as connection:
                connection.execution_options(**{WRITE: True, NOTICE: self.notice})
                with connection.begin():
                    tx = Tx(connection, stamp, notice=self.notice)
                    yield tx
                    interrupts.raise_if_requested()  # Ctrl-C dropped in a callback: roll back
                    bumped = tx.bump_revisions()
                self._revisions.committed(bumped)
        except OperationalError as exc:
            if self._engine.dialect.name == "sqlite" and is_busy(exc):
                raise StoreError(
                    f"The database {self.url} stayed busy with another writer; try again."
                ) from exc
            if getattr(exc.orig, "sqlstate", None) in _RACES:
                raise StoreError(
                    "Another jobnudge process wrote the same records at the same moment; "
                    "nothing was written. Run the command again."
                ) from exc
            raise
        finally:
            _open_writes.keys.discard(self._key)

    def ensure_user(self, name: str) -> int:
        """The id of the user called ``name``, created if missing (the CLI is user "local")."""
        found = self.find_user(name)
        if found is not None:
            return found
        try:
            with self.transaction() as tx:
                return tx.ensure_user(name)
        except Conflict:
            found = self.find_user(name)  # created by a concurrent process meanwhile
            if found is None:
                raise
            return found

    def revision(self, owner: int) -> int:
        """As :meth:`Reader.revision`, answered in microseconds (see ``store.revisions``): the
        web app asks it on every page view."""
        return self._revisions.get(owner)

    def close(self) -> None:
        """Release every pooled connection (and those kept for :meth:`revision`)."""
        self._revisions.close()
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_store(
    url: str | None,
    *,
    data_dir: Path,
    now: datetime | None = None,
    notice: Notice = log_notice,
) -> Store:
    """Open (creating and migrating as needed) the database at ``url``.

    ``None`` means the SQLite file ``data_dir/jobnudge.sqlite``; ``postgres://`` and
    ``postgresql://`` URLs use the psycopg driver. A SQLite file behind the current schema is
    copied to ``<file>.bak-<revision>-<UTC timestamp>`` before it is upgraded (see
    ``Store.backup_path``). ``now`` names that copy (default: the clock). ``notice`` is told
    when a write waits for another writer (``Store.notice``).
    """
    if url is None:
        path: Path | None = default_sqlite_path(data_dir)
        parsed = URL.create("sqlite", database=str(path))
    else:
        parsed = parse_url(url)
        is_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
            None,
            "",
            ":memory:",
        )
        path = Path(parsed.database) if is_file and parsed.database else None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(parsed)
    try:
        backup = upgrade(engine, sqlite_path=path, now=now if now is not None else clock.now())
    except DBAPIError as exc:
        engine.dispose()
        where = path or parsed.render_as_string(hide_password=True)
        raise StoreError(
            f"Cannot open the database {where}: {exc.orig}. Check database.url in the settings "
            "and that the database server is running."
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    store = Store(engine, sqlite_path=path, notice=notice)
    store.backup_path = backup
    return store
