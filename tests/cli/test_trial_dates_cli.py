"""The dates of a new user's trial, through the real `nudge` command (US profile, New York)."""

from __future__ import annotations

from tests.cli.conftest import Nudge

WEDNESDAY = "2026-12-16T15:00:00-05:00"
FRIDAY = "2027-01-08T15:00:00-05:00"


def test_scheduling_says_back_the_moment_understood(nudge: Nudge) -> None:
    nudge("add", "Globex", "BI Developer", "--applied", "12/3", now=WEDNESDAY)
    assert nudge.json("show", "globex", now=WEDNESDAY)["events"][0]["at"].startswith("2026-12-03")
    out = nudge(
        "log",
        "globex",
        "scheduled",
        "--for",
        "next Tuesday at 10",
        "--kind",
        "video",
        now=WEDNESDAY,
    ).stdout
    assert "Interview: Tue 22 Dec 2026 10:00 (America/New_York)" in out
    out = nudge("log", "globex", "scheduled", "--for", "friday at 3", now=WEDNESDAY).stdout
    assert "Interview: Fri 18 Dec 2026 15:00" in out


def test_a_past_date_just_ahead_is_refused_not_put_a_year_back(nudge: Nudge) -> None:
    result = nudge("add", "Globex", "BI Developer", "--applied", "Dec 18", now=WEDNESDAY, ok=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--applied" in result.stderr and "'2025-12-18'" in result.stderr
    assert nudge.json("list", now=WEDNESDAY) == []


def test_a_decision_by_friday_said_on_a_friday_is_next_friday(nudge: Nudge) -> None:
    nudge("add", "Foo", "Analyst", "--applied", "2026-12-20", now=FRIDAY)
    out = nudge(
        "log", "foo", "interviewed", "--with", "Dana Lee", "--decision-by", "Fri", now=FRIDAY
    ).stdout
    assert "Decision by: Fri 15 Jan 2027" in out
    events = nudge.json("show", "foo", now=FRIDAY)["events"]
    assert events[-1]["decision_by"] == "2027-01-15"
    result = nudge("log", "foo", "received", "--decision-by", "2027-01-08", now=FRIDAY, ok=False)
    assert result.returncode == 2 and "--decision-by" in result.stderr
    assert "not after the day it was said" in result.stderr


def test_a_city_shared_by_two_regions_is_found(nudge: Nudge) -> None:
    nudge("contact", "add", "Oğuz Yılmaz", "--tz", "Istanbul")
    (oguz,) = nudge.json("contact", "list")
    assert oguz["tz"] == "Europe/Istanbul"
