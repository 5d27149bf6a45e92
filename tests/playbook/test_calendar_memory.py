"""The calendar's remembered answers equal the ones computed afresh: working days across
weekends and public holidays in several countries, wall-clock instants across daylight-saving
changes (gaps and repeated hours), asked in any order and again after the memory was full."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.playbook import calendar, wording

COUNTRIES = ("US", "GB", "DE", "FR", "JP", "IN", "BR", "AU")
ZONES = (
    "America/New_York",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "UTC",
)
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
# The wall clocks the rules ask for, and the hours a daylight-saving change skips or repeats.
CLOCKS = st.sampled_from([time(9), time(16), time(23, 59), time(12), time(2, 30), time(1, 30)])


def fresh_working_day(day: date, country: str) -> bool:
    """Straight from the ``holidays`` package, nothing remembered."""
    return day.weekday() < 5 and day not in holidays.country_holidays(country, years=day.year)


def fresh_at_local(day: date, clock: time, tz: str) -> datetime:
    """The instant computed afresh, as ``at_local`` did before it remembered answers."""
    zone = ZoneInfo(tz)
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        aware = (naive + timedelta(hours=1)).replace(tzinfo=zone)
    return aware.astimezone(UTC)


@pytest.fixture(autouse=True)
def forgotten() -> Iterator[None]:
    """Every test starts, and leaves, with nothing remembered."""
    calendar.use_holiday_source(None)
    calendar.at_local.cache_clear()
    yield
    calendar.use_holiday_source(None)
    calendar.at_local.cache_clear()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(DAYS, st.sampled_from(COUNTRIES)), min_size=1, max_size=40))
def test_remembered_working_days_equal_fresh_ones(asked: list[tuple[date, str]]) -> None:
    for day, country in asked + asked[::-1]:  # each asked twice: once computed, once recalled
        assert calendar.is_working_day(day, country) == fresh_working_day(day, country)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(DAYS, CLOCKS, st.sampled_from(ZONES)), min_size=1, max_size=40))
def test_remembered_instants_equal_fresh_ones(asked: list[tuple[date, time, str]]) -> None:
    for day, clock, tz in asked + asked[::-1]:
        assert calendar.at_local(day, clock, tz) == fresh_at_local(day, clock, tz)


@settings(max_examples=50, deadline=None)
@given(DAYS, st.sampled_from(COUNTRIES), st.integers(min_value=0, max_value=15))
def test_working_day_steps_equal_fresh_ones(day: date, country: str, count: int) -> None:
    """next/previous/add working days, built on the remembered answers, step as a fresh walk."""
    expected = day
    left = count
    while left > 0:
        expected += timedelta(days=1)
        if fresh_working_day(expected, country):
            left -= 1
    assert calendar.add_working_days(day, count, country) == expected
    ahead = day
    while not fresh_working_day(ahead, country):
        ahead += timedelta(days=1)
    assert calendar.next_working_day(day, country) == ahead
    back = day - timedelta(days=1)
    while not fresh_working_day(back, country):
        back -= timedelta(days=1)
    assert calendar.previous_working_day(day, country) == back


def test_known_holidays_weekends_and_dst_are_answered_the_same_twice() -> None:
    cases = [
        (date(2026, 12, 25), "DE", False),  # Christmas, a Friday
        (date(2026, 12, 24), "DE", True),  # Christmas Eve: a working day in Germany
        (date(2026, 7, 3), "US", False),  # Independence Day observed on the Friday
        (date(2026, 7, 6), "US", True),
        (date(2026, 11, 28), "GB", False),  # a Saturday
        (date(2026, 5, 1), "FR", False),  # Fête du Travail
    ]
    for _ in range(2):
        for day, country, working in cases:
            assert calendar.is_working_day(day, country) is working
    # 02:30 on the US spring-forward day does not exist: read as 03:30 EDT, both times.
    for _ in range(2):
        gap = calendar.at_local(date(2026, 3, 8), time(2, 30), "America/New_York")
        assert gap == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_a_new_holiday_source_is_not_answered_from_the_old_memory() -> None:
    day = date(2026, 6, 10)  # a Wednesday, no holiday in Germany
    assert calendar.is_working_day(day, "DE")
    calendar.use_holiday_source(lambda _country: {day: "Company day"})
    assert not calendar.is_working_day(day, "DE")


def test_a_full_memory_starts_again_and_keeps_answering(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar, "REMEMBERED", 10)
    start = date(2026, 12, 20)
    for n in range(40):
        day = start + timedelta(days=n)
        assert calendar.is_working_day(day, "GB") == fresh_working_day(day, "GB")
        assert len(calendar._working) <= 10


INSTANTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(INSTANTS, st.sampled_from(ZONES)), min_size=1, max_size=30))
def test_remembered_days_and_moments_read_as_fresh_ones(asked: list[tuple[datetime, str]]) -> None:
    """Reasons name an instant in the reader's zone: remembered by instant, the words are the
    ones the same instant gives in that zone computed afresh (across daylight-saving changes)."""
    for instant, tz in asked + asked[::-1]:
        local = instant.astimezone(ZoneInfo(tz))
        assert wording.day(instant, tz) == f"{local:%a} {local.day} {local:%b}"
        # the day and the time of day, both where the reader is
        expected = f"{local:%a} {local.day} {local:%b} {local:%H:%M}"
        assert wording.moment(instant, tz) == expected
        assert wording.moment(local, tz) == expected


def test_an_evening_moment_reads_with_its_own_day() -> None:
    """19:30 in New York is already the next day in UTC: the reason names the reader's day."""
    evening = datetime(2026, 11, 3, 19, 30, tzinfo=ZoneInfo("America/New_York"))
    assert wording.moment(evening, "America/New_York") == "Tue 3 Nov 19:30"
    assert wording.moment(evening.astimezone(UTC), "America/New_York") == "Tue 3 Nov 19:30"
    assert wording.moment(evening, "Asia/Tokyo") == "Wed 4 Nov 09:30"


