"""Back never shows a page as it was before a later action: a coach who asked a job seeker to
join their caseload, went on to another page and came back after the seeker agreed sees the
seeker in the caseload, not the stale "Asked sam to join…" and "Waiting for an answer". In
Debian's Chromium, with and without scripts (the pages say "no-store"; the script reloads a page
the browser kept in its back-forward cache all the same).

Skipped when Chromium is missing, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from jobnudge.web import create_app

from .conftest import NOW, PASSWORD, SETTINGS, Client
from .orgs_world import members, start_org, user_id
from .test_browser import _require_browser, launched_chromium, live

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def centre(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Any, dict[str, Client]]]:
    """A career centre on SQLite: coach carol, job seekers sam and kim (nobody asked yet)."""
    _require_browser()
    home = tmp_path_factory.mktemp("back")
    app = create_app(
        SETTINGS,
        db=f"sqlite:///{home / 'web.sqlite'}",
        data_dir=home / "data",
        settings_path=home / "config.toml",
        accounts=True,
        now=lambda tz: NOW,
        mail_interval=0,
    )
    admin = start_org(app, "adam", "Northside Careers")
    people = members(app, admin, [("carol", "coach"), ("sam", "seeker"), ("kim", "seeker")])
    with live(app, 600) as base:
        try:
            yield base, app, people
        finally:
            app.state.nudge.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


@pytest.mark.parametrize(("seeker", "scripts"), [("sam", True), ("kim", False)])
def test_back_to_the_caseload_after_the_seeker_agreed_shows_them_in_it(
    browser: Any,
    centre: tuple[str, Any, dict[str, Client]],
    seeker: str,
    scripts: bool,
) -> None:
    base, app, people = centre
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/signin")
    page.fill("#name", "carol")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"{base}/caseload")
    page.fill("#seeker", seeker)
    page.click("form[action='/caseload/requests'] button[type=submit]")
    page.wait_for_url(re.compile(r"/caseload$"))
    asked = f"Asked {seeker} to join carol's caseload"
    assert asked in page.locator(".flash").inner_text()
    assert f"Waiting for an answer: {seeker}." in page.locator("main").inner_text()

    page.click("nav >> text=Organisation")
    page.wait_for_url(re.compile(r"/org$"))
    agreed = people[seeker].send_form(f"/org/coaches/{user_id(app, 'carol')}/consent", {})
    assert agreed.status_code == 303
    page.go_back()
    page.wait_for_url(re.compile(r"/caseload$"))
    page.wait_for_load_state()

    shown = page.locator("main").inner_text()
    assert asked not in page.content()
    assert "Waiting for an answer" not in shown
    assert page.locator(f'#caseload tr[data-seeker="{seeker}"]').count() == 1
    context.close()
