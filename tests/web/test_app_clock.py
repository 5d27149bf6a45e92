"""One clock for the whole web app: invitations, sign-up, sign-in, sessions, shares and the
calendar link are timed by the app's ``now`` (``--now``, ``NUDGE_NOW``, the tests' pinned
moment) like the agenda, never by the machine's. An app pinned to any moment, however far
from the one the suite runs at, works from the invitation to the sign-out."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from jobnudge.web import create_app

from .conftest import NOW, PASSWORD, SETTINGS, Client, sign_up, store_of


@contextmanager
def app_at(moment: datetime) -> Iterator[Starlette]:
    """A multi-user app on a fresh SQLite file whose clock says ``moment``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = create_app(
            SETTINGS,
            db=f"sqlite:///{folder / 'web.sqlite'}",
            data_dir=folder / "data",
            settings_path=folder / "config.toml",
            accounts=True,
            now=lambda tz: moment,
        )
        try:
            yield app
        finally:
            store_of(app).close()


def first_steps(app: Starlette) -> Client:
    """An invitation made at the app's moment, sign-up, sign-in: the session is live and the
    next invitation is pending."""
    alex = sign_up(app, "alex")
    assert alex.get("/", follow_redirects=False).status_code == 200
    page = alex.send_form("/account/invitations", {"note": "my coach"})
    assert page.status_code == 200
    assert "1 unused invitation pending." in page.text
    return alex


def walk_through(app: Starlette) -> None:
    """Every timed step of an account: each one is valid only if all read the same clock."""
    alex = first_steps(app)
    page = alex.send_form("/account/invitations", {"note": "my coach"})
    assert "2 unused invitations pending." in page.text
    link = re.search(r"/signup\?invite=([\w-]+)", page.text)
    assert link
    coach = Client(app)
    assert coach.get(f"/signup?invite={link.group(1)}").status_code == 200
    made = coach.send_form(
        "/signup",
        {"invite": link.group(1), "name": "kim", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert made.status_code == 303, made.text
    assert alex.send_form("/account/shares", {"coach": "kim"}).status_code in (200, 303)
    feed = alex.send_form("/account/feed", {})
    token = re.search(r"/calendar\.ics\?token=([\w%-]+)", feed.text)
    assert token
    assert Client(app).get(f"/calendar.ics?token={token.group(1)}").status_code == 200
    assert alex.send_form("/signout", {}).status_code == 303
    assert alex.get("/", follow_redirects=False).status_code == 303


def test_an_app_pinned_years_before_the_suites_moment_signs_people_up() -> None:
    with app_at(NOW - timedelta(days=3 * 365)) as app:
        walk_through(app)


def test_an_app_pinned_years_after_the_suites_moment_keeps_sessions_and_invitations() -> None:
    with app_at(NOW + timedelta(days=3 * 365)) as app:
        walk_through(app)


@settings(max_examples=8, deadline=None)  # each example hashes two passwords
@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),  # naive bounds; the values get UTC
        max_value=datetime(2200, 1, 1),
        timezones=st.just(UTC),
    )
)
def test_an_app_pinned_to_any_moment_signs_people_up_and_keeps_them_in(moment: datetime) -> None:
    with app_at(moment) as app:
        first_steps(app)