def fresh_morning(instant: datetime, days: int, hour: float, tz: str, country: str) -> datetime:
    """``hour`` on the first working day from ``days`` after the instant's local day, afresh."""
    day = instant.astimezone(ZoneInfo(tz)).date() + timedelta(days=days)
    while not fresh_working_day(day, country):
        day += timedelta(days=1)
    minutes = round(hour * 60)
    return fresh_at_local(day, time(minutes // 60, minutes % 60), tz)


# Instants given in UTC (remembered) and in a zone with its repeated autumn hour (computed).
ANY_INSTANTS = st.one_of(
    INSTANTS,
    st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2028, 12, 31),
        timezones=st.sampled_from([ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")]),
        allow_imaginary=False,
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            ANY_INSTANTS,
            st.integers(min_value=0, max_value=100),
            st.sampled_from([9, 9.5, 16, 17.0]),
            st.sampled_from(ZONES),
            st.sampled_from(COUNTRIES),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_remembered_mornings_evenings_and_hours_equal_fresh_ones(
    asked: list[tuple[datetime, int, float, str, str]],
) -> None:
    for instant, days, hour, tz, country in asked + asked[::-1]:
        local = instant.astimezone(ZoneInfo(tz)).date()
        minutes = round(hour * 60)
        clock = time(minutes // 60, minutes % 60)
        assert calendar.working_morning(instant, days, hour, tz, country) == fresh_morning(
            instant, days, hour, tz, country
        )
        assert calendar.end_of_day_after(instant, days, tz) == fresh_at_local(
            local + timedelta(days=days), time(23, 59), tz
        )
        assert calendar.same_day_at(instant, hour, tz) == fresh_at_local(local, clock, tz)


def test_the_repeated_autumn_hour_is_two_instants_not_one_remembered_answer() -> None:
    """01:30 happens twice in New York on 1 Nov 2026: the same wall clock, equal as keys, but
    an hour apart, on two days in Regina (UTC-6 all year): each gets its own answer."""
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York"))
    second = first.replace(fold=1)
    assert first == second  # the same key to a dictionary
    tz = "America/Regina"
    for _ in range(2):
        assert calendar.end_of_day_after(first, 0, tz) == datetime(2026, 11, 1, 5, 59, tzinfo=UTC)
        assert calendar.end_of_day_after(second, 0, tz) == datetime(2026, 11, 2, 5, 59, tzinfo=UTC)
        assert calendar.same_day_at(first, 9, tz) == datetime(2026, 10, 31, 15, tzinfo=UTC)
        assert calendar.same_day_at(second, 9, tz) == datetime(2026, 11, 1, 15, tzinfo=UTC)


def test_a_new_holiday_source_moves_a_remembered_morning() -> None:
    instant = datetime(2026, 6, 9, 12, tzinfo=UTC)  # Tuesday: the next day is a Wednesday
    assert calendar.working_morning(instant, 1, 9, "Europe/Berlin", "DE") == datetime(
        2026, 6, 10, 7, tzinfo=UTC
    )
    calendar.use_holiday_source(lambda _country: {date(2026, 6, 10): "Company day"})
    assert calendar.working_morning(instant, 1, 9, "Europe/Berlin", "DE") == datetime(
        2026, 6, 11, 7, tzinfo=UTC
    )
    assert calendar.add_working_days(date(2026, 6, 9), 1, "DE") == date(2026, 6, 11)
