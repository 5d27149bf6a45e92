"""One read connection for a whole web request, on PostgreSQL.

A page reads through a dozen store functions, and each used to take a connection of its own
from the pool: a ping to check it was alive, ``BEGIN``, the query, ``ROLLBACK``: four round
trips for one query, most of a caseload page's time under load. Reads on PostgreSQL now run
in autocommit (each statement sees what was committed when it started, exactly as in the
READ COMMITTED transaction it replaced, without the ``BEGIN`` and ``ROLLBACK``), and within
:func:`lease` (the web app opens one per request) every read takes the same connection,
checked once.

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

    def close(self) -> None:
        with self._lock:
            held, self._held = list(self._held.values()), {}
        for conn in held:
            conn.close()


_current: ContextVar[Lease | None] = ContextVar("jobnudge_read_lease", default=None)


def current() -> Lease | None:
    """The lease of the request being served, if any."""
    return _current.get()


@contextmanager
def lease() -> Iterator[Lease]:
    """Reads in this block (and in the threads it hands work to through the context, as
    Starlette's thread pool does) share one connection per PostgreSQL database."""
    held = Lease()
    token = _current.set(held)
    try:
        yield held
    finally:
        _current.reset(token)
        held.close()
