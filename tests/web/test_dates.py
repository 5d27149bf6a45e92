"""Dates typed into the web forms follow the command line's rules: year-less days follow the
tense, what happened is never in the future, a time that is not real is refused (4xx, the
field named, nothing written)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from starlette.applications import Starlette

from .conftest import Client, counts, store_of

NY = ZoneInfo("America/New_York")  # the profile's zone; the pinned clock is Tue 24 Nov 2026


def _error(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', html)
    assert found, f"no message for {field}"
    return found.group(1)


def _add(client: Client, applied_on: str) -> int:
    response = client.send_form(
        "/opportunities", {"company": "Testco", "role": "Role", "applied_on": applied_on}
    )
    assert response.status_code == 303, _error(response.text, "applied_on")
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_a_year_less_date_for_an_application_is_the_latest(app: Starlette, client: Client) -> None:
    store = store_of(app)
    opp = _add(client, "Oct 3")
    (applied,) = store.events(store.ensure_user("local"), opp)
    assert applied.at.astimezone(NY) == datetime(2026, 10, 3, 9, 0, tzinfo=NY)


def test_planned_days_are_the_next_such_day(app: Starlette, client: Client) -> None:
    store = store_of(app)
    opp = _add(client, "last monday")
    data = {"form": "interview", "event": "scheduled", "for": "Oct 20 2pm", "kind": "Phone"}
    assert client.send_form(f"/opportunities/{opp}/log", data).status_code == 303
    data = {"form": "interview", "event": "interviewed", "at": "Nov 20", "decision_by": "Nov 20"}
    assert client.send_form(f"/opportunities/{opp}/log", data).status_code == 303
    events = {e.type.value: e for e in store.events(store.ensure_user("local"), opp)}
    scheduled, interviewed = events["scheduled"], events["interviewed"]
    assert scheduled.scheduled_for is not None and scheduled.format == "phone"
    assert scheduled.scheduled_for.astimezone(NY) == datetime(2027, 10, 20, 14, 0, tzinfo=NY)
    assert interviewed.at.astimezone(NY).date() == date(2026, 11, 20)
    assert interviewed.decision_by == date(2027, 11, 20)


@pytest.mark.parametrize(
    ("url", "data", "field", "words"),
    [
        ("/opportunities", {"applied_on": "in 3 days"}, "applied_on", "in the future"),
        ("/opportunities", {"applied_on": "2026-12-06T25:61"}, "applied_on", "0 to 23"),
        ("/opportunities", {"applied_on": "99999-01-01"}, "applied_on", "1970 and 2100"),
        ("log", {"form": "other", "event": "note", "note": "x", "at": "tomorrow"}, "at", "future"),
        ("log", {"form": "message", "event": "received", "at": "tomorrow 37pm"}, "at", "1 to 12"),
        ("log", {"form": "message", "event": "sent", "at": "2026-11-20 24:30"}, "at", "0 to 23"),
        ("log", {"form": "interview", "event": "scheduled", "for": "Dec 32"}, "for", "no day 32"),
        (
            "log",
            {"form": "interview", "event": "interviewed", "decision_by": "13/13"},
            "decision_by",
            "the month is 1 to 12",
        ),
    ],
)
def test_bad_dates_are_refused_naming_the_field(
    app: Starlette, client: Client, url: str, data: dict[str, str], field: str, words: str
) -> None:
    opp = _add(client, "last monday")
    before = counts(store_of(app))
    if url == "log":
        url = f"/opportunities/{opp}/log"
    else:
        data = {"company": "Other", "role": "Role", **data}
    response = client.send_form(url, data)
    assert response.status_code == 422
    message = _error(response.text, field)
    assert words in message and "UTC" not in message, message
    assert counts(store_of(app)) == before


def test_an_interview_from_the_board_reads_the_day_by_what_happened(
    app: Starlette, client: Client
) -> None:
    store = store_of(app)
    opp = _add(client, "Oct 3")
    move = {"to": "Interviewing", "what": "interviewed", "when": "friday 2pm", "next": "/pipeline"}
    assert client.send_form(f"/opportunities/{opp}/move", move).status_code == 303
    interviewed = store.events(store.ensure_user("local"), opp)[-1]
    assert interviewed.at.astimezone(NY) == datetime(2026, 11, 20, 14, 0, tzinfo=NY)


def test_numeric_dates_follow_the_profile_country(app: Starlette, client: Client) -> None:
    """The profile is in the US: 12/3 is December 3, as in the import."""
    store = store_of(app)
    opp = _add(client, "11/3")
    (applied,) = store.events(store.ensure_user("local"), opp)
    assert applied.at.astimezone(NY).date() == date(2026, 11, 3)
