"""An organisation read the way a large one must be, on PostgreSQL: cohort numbers a slice of
people at a time and only the processes alive in the period, the caseload's waiting and faded
counts worked out by the database, and the members a page at a time with a search. Each is
checked against the plain reading of every record (the way these were computed before)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from jobnudge.config import Profile, Settings
from jobnudge.domain import Event, EventType, Stage
from jobnudge.domain.activity import ANSWERS, WAITING_AFTER
from jobnudge.services import caseload, cohort, demo
from jobnudge.services import orgs as org_service
from jobnudge.services.review import FADED_AFTER
from jobnudge.services.session import Session
from jobnudge.store import Store, caseloads, open_store, org_reads, orgs
from jobnudge.store.insights import all_events
from jobnudge.store.org_tables import org_members
from tests.pinned import PINNED_NOW
from tests.web.conftest import pg_database

pytestmark = pytest.mark.postgres

NOW = PINNED_NOW
TZ = "America/New_York"
SETTINGS = Settings(profile=Profile(name="Alex Morgan", tz=TZ, country="US"))
SEEKERS = 7


class Centre:
    def __init__(self, store: Store, admin: int, coach: int, seekers: list[int]) -> None:
        self.store, self.admin, self.coach, self.seekers = store, admin, coach, seekers


def _member(store: Store, org: int, user: int, role: str, full_name: str, email: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            insert(org_members).values(
                user_id=user,
                org_id=org,
                role=role,
                full_name=full_name,
                email=email,
                active=True,
                joined_at=NOW - timedelta(days=400),
            )
        )


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centre]:
    """An organisation with a coach and seven job seekers in the coach's caseload, each with
    the demo search loaded at another moment (so their histories fall on other days)."""
    with pg_database() as url:
        store = open_store(url, data_dir=Path(tmp_path_factory.mktemp("centre")), now=NOW)
        yield build_centre(store)
        store.close()


def build_centre(store: Store) -> Centre:
    """The organisation of :func:`centre` in ``store`` (either database)."""
    admin = store.ensure_user("adam")
    org = orgs.create(store, "Northside", admin, "Adam Admin", "adam@example.org", NOW)
    coach = store.ensure_user("carol")
    _member(store, org, coach, "coach", "Carol Coach", "carol@example.org")
    seekers = []
    for k in range(SEEKERS):
        sid = store.ensure_user(f"seeker{k}")
        _member(store, org, sid, "seeker", f"Seeker {k}", f"seeker{k}@example.org")
        moment = NOW - timedelta(days=23 * k)
        demo.load(Session(store=store, settings=SETTINGS, owner=sid, now=moment))
        _sheet_without_dates(store, sid, moment, k)
        caseloads.ask(store, org, coach, sid, NOW - timedelta(days=300))
        caseloads.answer(store, sid, coach, caseloads.CONSENTED, NOW - timedelta(days=299))
        seekers.append(sid)
    return Centre(store, admin, coach, seekers)


UNDATED = [
    [EventType.INTERVIEWED, EventType.OFFER],
    [EventType.REJECTED],
    [EventType.SENT, EventType.RECEIVED],
    [EventType.APPLIED, EventType.SCHEDULED, EventType.NO_RESPONSE],
]


def _sheet_without_dates(store: Store, owner: int, moment: datetime, k: int) -> None:
    """What a hand-typed sheet imported at ``moment`` gives: applications with their days,
    statuses without (recorded at the import, their day unknown), in another mix each."""
    with store.transaction(now=moment) as tx:
        company = tx.add_company(owner, f"Sheetco {k}")
        for n, statuses in enumerate(UNDATED[k % 2 :] if k % 3 else UNDATED):
            oid = tx.add_opportunity(
                owner, company_id=company.id, role=f"Role {n}", source="Sheet"
            ).id
            applied = moment - timedelta(days=3 + 9 * n)
            tx.add_event(owner, opportunity_id=oid, type=EventType.APPLIED, at=applied)
            for status in statuses:
                tx.add_event(owner, opportunity_id=oid, type=status, at=moment, date_unknown=True)


def _whole(store: Store, ids: Sequence[int], first: date, last: date, scope: str) -> cohort.Cohort:
    """The numbers from every opportunity and every event of every person, read whole."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(TZ)
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    searches = {sid: (store.opportunities(sid), all_events(store, sid)) for sid in ids}
    return cohort.compute(
        searches, start=start, end=end, now=NOW, scope=scope, first=first, last=last
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    offset=st.integers(min_value=0, max_value=420),
    length=st.integers(min_value=0, max_value=200),
    slice_of=st.sampled_from([2, 3, 500]),
)
def test_cohort_numbers_read_in_slices_equal_those_of_every_record(
    centre: Centre, offset: int, length: int, slice_of: int
) -> None:
    check_sliced_numbers(centre, offset, length, slice_of)


def check_sliced_numbers(centre: Centre, offset: int, length: int, slice_of: int) -> None:
    """The organisation's and a caseload's numbers, read ``slice_of`` seekers at a time, equal
    those computed from every record (shared with the SQLite test)."""
    first = (NOW - timedelta(days=450)).date() + timedelta(days=offset)
    last = first + timedelta(days=length)
    store = centre.store
    with mock.patch.object(org_reads, "CHUNK", slice_of):
        org = cohort.numbers(store, centre.admin, "organisation", first, last, NOW, TZ)
        mine = cohort.numbers(store, centre.coach, "caseload", first, last, NOW, TZ)
    assert org == _whole(store, centre.seekers, first, last, "organisation")
    assert mine == _whole(store, centre.seekers, first, last, "caseload")


