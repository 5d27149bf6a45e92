"""Every write to a user's search increases their revision, exactly once per transaction, and
only theirs: the web app keeps rendered pages until this number moves."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from jobnudge.domain import EventType, Stage
from jobnudge.store import Store, open_store
from jobnudge.store.reads import Reader
from jobnudge.store.revisions import PAYLOAD_MAX, announcements
from jobnudge.store.writes import Tx

from .helpers import T0, World, nudge

WRITE = Callable[[Tx, int, World], Any]

WRITES: dict[str, WRITE] = {
    "set_user_settings": lambda tx, o, w: tx.set_user_settings(o, {"profile": {"name": "A"}}),
    "add_company": lambda tx, o, w: tx.add_company(o, "Initech"),
    "get_or_add_company": lambda tx, o, w: tx.get_or_add_company(o, "Initech"),
    "update_company": lambda tx, o, w: tx.update_company(o, w.acme.id, domains=["acme.io"]),
    "add_contact": lambda tx, o, w: tx.add_contact(o, name="Kim Park"),
    "update_contact": lambda tx, o, w: tx.update_contact(o, w.dana.id, title="HR lead"),
    "add_opportunity": lambda tx, o, w: tx.add_opportunity(o, company_id=w.acme.id, role="BI"),
    "update_opportunity": lambda tx, o, w: tx.update_opportunity(o, w.opportunity.id, notes="x"),
    "link_contact": lambda tx, o, w: tx.link_contact(o, w.opportunity.id, w.dana.id),
    "unlink_contact": lambda tx, o, w: tx.unlink_contact(o, w.opportunity.id, w.raj.id),
    "set_stage": lambda tx, o, w: tx.set_stage(o, w.opportunity.id, Stage.APPLIED),
    "refresh_stage": lambda tx, o, w: tx.refresh_stage(o, w.opportunity.id),
    "add_event": lambda tx, o, w: tx.add_event(
        o, opportunity_id=w.opportunity.id, type=EventType.APPLIED, at=T0, tz="UTC"
    ),
    "delete_event": lambda tx, o, w: tx.delete_event(
        o,
        tx.add_event(
            o, opportunity_id=w.opportunity.id, type=EventType.APPLIED, at=T0, tz="UTC"
        ).id,
    ),
    "keep_posting": lambda tx, o, w: tx.keep_posting(
        o,
        w.opportunity.id,
        url="https://jobs.example/1",
        text="We aim to reply.",
        page="",
        findings=[],
    ),
    "replace_nudges": lambda tx, o, w: tx.replace_nudges(
        o,
        w.opportunity.id,
        [nudge("k1", T0 + timedelta(days=1), opportunity_id=w.opportunity.id)],
    ),
}


def test_every_write_method_is_covered() -> None:
    """A new write method must be added here, so it cannot forget to touch the revision."""
    public = {
        name
        for name, member in inspect.getmembers(Tx, inspect.isfunction)
        if not name.startswith("_") and not hasattr(Reader, name)
    }
    assert public - {"claim", "touch", "bump_revisions", "ensure_user"} == set(WRITES)


@pytest.mark.parametrize("method", sorted(WRITES))
def test_each_write_increases_the_revision_once(
    store: Store, owner: int, world: World, method: str
) -> None:
    other = store.ensure_user("someone else")
    before, theirs = store.revision(owner), store.revision(other)
    with store.transaction(now=T0) as tx:
        WRITES[method](tx, owner, world)
        WRITES["add_contact"](tx, owner, world)  # two writes, one transaction: one step
    assert store.revision(owner) == before + 1
    assert store.revision(other) == theirs


def test_a_rolled_back_transaction_leaves_the_revision(
    store: Store, owner: int, world: World
) -> None:
    before = store.revision(owner)
    with pytest.raises(RuntimeError), store.transaction(now=T0) as tx:
        tx.add_company(owner, "Initech")
        raise RuntimeError("changed my mind")
    assert store.revision(owner) == before


def test_reads_leave_the_revision(store: Store, owner: int, world: World) -> None:
    before = store.revision(owner)
    with store.transaction(now=T0) as tx:
        tx.opportunities(owner)
    store.agenda_rows(owner, T0 + timedelta(days=7), T0)
    assert store.revision(owner) == before


def _eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_another_process_commits_are_seen(
    store: Store, owner: int, world: World, tmp_path: Path
) -> None:
    """A second store (another process, say the command line) writes: on SQLite the next
    question sees it; on PostgreSQL the announcement arrives within moments."""
    url = f"sqlite:///{store.sqlite_path}" if store.sqlite_path else _full_url(store)
    seen = store.revision(owner)
    other = open_store(url, data_dir=tmp_path)
    try:
        for step in range(1, 4):
            with other.transaction(now=T0) as tx:
                tx.add_contact(owner, name=f"Person {step}")
            if store.sqlite_path:
                assert store.revision(owner) == seen + step
            else:
                assert _eventually(lambda step=step: store.revision(owner) == seen + step)
    finally:
        other.close()
    assert store.revision(owner) == Reader.revision(store, owner)


def test_own_commits_are_seen_at_once(store: Store, owner: int, world: World) -> None:
    seen = store.revision(owner)
    for step in range(1, 4):
        with store.transaction(now=T0) as tx:
            tx.add_contact(owner, name=f"Person {step}")
        assert store.revision(owner) == seen + step


def test_dropped_connections_are_replaced(
    store: Store, owner: int, world: World, tmp_path: Path
) -> None:
    """The server drops every connection (a restart, say): answers stay right throughout, by
    query while the listener reconnects."""
    first = store.revision(owner)
    if store.sqlite_path:
        store._revisions._conn.close()
    else:
        assert _eventually(lambda: store._revisions._live)
        with store.engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    url = f"sqlite:///{store.sqlite_path}" if store.sqlite_path else _full_url(store)
    other = open_store(url, data_dir=tmp_path)
    try:
        with other.transaction(now=T0) as tx:
            tx.add_contact(owner, name="Kim Park")
    finally:
        other.close()
    assert _eventually(lambda: store.revision(owner) == first + 1)
    if not store.sqlite_path:
        assert _eventually(lambda: store._revisions._live)  # listening again
        with store.transaction(now=T0) as tx:
            tx.add_contact(owner, name="Lou Reed")
        assert store.revision(owner) == first + 2


def test_an_unknown_user_has_revision_zero(store: Store) -> None:
    assert store.revision(987654) == 0


def _full_url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_a_transaction_touching_thousands_of_users_commits_and_is_announced(
    store: Store, tmp_path: Path
) -> None:
    """A re-plan of a whole organisation changes thousands of users in one transaction: more
    than one announcement can carry (PostgreSQL refuses a payload of 8,000 bytes); every
    revision still reaches a listening process."""
    owners = [store.ensure_user(f"seeker{n}") for n in range(2_000)]
    one_payload = ",".join(f"{o}:{Reader.revision(store, o) + 1}" for o in owners)
    assert len(one_payload) > 8_000  # more than one announcement can carry
    url = f"sqlite:///{store.sqlite_path}" if store.sqlite_path else _full_url(store)
    other = open_store(url, data_dir=tmp_path)
    try:
        before = {o: other.revision(o) for o in (owners[0], owners[650], owners[-1])}
        with store.transaction(now=T0) as tx:
            for o in owners:
                tx.set_user_settings(o, {"playbook": {"apply_check_in_days": 9}})
        for o, seen in before.items():
            assert _eventually(lambda o=o, seen=seen: other.revision(o) == seen + 1)
        assert {store.revision(o) for o in owners} == {Reader.revision(store, owners[0])}
    finally:
        other.close()


@given(st.dictionaries(st.integers(1, 10**12), st.integers(1, 10**9), max_size=3_000))
def test_announcements_stay_under_the_limit_and_carry_every_revision(
    revisions: dict[int, int],
) -> None:
    payloads = announcements(revisions)
    assert all(0 < len(p.encode()) <= PAYLOAD_MAX for p in payloads)
    heard = {
        int(owner): int(value)
        for p in payloads
        for owner, _, value in (pair.partition(":") for pair in p.split(","))
    }
    assert heard == revisions
