"""Deleting any record of a search, then undoing it, gives back the very same search: the same
backup and the same follow-ups; deletions can be undone in any order; and the kept deletions
expire (services/deleting.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.config import Profile, Settings
from jobnudge.errors import NotFound
from jobnudge.services import backup, deleting
from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.store import Store, open_store

NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
SETTINGS = Settings(profile=Profile(name="Alex Morgan", tz="America/New_York", country="US"))
USERS = itertools.count()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(None, data_dir=tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


def demo_session(store: Store, now: datetime = NOW) -> Session:
    """The demo search for a new user of ``store``."""
    owner = store.ensure_user(f"user{next(USERS)}")
    session = Session(store=store, settings=SETTINGS, owner=owner, now=now)
    demo_service.load(session)
    return session


def state(session: Session) -> tuple[Any, ...]:
    """Everything the user would see: the backup (ids included) and every pending follow-up."""
    doc = backup.backup(session)
    doc.pop("exported_at")
    rows = session.store.agenda_rows(session.owner, NOW + timedelta(days=3650), NOW)
    return doc, sorted((r.key, r.rule, r.due, r.contact_id, r.reason) for r in rows)


def delete(session: Session, kind: str, pick: int) -> deleting.Deleted:
    store, owner = session.store, session.owner
    if kind == "opportunity":
        ids = store.all_opportunity_ids(owner)
        return deleting.delete_opportunity(session, ids[pick % len(ids)])
    if kind == "contact":
        people = store.contacts(owner)
        return deleting.delete_contact(session, people[pick % len(people)].id)
    events = [e for i in store.all_opportunity_ids(owner) for e in store.events(owner, i)]
    events += store.events(owner, None)
    return deleting.delete_event(session, events[pick % len(events)].id)


KINDS = st.sampled_from(["opportunity", "contact", "event"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(KINDS, st.integers(0, 60)), min_size=1, max_size=3))
def test_undoing_every_deletion_in_reverse_gives_back_the_same_search(
    store: Store, steps: list[tuple[str, int]]
) -> None:
    session = demo_session(store)
    states = [state(session)]
    done = []
    for kind, pick in steps:
        done.append(delete(session, kind, pick))
        states.append(state(session))
        assert states[-1] != states[-2]
    for step in reversed(done):
        states.pop()
        assert step.deletion_id is not None
        deleting.undo(session, step.deletion_id)
        assert state(session) == states[-1]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(st.tuples(KINDS, st.integers(0, 60)), min_size=2, max_size=4),
    data=st.data(),
)
def test_undoing_every_deletion_in_any_order_gives_back_the_same_search(
    store: Store, steps: list[tuple[str, int]], data: st.DataObject
) -> None:
    session = demo_session(store)
    start = state(session)
    done = [delete(session, kind, pick) for kind, pick in steps]
    for step in data.draw(st.permutations(done)):
        deleting.undo(session, step.deletion_id)
    assert state(session) == start
    assert deleting.kept(session) == []


def test_deletions_undo_in_any_order_and_end_where_they_started(store: Store) -> None:
    session = demo_session(store)
    people = {c.name: c.id for c in store.contacts(session.owner)}
    northwind = next(
        o.id for o, _s in store.opportunities(session.owner) if o.company.startswith("North")
    )
    first = deleting.delete_opportunity(session, northwind)
    second = deleting.delete_contact(session, people["Dana Lee"])
    deleting.undo(session, first.deletion_id)  # the older one first: Dana is still gone
    events = store.events(session.owner, northwind)
    assert events and all(people["Dana Lee"] not in e.contact_ids for e in events)
    deleting.undo(session, second.deletion_id)
    assert any(people["Dana Lee"] in e.contact_ids for e in store.events(session.owner, northwind))


def test_undo_takes_the_latest_and_deletions_expire(store: Store) -> None:
    session = demo_session(store)
    ids = store.all_opportunity_ids(session.owner)
    old = deleting.delete_opportunity(session, ids[0])
    later = Session(store=store, settings=SETTINGS, owner=session.owner, now=NOW + timedelta(1))
    recent = deleting.delete_opportunity(later, ids[1])
    assert [k.id for k in deleting.kept(later)] == [recent.deletion_id, old.deletion_id]
    assert deleting.undo(later).summary == recent.summary
    month = NOW + timedelta(days=deleting.KEEP_DAYS, hours=1)
    gone = Session(store=store, settings=SETTINGS, owner=session.owner, now=month)
    assert deleting.kept(gone) == []
    with pytest.raises(NotFound, match="Nothing to undo"):
        deleting.undo(gone)
    with pytest.raises(NotFound, match="older than 30 days"):
        deleting.undo(gone, old.deletion_id)
    assert ids[0] not in store.all_opportunity_ids(session.owner)


def test_another_users_deletion_is_not_found(store: Store) -> None:
    alice, bob = demo_session(store), demo_session(store)
    done = deleting.delete_opportunity(alice, store.all_opportunity_ids(alice.owner)[0])
    with pytest.raises(NotFound):
        deleting.undo(bob, done.deletion_id)
    with pytest.raises(NotFound):
        deleting.delete_opportunity(bob, store.all_opportunity_ids(alice.owner)[1])
    with pytest.raises(NotFound):
        deleting.delete_contact(bob, store.contacts(alice.owner)[0].id)
    assert deleting.undo(alice).summary == done.summary


@pytest.mark.parametrize("people", [1, 2])
def test_the_confirmation_agrees_in_number(store: Store, people: int) -> None:
    from jobnudge.services import event_log, records

    owner = store.ensure_user(f"user{next(USERS)}")
    session = Session(store=store, settings=SETTINGS, owner=owner, now=NOW)
    names = ["Dana Lee", "Raj Patel"][:people]
    out = records.add_opportunity(
        session, "Acme", "Analyst", applied=NOW - timedelta(days=3), contacts=names
    )
    assert out.opportunity is not None
    for name in names:
        event_log.log_event(session, "acme", "received", at=NOW - timedelta(days=2), with_=[name])
    opp = store.opportunity(owner, out.opportunity.id)
    impact = deleting.opportunity_impact(session, opp)
    assert impact.goes[0] == f"{1 + people} entries on its timeline"
    verb = "stays" if people == 1 else "stay"
    assert impact.stays == [f"{' and '.join(names)} {verb} in your contacts"]
    dana = records.contact(session, "Dana Lee")
    assert deleting.contact_impact(session, dana).goes == [
        "their link to Acme — Analyst (the opportunity stays)",
        "their name on 1 event (the event stays)",
    ]
