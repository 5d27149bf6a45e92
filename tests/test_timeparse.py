"""Typed dates and times: what was typed is what is read, or it is refused with the field named
and an example; year-less dates and weekdays follow the tense of what they date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from jobnudge import timeparse
from jobnudge.errors import UsageError
from jobnudge.timeparse import Tense, happened, parse_day, parse_when

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday 30 Nov 2026, 10:00 in New York
TZ = "America/New_York"
ZONES = ("America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC")


def wall(text: str, tense: Tense = Tense.ANY, tz: str = TZ, base: datetime = NOW) -> datetime:
    """What ``text`` is read as, on the wall clock of ``tz``."""
    return parse_when(text, field="--at", tz=tz, base=base, tense=tense).astimezone(ZoneInfo(tz))


def refusal(text: str, tense: Tense = Tense.ANY, field: str = "--at") -> str:
    with pytest.raises(UsageError) as refused:
        parse_when(text, field=field, tz=TZ, base=NOW, tense=tense)
    message = refused.value.message
    assert message.startswith(f"{field}: ")
    return message


# The faults as reported --------------------------------------------------------------------


def test_a_date_without_a_year_is_the_latest_for_what_happened_and_the_next_for_plans() -> None:
    assert wall("Oct 3", Tense.PAST).date() == date(2026, 10, 3)  # was 3 Oct 2027
    assert wall("Oct 3", Tense.FUTURE).date() == date(2027, 10, 3)
    assert "'2025-12-03'" in refusal("Dec 3", Tense.PAST, "--at")  # three days ahead
    assert "'2025-12-09'" in refusal("Dec 9", Tense.PAST, "--at")  # nine days ahead
    assert wall("Dec 20", Tense.PAST).date() == date(2025, 12, 20)
    assert "'2027-11-20'" in refusal("Nov 20", Tense.FUTURE, "--for")  # ten days ago
    assert wall("Nov 10", Tense.FUTURE).date() == date(2027, 11, 10)
    assert wall("Dec 3", Tense.FUTURE).date() == date(2026, 12, 3)
    assert wall("friday", Tense.PAST).date() == date(2026, 11, 27)
    assert wall("friday", Tense.FUTURE).date() == date(2026, 12, 4)
    assert wall("monday", Tense.PAST).date() == date(2026, 11, 30)  # today counts
    assert wall("11pm", Tense.PAST) == datetime(2026, 11, 29, 23, 0, tzinfo=ZoneInfo(TZ))
    assert wall("9am", Tense.FUTURE).date() == date(2026, 12, 1)
    day = parse_day("Nov 10", field="--decision-by", tz=TZ, base=NOW, tense=Tense.FUTURE)
    assert day == date(2027, 11, 10)


def test_what_happened_is_never_in_the_future() -> None:
    for text in (
        "in 3 days",
        "tomorrow",
        "next friday",
        "2026-12-01",
        "in 2 hours",
        "2026-11-30 11am",
    ):
        message = refusal(text, Tense.PAST, "--applied")
        assert "is in the future" in message and "(America/New_York)" in message, text
        assert "UTC" not in message


def test_today_for_what_happened_is_never_later_today() -> None:
    early = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # 07:00 in New York
    assert parse_when("today", field="--applied", tz=TZ, base=early, tense=Tense.PAST) == early
    assert wall("today", Tense.PAST) == datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo(TZ))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2026-12-06T25:61", "hours run from 0 to 23"),
        ("tomorrow 37pm", "with am or pm, hours run from 1 to 12"),
        ("2026-12-05 24:30", "hours run from 0 to 23"),
        ("99999-01-01", "the year 99999 is not between 1970 and 2100"),
        ("3:99pm", "minutes from 0 to 59"),
        ("13pm", "hours run from 1 to 12"),
        ("Feb 30", "there is no day 30 in February"),
        ("2027-02-29", "there is no day 29 in February 2027"),
        ("2026-13-01", "there is no month 13"),
        ("1969-12-31", "not between 1970 and 2100"),
        ("in 100000 weeks", "outside the years"),
        ("3/5", "could be 3 May or March 5"),
        ("2026-03-08 02:30", "does not exist in America/New_York"),
        ("friday foo", "cannot read"),
        ("tomorrow friday", "two days"),
        ("3pm 4pm", "two times"),
        ("in 2 hours tomorrow", "counted from now"),
    ],
)
def test_a_time_that_is_not_real_is_refused_with_an_example(text: str, words: str) -> None:
    for tense in Tense:
        message = refusal(text, tense)
        assert words in message, message
        assert "like '2026-03-05 14:30'" in message or "an hour later" in message


def test_the_pinned_clock_is_read_strictly_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from jobnudge import clock

    monkeypatch.setenv("NUDGE_NOW", "99999-01-01")
    with pytest.raises(UsageError, match=r"NUDGE_NOW: .*99999"):
        clock.now()
    monkeypatch.setenv("NUDGE_NOW", "2026-03-02 10:00")
    assert clock.now("America/New_York") == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def test_the_past_rule_for_days_is_in_the_users_zone() -> None:
    late = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # still 30 Nov in New York
    happened(date(2026, 11, 30), field="Applied", now=late, tz=TZ)
    with pytest.raises(UsageError, match=r"Applied: Tue 1 Dec 2026 is in the future"):
        happened(date(2026, 12, 1), field="Applied", now=late, tz=TZ)
    with pytest.raises(UsageError, match=r"Mon 30 Nov 2026 22:00 \(America/New_York\)"):
        happened(late, field="--at", now=late - timedelta(hours=1), tz=TZ)


# Properties -------------------------------------------------------------------------------

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@st.composite
def typed_moments(draw: st.DrawFn) -> tuple[str, datetime, str]:
    """A real wall-clock moment and one of the ways a person types it."""
    day = draw(st.dates(date(1971, 1, 1), date(2099, 12, 31)))
    moment = datetime.combine(day, draw(st.times().map(lambda t: time(t.hour, t.minute))))
    hour12 = f"{moment.hour % 12 or 12}"
    half = "am" if moment.hour < 12 else "pm"
    month = MONTHS[moment.month - 1]
    forms = [
        f"{moment:%Y-%m-%d %H:%M}",
        f"{moment:%Y-%m-%dT%H:%M}",
        f"{moment:%Y-%m-%d} {hour12}:{moment:%M}{half}",
        f"{month} {moment.day}, {moment.year} at {hour12}:{moment:%M} {half.upper()}",
        f"{moment.day} {month[:3]} {moment.year} {moment:%H:%M}",
        f"{moment:%H:%M} on {moment.day}th of {month.lower()} {moment.year}",
    ]
    return draw(st.sampled_from(forms)), moment, draw(st.sampled_from(ZONES))


@given(typed_moments(), st.sampled_from(Tense))
def test_a_typed_moment_is_read_as_typed_or_refused_as_skipped(
    case: tuple[str, datetime, str], tense: Tense
) -> None:
    text, moment, tz = case
    zone = ZoneInfo(tz)
    base = datetime(2100, 6, 1, tzinfo=UTC)  # after every moment typed, so PAST keeps them all
    skipped = moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if skipped != moment:
        with pytest.raises(UsageError, match="does not exist"):
            parse_when(text, field="--at", tz=tz, base=base, tense=tense)
        return
    read = parse_when(text, field="--at", tz=tz, base=base, tense=tense)
    assert read.astimezone(zone).replace(tzinfo=None) == moment


@given(
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", "am", "pm", " pm", " a.m."]),
    st.sampled_from(["", "tomorrow ", "2026-12-06T", "Dec 6 "]),
)
def test_a_clock_time_is_read_only_when_it_is_real(
    hour: int, minute: int, half: str, day: str
) -> None:
    clock = f"{hour}:{minute:02d}{half}"
    text = day + clock
    twelve = half.strip() != ""
    real = minute <= 59 and (1 <= hour <= 12 if twelve else hour <= 23)
    if not real:
        message = refusal(text, Tense.FUTURE)
        assert "not a real date and time" in message
        return
    read = wall(text, Tense.FUTURE)
    expected = hour % 12 + (12 if "p" in half else 0) if twelve else hour
    assert (read.hour, read.minute) == (expected, minute)


@given(
    st.integers(1, 12),
    st.integers(1, 31),
    st.sampled_from(["", " 3pm", " 09:15"]),
    st.datetimes(datetime(1980, 1, 1), datetime(2090, 1, 1)),
)
def test_a_year_less_date_is_the_nearest_that_fits_the_tense(
    month: int, day: int, clock: str, base_naive: datetime
) -> None:
    assume(
        day <= (29 if month == 2 else [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    )
    base = base_naive.replace(tzinfo=UTC)
    text = f"{MONTHS[month - 1][:3]} {day}{clock}"
    today = base.astimezone(ZoneInfo(TZ)).date()
    try:
        future = parse_when(text, field="--at", tz=TZ, base=base, tense=Tense.FUTURE).astimezone(
            ZoneInfo(TZ)
        )
    except UsageError as exc:  # this year's day only days behind: a slip, not next year's
        assert "has passed" in exc.message
        past = parse_when(text, field="--at", tz=TZ, base=base, tense=Tense.PAST)
        assert 0 < (today - past.astimezone(ZoneInfo(TZ)).date()).days <= timeparse.NEAR_DAYS
        return
    try:
        past = parse_when(text, field="--at", tz=TZ, base=base, tense=Tense.PAST).astimezone(
            ZoneInfo(TZ)
        )
    except UsageError as exc:  # this year's day only days ahead: a slip, not last year's
        assert "has not come yet" in exc.message
        assert 0 < (future.date() - today).days <= timeparse.NEAR_DAYS
        return
    for read in (past, future):
        assert (read.month, read.day) == (month, day)
    assert past <= base and past.date() <= today
    assert future.date() >= today
    if clock:
        assert future >= base
    # the nearest: no year between them would also fit
    assert future.year - past.year <= (8 if (month, day) == (2, 29) else 1)


@given(st.integers(-400, 400), st.sampled_from(["day", "week", "hour", "minute"]))
def test_a_relative_phrase_pointing_ahead_is_refused_for_what_happened(n: int, unit: str) -> None:
    text = f"in {n} {unit}s" if n >= 0 else f"{-n} {unit}s ago"
    ahead = parse_when(text, field="--applied", tz=TZ, base=NOW) > NOW
    if ahead:
        assert "is in the future" in refusal(text, Tense.PAST, "--applied")
    else:
        assert parse_when(text, field="--applied", tz=TZ, base=NOW, tense=Tense.PAST) <= NOW


def read_or_refused(text: str, tense: Tense, tz: str) -> None:
    """``text`` is read as a moment in the years allowed, or refused naming the field."""
    try:
        read = parse_when(text, field="--at", tz=tz, base=NOW, tense=tense)
    except UsageError as exc:
        assert exc.message.startswith("--at: ")
    else:
        assert 1970 <= read.year <= 2100


@given(st.text(max_size=40), st.sampled_from(Tense), st.sampled_from(ZONES))
def test_any_text_is_read_or_refused_never_a_crash(text: str, tense: Tense, tz: str) -> None:
    read_or_refused(text, tense, tz)


@given(
    st.lists(
        st.sampled_from(
            [
                "now",
                "today",
                "tomorrow",
                "yesterday",
                "next",
                "last",
                "this",
                "friday",
                "mon",
                "oct",
                "3",
                "3rd",
                "31",
                "2026",
                "1969",
                "in",
                "ago",
                "days",
                "weeks",
                "hours",
                "at",
                "on",
                "noon",
                "midnight",
                "3pm",
                "12am",
                "0am",
                "37pm",
                "25:61",
                "14:30",
                "2026-02-29",
                "2026-12-05",
                "12/25",
                "3/5",
                "a",
                "an",
                "of",
                "t",
                "z",
                "+01:00",
            ]
        ),
        max_size=6,
    ),
    st.sampled_from(Tense),
)
def test_word_salad_is_read_or_refused_never_a_crash(parts: list[str], tense: Tense) -> None:
    read_or_refused(" ".join(parts), tense, TZ)


@given(
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from(["", "/2026", "/26", "/0", "/1969", "/2101"]),
    st.booleans(),
    st.sampled_from(Tense),
    st.sampled_from(ZONES),
)
def test_any_day_and_month_with_a_slash_is_read_or_refused(
    a: int, b: int, year: str, padded: bool, tense: Tense, tz: str
) -> None:
    """Numbers as people type a date with slashes, month 0 or 45 included ("0/0", "13/45"):
    read, or refused with a message naming the field, never an error of the program."""
    text = f"{a:02d}/{b:02d}{year}" if padded else f"{a}/{b}{year}"
    read_or_refused(text, tense, tz)
    read_or_refused(f"{text} 3pm", tense, tz)
