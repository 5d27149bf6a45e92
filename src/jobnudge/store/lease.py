"""One read connection for a stretch of blocking work, on PostgreSQL.

A page reads through a dozen store functions, and each used to take a connection of its own
from the pool: a ping to check it was alive, ``BEGIN``, the query, ``ROLLBACK``: four round
trips for one query, most of a caseload page's time under load. Reads on PostgreSQL now run
in autocommit (each statement sees what was committed when it started, exactly as in the
READ COMMITTED transaction it replaced, without the ``BEGIN`` and ``ROLLBACK``), and within
:func:`lease` every read takes the same connection, checked once.

A lease must never hold a connection while it waits for anything but its own reads, or the
pool runs dry: the web app leases for each piece of work it hands to a worker thread (never
across waiting for a request's body or a slow client), and a write gives the idle connection
back (:meth:`Lease.give_back`) before it takes its own, so one piece of work holds one
connection at a time, as before.

SQLite is left as it is: there a read transaction is a snapshot, so holding one connection
across a request would hide the request's own writes from its later reads; and its
connections cost no round trip.

A lease's connection is lent to one read at a time: a read that starts while another holds it
(nested, or on another thread of the same request) takes a connection of its own, so a
connection is never used by two threads at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

TYPE_CHECKING = False
if TYPE_CHECKING:
    from sqlalchemy import Connection


class Lease:
    """The read connections of one request, a connection per database, opened when first
    needed and returned to their pools when the request ends."""

    def __init__(self) -> None:
        self._held: dict[str, Connection] = {}
        self._busy: set[str] = set()
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self, key: str, open_: Callable[[], Connection]) -> Iterator[Connection | None]:
        """The held connection for the database ``key`` (opened with ``open_`` the first
        time), or None while another read holds it."""
        with self._lock:
            if key in self._busy:
                mine = False
            else:
                mine = True
                self._busy.add(key)
        if not mine:
            yield None
            return
        try:
            conn = self._held.get(key)
            if conn is None:
                conn = self._held[key] = open_()
            yield conn
        finally:
            with self._lock:
                self._busy.discard(key)
                held = self._held.get(key)
                if held is not None and (held.invalidated or held.closed):
                    del self._held[key]  # the server dropped it: the next read opens anew

    def give_back(self, key: str) -> None:
        """Return the held connection of ``key`` to its pool now, unless a read has it (a
        write is about to take a connection: holding two would let busy writers empty the
        pool while each waits for one more)."""
        with self._lock:
            if key in self._busy:
                return
            conn = self._held.pop(key, None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        with self._lock:
            held, self._held = list(self._held.values()), {}
        for conn in held:
            conn.close()


_current: ContextVar[Lease | None] = ContextVar("jobnudge_read_lease", default=None)


def current() -> Lease | None:
    """The lease of the work being done, if any."""
    return _current.get()


def give_back(key: str) -> None:
    """Before a write on the database ``key``: the current lease's idle connection goes back."""
    held = _current.get()
    if held is not None:
        held.give_back(key)


@contextmanager
def lease() -> Iterator[Lease]:
    """Reads in this block share one connection per PostgreSQL database (a read that starts
    while another has it, on this thread or another the context was copied to, takes its
    own)."""
    held = Lease()
    token = _current.set(held)
    try:
        yield held
    finally:
        _current.reset(token)
        held.close()
