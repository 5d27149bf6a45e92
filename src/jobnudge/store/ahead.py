"""Rows made on a thread of their own while the caller writes the ones made before.

Why: an import's bulk writes alternate two kinds of work. Making a row is Python (values
converted, follow-ups derived) and holds the interpreter lock; writing it is the database's
(SQLite's B-trees, run by the driver with the lock released, or a PostgreSQL server on another
core checking keys and building indexes). Done one after the other, each waits for the other:
at 100,000 rows the database's share was a third of the import. Here a thread makes the rows,
in chunks, while the caller's thread hands the chunks before them to the database, so the two
overlap on a machine with more than one core.

Only the caller's thread touches the connection: the row makers work from memory (what they
need from the database is read before they start), and must not use it, which nothing but this
rule prevents (SQLAlchemy lets SQLite's driver use a file's connection from any thread).
An exception raised while making the rows is raised again in the caller, as if the
rows had been made there; when the caller stops early (the database refused a row), the maker
is stopped and waited for before the exception goes on, so nothing keeps running after the
transaction is rolled back.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
C = TypeVar("C")

_DONE = object()


class _Failed:
    """What the maker raised, carried to the caller's thread."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class Ahead(Generic[C]):
    """Chunks of ``size`` items of ``items``, each turned into what the caller writes by
    ``pack`` (a list by default), made on a thread at most ``depth`` chunks ahead of the one the
    caller takes. Iterate it once, inside ``with``: leaving the block stops and joins the
    thread (the rows not taken are dropped)."""

    def __init__(
        self,
        items: Iterable[T],
        size: int,
        pack: Callable[[list[T]], C],
        *,
        depth: int = 4,
        name: str = "rows-ahead",
    ) -> None:
        if size < 1 or depth < 1:
            raise ValueError("size and depth must be at least 1")
        self._chunks: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        context = contextvars.copy_context()  # what the caller set (a lease, a budget)
        self._thread = threading.Thread(
            target=context.run, args=(self._make, items, size, pack), name=name, daemon=True
        )
        self._started = False

    def _make(self, items: Iterable[T], size: int, pack: Callable[[list[T]], C]) -> None:
        try:
            chunk: list[T] = []
            for item in items:
                chunk.append(item)
                if len(chunk) == size:
                    if not self._put(pack(chunk)):
                        return
                    chunk = []
            if chunk and not self._put(pack(chunk)):
                return
            self._put(_DONE)
        except BaseException as exc:  # carried to the caller, raised there
            self._put(_Failed(exc))

    def _put(self, value: object) -> bool:
        """Queue ``value`` unless the caller has stopped; whether it was queued."""
        while not self._stop.is_set():
            try:
                self._chunks.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __enter__(self) -> Ahead[C]:
        self._thread.start()
        self._started = True
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a maker waiting for room, then wait for it
            try:
                self._chunks.get_nowait()
            except queue.Empty:
                self._thread.join(timeout=0.05)

    def __iter__(self) -> Iterator[C]:
        if not self._started:
            raise RuntimeError("iterate an Ahead inside its with block")
        while True:
            try:
                value = self._chunks.get(timeout=0.5)
            except queue.Empty:
                if self._thread.is_alive():
                    continue
                # The maker always ends with a last word; without one it was stopped (its
                # block has ended): what is not taken by then is never made.
                raise RuntimeError("the rows made ahead were stopped before they ended") from None
            if value is _DONE:
                return
            if isinstance(value, _Failed):
                raise value.error
            yield value  # type: ignore[misc]
