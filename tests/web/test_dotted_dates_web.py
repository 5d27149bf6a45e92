"""Dates with dots typed into the web forms are read as the command line reads them: day first,
with a time after them, by the year rules of every date without a year (a German profile)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from starlette.applications import Starlette

from jobnudge.config import Profile, Settings
from jobnudge.domain import EventType
from jobnudge.web import create_app
from tests.pinned import PINNED_NOW

from .conftest import Client, counts, store_of

BERLIN = ZoneInfo("Europe/Berlin")
GERMAN = Settings(profile=Profile(name="Alex Morgan", tz="Europe/Berlin", country="DE"))


@pytest.fixture
def german(tmp_path: Path) -> Iterator[Starlette]:
    app = create_app(
        GERMAN,
        db=f"sqlite:///{tmp_path / 'web.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: PINNED_NOW,  # Tue 24 Nov 2026, 16:30 in Berlin
    )
    yield app
    store_of(app).close()


def test_dotted_dates_are_read_in_every_date_field(german: Starlette) -> None:
    store = store_of(german)
    owner = store.ensure_user("local")
    with Client(german) as client:
        added = client.send_form(
            "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "4.11.2026"}
        )
        assert added.status_code == 303, added.text
        opp = int(added.headers["location"].rsplit("/", 1)[1])
        scheduled = {"form": "interview", "event": "scheduled", "for": "4.1.2027 10:00"}
        assert client.send_form(f"/opportunities/{opp}/log", scheduled).status_code == 303
        said = {"form": "message", "event": "received", "at": "20.11.", "decision_by": "15.1."}
        assert client.send_form(f"/opportunities/{opp}/log", said).status_code == 303
    events = {e.type: e for e in store.events(owner, opp)}
    assert events[EventType.APPLIED].at.astimezone(BERLIN) == datetime(
        2026, 11, 4, 9, tzinfo=BERLIN
    )
    planned = events[EventType.SCHEDULED].scheduled_for
    assert planned is not None and planned.astimezone(BERLIN) == datetime(
        2027, 1, 4, 10, tzinfo=BERLIN
    )
    received = events[EventType.RECEIVED]
    assert received.at.astimezone(BERLIN) == datetime(2026, 11, 20, 9, tzinfo=BERLIN)
    assert received.decision_by is not None and received.decision_by.isoformat() == "2027-01-15"


def test_a_dotted_date_that_is_no_day_is_refused_naming_the_field(german: Starlette) -> None:
    store = store_of(german)
    before = counts(store)
    with Client(german) as client:
        refused = client.send_form(
            "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "31.2.2026"}
        )
    assert refused.status_code == 422
    assert "no day 31 in February 2026" in refused.text
    assert counts(store) == before
