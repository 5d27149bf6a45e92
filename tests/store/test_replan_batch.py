"""A batch re-plan (``services.replanning``: several accounts in one transaction, their records
read together by ``store.batch_users``) stores exactly what re-planning each account on its
own stores: each opportunity refreshed one at a time, then the search-wide nudges, with that
account's own stored settings. Generated searches as in ``test_replan_whole_user.py``, several
accounts per example with different settings; on SQLite and PostgreSQL.

On PostgreSQL, the locks: a batch waits for a transaction holding one of its accounts and
writes none of them before (it re-plans from what that transaction committed), and two
batches sharing an account, run at once, both finish with the right plans.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from jobnudge.config import Profile, Settings
from jobnudge.domain import EventType
from jobnudge.services import nudges, replanning
from jobnudge.services.session import Session
from jobnudge.store import Store, batch, batch_users
from jobnudge.store.tables import nudges as nudge_rows
from jobnudge.store.tables import users
from tests.pinned import PINNED_NOW, as_env

from .test_replan_whole_user import (
    CHOICES,
    EVENTS,
    FIRMS,
    OPPORTUNITIES,
    PEOPLE,
    USERS,
    _build,
    _decide,
    _restore,
    _snapshot,
    _stored,
)

FIRST = Settings(profile=Profile(name="Alex", tz="America/New_York", country="US"))
LATER = PINNED_NOW + timedelta(minutes=90)
ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo"]

SEARCH = st.tuples(FIRMS, PEOPLE, OPPORTUNITIES, EVENTS, CHOICES)


def _document(n: int) -> dict[str, Any]:
    """Account ``n``'s stored settings: its own zone and playbook numbers."""
    return {
        "profile": {"name": f"Seeker {n}", "tz": ZONES[n % len(ZONES)], "country": "US"},
        "playbook": {
            "apply_check_in_days": 5 + n,
            "first_round_status_days": 4 + n % 3,
            "staffing_every_days": 10 + n,
        },
    }


def _set_documents(store: Store, documents: dict[int, dict[str, Any]]) -> None:
    with store.engine.begin() as conn:
        for owner, doc in documents.items():
            conn.execute(users.update().where(users.c.id == owner).values(settings=doc))


def _revision(store: Store, owner: int) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(users.c.revision).where(users.c.id == owner)) or 0)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(SEARCH, min_size=1, max_size=3))
def test_a_batch_stores_what_each_account_replanned_alone_stores(
    store: Store, searches: list[tuple[Any, ...]]
) -> None:
    owners = [store.ensure_user(f"batch user {next(USERS)}") for _ in searches]
    planned = {}
    for owner, (firms, people, opps, events, choices) in zip(owners, searches, strict=True):
        _build(store, owner, (firms, people, opps, events))
        nudges.refresh_all(Session(store, FIRST, owner, PINNED_NOW))
        _decide(store, owner, choices)
        planned[owner] = _snapshot(store, owner)
    documents = {owner: _document(n) for n, owner in enumerate(owners)}
    _set_documents(store, documents)

    # Each account alone, one opportunity at a time, with its own settings and zone.
    alone = {}
    for owner in owners:
        mine = replanning.account_settings(documents[owner])
        with store.transaction(now=LATER) as tx:
            for oid in tx.all_opportunity_ids(owner):
                nudges.refresh(store, tx, owner, oid, mine)
            nudges.refresh_search(store, tx, owner, mine, LATER)
        alone[owner] = _stored(store, owner)
        _restore(store, owner, planned[owner])

    with pytest.MonkeyPatch.context() as env:
        env.setenv("NUDGE_NOW", as_env(LATER))
        gone = max(owners) + 1000  # deleted since it was queued: passed over
        done = replanning.replan_batch_here(store, [*reversed(owners), gone])
    assert (done.replanned, done.skipped) == (len(owners), [])
    assert done.opportunities == sum(len(s[2]) for s in searches)
    assert {owner: _stored(store, owner) for owner in owners} == alone


def test_the_batch_read_gives_what_each_user_read_gives(store: Store) -> None:
    owners = [store.ensure_user(f"reader {n}") for n in range(3)]
    _build(store, owners[0], ([True, False], [("Sam", 0, set())], [(0, 1, 0)], []))
    _build(store, owners[2], ([False], [], [(0, 3, 5), (0, 0, 9)], [(0, EventType.APPLIED, -3,
                                                                     [], 0)]))  # fmt: skip
    with store.transaction(now=PINNED_NOW) as tx:
        one_by_one = {owner: batch.read_user(tx, owner) for owner in owners}
        together = batch_users.read_users(tx, owners)
    assert together == one_by_one
    assert together[owners[1]].plans == []


