"""The Store: opening a database (migrating it first) and the entry points for reads and writes.

No engine exists until :func:`open_store` is called, so importing this module has no effect on
the database and tests can open as many independent stores as they like.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from jobnudge import clock
from jobnudge.errors import Conflict, StoreError
from jobnudge.store.engine import WRITE, make_engine, parse_url
from jobnudge.store.location import default_sqlite_path
from jobnudge.store.migrate import upgrade
from jobnudge.store.reads import Reader
from jobnudge.store.revisions import Revisions
from jobnudge.store.writes import Tx


class Store(Reader):
    """A user-partitioned store of companies, contacts, opportunities, events and nudges.

    Read methods (inherited from :class:`~jobnudge.store.reads.Reader`) each run in their own
    short read transaction. Writes happen only through :meth:`transaction`.
    """

    def __init__(self, engine: Engine, *, sqlite_path: Path | None = None) -> None:
        self._engine = engine
        self._sqlite_path = sqlite_path
        self.backup_path: Path | None = None
        """The copy made before this open upgraded the SQLite file, if it did."""
        self._revisions = Revisions(engine)

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
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as connection:
            yield connection

    def _connect(self) -> AbstractContextManager[Connection]:
        return self._read()

    @contextmanager
    def transaction(self, *, now: datetime | None = None) -> Iterator[Tx]:
        """One all-or-nothing write transaction: ``with store.transaction() as tx: ...``.

        Commits when the block ends, rolls back if it raises. On SQLite it begins IMMEDIATE,
        waiting up to the busy timeout for another writer. ``now`` stamps created and updated
        rows (default: the clock).
        """
        stamp = now if now is not None else clock.now()
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    tx = Tx(connection, stamp)
                    yield tx
                    bumped = tx.bump_revisions()
                self._revisions.committed(bumped)
        except OperationalError as exc:
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise StoreError(
                    f"The database {self.url} stayed busy with another writer; try again."
                ) from exc
            raise

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


def open_store(url: str | None, *, data_dir: Path, now: datetime | None = None) -> Store:
    """Open (creating and migrating as needed) the database at ``url``.

    ``None`` means the SQLite file ``data_dir/jobnudge.sqlite``; ``postgres://`` and
    ``postgresql://`` URLs use the psycopg driver. A SQLite file behind the current schema is
    copied to ``<file>.bak-<revision>-<UTC timestamp>`` before it is upgraded (see
    ``Store.backup_path``). ``now`` names that copy (default: the clock).
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
    store = Store(engine, sqlite_path=path)
    store.backup_path = backup
    return store