def test_a_quarter_with_activity_has_numbers_to_compare(centre: Centre) -> None:
    """The comparison above is not between two empty tables."""
    first = (NOW - timedelta(days=90)).date()
    found = cohort.numbers(centre.store, centre.coach, "caseload", first, NOW.date(), NOW, TZ)
    assert found.people == SEEKERS
    assert sum(c.count for c in found.by_channel) > 0
    assert found.interviews.count > 0
    sheet = next(c for c in found.by_source if c.label == "Sheet")
    # The sheets' answers are all undated: answers, with no time to them.
    assert sheet.answered > 0 and sheet.median_hours is None


def _waiting_and_faded(evs: Sequence[Event], now: datetime) -> tuple[int, int]:
    """The caseload's counts as they were computed before, from every event in Python."""
    per: dict[int, list[Event]] = {}
    for e in evs:
        if e.opportunity_id is not None:
            per.setdefault(e.opportunity_id, []).append(e)
    waiting = faded = 0
    for opp_events in per.values():
        latest = [e for e in opp_events if e.type in WAITING_AFTER | ANSWERS]
        if latest and latest[-1].type in WAITING_AFTER:
            waiting += 1
        dated = [e for e in opp_events if not e.date_unknown]
        if dated and now - dated[-1].at > FADED_AFTER:
            faded += 1
    return waiting, faded


@pytest.mark.parametrize("days_later", [0, 20, 45, 120])
def test_caseload_waiting_and_faded_from_the_database_match_every_event(
    centre: Centre, days_later: int
) -> None:
    store, now = centre.store, NOW + timedelta(days=days_later)
    rows = {r.seeker_id: r for r in caseload.rows(store, centre.coach, now, TZ)}
    assert set(rows) == set(centre.seekers)
    totals = [0, 0]
    for sid in centre.seekers:
        active = {o.id for o, stage in store.opportunities(sid) if stage.is_active}
        evs = [e for e in all_events(store, sid) if e.opportunity_id in active]
        want = _waiting_and_faded(evs, now)
        assert (rows[sid].waiting, rows[sid].faded) == want, sid
        totals = [totals[0] + want[0], totals[1] + want[1]]
    if days_later == 0:
        assert totals[0] > 0  # someone is waiting for an employer: the check has teeth
    if days_later == 120:
        assert totals[1] > 0  # and four months on, something has faded


# Members, a page at a time

ALPHABET = "abcdeknrs019_%\\@. "
NAMES = [
    "Ann 100% Sure",
    "Bo_b Smith",
    "Back\\slash Kid",
    "Dana Lee",
    "Sam Ryan",
    "Kim Ng",
]


@pytest.fixture(scope="module")
def crowd(centre: Centre) -> list[org_service.Member]:
    """130 more job seekers in the organisation, some with wildcards in their names."""
    store = centre.store
    org = orgs.membership(store, centre.admin)
    assert org is not None
    for n in range(130):
        uid = store.ensure_user(f"member{n:03d}")
        name = f"{NAMES[n % len(NAMES)]} {n}"
        _member(store, org.org_id, uid, "seeker", name, f"m{n}@crowd.example")
    return orgs.members(store, org.org_id)


def _matches(member: org_service.Member, words: str) -> bool:
    w = " ".join(words.split()).lower()
    return any(w in text.lower() for text in (member.full_name, member.name, member.email))


@settings(max_examples=40, deadline=None)
@given(search=st.text(alphabet=ALPHABET, max_size=4))
def test_members_pages_hold_every_match_once_in_name_order(
    centre: Centre, crowd: list[org_service.Member], search: str
) -> None:
    store = centre.store
    want = [m.user_id for m in crowd if _matches(m, search)]
    first = org_service.members_page(store, centre.admin, search, 1)
    assert first.total == len(want)
    assert first.pages == max(1, -(-len(want) // org_service.PER_PAGE))
    seen: list[int] = []
    for page in range(1, first.pages + 1):
        shown = org_service.members_page(store, centre.admin, search, page)
        assert shown.page == page and len(shown.members) <= org_service.PER_PAGE
        seen += [m.user_id for m in shown.members]
    assert seen == want  # both by user name: every match, once, in order
    beyond = org_service.members_page(store, centre.admin, search, first.pages + 5)
    assert beyond.page == first.pages


def test_wildcards_in_a_search_are_plain_characters(
    centre: Centre, crowd: list[org_service.Member]
) -> None:
    store = centre.store
    percent = org_service.members_page(store, centre.admin, "100%", 1)
    assert percent.total == len([m for m in crowd if "100%" in m.full_name]) > 0
    under = org_service.members_page(store, centre.admin, "o_b", 1)
    assert {m.full_name.split()[0] for m in under.members} == {"Bo_b"}
    assert org_service.members_page(store, centre.admin, "DANA lee", 1).total == len(
        [m for m in crowd if m.full_name.startswith("Dana Lee")]
    )


def test_only_an_administrator_pages_through_the_members(centre: Centre) -> None:
    from jobnudge.errors import NotFound

    with pytest.raises(NotFound):
        org_service.members_page(centre.store, centre.coach, "", 1)
    with pytest.raises(NotFound):
        org_service.members_page(centre.store, centre.seekers[0], "", 1)


def test_seekers_of_the_organisation_are_every_seeker(centre: Centre) -> None:
    org = orgs.membership(centre.store, centre.admin)
    assert org is not None
    ids = orgs.seeker_ids(centre.store, org.org_id)
    assert set(centre.seekers) <= set(ids) and centre.coach not in ids
    assert all(isinstance(s, Stage) for _, s in centre.store.opportunities(centre.seekers[0]))
    assert EventType.NOTE not in cohort.COUNTED