def test_an_account_whose_settings_do_not_parse_is_left_out(store: Store) -> None:
    owners = [store.ensure_user(f"settings {n}") for n in range(2)]
    for owner in owners:
        _build(store, owner, ([False], [], [(0, 3, 5)], [(0, EventType.APPLIED, -2, [], 0)]))
        nudges.refresh_all(Session(store, FIRST, owner, PINNED_NOW))
    broken = {"playbook": {"apply_check_in_days": "soon"}}
    _set_documents(store, {owners[0]: broken, owners[1]: _document(1)})
    before = _stored(store, owners[0]), _revision(store, owners[0]), _revision(store, owners[1])
    done = replanning.replan_batch_here(store, owners)
    assert done.replanned == 1
    [(left, why)] = done.skipped
    assert left == owners[0] and "apply_check_in_days" in why
    after = _stored(store, owners[0]), _revision(store, owners[0]), _revision(store, owners[1])
    assert after == (before[0], before[1], before[2] + 1)


def _search(store: Store, owner: int) -> None:
    _build(store, owner, ([False], [], [(0, 3, 5)], [(0, EventType.APPLIED, -2, [], 0)]))
    nudges.refresh_all(Session(store, FIRST, owner, PINNED_NOW))


def _check_in_due(store: Store, owner: int) -> Any:
    with store.engine.connect() as conn:
        return conn.scalar(
            select(nudge_rows.c.due).where(
                nudge_rows.c.owner_id == owner, nudge_rows.c.rule == "apply.check-in"
            )
        )


def _waiting_for_a_lock(store: Store) -> int:
    with store.engine.connect() as conn:
        found = conn.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
    return int(found or 0)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_batch_waits_for_a_writer_of_one_of_its_accounts(store: Store) -> None:
    owners = [store.ensure_user(f"locked {n}") for n in range(3)]
    for owner in owners:
        _search(store, owner)
    _set_documents(store, {owner: _document(2) for owner in owners})
    first, held, last = owners
    revisions = [_revision(store, o) for o in owners]
    errors: list[BaseException] = []
    outcomes: list[replanning.Outcome] = []

    def run() -> None:
        try:
            outcomes.append(replanning.replan_batch_here(store, owners))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    job = threading.Thread(target=run)
    with store.transaction(now=PINNED_NOW) as tx:
        tx.claim(held)  # a writer of one account, in the middle of its transaction
        job.start()
        deadline = threading.Event()
        for _ in range(300):
            if _waiting_for_a_lock(store):
                break
            deadline.wait(0.1)
        assert _waiting_for_a_lock(store) == 1, "the batch should wait for the account's lock"
        # Nothing of the batch is written while it waits, not even its first account.
        assert [_revision(store, o) for o in owners] == revisions
        tx.set_user_settings(held, _document(4))  # what the writer commits comes first
    job.join(60)
    assert not job.is_alive() and not errors
    assert [(o.replanned, o.skipped) for o in outcomes] == [(3, [])]
    assert [_revision(store, o) for o in owners] == [
        revisions[0] + 1,
        revisions[1] + 2,
        revisions[2] + 1,
    ]
    # The held account was re-planned from the settings its writer committed (a check-in
    # after 9 days, not 7 like the others).
    assert _check_in_due(store, held) != _check_in_due(store, first)
    assert _check_in_due(store, first) == _check_in_due(store, last)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_batches_sharing_accounts_run_at_once_and_both_finish(store: Store) -> None:
    owners = [store.ensure_user(f"shared {n}") for n in range(4)]
    for owner in owners:
        _search(store, owner)
    _set_documents(store, {owner: _document(1) for owner in owners})
    revisions = [_revision(store, o) for o in owners]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(part: list[int]) -> None:
        try:
            start.wait(10)
            for _ in range(5):
                replanning.replan_batch_here(store, part)
        except BaseException as exc:  # reported below
            errors.append(exc)

    # Opposite orders: the locks are taken in id order, so neither waits for the other forever.
    jobs = [
        threading.Thread(target=run, args=(owners[:3],)),
        threading.Thread(target=run, args=(list(reversed(owners[1:])),)),
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(120)
    assert not errors and not any(job.is_alive() for job in jobs)
    assert [_revision(store, o) for o in owners] == [
        revisions[0] + 5,
        revisions[1] + 10,
        revisions[2] + 10,
        revisions[3] + 5,
    ]
    assert len({_check_in_due(store, o) for o in owners}) == 1
