"""Dates outside the current year show their year, so last December does not read as next."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jobnudge.cli.render import when
from tests.cli.conftest import Nudge

NOW = "2026-12-06T10:00:00-05:00"
TZ = "America/New_York"


def test_show_gives_the_year_of_last_year_s_dates(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "Dec 27", now=NOW)
    nudge("log", "acme", "note", "--at", "2026-12-01 10:00", now=NOW)
    shown = nudge("show", "acme", now=NOW).stdout
    assert "Sat 27 Dec 2025" in shown
    assert "Tue 1 Dec 10:00" in shown


@given(st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2099, 12, 30)))
def test_a_date_shows_its_year_exactly_when_it_is_not_this_year(moment: datetime) -> None:
    value = moment.replace(tzinfo=UTC)
    now = datetime(2026, 12, 6, 15, tzinfo=UTC)
    local_year = value.astimezone(ZoneInfo(TZ)).year
    shown = when(value, TZ, now).split()
    assert (str(local_year) in shown) == (local_year != 2026)


def test_add_and_log_say_when_a_date_without_a_year_was_read_as_last_year(nudge: Nudge) -> None:
    added = nudge("add", "Acme Corp", "Data Analyst", "--applied", "Dec 27", now=NOW).stdout
    assert "(read as 27 Dec 2025)" in added.splitlines()[0]
    logged = nudge("log", "acme", "note", "--at", "Dec 29", now=NOW).stdout
    assert "(read as 29 Dec 2025)" in logged.splitlines()[0]
    this_year = nudge("log", "acme", "note", "--at", "Dec 1", now=NOW).stdout
    assert "read as" not in this_year
