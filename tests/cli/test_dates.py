"""Dates typed on the command line: year-less days follow the tense, what happened is never in
the future, and a time that is not real is refused naming the field, with nothing written."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Nudge

NOW = "2026-11-30 10:00"  # a Monday, in the profile's America/New_York


@pytest.fixture
def seeded(nudge: Nudge) -> Nudge:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-11-02", now=NOW)
    return nudge


def test_a_year_less_date_is_the_latest_for_what_happened(nudge: Nudge) -> None:
    added = nudge.json("add", "Testco", "Role", "--applied", "Oct 3", now=NOW)
    (event,) = nudge.json("show", str(added["id"]), now=NOW)["events"]
    assert event["at"] == "2026-10-03T09:00-04:00"  # was 3 Oct 2027


def test_planned_moments_are_the_next_such_day(seeded: Nudge) -> None:
    seeded("log", "acme", "scheduled", "--for", "friday 2pm", "--kind", "phone", now=NOW)
    seeded("log", "acme", "interviewed", "--at", "Nov 27 3pm", "--decision-by", "Dec 4", now=NOW)
    events = {e["type"]: e for e in seeded.json("show", "acme", now=NOW)["events"]}
    scheduled, interviewed = events["scheduled"], events["interviewed"]
    assert scheduled["scheduled_for"] == "2026-12-04T14:00-05:00"
    assert scheduled["kind"] == "phone"  # was refused: "'phone' is not one of phone, video..."
    assert interviewed["at"] == "2026-11-27T15:00-05:00"
    assert interviewed["decision_by"] == "2026-12-04"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "Testco", "Role", "--applied", "in 3 days"), "--applied: Thu 3 Dec 2026 09:00"),
        (
            ("add", "Testco", "Role", "--applied", "2026-12-06T25:61"),
            "--applied: '2026-12-06T25:61'",
        ),
        (("log", "acme", "interviewed", "--at", "tomorrow 37pm"), "--at: 'tomorrow 37pm'"),
        (("log", "acme", "note", "--at", "tomorrow", "--note", "x"), "is in the future"),
        (("log", "acme", "received", "--at", "2026-12-05 24:30"), "hours run from 0 to 23"),
        (("log", "acme", "received", "--at", "2026-11-30 11:00"), "11:00 (America/New_York)"),
        (("log", "acme", "scheduled", "--for", "13/13 2pm"), "--for: '13/13 2pm' is not a real"),
        (("--now", "99999-01-01", "today"), "--now: '99999-01-01'"),
        (("snooze", "abc1234", "--until", "friday 99pm"), "--until:"),
    ],
)
def test_bad_dates_are_refused_naming_the_field(
    seeded: Nudge, args: tuple[str, ...], words: str
) -> None:
    before = seeded.json("show", "acme", now=NOW)
    result = seeded(*args, now=NOW, ok=False)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and " UTC " not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert seeded.json("show", "acme", now=NOW) == before


def test_a_pinned_clock_out_of_range_is_refused(nudge: Nudge) -> None:
    result = nudge("today", now="99999-01-01", ok=False)
    assert result.returncode == 2 and "NUDGE_NOW: '99999-01-01'" in result.stderr
