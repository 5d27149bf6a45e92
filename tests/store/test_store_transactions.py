"""Writes are all or nothing, and SQLite is set up as a real multi-process database."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from jobnudge.domain import EventType
from jobnudge.errors import Conflict
from jobnudge.store import Store, open_store

from .helpers import T0, World, nudge, sqlite_only


class Boom(Exception):
    pass


def _counts(store: Store, owner: int) -> tuple[int, ...]:
    return (
        len(store.companies(owner)),
        len(store.contacts(owner)),
        len(store.opportunities(owner)),
        store.count_events(owner),
        len(store.nudges(owner, until=T0 + timedelta(days=999), now=T0)),
    )


def test_a_failing_transaction_writes_nothing(store: Store, owner: int, world: World) -> None:
    before = _counts(store, owner)
    with pytest.raises(Boom), store.transaction() as tx:
        company = tx.add_company(owner, "Globex")
        person = tx.add_contact(owner, name="Hank", company_id=company.id)
        opp = tx.add_opportunity(owner, company_id=company.id, role="Engineer")
        tx.link_contact(owner, opp.id, person.id)
        tx.add_event(owner, opportunity_id=opp.id, type=EventType.APPLIED, at=T0)
        tx.replace_nudges(owner, opp.id, [nudge("apply.check-in:x", T0, opportunity_id=opp.id)])
        tx.update_contact(owner, world.dana.id, title="changed")
        tx.set_user_settings(owner, {"changed": True})
        assert len(tx.opportunities(owner)) == 2  # the transaction sees its own writes
        raise Boom
    assert _counts(store, owner) == before
    assert store.contact(owner, world.dana.id) == world.dana
    assert store.user_settings(owner) == {}


def test_a_conflict_midway_undoes_the_earlier_writes(
    store: Store, owner: int, world: World
) -> None:
    before = _counts(store, owner)
    with pytest.raises(Conflict), store.transaction() as tx:
        tx.add_company(owner, "Globex")
        tx.add_event(owner, opportunity_id=world.opportunity.id, type=EventType.APPLIED, at=T0)
        tx.add_company(owner, "globex")
    assert _counts(store, owner) == before


def test_duplicate_nudge_keys_are_a_conflict(store: Store, owner: int, world: World) -> None:
    opp = world.opportunity.id
    twice = [nudge("same", T0, opportunity_id=opp), nudge("same", T0, opportunity_id=opp)]
    with pytest.raises(Conflict, match="share a key"), store.transaction() as tx:
        tx.replace_nudges(owner, opp, twice)


def test_commits_are_invisible_until_the_block_ends(store: Store, owner: int, world: World) -> None:
    with store.transaction() as tx:
        tx.add_company(owner, "Globex")
        assert tx.find_company(owner, "globex") is not None
        assert store.find_company(owner, "globex") is None  # another connection: not yet
    assert store.find_company(owner, "globex") is not None


@sqlite_only
def test_sqlite_pragmas(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 2000  # then says it waits
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@sqlite_only
def test_sqlite_writes_begin_immediate_and_reads_do_not_wait(
    store: Store, owner: int, world: World
) -> None:
    assert store.sqlite_path is not None
    other = sqlite3.connect(store.sqlite_path, timeout=0, isolation_level=None)
    try:
        with store.transaction():
            # Nothing written yet, but the write lock is already held: a second writer
            # queues at BEGIN instead of failing later when upgrading a read lock.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # Readers are not blocked by the writer (WAL).
            assert store.companies(owner)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        with store.engine.connect() as conn:  # a plain read begins DEFERRED: no lock taken
            conn.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


@sqlite_only
def test_a_second_sqlite_writer_waits_for_the_first(store: Store, owner: int) -> None:
    """Two processes' worth of writers on one file: the second queues, neither fails."""
    assert store.sqlite_path is not None
    second = open_store(None, data_dir=store.sqlite_path.parent)
    started, finished = threading.Event(), []

    def write_later() -> None:
        started.wait()
        with second.transaction() as tx:
            tx.add_company(owner, "Second")
        finished.append(time.monotonic())

    worker = threading.Thread(target=write_later)
    worker.start()
    try:
        with store.transaction() as tx:
            tx.add_company(owner, "First")
            started.set()
            time.sleep(0.3)
            released = time.monotonic()
    finally:
        worker.join(timeout=10)
        second.close()
    assert finished and finished[0] >= released
    assert [c.name for c in store.companies(owner)] == ["First", "Second"]
