"""Failed sign-ins kept in the database: every scenario of the sign-in limits holds there too,
and two web workers (two stores on one database) count the same failures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from jobnudge.store import Store, open_store
from jobnudge.store.signin_runs import DatabaseRuns
from jobnudge.web.signin_limits import SignInLimiter
from tests.web.test_signin_limits import (  # noqa: F401 - collected here, on the database
    Clock,
    test_a_run_of_failures_is_forgotten_after_15_minutes,
    test_no_sequence_of_attempts_makes_anyone_wait_over_a_minute,
    test_one_address_trying_many_accounts_waits_too,
    test_someone_elses_failures_do_not_keep_the_owner_out,
    test_the_wait_grows_after_two_free_failures_up_to_a_minute,
)


def _clear(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM signin_runs"))
        conn.execute(text("DELETE FROM signin_known"))


@pytest.fixture
def make(store: Store) -> Callable[[Clock], SignInLimiter]:
    def limiter(clock: Clock) -> SignInLimiter:
        _clear(store)  # hypothesis calls this once per example
        return SignInLimiter(clock, DatabaseRuns(store))

    return limiter


def _second_worker(store: Store, tmp_path: Path) -> Store:
    """Another process's store on the same database."""
    url = store.engine.url.render_as_string(hide_password=False)
    if store.engine.dialect.name == "sqlite":
        return open_store(None, data_dir=Path(str(store.engine.url.database)).parent)
    return open_store(url, data_dir=tmp_path)


def test_two_workers_count_the_same_failures(store: Store, tmp_path: Path) -> None:
    _clear(store)
    other = _second_worker(store, tmp_path)
    try:
        clock = Clock()
        first = SignInLimiter(clock, DatabaseRuns(store))
        second = SignInLimiter(clock, DatabaseRuns(other))
        for limiter in (first, second, first, second, first):
            limiter.failed("dana", "203.0.113.66")
            clock.advance(limiter.retry_after("dana", "203.0.113.66"))
        # five failures across both workers: the sixth attempt waits 8 s on either
        clock.advance(-8)
        assert first.retry_after("dana", "203.0.113.66") == 8
        assert second.retry_after("dana", "203.0.113.66") == 8
        second.succeeded("dana", "198.51.100.7")  # Dana signs in at home through the other
        assert first.retry_after("dana", "198.51.100.7") == 0
    finally:
        other.close()


def test_names_and_addresses_are_not_stored_in_clear(store: Store) -> None:
    _clear(store)
    limiter = SignInLimiter(Clock(), DatabaseRuns(store))
    limiter.failed("dana.morgan", "203.0.113.66")
    limiter.succeeded("dana.morgan", "198.51.100.7")
    with store.engine.connect() as conn:
        cells = [
            str(value)
            for table in ("signin_runs", "signin_known")
            for row in conn.execute(text(f"SELECT * FROM {table}"))
            for value in row
        ]
    assert cells and not any(
        secret in cell for cell in cells for secret in ("dana", "203.0.113", "198.51.100")
    )
