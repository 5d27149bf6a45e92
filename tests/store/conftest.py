"""Store fixtures: every store test runs on a real SQLite file and on a real PostgreSQL database.

PostgreSQL comes from ``NUDGE_TEST_PG`` (default: the local server, user postgres, trust auth).
Each test session creates its own ``jobnudge_test_<hex>`` database and drops it at the end; each
test starts from emptied tables. When the server cannot be reached the PostgreSQL half is
skipped, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from jobnudge.store import Store, open_store
from jobnudge.store.tables import OWNED_TABLES, users

from .helpers import World, build_world

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _admin_url() -> URL:
    from jobnudge.store.engine import normalise_url

    return make_url(normalise_url(os.environ.get("NUDGE_TEST_PG", PG_DEFAULT)))


def _unreachable(reason: str) -> None:
    message = f"PostgreSQL is not reachable at {_admin_url().render_as_string()}: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def _database() -> Iterator[str]:
    """A new, empty PostgreSQL database for as long as the block lasts."""
    admin_url = _admin_url()
    name = f"jobnudge_test_{secrets.token_hex(6)}"
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # any failure to reach or use the server
            _unreachable(str(exc).splitlines()[0])
        try:
            yield admin_url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def pg_session_url() -> Iterator[str]:
    """One migrated PostgreSQL database shared by the session's store tests."""
    with _database() as url:
        yield url


@pytest.fixture
def make_pg_database() -> Iterator[Callable[[], str]]:
    """A factory of blank PostgreSQL databases (for migration tests), dropped afterwards."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(_database())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _empty(store: Store) -> None:
    names = ", ".join(t.name for t in (*OWNED_TABLES, users))
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """An open, migrated, empty store on the parametrised backend."""
    if backend == "sqlite":
        opened = open_store(None, data_dir=tmp_path / "data")
    else:
        opened = open_store(request.getfixturevalue("pg_session_url"), data_dir=tmp_path)
        _empty(opened)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def owner(store: Store) -> int:
    return store.ensure_user("local")


@pytest.fixture
def blank_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of a database that does not hold any table yet."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'blank' / 'jobnudge.sqlite'}"
    make: Callable[[], str] = request.getfixturevalue("make_pg_database")
    return make()


@pytest.fixture
def world(store: Store, owner: int) -> World:
    return build_world(store, owner)
