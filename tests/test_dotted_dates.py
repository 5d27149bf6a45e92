"""Dates written with dots (``4.1.2027``, ``30.12.``) are day first wherever they are typed, and
read exactly as the spreadsheet import reads them; without a year they follow the rules of
every other year-less date (the tense's day, and the 14-day question back)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge import timeparse
from jobnudge.errors import UsageError
from jobnudge.tabular.dates import DateProblem, parse_date
from jobnudge.timeparse import Tense, parse_day, parse_when, read_when
from tests.pinned import PINNED_NOW

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 12, 30, 11, 0, tzinfo=UTC)  # Wed 30 Dec 2026, 12:00 in Berlin
TENSES = st.sampled_from([Tense.PAST, Tense.FUTURE, Tense.LATER, Tense.ANY])


def wall(text: str, tense: Tense, base: datetime = NOW) -> datetime:
    moment = parse_when(text, field="--for", tz=BERLIN, base=base, tense=tense, country="DE")
    return moment.astimezone(ZoneInfo(BERLIN))


def refusal(text: str, tense: Tense = Tense.FUTURE) -> str:
    with pytest.raises(UsageError) as refused:
        parse_when(text, field="--for", tz=BERLIN, base=NOW, tense=tense, country="DE")
    assert refused.value.message.startswith("--for: ")
    return refused.value.message


def test_the_trial_dates_are_read() -> None:
    at = ZoneInfo(BERLIN)
    assert wall("04.01.2027", Tense.FUTURE) == datetime(2027, 1, 4, 9, 0, tzinfo=at)
    assert wall("4.1.", Tense.FUTURE) == datetime(2027, 1, 4, 9, 0, tzinfo=at)
    assert wall("4.1", Tense.FUTURE) == datetime(2027, 1, 4, 9, 0, tzinfo=at)
    assert wall("4.1.2027 10:00", Tense.FUTURE) == datetime(2027, 1, 4, 10, 0, tzinfo=at)
    assert wall("4.1. 10:00", Tense.FUTURE) == datetime(2027, 1, 4, 10, 0, tzinfo=at)
    assert wall("30.12.", Tense.PAST) == datetime(2026, 12, 30, 9, 0, tzinfo=at)
    assert wall("Mon 4.1.2027", Tense.FUTURE).date() == date(2027, 1, 4)
    assert wall("2027.01.04", Tense.FUTURE).date() == date(2027, 1, 4)


def test_a_dotted_date_is_day_first_whatever_the_country() -> None:
    for country in ("US", "DE", ""):
        moment = parse_when(
            "3.4.2027", field="--for", tz=BERLIN, base=NOW, tense=Tense.FUTURE, country=country
        )
        assert moment.astimezone(ZoneInfo(BERLIN)).date() == date(2027, 4, 3)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("4.1.27", "write the year in full, e.g. 4.1.2027"),
        ("10.30", "for a time, write 10:30"),
        ("31.2.", "no day 31 in February"),
        ("13.13.2027", "there is no month 13"),
        ("29.2.2027", "no day 29 in February 2027"),
    ],
)
def test_a_dotted_date_that_is_no_day_is_refused_saying_why(text: str, words: str) -> None:
    assert words in refusal(text)


def test_a_dotted_date_without_a_year_asks_back_as_other_year_less_dates_do() -> None:
    # 20 Dec passed ten days ago: an interview a year ahead is a likelier slip than a plan
    assert "'2027-12-20'" in refusal("20.12.", Tense.FUTURE)
    # 5 Jan is six days ahead: an application a year back is a likelier slip
    assert "'2026-01-05'" in refusal("5.1.", Tense.PAST)


def test_a_british_time_with_a_dot_and_am_or_pm() -> None:
    assert wall("tomorrow 3.30pm", Tense.FUTURE) == datetime(
        2026, 12, 31, 15, 30, tzinfo=ZoneInfo(BERLIN)
    )


@given(
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
    padded=st.booleans(),
    trailing=st.booleans(),
    tense=TENSES,
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
)
def test_a_year_less_dotted_date_means_what_its_month_name_means(
    day: date, padded: bool, trailing: bool, tense: Tense, today: date
) -> None:
    """ "4.1." and "Jan 4" are one date: read alike, or refused alike, in every tense."""
    dotted = f"{day:%d.%m}" if padded else f"{day.day}.{day.month}"
    dotted += "." if trailing else ""
    named = f"{day:%b} {day.day}"
    base = datetime.combine(today, time(12), ZoneInfo(BERLIN))
    results = []
    for text in (dotted, named):
        try:
            results.append(parse_day(text, field="--for", tz=BERLIN, base=base, tense=tense))
        except UsageError as exc:
            results.append(exc.message.replace(f"'{text}'", "'…'"))
    assert results[0] == results[1]


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    padded=st.booleans(),
    clock=st.one_of(st.none(), st.times().map(lambda t: t.replace(second=0, microsecond=0))),
    tense=TENSES,
)
def test_a_full_dotted_date_reads_as_the_import_reads_it(
    day: date, padded: bool, clock: time | None, tense: Tense
) -> None:
    text = f"{day:%d.%m.%Y}" if padded else f"{day.day}.{day.month}.{day.year}"
    if clock is not None:
        text += f" {clock:%H:%M}"
    typed = read_when(text, field="--at", tz="UTC", base=PINNED_NOW, tense=tense)
    assert typed.date() == day == parse_date(text, "mdy") == parse_date(text, "dmy")
    assert typed.time() == (clock or timeparse.MORNING)


@given(
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
    tense=st.sampled_from([Tense.PAST, Tense.FUTURE]),
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_a_year_less_dotted_date_reads_as_the_import_reads_it(
    day: date, tense: Tense, today: date
) -> None:
    """The import takes the tense's day where the command line asks back about a slip (it
    warns about that cell instead: tests/transfer/test_yearless_slips.py)."""
    text = f"{day.day}.{day.month}."
    base = datetime.combine(today, time(12), UTC)
    read = parse_date(text, "mdy", today, tense)
    try:
        typed = parse_day(text, field="--at", tz="UTC", base=base, tense=tense)
    except UsageError:
        assert read is not None
        other = read.replace(year=read.year + (1 if tense is Tense.PAST else -1))
        assert 0 < abs((other - today).days) <= timeparse.NEAR_DAYS
        return
    assert typed == read


def test_the_import_refuses_what_the_command_line_refuses_with_dots() -> None:
    for text, words in (("13.13.2027", "no month 13"), ("31.2.", "no day 31 in February")):
        with pytest.raises(DateProblem, match=words):
            parse_date(text, "dmy", PINNED_NOW.date())
    assert parse_date("4.1.27", "dmy") == date(2027, 1, 4)  # a sheet's two-digit year is read
    assert parse_date("04.01.2027", "mdy") == date(2027, 1, 4)
