"""A German profile types dates with dots at the command line: read day first, with a time
after them, by the year rules of every date without a year."""

from __future__ import annotations

from tests.cli.conftest import Nudge

GERMAN = """
[profile]
name = "Alex Morgan"
tz = "Europe/Berlin"
country = "DE"
"""
WEDNESDAY = "2026-12-30T12:00:00+01:00"


def test_the_trial_dates_with_dots(nudge: Nudge) -> None:
    (nudge.home / "config.toml").write_text(GERMAN, encoding="utf-8")
    nudge("add", "Acme", "Analyst", "--applied", "1.12.", now=WEDNESDAY)
    out = nudge("log", "acme", "scheduled", "--for", "04.01.2027", now=WEDNESDAY).stdout
    assert "Interview: Mon 4 Jan 2027 09:00 (Europe/Berlin)" in out
    out = nudge("log", "acme", "scheduled", "--for", "5.1.", now=WEDNESDAY).stdout
    assert "Interview: Tue 5 Jan 2027 09:00" in out
    out = nudge("log", "acme", "scheduled", "--for", "6.1.2027 10:00", now=WEDNESDAY).stdout
    assert "Interview: Wed 6 Jan 2027 10:00" in out
    nudge("log", "acme", "sent", "--at", "30.12.", "--kind", "note", now=WEDNESDAY)
    events = nudge.json("show", "acme", now=WEDNESDAY)["events"]
    assert events[0]["at"].startswith("2026-12-01T09:00")
    assert any(e["type"] == "sent" and e["at"].startswith("2026-12-30T09:00") for e in events)


def test_a_slip_with_dots_is_asked_back_like_any_year_less_date(nudge: Nudge) -> None:
    (nudge.home / "config.toml").write_text(GERMAN, encoding="utf-8")
    nudge("add", "Acme", "Analyst", "--applied", "1.12.", now=WEDNESDAY)
    result = nudge("log", "acme", "scheduled", "--for", "20.12.", now=WEDNESDAY, ok=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--for" in result.stderr and "'2027-12-20'" in result.stderr


def test_a_city_and_a_span_typed_in_words(nudge: Nudge) -> None:
    nudge("contact", "add", "Dana Lee", "--tz", "San Francisco")
    assert nudge.json("contact", "list")[0]["tz"] == "America/Los_Angeles"
    refused = nudge("contact", "add", "Raj Patel", "--tz", "San Fransisco", ok=False)
    assert refused.returncode == 2 and "'San Francisco' (America/Los_Angeles)" in refused.stderr
    added = nudge.json(
        "add", "Acme", "Analyst", "--applied", "today", "--responds-within", "2 weeks"
    )
    assert added["responds_within_days"] == 14
