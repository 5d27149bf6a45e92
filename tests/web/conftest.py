"""Web fixtures: the ASGI app on a real SQLite file (and PostgreSQL for the isolation tests),
a pinned clock, and a client that fills in the CSRF token like the pages' forms do."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.testclient import TestClient

from jobnudge.config import Profile, Settings
from jobnudge.store import Store
from jobnudge.web import create_app
from tests.pinned import PINNED_NOW

NOW = PINNED_NOW  # Tuesday, 10:30 in New York
SETTINGS = Settings(profile=Profile(name="Alex Morgan", tz="America/New_York", country="US"))
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery"


class Client(TestClient):
    """A TestClient whose ``post`` sends the visitor's CSRF token unless told not to; it asks
    for 127.0.0.1, like a browser on the machine (local mode answers no other host)."""

    def __init__(self, app: Any, base_url: str = "http://127.0.0.1", **kw: Any) -> None:
        super().__init__(app, base_url=base_url, **kw)

    def token(self) -> str:
        if "nudge_csrf" not in self.cookies:
            self.get("/favicon.ico")  # any page hands out the token
        return str(self.cookies["nudge_csrf"])

    def send_form(
        self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kw: Any
    ) -> Any:
        body: dict[str, Any] = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.token())
        return self.post(url, data=body, follow_redirects=False, **kw)


def counts(store: Store) -> dict[str, int]:
    """Rows per table: a write that should not happen shows up here."""
    from jobnudge.store.tables import metadata

    out = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            out[table.name] = conn.scalar(select(func.count()).select_from(table)) or 0
    return out


def store_of(app: Starlette) -> Store:
    found: Store = app.state.nudge.store
    return found


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Starlette]]:
    made: list[Starlette] = []

    def build(url: str | None = None, *, now: datetime = NOW, **kw: Any) -> Starlette:
        app = create_app(
            SETTINGS,
            db=url or f"sqlite:///{tmp_path / 'web.sqlite'}",
            data_dir=tmp_path / "data",
            settings_path=tmp_path / "config.toml",
            now=lambda tz: now,
            **kw,
        )
        made.append(app)
        return app

    yield build
    for app in made:
        store_of(app).close()


@pytest.fixture
def app(make_app: Callable[..., Starlette]) -> Starlette:
    return make_app()


@pytest.fixture
def client(app: Starlette) -> Iterator[Client]:
    with Client(app) as c:
        yield c


@pytest.fixture
def demo(app: Starlette) -> Starlette:
    from jobnudge.services import demo as demo_service
    from jobnudge.services.session import Session

    store = store_of(app)
    owner = store.ensure_user("local")
    demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))
    return app


def nudge_ids(html: str) -> list[str]:
    return re.findall(r'data-nudge="([0-9a-f]{7})"', html)


# PostgreSQL: a throwaway database per test, skipped locally (failing under CI) when absent.


def _admin_url() -> Any:
    from jobnudge.store.engine import normalise_url

    return make_url(normalise_url(os.environ.get("NUDGE_TEST_PG", PG_DEFAULT)))


@contextmanager
def pg_database() -> Iterator[str]:
    admin = create_engine(
        _admin_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"jobnudge_webtest_{secrets.token_hex(6)}"
    try:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:
            message = f"PostgreSQL is not reachable: {str(exc).splitlines()[0]}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(message)
            pytest.skip(message)
        try:
            yield _admin_url().set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def accounts_app(
    request: pytest.FixtureRequest, make_app: Callable[..., Starlette]
) -> Iterator[Starlette]:
    if request.param == "sqlite":
        yield make_app(accounts=True)
        return
    with pg_database() as url:
        app = make_app(url, accounts=True)
        yield app
        store_of(app).close()


def sign_up(app: Starlette, name: str) -> Client:
    """A new account (by invitation, made at the app's own moment) and a client signed in."""
    from jobnudge.store import accounts

    token = accounts.create_invitation(store_of(app), None, name, app.state.nudge.now("UTC"))
    client = Client(app)
    response = client.send_form(
        "/signup", {"invite": token, "name": name, "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 303, response.text
    response = client.send_form("/signin", {"name": name, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def pg_app(make_app: Callable[..., Starlette]) -> Iterator[Starlette]:
    """The app with accounts on a throwaway PostgreSQL database (organisation tests)."""
    with pg_database() as url:
        app = make_app(url, accounts=True)
        yield app
        store_of(app).close()


class Clock:
    """An app clock the test moves (``create_app(now=clock)``): every zone sees one moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self, tz: str) -> datetime:
        return self.moment
