"""Kept cohort numbers through the pages, on SQLite and PostgreSQL: an organisation's numbers are
computed in the background while the page says so and refreshes itself, then served with when
they were computed; the CSV downloads are cut from the kept numbers and compute nothing; a
recompute is asked with a form; kept numbers go stale by the documented rules; one key is never
queued twice at once; and with the job queue on, a real ``nudge worker`` computes them."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from starlette.applications import Starlette

from jobnudge.services import cohort, cohort_csv, cohort_kept, jobs, records
from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.store import Store, cohort_results
from jobnudge.web import create_app

from .conftest import NOW, SETTINGS, Client, Clock, pg_database, store_of
from .orgs_world import consent, members, start_org, user_id
from .queue_workers import logs, running, scalar, until

TZ = "Etc/UTC"  # a new account's zone
PAST = "from=2026-04-01&to=2026-06-30"  # over well before NOW: depends only on the data
RECENT = "from=2025-12-01&to=2026-11-24"  # up to NOW: depends on the day it is looked at


@dataclass
class World:
    app: Starlette
    clock: Clock
    admin: Client
    carol: Client
    alice: Client
    admin_id: int
    carol_id: int
    url: str

    @property
    def store(self) -> Store:
        return store_of(self.app)


def _build(url: str, tmp_path: Path) -> World:
    clock = Clock(NOW)
    app = create_app(
        SETTINGS,
        db=url,
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=clock,
        accounts=True,
    )
    admin = start_org(app, "adam", "Northside Careers")
    people = members(app, admin, [("carol", "coach"), ("alice", "seeker"), ("ann", "seeker")])
    store = store_of(app)
    for name in ("alice", "ann"):
        owner = user_id(app, name)
        demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))
        consent(people["carol"], "carol", people[name], name, app)
    return World(
        app,
        clock,
        admin,
        people["carol"],
        people["alice"],
        user_id(app, "adam"),
        user_id(app, "carol"),
        url,
    )


@pytest.fixture(
    name="world", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite":
        made = _build(f"sqlite:///{tmp_path / 'web.sqlite'}", tmp_path)
        yield made
        made.store.close()
        return
    with pg_database() as url:
        made = _build(url, tmp_path)
        try:
            yield made
        finally:
            cohort_kept.settle()
            made.store.close()


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _direct(world: World, actor: int, scope: str, query: str) -> dict[str, str]:
    """Each table's CSV computed straight from the records (the reference)."""
    found = dict(part.split("=") for part in query.split("&"))
    first, last = date.fromisoformat(found["from"]), date.fromisoformat(found["to"])
    numbers = cohort.numbers(world.store, actor, scope, first, last, NOW, TZ)
    return {name: cohort_csv.to_csv(numbers, name) for name in cohort.TABLES}


def test_organisation_numbers_are_computed_in_the_background_and_csvs_come_from_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cohort_kept.INLINE_ENV, "1")  # two seekers: the background path
    url = f"/cohort?scope=organisation&{RECENT}"
    assert (
        world.admin.get(f"/cohort.csv?table=source&scope=organisation&{RECENT}").status_code == 409
    )
    before = cohort_kept.computations
    waiting = world.admin.get(url)
    assert waiting.status_code == 200
    said = _text(waiting.text)
    # Being computed (or already done by the background thread: it may be that quick).
    if 'http-equiv="refresh"' in waiting.text:
        assert "computing Being computed" in said and "refreshes by itself" in said, said
        assert 'id="table-source"' not in waiting.text
        assert "Recompute" not in said
    cohort_kept.settle()
    assert cohort_kept.computations == before + 1
    done = world.admin.get(url)
    said = _text(done.text)
    assert 'http-equiv="refresh"' not in done.text
    assert "computed Computed today, 3:30 pm over 2 job seekers" in said, said
    assert "The organisation · 2 job seekers" in said
    assert "fewer than 5 people" in said  # still suppressed organisation-wide
    assert done.text.count("<svg") >= 8

    reference = _direct(world, world.admin_id, "organisation", RECENT)
    for name in cohort.TABLES:
        got = world.admin.get(f"/cohort.csv?table={name}&scope=organisation&{RECENT}")
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        assert got.text == reference[name], name
    assert cohort_kept.computations == before + 1  # five downloads, no computation
    assert world.admin.get(url).status_code == 200
    assert cohort_kept.computations == before + 1  # nor a second look

    asked = world.admin.send_form(
        "/cohort/recompute", {"scope": "organisation", "from": "2025-12-01", "to": "2026-11-24"}
    )
    assert asked.status_code == 303 and asked.headers["location"] == url
    cohort_kept.settle()
    assert cohort_kept.computations == before + 2
    refused = world.admin.send_form("/cohort/recompute", {"scope": "organisation"}, csrf=False)
    assert refused.status_code == 403
    bad = world.admin.send_form("/cohort/recompute", {"scope": "organisation", "from": "soon"})
    assert bad.status_code == 422 and "From:" in bad.text
    assert cohort_kept.computations == before + 2


