"""Kept pages: Today and Pipeline are rebuilt exactly when what they show could have changed (a
write from any process, the settings, the clock), and never shown to anyone but their viewer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from jobnudge.domain import EventType
from jobnudge.services import demo as demo_service
from jobnudge.services import records
from jobnudge.services.session import Session
from jobnudge.store import open_store
from jobnudge.web import create_app
from jobnudge.web.pagecache import TOKEN_SLOT

from .conftest import NOW, SETTINGS, Client, nudge_ids, sign_up, store_of


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self, tz: str) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def app(tmp_path: Path, clock: Clock) -> Iterator[Starlette]:
    made = create_app(
        SETTINGS,
        db=f"sqlite:///{tmp_path / 'web.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=clock,
    )
    store = store_of(made)
    owner = store.ensure_user("local")
    demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))
    yield made
    store.close()


def pages(app: Starlette) -> tuple[int, int]:
    kept = app.state.nudge.pages
    return kept.hits, kept.misses


def test_a_second_view_is_the_kept_page_with_the_visitors_token(app: Starlette) -> None:
    with Client(app) as first, Client(app) as second:
        a = first.get("/")
        hits, _ = pages(app)
        b = first.get("/")
        assert pages(app)[0] == hits + 1
        assert a.text == b.text
        c = second.get("/")
        assert TOKEN_SLOT not in a.text + c.text
        assert re.findall(r'name="csrf_token" value="([^"]+)"', c.text) != re.findall(
            r'name="csrf_token" value="([^"]+)"', a.text
        )
        for client, html in ((first, a.text), (second, c.text)):
            token = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
            assert token == {client.cookies["nudge_csrf"]}
        # A form from the kept page works: its token is the visitor's.
        handle = nudge_ids(c.text)[0]
        response = second.send_form(f"/nudges/{handle}/snooze", {"until": "week"})
        assert response.status_code == 303


def test_a_write_from_another_process_shows_at_once(app: Starlette, tmp_path: Path) -> None:
    with Client(app) as client:
        client.get("/pipeline")
        assert "Initech" not in client.get("/pipeline").text
        other = open_store(f"sqlite:///{tmp_path / 'web.sqlite'}", data_dir=tmp_path)
        try:
            owner = other.ensure_user("local")
            session = Session(store=other, settings=SETTINGS, owner=owner, now=NOW)
            records.add_opportunity(session, "Initech", "Analyst", applied=NOW)
        finally:
            other.close()
        assert "Initech" in client.get("/pipeline").text


def test_an_action_shows_its_result_and_flash(app: Starlette) -> None:
    with Client(app) as client:
        handle = nudge_ids(client.get("/").text)[0]
        client.get("/")
        response = client.send_form(f"/nudges/{handle}/dismiss", {"reason": "Not needed"})
        assert response.status_code == 303
        after = client.get("/")
        assert "Dismissed." in after.text
        assert handle not in nudge_ids(after.text)
        assert handle not in nudge_ids(client.get("/").text)  # and stays gone once kept


def test_the_clock_makes_an_item_overdue_on_the_second(app: Starlette, clock: Clock) -> None:
    """A kept page expires when a follow-up on it passes its latest moment, not a minute later."""
    store = store_of(app)
    owner = store.ensure_user("local")
    rows = store.agenda_rows(owner, NOW + timedelta(days=7), NOW)
    soonest = min((r for r in rows if r.due_by and r.due_by > NOW), key=lambda r: r.due_by)
    assert soonest.due_by is not None
    with Client(app) as client:

        def group_of(html: str) -> str:
            card = html.index(f'data-nudge="{soonest.short_id}"')
            return re.findall(r'class="nudge group-(\w+)"', html[card - 80 : card])[-1]

        first = group_of(client.get("/").text)
        assert first != "overdue"
        clock.at = soonest.due_by.replace(second=0, microsecond=0) + timedelta(seconds=1)
        if clock.at >= soonest.due_by:
            clock.at = soonest.due_by - timedelta(microseconds=1)
        assert group_of(client.get("/").text) == first
        clock.at = soonest.due_by + timedelta(microseconds=1)
        assert group_of(client.get("/").text) == "overdue"


def test_the_heading_time_follows_the_minute(app: Starlette, clock: Clock) -> None:
    with Client(app) as client:
        before = client.get("/").text
        clock.at = NOW + timedelta(seconds=59)
        assert client.get("/").text == before
        clock.at = NOW + timedelta(minutes=1)
        assert client.get("/").text != before


def test_a_settings_change_rebuilds_the_page(app: Starlette) -> None:
    with Client(app) as client:
        client.get("/")
        assert "10:30 am" in client.get("/").text.split("<h1>Today</h1>")[1][:80]
        response = client.send_form(
            "/settings/profile",
            {"name": "Sam Rivera", "tz": "Europe/Berlin", "country": "DE", "signature": ""},
        )
        assert response.status_code == 303, response.text
        client.get("/")  # the one with the flash message
        assert "4:30 pm" in client.get("/").text.split("<h1>Today</h1>")[1][:80]


def test_no_cache_when_switched_off(tmp_path: Path) -> None:
    made = create_app(
        SETTINGS,
        db=f"sqlite:///{tmp_path / 'web.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: NOW,
        keep_pages=False,
    )
    try:
        with Client(made) as client:
            assert client.get("/").status_code == 200
            assert made.state.nudge.pages is None
    finally:
        store_of(made).close()


def test_kept_pages_are_per_viewer(accounts_app: Starlette) -> None:
    alice, bob = sign_up(accounts_app, "alice"), sign_up(accounts_app, "bob")
    response = alice.send_form(
        "/opportunities", {"company": "Alice Secret Corp", "role": "Analyst", "status": "lead"}
    )
    assert response.status_code == 303, response.text
    for _ in range(2):
        assert "Alice Secret Corp" in alice.get("/pipeline").text
        assert "Alice Secret Corp" not in bob.get("/pipeline").text
        assert "Alice Secret Corp" not in bob.get("/").text


def test_a_snoozed_nudge_leaves_the_kept_page(app: Starlette) -> None:
    store = store_of(app)
    owner = store.ensure_user("local")
    with Client(app) as client:
        handle = nudge_ids(client.get("/").text)[0]
        session = Session(store=store, settings=SETTINGS, owner=owner, now=NOW)
        from jobnudge.services import nudges

        nudges.decide(session, handle, EventType.NUDGE_SNOOZED, until=NOW + timedelta(days=9))
        assert handle not in nudge_ids(client.get("/").text)


def test_a_page_expires_at_the_moment_it_names(app: Starlette, clock: Clock) -> None:
    """``changes_at`` ends a kept page within its minute (the agenda sets it to the next due
    moment), and a page rendered for one key is not served for another address."""
    from starlette.routing import Route

    from jobnudge.web.context import Ctx, kept_page, page

    renders: list[datetime] = []

    def render(ctx: Ctx) -> Any:
        renders.append(ctx.session.now)
        ctx.changes_at = ctx.session.now.replace(second=30)
        return page(ctx, "error.html", {"status": 200, "heading": "x", "message": "y"})

    async def probe(request: Any) -> Any:
        return await kept_page(request, render)

    app.router.routes.insert(0, Route("/probe", probe))
    clock.at = NOW.replace(second=10)
    with Client(app) as client:
        client.get("/probe")
        clock.at = NOW.replace(second=29)
        client.get("/probe")
        assert len(renders) == 1
        clock.at = NOW.replace(second=30)
        client.get("/probe")
        assert len(renders) == 2
        client.get("/probe?other=1")
        assert len(renders) == 3


def test_pages_ask_the_browser_to_check_again(app: Starlette) -> None:
    """A page kept by the browser (Back, say) would show the state before the last action:
    pages are never kept ("no-cache" alone lets Back show a kept copy without asking); a
    form's answer is checked again, so that Back does not offer to send the form twice."""
    with Client(app) as client:
        for path in ("/", "/pipeline", "/contacts", "/nope"):
            assert client.get(path).headers["cache-control"] == "no-store", path
        refused = client.send_form("/contacts", {"name": ""})
        assert refused.status_code == 422
        assert refused.headers["cache-control"] == "no-cache"
        assert "no-" not in client.get("/static/app.css").headers.get("cache-control", "")
