"""Rendered pages kept per search and revision, so a busy page is built only when it could differ.

One page is kept per key (the address and the viewer). A page is a function of the search's
data, the viewer, the settings and the clock. The data
part is the user's revision (``users.revision``, increased by every write transaction whichever
process made it), so a kept page is served only while that number is unchanged. The clock part
is an expiry: the start of the next minute (pages show the current time to the minute) or
earlier, when the page knows the next moment it would change by itself (a follow-up becoming
due). The CSRF token, the only per-visitor text in a page, is written as a placeholder and filled
in for each response.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

TOKEN_SLOT = "csrf-slot-" + secrets.token_hex(16)
"""Stands for the visitor's CSRF token in a kept page; random per process, so no text a user
types can be mistaken for it."""


def next_minute(now: datetime) -> datetime:
    """The start of the minute after ``now``: pages show times to the minute."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Kept:
    parts: tuple[bytes, ...]  # the page as sent, cut where the CSRF token goes
    stamp: Hashable  # what the page was built from: the revision and the settings
    until: datetime  # served only before this instant

    @classmethod
    def of(cls, body: bytes, stamp: Hashable, until: datetime) -> Kept:
        return cls(tuple(body.split(TOKEN_SLOT.encode())), stamp, until)

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts)

    def fill(self, token: str) -> bytes:
        """The page with the visitor's token in every form (a join: a page's forms are many)."""
        return token.encode().join(self.parts)


class _Build:
    """A page being rendered: requests wanting the same page wait for it."""

    def __init__(self, stamp: Hashable) -> None:
        self.stamp = stamp
        self.done = threading.Event()
        self.result: Kept | None = None


class PageCache:
    """A map from a page's key to its rendered bytes, bounded in bytes (a busy Today page of a
    large search is a few hundred kilobytes), least recently used dropped first.

    Thread-safe: pages are rendered in the server's worker threads. One render per key and
    stamp runs at a time: when a write makes a busy page stale, the requests arriving during
    its new render wait for that one render instead of each rendering it again.
    """

    WAIT = 30.0  # seconds a request waits for another's render before rendering itself

    def __init__(self, budget: int = 64 * 1024 * 1024) -> None:
        self.budget = budget
        self._bytes = 0
        self._pages: OrderedDict[Hashable, Kept] = OrderedDict()
        self._building: dict[Hashable, _Build] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def obtain(
        self,
        key: Hashable,
        stamp: Hashable,
        now: datetime,
        build: Callable[[], tuple[Kept, bool]],
    ) -> tuple[Kept, bool]:
        """The kept page for ``key`` and ``stamp``, else ``build()``'s (whose flag says whether
        it may be kept: an error page is not). Returns the page and whether it came from a
        render made for this very request."""
        kept = self.get(key, stamp, now)
        if kept is not None:
            return kept, False
        with self._lock:
            running = self._building.get(key)
            mine = running is None or running.stamp != stamp
            if mine:
                running = _Build(stamp)
                self._building[key] = running
        assert running is not None
        if not mine:
            running.done.wait(self.WAIT)
            found = running.result
            if found is not None and found.stamp == stamp and now < found.until:
                with self._lock:
                    self.hits += 1
                return found, False
            return build()
        try:
            kept, keep = build()
            if keep:
                running.result = kept
                self.put(key, kept)
            return kept, True
        finally:
            with self._lock:
                if self._building.get(key) is running:
                    del self._building[key]
            running.done.set()

    def get(self, key: Hashable, stamp: Hashable, now: datetime) -> Kept | None:
        """The page kept under ``key`` if it was built from ``stamp`` and has not expired."""
        with self._lock:
            kept = self._pages.get(key)
            if kept is None or kept.stamp != stamp or now >= kept.until:
                if kept is not None:
                    self._bytes -= self._pages.pop(key).size
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return kept

    def put(self, key: Hashable, kept: Kept) -> None:
        if kept.size > self.budget:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._pages[key] = kept
            self._bytes += kept.size
            while self._bytes > self.budget:
                self._bytes -= self._pages.popitem(last=False)[1].size

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def size(self) -> int:
        """What the kept pages weigh, at most ``budget``."""
        return self._bytes
