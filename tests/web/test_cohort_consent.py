"""Kept cohort numbers never outlive consent: after a job seeker withdraws, is deactivated,
deleted or made a coach, neither the page nor a CSV serves numbers that counted them (SQLite and
PostgreSQL); numbers kept over other people than the viewer may see now are not served; at most
two computations of an organisation or caseload wait at once; one key per zone rules; results
unviewed for 30 days are pruned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from jobnudge.errors import Busy, ConfigError
from jobnudge.services import cohort, cohort_csv, cohort_kept
from jobnudge.services import orgs as orgs_service
from jobnudge.store import cohort_results
from jobnudge.store.job_tables import cohort_results as results_table
from jobnudge.zones import same_rules_name

from .conftest import NOW
from .orgs_world import user_id
from .test_cohort_kept import PAST, TZ, World, _text, world_fixture  # noqa: F401

CSV = f"/cohort.csv?table=interviews&{PAST}"
ORG_CSV = f"/cohort.csv?table=interviews&scope=organisation&{PAST}"


def _withdraw(w: World, alice: int) -> None:
    done = w.alice.send_form(f"/org/coaches/{w.carol_id}/withdraw", {})
    assert done.status_code == 303, done.text[:800]


def _deactivate(w: World, alice: int) -> None:
    done = w.admin.send_form(f"/org/members/{alice}/deactivate", {})
    assert done.status_code == 303, done.text[:800]


def _delete(w: World, alice: int) -> None:
    done = w.admin.send_form(f"/org/members/{alice}/delete", {"confirm": "alice"})
    assert done.status_code == 303, done.text[:800]


def _make_coach(w: World, alice: int) -> None:
    orgs_service.set_role(w.store, w.admin_id, alice, "coach")


def _rows(w: World) -> int:
    with w.store.reading() as conn:
        return int(conn.scalar(select(func.count()).select_from(results_table)) or 0)


@pytest.mark.parametrize(
    "change",
    [_withdraw, _deactivate, _delete, _make_coach],
    ids=["withdraw", "deactivate", "delete", "role"],
)
def test_numbers_that_counted_someone_go_with_their_consent(
    world: World, change: Callable[[World, int], None]
) -> None:
    alice = user_id(world.app, "alice")
    assert "Your caseload · 2 job seekers" in _text(world.carol.get(f"/cohort?{PAST}").text)
    assert world.carol.get(CSV).status_code == 200
    assert "The organisation · 2 job seekers" in _text(
        world.admin.get(f"/cohort?scope=organisation&{PAST}").text
    )
    assert world.admin.get(ORG_CSV).status_code == 200
    assert _rows(world) == 2

    change(world, alice)

    # Every kept result that counted alice went in the same transaction as the change; a
    # withdrawal leaves the organisation's numbers (they never depended on caseloads).
    withdrawn = change is _withdraw
    assert _rows(world) == (1 if withdrawn else 0)
    assert world.carol.get(CSV).status_code == 409
    assert world.admin.get(ORG_CSV).status_code == (200 if withdrawn else 409)
    page = _text(world.carol.get(f"/cohort?{PAST}").text)
    assert "Your caseload · 1 job seeker" in page and "2 job seekers" not in page, page
    first, last = date(2026, 4, 1), date(2026, 6, 30)
    reference = cohort.numbers(world.store, world.carol_id, "caseload", first, last, NOW, TZ)
    assert world.carol.get(CSV).text == cohort_csv.to_csv(reference, "interviews")


def test_numbers_kept_over_other_people_are_not_served(world: World) -> None:
    """The check on every read, apart from the clean-up: a result whose people are not exactly
    those the viewer may see now (a computation that ended after a change) is not shown."""
    assert "2 job seekers" in _text(world.carol.get(f"/cohort?{PAST}").text)
    other = cohort_results.members_hash([user_id(world.app, "alice")])
    with world.store.write_connection() as conn, conn.begin():
        conn.execute(update(results_table).values(members=other))
    assert world.carol.get(CSV).status_code == 409
    before = cohort_kept.computations
    page = _text(world.carol.get(f"/cohort?{PAST}").text)
    assert cohort_kept.computations == before + 1  # computed again, over the right people
    assert "Your caseload · 2 job seekers" in page
    assert world.carol.get(CSV).status_code == 200


def _queue(world: World, first: str, *, coach: int | None = None) -> None:
    start = date.fromisoformat(first)
    scope = "organisation" if coach is None else "caseload"
    org = orgs_service.membership(world.store, world.admin_id)
    assert org is not None
    cohort_results.ask(
        world.store,
        cohort_kept.key(scope, org.org_id, coach, start, start + timedelta(days=6), "UTC"),
        org_id=org.org_id,
        coach_id=coach,
        first=start,
        last=start + timedelta(days=6),
        tz="UTC",
        now=NOW,
        stuck_before=NOW - cohort_kept.STUCK_AFTER,
    )


def test_at_most_two_computations_wait_per_organisation(world: World) -> None:
    _queue(world, "2026-01-05")
    _queue(world, "2026-01-12")
    rows = _rows(world)
    url = f"/cohort?scope=organisation&{PAST}"
    page = world.admin.get(url)
    assert page.status_code == 200
    said = _text(page.text)
    assert "being computed for other periods; try again in a few minutes" in said, said
    again = world.admin.send_form(
        "/cohort/recompute", {"scope": "organisation", "from": "2026-04-01", "to": "2026-06-30"}
    )
    assert again.status_code == 429
    csv = world.admin.get(ORG_CSV)
    assert csv.status_code == 429 and "try again in a few minutes" in csv.text
    assert _rows(world) == rows  # nothing kept, nothing queued
    # A coach's caseload has its own bound: carol's numbers are computed.
    assert "Your caseload · 2 job seekers" in _text(world.carol.get(f"/cohort?{PAST}").text)
    _queue(world, "2026-01-05", coach=world.carol_id)
    _queue(world, "2026-01-12", coach=world.carol_id)
    assert "try again in a few minutes" in _text(world.carol.get("/cohort?from=2026-02-01").text)
    # Numbers already kept that still fit stay shown while the bound is full.
    assert "Your caseload · 2 job seekers" in _text(world.carol.get(f"/cohort?{PAST}").text)


def test_results_unviewed_for_30_days_are_pruned(world: World) -> None:
    world.carol.get(f"/cohort?{PAST}")
    world.carol.get("/cohort?from=2026-01-01&to=2026-01-31")
    with world.store.write_connection() as conn, conn.begin():
        conn.execute(
            update(results_table)
            .where(results_table.c.first == date(2026, 1, 1))
            .values(viewed_at=NOW - cohort_results.UNVIEWED_FOR - timedelta(minutes=1))
        )
        conn.execute(
            update(results_table)
            .where(results_table.c.first == date(2026, 4, 1))
            .values(viewed_at=NOW - cohort_results.UNVIEWED_FOR + timedelta(hours=1))
        )
    world.carol.get("/cohort?from=2026-02-01&to=2026-02-28")  # the next computation prunes
    with world.store.reading() as conn:
        firsts = set(conn.scalars(select(results_table.c.first)))
    assert firsts == {date(2026, 4, 1), date(2026, 2, 1)}


def test_zones_with_the_same_rules_share_one_key() -> None:
    assert same_rules_name("Etc/UTC", "time zone") == same_rules_name("UTC", "time zone")
    assert same_rules_name("posix/Europe/Berlin", "tz") == same_rules_name("Europe/Berlin", "tz")
    for refused in ("right/UTC", "posixrules", "right/Europe/Berlin"):
        with pytest.raises(ConfigError, match=r"^time zone: .* is not a place's time zone"):
            same_rules_name(refused, "time zone")


_ZONES = sorted(available_timezones())


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_ZONES),
    st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)),
)
def test_the_shared_name_counts_days_as_the_zone_itself(zone: str, moment: datetime) -> None:
    """Any zone and the one name its numbers are kept under give every instant the same
    offset, so numbers kept under the shared name are the zone's own."""
    shared = same_rules_name(zone, "time zone")
    at = moment.replace(tzinfo=UTC)
    assert at.astimezone(ZoneInfo(shared)).utcoffset() == at.astimezone(ZoneInfo(zone)).utcoffset()


def test_of_many_periods_asked_at_once_two_are_queued(world: World) -> None:
    """The bound holds under concurrency: twelve distinct periods asked at the same moment
    (one thread each) queue exactly two computations; the rest are told to wait."""
    import threading

    org = orgs_service.membership(world.store, world.admin_id)
    assert org is not None
    outcomes: list[str] = []
    gate = threading.Barrier(12)

    def one(week: int) -> None:
        first = date(2026, 1, 5) + timedelta(weeks=week)
        found = cohort_kept.key("organisation", org.org_id, None, first, first, "UTC")
        gate.wait()
        try:
            cohort_results.ask(
                world.store,
                found,
                org_id=org.org_id,
                coach_id=None,
                first=first,
                last=first,
                tz="UTC",
                now=NOW,
                stuck_before=NOW - cohort_kept.STUCK_AFTER,
            )
            outcomes.append("queued")
        except Busy:
            outcomes.append("busy")

    threads = [threading.Thread(target=one, args=(week,)) for week in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["busy"] * 10 + ["queued"] * 2
    assert _rows(world) == 2
