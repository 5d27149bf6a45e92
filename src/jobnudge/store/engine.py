"""Engines: URL spelling, SQLite pragmas and the IMMEDIATE begin for writes.

SQLite is used as a real database: write-ahead logging so readers never block the writer, a busy
timeout so a second writer waits instead of failing, foreign keys enforced, and write
transactions begun IMMEDIATE so that two writers queue at BEGIN rather than deadlocking when
both try to upgrade a read lock. A writer waits at BEGIN for as long as the writer before it
takes (an import can take minutes), saying so after a moment (``store.waiting``). Reads begin
DEFERRED and so never wait for a writer.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool

from jobnudge.errors import StoreError
from jobnudge.store.waiting import NOTICE_AFTER, Notice, log_notice, waiting_message

WRITE = "jobnudge_write"
"""Execution option marking a connection whose transaction will write (BEGIN IMMEDIATE)."""

NOTICE = "jobnudge_notice"
"""Execution option: the :data:`~jobnudge.store.waiting.Notice` told when a write waits."""

BUSY_TIMEOUT_MS = round(NOTICE_AFTER * 1000)
"""How long one SQLite statement waits for a lock. A write's BEGIN IMMEDIATE that waited this
long says that it waits and tries again, as often as needed: no thread or timer is involved,
so a write that does not wait pays nothing for it."""

_PG_SCHEMES = ("postgres://", "postgresql://")


def normalise_url(url: str) -> str:
    """The URL with the psycopg 3 driver named for PostgreSQL, the one the project installs."""
    for scheme in _PG_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def parse_url(url: str) -> URL:
    """A SQLAlchemy URL, or a StoreError naming the setting to fix."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise StoreError(
            f"'{url}' is not a database URL; set database.url to something like "
            "'postgresql://user@host/dbname', or remove it to use the SQLite file."
        ) from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"Unsupported database '{parsed.get_backend_name()}' in database.url; "
            "jobnudge stores its data in SQLite or PostgreSQL."
        )
    return parsed


def make_engine(url: URL) -> Engine:
    """An engine for ``url``; nothing connects until the first use."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # the driver is an extra: say which one to install
        raise StoreError(
            f"PostgreSQL needs its driver ({exc.name} is not installed): install it with "
            "pip install 'jobnudge[postgres]'."
        ) from None


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    options: dict[str, Any] = {}
    if in_memory:
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own BEGIN handling is switched off; ``_on_begin`` issues BEGIN instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                _use_wal(cursor)
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        if not options.get(WRITE, False):
            connection.exec_driver_sql("BEGIN")
            return
        notice: Notice = options.get(NOTICE, log_notice)
        told = False
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                if not told:
                    notice(waiting_message(str(url.database)))
                    told = True

    return engine


WAL_SWITCH_WAIT = 30.0
"""Seconds a connection keeps trying to put a new file into write-ahead logging while other
processes open it too (each try is brief; the switch is made once, by whoever gets there first)."""


def _use_wal(cursor: Any) -> None:
    """Put the file into write-ahead logging (kept in the file, so a no-op once done).

    Switching a file that is still in rollback mode needs it to itself for a moment, and SQLite
    reports "database is locked" at once, without its busy handler, when another process opening
    the same new file holds a lock then. Several processes opening one new database together is
    ordinary (commands started at once, web and worker processes), so this retries for a bounded
    time instead of failing the command.
    """
    deadline = time.monotonic() + WAL_SWITCH_WAIT
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy_text(str(exc)) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _busy_text(text: str) -> bool:
    return "locked" in text or "busy" in text


def is_busy(exc: OperationalError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    return _busy_text(str(exc.orig))
