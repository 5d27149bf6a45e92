"""The caseload page's numbers, read in one statement over partial indexes
(``store.caseload_reads``), equal those worked out in Python from every record of each seeker,
for any history and any moment, on SQLite and PostgreSQL; and each question is answered from
the index made for it (the statement repeats the indexes' conditions word for word)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from jobnudge.domain import Event, EventType, Nudge, Stage
from jobnudge.domain.activity import TURNS, USER_ACTIONS, WAITING_AFTER
from jobnudge.services.caseload import week_bounds
from jobnudge.store import Store, caseload_reads
from jobnudge.store.insights import all_events
from tests.pinned import PINNED_NOW

NOW = PINNED_NOW
TZ = "America/New_York"
FADED = timedelta(days=30)
_names = itertools.count()

# Few distinct instants, whole days from NOW: events often share one (the latest is then the
# higher id), and "now", a deadline and an expiry often meet (the comparisons' edges).
DAYS = [-61, -45, -31, -30, -29, -8, -2, -1, 0, 1, 3]
moments = st.sampled_from(DAYS).map(lambda d: NOW + timedelta(days=d))


@dataclass(frozen=True)
class Logged:
    type: EventType
    day: datetime
    date_unknown: bool
    scheduled_in: int  # days from NOW, for an interview set up


@dataclass(frozen=True)
class Planned:
    due_in: int  # days from NOW
    window: int | None  # hours from due to "due by"; None: no "due by"
    expires_in: int | None  # days from NOW


events_st = st.builds(
    Logged,
    type=st.sampled_from(sorted(EventType)),
    day=moments,
    date_unknown=st.booleans(),
    scheduled_in=st.integers(min_value=-9, max_value=9),
)
nudges_st = st.builds(
    Planned,
    due_in=st.integers(min_value=-3, max_value=2),
    window=st.none() | st.sampled_from([0, 24, 48]),
    expires_in=st.none() | st.integers(min_value=-2, max_value=3),
)
opportunity_st = st.tuples(st.lists(events_st, max_size=6), st.lists(nudges_st, max_size=2))
seeker_st = st.tuples(
    st.lists(opportunity_st, max_size=4),
    st.lists(events_st, max_size=2),  # about contacts alone (no opportunity)
    st.lists(nudges_st, max_size=1),  # search-wide
)


def _nudge(owner: int, opportunity_id: int | None, k: int, p: Planned) -> Nudge:
    due = NOW + timedelta(days=p.due_in)
    return Nudge(
        key=f"k{owner}-{opportunity_id}-{k}",
        rule="apply.check-in",
        opportunity_id=opportunity_id,
        contact_id=None,
        channel=None,
        due=due,
        due_by=None if p.window is None else due + timedelta(hours=p.window),
        reason="a test",
        expires=None if p.expires_in is None else NOW + timedelta(days=p.expires_in),
    )


def _log(store: Store, owner: int, opportunity_id: int | None, logged: Logged) -> None:
    interview = logged.type is EventType.SCHEDULED
    with store.transaction(now=NOW) as tx:
        tx.add_event(
            owner,
            opportunity_id=opportunity_id,
            type=logged.type,
            at=logged.day,
            date_unknown=logged.date_unknown,
            scheduled_for=NOW + timedelta(days=logged.scheduled_in) if interview else None,
        )


def _build(store: Store, seeker: tuple) -> int:  # type: ignore[type-arg]
    opportunities, alone, search_wide = seeker
    owner = store.ensure_user(f"seeker{next(_names)}")
    with store.transaction(now=NOW) as tx:
        company = tx.add_company(owner, "Acme")
    for logs, planned in opportunities:
        with store.transaction(now=NOW) as tx:
            oid = tx.add_opportunity(owner, company_id=company.id, role="Analyst").id
        for logged in logs:
            _log(store, owner, oid, logged)
        with store.transaction(now=NOW) as tx:
            tx.replace_nudges(owner, oid, [_nudge(owner, oid, k, p) for k, p in enumerate(planned)])
    for logged in alone:
        _log(store, owner, None, logged)
    with store.transaction(now=NOW) as tx:
        tx.replace_nudges(
            owner, None, [_nudge(owner, None, k, p) for k, p in enumerate(search_wide)]
        )
    return owner


def _from_every_record(store: Store, owner: int, now: datetime) -> caseload_reads.Numbers:
    """The numbers as a reader of every record works them out."""
    stages = {o.id: stage for o, stage in store.opportunities(owner)}
    evs = sorted(all_events(store, owner), key=lambda e: (e.at, e.id))
    per: dict[int, list[Event]] = {oid: [] for oid in stages}
    for e in evs:
        if e.opportunity_id is not None:
            per[e.opportunity_id].append(e)
    active = [oid for oid, s in stages.items() if s.is_active]
    waiting = faded = 0
    for oid in active:
        turns = [e for e in per[oid] if e.type in TURNS]
        waiting += bool(turns) and turns[-1].type in WAITING_AFTER
        dated = [e.at for e in per[oid] if not e.date_unknown]
        faded += bool(dated) and max(dated) < now - FADED
    pending = [n for oid in [*stages, None] for n in store.opportunity_nudges(owner, oid)]
    late = [
        n
        for n in pending
        if (n.due_by < now if n.due_by is not None else n.due < now - timedelta(days=1))
        and (n.expires is None or n.expires > now)
    ]
    actions = [e.at for e in evs if e.type in USER_ACTIONS and not e.date_unknown]
    start, end = week_bounds(now, TZ)
    return caseload_reads.Numbers(
        active=len(active),
        offers=sum(s is Stage.OFFER for s in stages.values()),
        closed=sum(s.is_closed or s is Stage.OFFER for s in stages.values()),
        waiting=waiting,
        faded=faded,
        overdue=len(late),
        oldest_deadline=min((n.due_by or n.due for n in late), default=None),
        last_action=max(actions, default=None),
        interviews=sum(
            e.type is EventType.SCHEDULED
            and e.scheduled_for is not None
            and start <= e.scheduled_for < end
            for e in evs
        ),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seekers=st.lists(seeker_st, min_size=1, max_size=3),
    later=st.sampled_from([-1, 0, 1, 2, 30]),
    chunk=st.sampled_from([1, 2, 100]),
)
def test_the_numbers_equal_those_of_every_record(
    store: Store,
    seekers: list[tuple],
    later: int,
    chunk: int,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    owners = [_build(store, seeker) for seeker in seekers]
    now = NOW + timedelta(days=later)
    monkeypatch.setattr(caseload_reads, "CHUNK", chunk)
    found = caseload_reads.caseload_numbers(store, owners, now, week_bounds(now, TZ), now - FADED)
    assert found == {owner: _from_every_record(store, owner, now) for owner in owners}


def test_the_numbers_count_something(store: Store) -> None:
    """The comparison above has teeth: a seeker with one of each thing has each number."""
    applied = Logged(EventType.APPLIED, NOW - timedelta(days=40), False, 0)
    interview = Logged(EventType.SCHEDULED, NOW - timedelta(days=41), False, 0)
    offer = Logged(EventType.OFFER, NOW - timedelta(days=3), False, 0)
    owner = _build(
        store,
        ([([interview, applied], [Planned(-3, 1, None)]), ([offer], [])], [], []),
    )
    found = caseload_reads.caseload_numbers(store, [owner], NOW, week_bounds(NOW, TZ), NOW - FADED)[
        owner
    ]
    assert (found.active, found.offers, found.closed) == (1, 1, 1)
    assert (found.waiting, found.faded, found.overdue, found.interviews) == (1, 1, 1, 1)
    assert found.last_action == applied.day.astimezone(UTC)
    assert found == _from_every_record(store, owner, NOW)


def _plan(store: Store, owner: int) -> str:
    """The database's plan for the statement as ``caseload_numbers`` sends it."""
    sent: list[tuple[str, object]] = []

    def catch(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "count(*)" in statement:
            sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", catch)
    try:
        caseload_reads.caseload_numbers(store, [owner], NOW, week_bounds(NOW, TZ), NOW - FADED)
    finally:
        event.remove(store.engine, "before_cursor_execute", catch)
    ((statement, parameters),) = sent
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(str(r[-1]) for r in rows)
        conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables: plan as for big ones
        rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        return "\n".join(str(r[0]) for r in rows)


def test_each_question_is_answered_by_its_index(store: Store) -> None:
    """The store was made by the migrations (revision 0017), so this also checks that their
    conditions are written as the statement writes them, on each database."""
    owner = _build(store, ([([Logged(EventType.APPLIED, NOW, False, 0)], [])], [], []))
    plan = _plan(store, owner)
    for index in ("ix_events_actions", "ix_events_turns", "ix_events_interviews"):
        assert index in plan, plan


def test_undated_events_are_not_the_last_activity_nor_keep_a_process_alive(store: Store) -> None:
    """Statuses imported without a day, recorded at the import's moment (NOW): the seeker's
    last activity stays the dated application, and the process fades from that day on."""
    applied = Logged(EventType.APPLIED, NOW - timedelta(days=40), False, 0)
    undated = [
        Logged(kind, NOW, True, 0)
        for kind in (EventType.SENT, EventType.INTERVIEWED, EventType.WITHDRAWN)
    ]
    owner = _build(store, ([([applied, *undated[:2]], [])], [undated[2]], []))
    found = caseload_reads.caseload_numbers(store, [owner], NOW, week_bounds(NOW, TZ), NOW - FADED)[
        owner
    ]
    assert found.last_action == applied.day.astimezone(UTC)
    assert (found.active, found.faded) == (1, 1)
    assert found == _from_every_record(store, owner, NOW)
