"""Fixtures for the reminder tests: a session on a SQLite file at the pinned moment with a
realistic search, and a real HTTP endpoint for Apprise."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from jobnudge import config
from jobnudge.services.session import Session, open_session

from .world import Hook, build_search


@pytest.fixture
def hook() -> Iterator[Hook]:
    server = Hook().start()
    try:
        yield server
    finally:
        server.stop()


def settings_for(**remind: object) -> config.Settings:
    lines = [
        "[profile]",
        'name = "Alex Morgan"',
        'email = "alex@seeker.example"',
        'tz = "America/New_York"',
        'country = "US"',
    ]
    doc = tomllib.loads("\n".join(lines))
    doc["remind"] = remind
    return config.parse(doc)


@pytest.fixture
def session(tmp_path: Path, pinned_now: datetime) -> Iterator[Session]:
    opened = open_session(
        None, settings=settings_for(channels=["apprise"]), data_dir=tmp_path / "data"
    )
    opened.now = pinned_now
    build_search(opened)
    try:
        yield opened
    finally:
        opened.close()
