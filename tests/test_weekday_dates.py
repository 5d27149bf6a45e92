"""One rule for a weekday typed beside a date, at the command line and in an import: a
year-less "Thu 10 Dec" is the one such Thursday within a year of today, behind or ahead,
whatever the tense; a full date with a weekday it does not fall on is refused at the command
line and warned about, with both readings, in an import. Every "today" is given, never read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge import weekdays
from jobnudge.errors import UsageError
from jobnudge.tabular.dates import read_date
from jobnudge.timeparse import Tense, read_when

TODAYS = st.dates(date(2025, 1, 1), date(2029, 12, 31))
NEAR = st.integers(-weekdays.NEAR_DAYS, weekdays.NEAR_DAYS)
TZ = "Europe/Berlin"


def _cli(text: str, today: date, tense: Tense, field: str = "--on") -> date:
    base = datetime.combine(today, time(12), ZoneInfo(TZ))
    return (
        read_when(text, field=field, tz=TZ, base=base, tense=tense).astimezone(ZoneInfo(TZ)).date()
    )


def _printed(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


@given(TODAYS, NEAR, st.sampled_from([Tense.PAST, Tense.FUTURE]))
def test_a_printed_day_reads_back_on_both_paths(today: date, shift: int, tense: Tense) -> None:
    day = today + timedelta(days=shift)
    text = _printed(day)
    assert _cli(text, today, tense) == day
    found = read_date(text, "dmy", today, tense)
    assert found.day == day and not found.warning


@given(TODAYS, NEAR, st.integers(1, 6), st.sampled_from([Tense.PAST, Tense.FUTURE]))
def test_a_weekday_that_fits_no_near_year_is_refused_or_warned(
    today: date, shift: int, off: int, tense: Tense
) -> None:
    day = today + timedelta(days=shift)
    wrong = (day.weekday() + off) % 7
    text = f"{weekdays.name(wrong)[:3]} {day.day} {day:%b}"
    fitting = weekdays.fitting(day.month, day.day, wrong, today)
    found = read_date(text, "dmy", today, tense)
    if fitting is not None:  # another year near today falls on that weekday: the same day
        assert _cli(text, today, tense) == fitting == found.day and not found.warning
        return
    with pytest.raises(UsageError) as refused:
        _cli(text, today, tense)
    said = weekdays.none_fits(day.month, day.day, wrong)
    assert refused.value.message == (
        f"--on: '{text}': {said}; write the year too, or the date alone."
    )
    assert found.day is not None and said in found.warning and text in found.warning


@given(st.dates(date(2025, 1, 1), date(2029, 12, 31)), st.integers(1, 6), TODAYS)
def test_a_full_date_with_the_wrong_weekday_is_refused_and_warned(
    day: date, off: int, today: date
) -> None:
    wrong = (day.weekday() + off) % 7
    text = f"{weekdays.name(wrong)} {day.day} {day:%B %Y}"
    other = weekdays.nearest(day, wrong)
    assert other.weekday() == wrong and 0 < abs((other - day).days) <= 3
    both = f"either '{weekdays.shown(day)}' or '{weekdays.shown(other)}' was meant"
    with pytest.raises(UsageError) as refused:
        _cli(text, today, Tense.PAST, field="--applied")
    message = refused.value.message
    assert message.startswith(f"--applied: '{text}': {day.day} {day:%b %Y} is a {day:%A}, ")
    assert f"not a {weekdays.name(wrong)}" in message and both in message
    found = read_date(text, "dmy", today)
    assert found.day == day  # the row keeps the date as written
    assert found.warning == (
        f"'{text}': {day.day} {day:%b %Y} is a {day:%A}, not a {weekdays.name(wrong)}: "
        f"{both}; read as {day.isoformat()}"
    )


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 12, 7), "Thu 10 Dec", date(2026, 12, 10)),  # early December: this December
        (date(2027, 1, 12), "Thu 10 Dec", date(2026, 12, 10)),  # next January: last December
        (date(2026, 3, 20), "Tue 24 Mar", date(2026, 3, 24)),
        (date(2028, 3, 1), "Tue 29 Feb", date(2028, 2, 29)),
    ],
)
def test_the_reported_cases(today: date, text: str, expected: date) -> None:
    for tense in (Tense.PAST, Tense.FUTURE):
        assert _cli(text, today, tense) == expected
        assert read_date(text, "dmy", today, tense).day == expected