def test_a_caseload_is_computed_inline_and_kept_until_stale(world: World) -> None:
    carol, clock = world.carol, world.clock
    before = cohort_kept.computations
    past = carol.get(f"/cohort?{PAST}")
    assert "Your caseload · 2 job seekers" in _text(past.text)
    assert 'http-equiv="refresh"' not in past.text  # computed in the request
    recent = carol.get(f"/cohort?{RECENT}")
    assert "computed Computed today" in _text(recent.text)
    assert cohort_kept.computations == before + 2

    clock.moment = NOW + cohort_kept.STALE_AFTER - timedelta(minutes=1)
    carol.get(f"/cohort?{PAST}")
    carol.get(f"/cohort?{RECENT}")
    assert cohort_kept.computations == before + 2  # young: both kept

    clock.moment = NOW + cohort_kept.STALE_AFTER
    carol.get(f"/cohort?{PAST}")
    assert cohort_kept.computations == before + 2  # a past period over the same data
    page = carol.get(f"/cohort?{RECENT}")
    assert cohort_kept.computations == before + 3  # a recent period: looked at anew
    assert "Computed today, 3:45 pm" in _text(page.text)

    alice = user_id(world.app, "alice")
    session = Session(store=world.store, settings=SETTINGS, owner=alice, now=clock.moment)
    records.add_opportunity(session, "Xylo Ltd", "Analyst")
    carol.get(f"/cohort?{PAST}")
    assert cohort_kept.computations == before + 4  # alice's data changed


def test_one_key_is_queued_once_however_many_ask_at_once(world: World) -> None:
    """Eight requests ask for the same numbers at the same moment: one of them queues them."""
    store, first, last = world.store, date(2026, 4, 1), date(2026, 6, 30)
    org = store_of(world.app)
    from jobnudge.services.orgs import admin_of

    org_id = admin_of(org, world.admin_id).org_id
    found = cohort_kept.key("organisation", org_id, None, first, last, TZ)
    gate = threading.Barrier(8)
    mine: list[bool] = []

    def ask() -> None:
        gate.wait()
        _, queued = cohort_results.ask(
            store,
            found,
            org_id=org_id,
            coach_id=None,
            first=first,
            last=last,
            tz=TZ,
            now=NOW,
            stuck_before=NOW - cohort_kept.STUCK_AFTER,
        )
        mine.append(queued)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(mine) == [False] * 7 + [True]
    later = NOW + cohort_kept.STUCK_AFTER + timedelta(seconds=1)
    again = cohort_results.ask(
        store,
        found,
        org_id=org_id,
        coach_id=None,
        first=first,
        last=last,
        tz=TZ,
        now=later,
        stuck_before=later - cohort_kept.STUCK_AFTER,
    )
    assert again[1]  # asked long ago and never finished: its process died, ask again


@pytest.mark.postgres
def test_with_the_job_queue_on_a_worker_computes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cohort_kept.INLINE_ENV, "0")
    with pg_database() as url:
        world = _build(url, tmp_path)
        monkeypatch.setenv(jobs.QUEUE_ENV, "on")
        try:
            page = f"/cohort?scope=organisation&{PAST}"
            before = cohort_kept.computations
            assert "Being computed" in _text(world.admin.get(page).text)
            assert "Being computed" in _text(world.admin.get(page).text)  # not queued twice
            jobs_queued = (
                "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'jobnudge.cohort'"
            )
            assert scalar(world.store, jobs_queued) == 1
            with running(url, tmp_path, 1, "--remind-every", "0", "--mail-every", "0"):
                until(
                    lambda: scalar(world.store, "SELECT state FROM cohort_results") == "done",
                    90,
                    "the worker's computation",
                )
            said = _text(world.admin.get(page).text)
            assert "Computed today, 3:30 pm over 2 job seekers" in said, said + logs(tmp_path)
            reference = _direct(world, world.admin_id, "organisation", PAST)
            got = world.admin.get(f"/cohort.csv?table=closure&scope=organisation&{PAST}")
            assert got.text == reference["closure"]
            assert cohort_kept.computations == before  # all done by the worker process
        finally:
            world.store.close()


def test_a_computation_cut_short_by_a_restart_is_taken_on_at_the_next_visit(
    world: World,
) -> None:
    """Queue off: this process computes everything, so a result left running by a process
    that stopped (no worker will ever finish it) is computed at the next visit, not left
    "being computed" for hours."""
    from jobnudge.services.orgs import admin_of

    store, first, last = world.store, date(2026, 4, 1), date(2026, 6, 30)
    org_id = admin_of(store, world.admin_id).org_id
    kept, mine = cohort_results.ask(
        store,
        cohort_kept.key("organisation", org_id, None, first, last, TZ),
        org_id=org_id,
        coach_id=None,
        first=first,
        last=last,
        tz=TZ,
        now=NOW,
        stuck_before=NOW - cohort_kept.STUCK_AFTER,
    )
    assert mine and cohort_results.claim(store, kept.id, NOW) is not None  # then it stopped
    before = cohort_kept.computations
    said = _text(world.admin.get(f"/cohort?scope=organisation&{PAST}").text)
    assert "computed Computed today, 3:30 pm over 2 job seekers" in said, said
    assert cohort_kept.computations == before + 1
