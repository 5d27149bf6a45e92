"""Rows made ahead on a thread: the caller gets every chunk in order, exceptions come out where
the rows are taken, and nothing keeps running once the caller stops."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.store.ahead import Ahead


class Broken(Exception):
    pass


def _made(count: int, fail_at: int | None = None) -> Iterator[int]:
    for n in range(count):
        if n == fail_at:
            raise Broken(f"row {n}")
        yield n


@given(
    count=st.integers(0, 300),
    size=st.integers(1, 40),
    depth=st.integers(1, 5),
    fail_at=st.none() | st.integers(0, 300),
)
def test_chunks_come_in_order_and_a_failure_where_it_happened(
    count: int, size: int, depth: int, fail_at: int | None
) -> None:
    taken: list[list[int]] = []
    failing = fail_at is not None and fail_at < count
    with Ahead(_made(count, fail_at), size, list, depth=depth) as chunks:
        if failing:
            with pytest.raises(Broken, match=f"row {fail_at}"):
                for chunk in chunks:
                    taken.append(chunk)
        else:
            taken = list(chunks)
    flat = [n for chunk in taken for n in chunk]
    if failing and fail_at is not None:  # the whole chunks made before it; the rest is lost
        assert flat == list(range(fail_at // size * size))
    else:
        assert flat == list(range(count))
    assert all(len(chunk) == size for chunk in taken[:-1])
    assert all(0 < len(chunk) <= size for chunk in taken)


def test_a_caller_that_stops_early_stops_the_maker() -> None:
    made = 0

    def endless() -> Iterator[int]:
        nonlocal made
        while True:
            made += 1
            yield made

    with Ahead(endless(), 10, list, depth=2) as chunks:
        for _chunk in chunks:
            break
    seen = made
    assert not any(t.name == "rows-ahead" for t in threading.enumerate())
    assert seen == made  # nothing made after the block
    assert made <= 10 * 4  # the chunk taken, at most two queued and one being made


def test_an_error_of_the_caller_stops_the_maker_before_it_goes_on() -> None:
    with pytest.raises(KeyError), Ahead(iter(range(10**9)), 100, list, depth=1) as chunks:
        for _chunk in chunks:
            raise KeyError("the database refused a row")
    assert not any(t.name == "rows-ahead" for t in threading.enumerate())


def test_the_maker_sees_what_the_caller_set() -> None:
    setting: contextvars.ContextVar[str] = contextvars.ContextVar("setting", default="unset")
    setting.set("the caller's")

    def read() -> Iterator[str]:
        yield setting.get()
        yield threading.current_thread().name

    with Ahead(read(), 5, list) as chunks:
        (chunk,) = list(chunks)
    assert chunk == ["the caller's", "rows-ahead"]


def test_iterating_outside_the_block_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside its with block"):
        list(Ahead(iter([1]), 1, list))
    with pytest.raises(ValueError, match="at least 1"):
        Ahead(iter([1]), 0, list)


def test_rows_taken_after_the_block_end_in_an_error_not_a_wait() -> None:
    def endless() -> Iterator[int]:
        n = 0
        while True:
            n += 1
            yield n

    with Ahead(endless(), 10, list, depth=2) as chunks:
        pass
    with pytest.raises(RuntimeError, match="stopped before they ended"):
        list(chunks)
