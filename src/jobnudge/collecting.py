"""The cyclic garbage collector held back while a large import holds its records in memory.

Why: an import keeps every record of the file it matches (a 100,000-row spreadsheet is about
a million objects) until the end of its transaction. With Python's default thresholds the
collector walks that growing heap again and again (its youngest generation every 700
allocations, each survivor moved up and walked once more in each older generation), which
cost about a sixth of the import's CPU. Held back, the youngest generation is collected only
after ``YOUNG`` net allocations: cycles are still collected, so memory stays bounded, but the
records are walked a few times instead of thousands.

The thresholds are the process's, shared by its threads: nested or concurrent holds (two
imports at once on a web server's threads) keep the thresholds raised until the last one
ends, and the thresholds found before the first are restored then, on every exit path.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 200_000
"""Net allocations of tracked objects between two collections of the youngest generation while
held back (Python's default is 700): at most this many young objects wait for a collection."""

_lock = threading.Lock()
_holds = 0
_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def held_back(young: int = YOUNG) -> Iterator[None]:
    """Collect the youngest generation only every ``young`` net allocations inside the block
    (never more rarely than it already was); the older generations keep their own ratios."""
    global _holds, _saved
    with _lock:
        if _holds == 0:
            _saved = gc.get_threshold()
            first, *older = _saved
            if first > 0:  # 0: the collector is off and stays so
                gc.set_threshold(max(first, young), *older)
        _holds += 1
    try:
        yield
    finally:
        with _lock:
            _holds -= 1
            if _holds == 0:
                gc.set_threshold(*_saved)
