"""Dates and times as people type them at the command line, relative to a pinned today: a bare
hour after "at", a numeric day and month in the profile country's order, a year-less date for
something that happened that lands just ahead, and a stated deadline said on its own weekday."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.errors import UsageError
from jobnudge.timeparse import Tense, parse_day, parse_when
from jobnudge.weekdays import name
from tests.pinned import PINNED_NOW

TZ = "America/New_York"
ZONE = ZoneInfo(TZ)
TODAY = PINNED_NOW.astimezone(ZONE).date()
WORKING = range(8, 19)

todays = st.dates(TODAY - timedelta(days=800), TODAY + timedelta(days=800))
clocks = st.times(time(0), time(23, 59))


def at(day: date, clock: time = time(10)) -> datetime:
    return datetime.combine(day, clock, ZONE)


@settings(max_examples=150, deadline=None)
@given(
    today=todays,
    weekday=st.integers(0, 6),
    hour=st.integers(0, 23),
    mode=st.sampled_from(["", "next "]),
)
def test_a_bare_hour_after_at_is_the_working_hour_or_refused_saying_what_to_type(
    today: date, weekday: int, hour: int, mode: str
) -> None:
    text = f"{mode}{name(weekday)} at {hour}"
    try:
        moment = parse_when(text, field="--for", tz=TZ, base=at(today), tense=Tense.FUTURE)
    except UsageError as exc:
        assert 1 <= hour <= 12 and len({hour % 12, hour % 12 + 12} & set(WORKING)) != 1
        assert exc.message.startswith("--for: ")
        assert f"'at {hour}am'" in exc.message and f"'at {hour}pm'" in exc.message
        return
    local = moment.astimezone(ZONE)
    assert local.weekday() == weekday and local.minute == 0
    if hour == 0 or hour > 12:
        assert local.hour == hour
    else:
        assert local.hour in {hour % 12, hour % 12 + 12} and local.hour in WORKING


@pytest.mark.parametrize(
    ("text", "hour"), [("next Tuesday at 10", 10), ("friday at 3", 15), ("tomorrow at 12", 12)]
)
def test_the_trials_phrases(text: str, hour: int) -> None:
    moment = parse_when(text, field="--for", tz=TZ, base=PINNED_NOW, tense=Tense.FUTURE)
    assert moment.astimezone(ZONE).hour == hour


def test_a_number_beside_a_day_says_am_or_pm_is_needed() -> None:
    with pytest.raises(UsageError, match="'at 3pm'"):
        parse_when("friday 3", field="--for", tz=TZ, base=PINNED_NOW, tense=Tense.FUTURE)


@settings(max_examples=100, deadline=None)
@given(
    month=st.integers(1, 12),
    day=st.integers(1, 12),
    country=st.sampled_from(["US", "GB", "DE", "PH"]),
)
def test_a_numeric_day_and_month_follow_the_profile_country(
    month: int, day: int, country: str
) -> None:
    first, second = (month, day) if country in ("US", "PH") else (day, month)
    found = parse_day(
        f"{first}/{second}",
        field="--applied",
        tz=TZ,
        base=PINNED_NOW,
        tense=Tense.ANY,
        country=country,
    )
    assert (found.month, found.day) == (month, day)


def test_without_a_country_an_ambiguous_numeric_date_is_still_refused() -> None:
    with pytest.raises(UsageError, match="write the month as a word"):
        parse_day("12/3", field="--applied", tz=TZ, base=PINNED_NOW, tense=Tense.PAST)


@settings(max_examples=150, deadline=None)
@given(today=todays, ahead=st.integers(1, 7), clock=clocks)
def test_a_yearless_past_date_just_ahead_is_refused_with_both_ways_to_write_it(
    today: date, ahead: int, clock: time
) -> None:
    meant = today + timedelta(days=ahead)
    if (meant.month, meant.day) == (2, 29):
        return
    text = f"{meant:%b} {meant.day}"
    with pytest.raises(UsageError) as caught:
        parse_when(text, field="--applied", tz=TZ, base=at(today, clock), tense=Tense.PAST)
    message = caught.value.message
    assert message.startswith("--applied: ") and "has not come yet" in message
    assert meant.replace(year=meant.year - 1).isoformat() in message


@settings(max_examples=150, deadline=None)
@given(today=todays, back=st.integers(0, 340))
def test_a_yearless_past_date_further_off_is_the_latest_such_day(today: date, back: int) -> None:
    meant = today - timedelta(days=back)
    if (meant.month, meant.day) == (2, 29):
        return
    text = f"{meant:%b} {meant.day}"
    found = parse_when(text, field="--applied", tz=TZ, base=at(today, time(23)), tense=Tense.PAST)
    assert found.astimezone(ZONE).date() == meant


@settings(max_examples=150, deadline=None)
@given(today=todays, weekday=st.integers(0, 6), short=st.booleans())
def test_a_deadline_named_by_weekday_is_after_the_day_it_was_said(
    today: date, weekday: int, short: bool
) -> None:
    word = name(weekday)[:3] if short else name(weekday)
    found = parse_day(word, field="--decision-by", tz=TZ, base=at(today), tense=Tense.LATER)
    assert found.weekday() == weekday and today < found <= today + timedelta(days=7)
