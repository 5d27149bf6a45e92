"""The page cache on its own: expiry, stamps, the size bound, and one render at a time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from jobnudge.web.pagecache import TOKEN_SLOT, Kept, PageCache, next_minute

NOW = datetime(2026, 11, 24, 15, 30, 20, tzinfo=UTC)


def kept(text: str, stamp: int = 1, until: datetime | None = None) -> Kept:
    return Kept.of(text.encode(), stamp, until or next_minute(NOW))


def test_a_page_is_served_for_its_stamp_until_it_expires() -> None:
    cache = PageCache()
    cache.put("k", kept(f"<input value={TOKEN_SLOT}> and {TOKEN_SLOT}"))
    found = cache.get("k", 1, NOW)
    assert found is not None
    assert found.fill("abc") == b"<input value=abc> and abc"
    assert cache.get("k", 2, NOW) is None  # the search changed
    cache.put("k", kept("x"))
    assert cache.get("k", 1, NOW.replace(second=0) + timedelta(minutes=1)) is None
    assert len(cache) == 0  # the stale page is dropped


def test_the_least_recently_used_page_goes_first() -> None:
    cache = PageCache(budget=25)
    cache.put("a", kept("a" * 10))
    cache.put("b", kept("b" * 10))
    assert cache.get("a", 1, NOW) is not None
    cache.put("c", kept("c" * 10))
    assert cache.get("b", 1, NOW) is None
    assert cache.get("a", 1, NOW) is not None
    assert cache.size == 20
    cache.put("a", kept("a" * 5))  # replacing a page counts its new size only
    assert cache.size == 15
    cache.put("huge", kept("h" * 26))  # larger than the whole budget: not kept
    assert cache.get("huge", 1, NOW) is None and cache.size == 15


def test_requests_during_a_render_wait_for_it() -> None:
    cache = PageCache()
    builds: list[int] = []
    started = threading.Event()

    def build() -> tuple[Kept, bool]:
        builds.append(1)
        started.set()
        time.sleep(0.2)
        return kept("page"), True

    results: list[bytes] = []

    def ask() -> None:
        page, _ = cache.obtain("k", 1, NOW, build)
        results.append(page.fill("t"))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(5)
    others = [threading.Thread(target=ask) for _ in range(8)]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    assert len(builds) == 1
    assert results == [b"page"] * 9


def test_a_page_that_may_not_be_kept_is_rendered_by_each_request() -> None:
    cache = PageCache()
    builds: list[int] = []

    def build() -> tuple[Kept, bool]:
        builds.append(1)
        return kept("error"), False

    for _ in range(3):
        page, fresh = cache.obtain("k", 1, NOW, build)
        assert fresh and page.fill("t") == b"error"
    assert len(builds) == 3 and len(cache) == 0


def test_a_failed_render_lets_the_next_request_try() -> None:
    cache = PageCache()

    def broken() -> tuple[Kept, bool]:
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        cache.obtain("k", 1, NOW, broken)
    page, fresh = cache.obtain("k", 1, NOW, lambda: (kept("ok"), True))
    assert fresh and page.fill("t") == b"ok"
