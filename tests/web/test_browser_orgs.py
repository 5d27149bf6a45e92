"""The caseload page and the cohort charts in a real browser: Debian's Chromium driven by
Playwright against a real uvicorn server over PostgreSQL. Screenshots at phone and desktop
widths go to ``artifacts/screenshots/``.

Skipped when Chromium is missing, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jobnudge.config import Profile, Settings
from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.web import create_app

from .conftest import NOW, PASSWORD, pg_database
from .orgs_world import consent, members, start_org
from .test_browser import (
    _require_browser,
    _shoot,
    launched_chromium,
    live,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SETTINGS = Settings(profile=Profile(tz="America/New_York"))


@pytest.fixture(scope="module")
def org_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """A career centre on PostgreSQL: coach carol with three job seekers who agreed (one with
    the demo search), served by uvicorn in a thread that stops at teardown or after 10 min."""
    _require_browser()

    home = tmp_path_factory.mktemp("orgs-browser")
    with pg_database() as url:
        app = create_app(
            SETTINGS,
            db=url,
            data_dir=home / "data",
            settings_path=home / "config.toml",
            accounts=True,
            now=lambda tz: NOW,
            mail_interval=0,
        )
        store = app.state.nudge.store
        admin = start_org(app, "adam", "Northside Careers")
        people = members(
            app,
            admin,
            [("carol", "coach"), ("alice", "seeker"), ("sam", "seeker"), ("jo", "seeker")],
        )
        for name in ("alice", "sam", "jo"):
            consent(people["carol"], "carol", people[name], name, app)
        alice = store.find_user("alice")
        demo_service.load(Session(store=store, settings=SETTINGS, owner=alice, now=NOW))
        with live(app, 600) as base:
            try:
                yield base, app
            finally:
                store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


def _signed_in(browser: Any, base: str, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/signin")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


def test_a_coach_works_through_the_caseload(browser: Any, org_server: tuple[str, Any]) -> None:
    base, _ = org_server
    page = _signed_in(browser, base, "carol")
    page.click("nav >> text=Caseload")
    page.wait_for_url(re.compile(r"/caseload$"))
    rows = page.locator("#caseload tbody tr")
    assert rows.count() == 3
    assert rows.first.get_attribute("data-seeker") == "alice"  # overdue follow-ups first
    assert "late" in rows.first.locator("td").nth(1).inner_text()
    _shoot(page, "caseload")

    page.fill("#q", "sam")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"q=sam"))
    assert page.locator("#caseload tbody tr").count() == 1
    page.select_option("#show", "overdue")
    page.fill("#q", "")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"show=overdue"))
    assert [r.get_attribute("data-seeker") for r in page.locator("#caseload tbody tr").all()] == [
        "alice"
    ]

    # The seeker's page: their search read-only, the coach's private notes beside it.
    page.click("#caseload >> text=Alice Person")
    page.wait_for_url(re.compile(r"/caseload/\d+$"))
    assert "Northwind" in page.locator("#opportunities").inner_text()
    page.fill("#text", "Practise the salary question")
    page.click("text=Keep note")
    page.wait_for_load_state()
    assert "Practise the salary question" in page.locator("#notes").inner_text()
    page.fill("#comment", "Send the Northwind thank-you today")
    page.fill("#due_on", "2026-11-25")
    page.click("text=Send to alice")
    page.wait_for_load_state()
    assert "Sent: they see it on their Today page." in page.locator(".flash").inner_text()
    _shoot(page, "caseload-seeker")

    seeker = _signed_in(browser, base, "alice")
    coach_box = seeker.locator("#coach-comments")
    assert "Send the Northwind thank-you today" in coach_box.inner_text()
    assert "Practise the salary question" not in seeker.content()
    seeker.context.close()
    page.context.close()


def test_cohort_charts_draw_and_each_table_downloads(
    browser: Any, org_server: tuple[str, Any]
) -> None:
    base, _ = org_server
    page = _signed_in(browser, base, "carol")
    page.goto(f"{base}/cohort?from=2025-12-01&to=2026-11-24")
    chart = page.locator("svg[aria-label='Response rate by channel']").first
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 20
    assert page.locator("svg.chart rect").count() > 4
    assert "email" in page.locator("#table-channel").inner_text()
    with page.expect_download() as download:
        page.locator("a[href*='table=closure']").click()
    saved = Path(download.value.path()).read_text()
    assert saved.splitlines()[0] == "ended as,people,processes,share of ended"
    _shoot(page, "cohort")

    admin = _signed_in(browser, base, "adam")
    admin.goto(f"{base}/cohort?scope=organisation&from=2025-12-01&to=2026-11-24")
    assert "fewer than 5 people" in admin.locator("#table-source").inner_text()
    admin.click("nav >> text=Organisation")
    admin.wait_for_url(re.compile(r"/org$"))
    assert admin.locator("#members tbody tr").count() == 5
    assert "cannot be undone" in admin.locator("#members-title + p").inner_text()
    _shoot(admin, "organisation")
    for width in (320, 375):  # an administrator's eight links still fit a phone
        admin.set_viewport_size({"width": width, "height": 800})
        admin.goto(f"{base}/caseload")
        links = admin.locator("nav.nav a")
        assert links.count() == 8
        for link in links.all():
            box = link.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    admin.context.close()
    page.context.close()


def test_the_organisations_numbers_wait_for_their_computation_then_show(
    browser: Any, org_server: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Numbers queued for a worker: the page says so and refreshes itself (no script), and
    shows them once the job has run; Recompute is a form that queues them again."""
    from jobnudge.services import cohort_kept, jobs
    from jobnudge.services.jobqueue import init_schema

    base, app = org_server
    store = app.state.nudge.store
    init_schema(store)
    monkeypatch.setenv(jobs.QUEUE_ENV, "on")  # queued, and no worker yet: it waits
    monkeypatch.setenv(cohort_kept.INLINE_ENV, "0")
    admin = _signed_in(browser, base, "adam")
    admin.goto(f"{base}/cohort?scope=organisation&from=2025-12-01&to=2026-11-23")
    state = admin.locator("#cohort-state")
    assert "Being computed" in state.inner_text()
    assert admin.locator("meta[http-equiv=refresh]").count() == 1
    assert admin.locator("#table-source").count() == 0
    _shoot(admin, "cohort-computing")

    def work() -> None:  # what a worker does with the queued job
        from sqlalchemy import text

        with store.engine.connect() as conn:
            result = conn.execute(
                text("SELECT id FROM cohort_results WHERE state = 'queued'")
            ).scalar_one()
        cohort_kept.compute(store, result)

    work()
    admin.wait_for_selector("#table-source", timeout=20_000)  # the page looked again by itself
    assert "Computed" in admin.locator("#cohort-state").inner_text()
    assert admin.locator("meta[http-equiv=refresh]").count() == 0
    assert "fewer than 5 people" in admin.locator("#table-source").inner_text()
    with admin.expect_download() as download:
        admin.locator("a[href*='table=channel']").click()
    assert Path(download.value.path()).read_text().startswith("channel,people,asked")
    with admin.expect_navigation():
        admin.click("#cohort-state button[type=submit]")
    assert "Being recomputed" in admin.locator("#cohort-state").inner_text()
    assert "fewer than 5 people" in admin.locator("#table-source").inner_text()  # kept meanwhile
    work()
    admin.wait_for_selector("#cohort-state >> text=Computed", timeout=20_000)
    _shoot(admin, "cohort-computed")
    admin.context.close()
