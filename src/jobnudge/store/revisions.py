"""Each user's revision (``users.revision``), answered in microseconds for the web app's kept pages.

Every write transaction increases the revision of the users it touched (``Tx.bump_revisions``),
so "has this search changed?" is one number. The web app asks it on every page view:

- On SQLite it is read on one driver connection kept for the purpose, in autocommit, so each
  answer is the latest commit of any process (a few microseconds: the file is local).
- On PostgreSQL a round trip per page view would cost more than serving the page, so a thread
  LISTENs on :data:`CHANNEL`, on which every committing transaction announces the new numbers
  (``pg_notify`` is sent at commit, never for a rollback). Numbers learnt from the database or
  from an announcement are remembered while the listener is connected; this process's own
  commits are remembered the moment they return. Whenever the listener is not connected,
  nothing is remembered and every question is a query. Revisions only grow, so a late answer
  can never replace a newer one.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from sqlalchemy import Engine

from jobnudge.bounds import is_digits

CHANNEL = "jobnudge_revision"
PAYLOAD_MAX = 7000  # bytes an announcement carries; PostgreSQL refuses payloads of 8000 or more
log = logging.getLogger("jobnudge.store")


def announcements(revisions: dict[int, int]) -> list[str]:
    """The payloads announcing ``revisions`` ("owner:revision,..."), each under
    :data:`PAYLOAD_MAX` bytes: a transaction that touches thousands of users (a re-plan of a
    whole organisation) would otherwise exceed ``pg_notify``'s limit and fail at commit."""
    payloads: list[str] = []
    pairs: list[str] = []
    size = 0
    for owner, value in revisions.items():
        pair = f"{owner}:{value}"
        if pairs and size + len(pair) + 1 > PAYLOAD_MAX:
            payloads.append(",".join(pairs))
            pairs, size = [], 0
        pairs.append(pair)
        size += len(pair) + 1
    if pairs:
        payloads.append(",".join(pairs))
    return payloads


class Revisions:
    """The revision of any user, from a kept connection or, on PostgreSQL, from announcements."""

    POLL = 0.25  # seconds the listener waits for announcements before checking it should stop

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        self._errors: type[Exception] = engine.dialect.loaded_dbapi.Error
        self._query_lock = threading.Lock()
        self._conn: Any = None  # a driver connection in autocommit, made on first use
        self._lock = threading.Lock()  # guards what follows
        self._known: dict[int, int] = {}
        self._epoch = 0  # counts the listener's connections, so a read from before one is dropped
        self._live = False
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None

    def get(self, owner: int) -> int:
        """The user's revision as of now (0 for a user without any)."""
        if self._postgres:
            self._start_listening()
            with self._lock:
                if self._live and owner in self._known:
                    return self._known[owner]
                epoch, live = self._epoch, self._live
            value = self._query(owner)
            if live:
                self._remember({owner: value}, epoch)
            return value
        return self._query(owner)

    def committed(self, revisions: dict[int, int]) -> None:
        """This process committed these revisions: known at once, before any announcement."""
        if self._postgres and revisions:
            with self._lock:
                epoch = self._epoch
            self._remember(revisions, epoch)

    def close(self) -> None:
        self._stop.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
        with self._query_lock:
            self._drop()

    # Internals

    def _remember(self, revisions: dict[int, int], epoch: int) -> None:
        with self._lock:
            if not self._live or epoch != self._epoch:
                return
            for owner, value in revisions.items():
                if value > self._known.get(owner, -1):
                    self._known[owner] = value

    def _query(self, owner: int) -> int:
        mark = "?" if self._engine.dialect.paramstyle == "qmark" else "%s"
        sql = f"SELECT revision FROM users WHERE id = {mark}"  # noqa: S608 - a fixed marker
        with self._query_lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None:
                        self._conn = self._connect()
                    cursor = self._conn.cursor()
                    try:
                        cursor.execute(sql, (owner,))
                        row = cursor.fetchone()
                    finally:
                        cursor.close()
                    return int(row[0]) if row else 0
                except self._errors:
                    self._drop()  # the server dropped it, say: one retry on a new connection
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    def _connect(self) -> Any:
        proxied = self._engine.raw_connection()
        driver = proxied.driver_connection
        proxied.detach()  # never returned to the pool with autocommit switched on
        if self._postgres:
            driver.autocommit = True  # type: ignore[union-attr]
        return driver

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(self._errors):
                self._conn.close()
            self._conn = None

    def _start_listening(self) -> None:
        if self._listener is not None or self._stop.is_set():
            return
        with self._lock:
            if self._listener is None:
                self._listener = threading.Thread(
                    target=self._listen, name="jobnudge-revisions", daemon=True
                )
                self._listener.start()

    def _listen(self) -> None:
        failures = 0
        while not self._stop.is_set():
            conn = None
            try:
                conn = self._connect()
                conn.execute(f"LISTEN {CHANNEL}")
                with self._lock:
                    self._epoch += 1
                    self._known.clear()
                    self._live = True
                failures = 0
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=self.POLL, stop_after=64):
                        self._heard(note.payload)
            except self._errors as exc:
                failures += 1
                if failures == 1:
                    log.warning("revision announcements interrupted (%s); querying instead", exc)
            finally:
                with self._lock:
                    self._live = False
                    self._known.clear()
                if conn is not None:
                    with contextlib.suppress(self._errors):
                        conn.close()
            self._stop.wait(min(5.0, 0.2 * failures))

    def _heard(self, payload: str) -> None:
        changes: dict[int, int] = {}
        for pair in payload.split(","):
            owner, _, value = pair.partition(":")
            if is_digits(owner) and is_digits(value):
                changes[int(owner)] = int(value)
        with self._lock:
            epoch = self._epoch
        self._remember(changes, epoch)
