"""The cohort numbers as the organisation reads them (one query a slice of people, folded
from plain values: ``services.cohort_fold``) equal those of the reference
(:meth:`services.cohort.Tally.add` over every record) for generated histories in which any
event may have its day unknown, on SQLite and PostgreSQL; and an undated event never gives a
time to an answer, never counts in a period and never makes a process fade."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.domain import Channel, EventType, MessageKind
from jobnudge.services import cohort
from jobnudge.store import Store, org_reads
from jobnudge.store.insights import all_events
from tests.pinned import PINNED_NOW

NOW = PINNED_NOW
TZ = "America/New_York"
_names = itertools.count()

# Few instants, whole days from NOW: events often share one (then the id orders them), and the
# period's edges, the two weeks' wait and the 30 days' fading often fall on one.
DAYS = [-75, -45, -31, -30, -16, -14, -13, -2, 0]
TYPES = [
    *sorted(cohort.COUNTED | {EventType.NOTE}),
    *[EventType.APPLIED, EventType.SENT] * 3,  # outreach, often answered: what is measured
]


@dataclass(frozen=True)
class Logged:
    type: EventType
    day: int
    date_unknown: bool
    channel: Channel | None
    kind: MessageKind | None


events_st = st.builds(
    Logged,
    type=st.sampled_from(TYPES),
    day=st.sampled_from(DAYS),
    date_unknown=st.booleans(),
    channel=st.none() | st.sampled_from([Channel.EMAIL, Channel.CALL]),
    kind=st.none() | st.sampled_from([MessageKind.FOLLOW_UP, MessageKind.THANK_YOU]),
)
opportunity_st = st.tuples(
    st.sampled_from(["", "LinkedIn", "Sheet"]), st.lists(events_st, max_size=6)
)
seeker_st = st.lists(opportunity_st, min_size=1, max_size=3)


def _build(store: Store, opportunities: list[tuple[str, list[Logged]]]) -> int:
    owner = store.ensure_user(f"seeker{next(_names)}")
    with store.transaction(now=NOW) as tx:
        company = tx.add_company(owner, "Acme")
        for source, logs in opportunities:
            oid = tx.add_opportunity(owner, company_id=company.id, role="Analyst", source=source).id
            for logged in logs:
                sent = logged.type is EventType.SENT
                tx.add_event(
                    owner,
                    opportunity_id=oid,
                    type=logged.type,
                    at=NOW + timedelta(days=logged.day),
                    date_unknown=logged.date_unknown,
                    channel=logged.channel,
                    kind=logged.kind if sent else None,
                    scheduled_for=NOW if logged.type is EventType.SCHEDULED else None,
                )
    return owner


def _reference(
    store: Store, owners: list[int], first: date, last: date, scope: str
) -> cohort.Cohort:
    zone = ZoneInfo(TZ)
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    searches = {sid: (store.opportunities(sid), all_events(store, sid)) for sid in owners}
    return cohort.compute(
        searches, start=start, end=end, now=NOW, scope=scope, first=first, last=last
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seekers=st.lists(seeker_st, min_size=1, max_size=3),
    starts=st.sampled_from([-80, -46, -31, -14, -1]),
    length=st.sampled_from([0, 13, 30, 90]),
    slice_of=st.sampled_from([1, 500]),
    scope=st.sampled_from(["caseload", "organisation"]),
)
def test_numbers_with_undated_events_equal_the_reference(
    store: Store,
    seekers: list[list[tuple[str, list[Logged]]]],
    starts: int,
    length: int,
    slice_of: int,
    scope: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owners = [_build(store, seeker) for seeker in seekers]
    first = (NOW + timedelta(days=starts)).astimezone(ZoneInfo(TZ)).date()
    last = first + timedelta(days=length)
    monkeypatch.setattr(org_reads, "CHUNK", slice_of)
    found = cohort.numbers_of(store, owners, scope, first, last, NOW, TZ)
    assert found == _reference(store, owners, first, last, scope)


def _one(store: Store, logs: list[Logged]) -> cohort.Cohort:
    owner = _build(store, [("Sheet", logs)])
    first = (NOW - timedelta(days=60)).astimezone(ZoneInfo(TZ)).date()
    last = NOW.astimezone(ZoneInfo(TZ)).date()
    found = cohort.numbers_of(store, [owner], "caseload", first, last, NOW, TZ)
    assert found == _reference(store, [owner], first, last, "caseload")
    return found


def _log(kind: EventType, day: int, unknown: bool = False) -> Logged:
    return Logged(kind, day, unknown, Channel.EMAIL, None)


def test_an_undated_answer_is_answered_without_a_time(store: Store) -> None:
    """What a sheet imported without dates gives: the application dated, the answer not."""
    found = _one(store, [_log(EventType.APPLIED, -45), _log(EventType.REJECTED, 0, True)])
    (cell,) = found.by_stage
    assert (cell.label, cell.count, cell.answered, cell.median_hours) == ("application", 1, 1, None)
    assert all(c.count == 0 for c in found.closure)  # the rejection's day is unknown
    dated = _one(store, [_log(EventType.APPLIED, -45), _log(EventType.REJECTED, -31)])
    assert dated.by_stage[0].median_hours == 14 * 24
    assert [c.count for c in dated.closure if c.label == "rejection"] == [1]


def test_undated_events_count_in_no_period_and_never_fade(store: Store) -> None:
    found = _one(
        store,
        [_log(EventType.APPLIED, -2, True), _log(EventType.INTERVIEWED, -2, True)],
    )
    assert found.by_stage == [] and (found.interviews.count, found.interviews.answered) == (0, 0)
    assert all(c.count == 0 for c in found.closure)
    stale = _one(store, [_log(EventType.APPLIED, -45), _log(EventType.SENT, -2, True)])
    assert [c.count for c in stale.closure if c.label == "faded"] == [1]  # from the dated day
