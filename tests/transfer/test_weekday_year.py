"""A weekday typed beside a date without a year ("Thu 10 Dec") tells its year: the one within a
year of today in which that day falls on that weekday, ahead of today as well as behind; when
no such year is near, the tense's year stands and the cell is warned about. A full date with a
weekday it does not fall on keeps its row and is warned about with both readings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import EventType
from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.tabular.dates import parse_date, read_date
from jobnudge.timeparse import Tense

TODAYS = st.sampled_from([date(2026, 3, 20), date(2026, 12, 7), date(2028, 2, 29)])
TENSES = st.sampled_from([Tense.PAST, Tense.FUTURE])
NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _text(day: date, weekday: int, long: bool) -> str:
    name = NAMES[weekday] if long else NAMES[weekday][:3]
    return f"{name} {day.day} {day:%b}"


@given(TODAYS, st.integers(-365, 365), st.booleans(), TENSES)
def test_a_weekday_reads_back_as_its_day_within_a_year_of_today(
    today: date, shift: int, long: bool, tense: Tense
) -> None:
    day = today + timedelta(days=shift)
    text = _text(day, day.weekday(), long)
    found = read_date(text, "dmy", today, tense)
    assert found.day == day and not found.warning
    assert parse_date(text, "mdy", today, tense) == day


@given(TODAYS, st.integers(-365, 365), st.integers(0, 6), st.booleans(), TENSES)
def test_a_weekday_no_year_near_today_fits_is_warned_about(
    today: date, shift: int, weekday: int, long: bool, tense: Tense
) -> None:
    day = today + timedelta(days=shift)
    fits = set()
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            near = day.replace(year=year)
        except ValueError:  # 29 February
            continue
        if abs((near - today).days) <= 366:
            fits.add(near.weekday())
    found = read_date(_text(day, weekday, long), "dmy", today, tense)
    if weekday in fits:
        assert found.day is not None and found.day.weekday() == weekday and not found.warning
        return
    plain = parse_date(f"{day.day} {day:%b}", "dmy", today, tense)  # the tense's day
    assert found.day == plain
    assert found.warning.startswith(f"'{_text(day, weekday, long)}': ")
    assert NAMES[weekday] in found.warning and f"read as {plain}" in found.warning


def test_the_reported_case_thursday_10_december_is_this_year() -> None:
    today = date(2026, 12, 7)  # a Monday
    assert parse_date("Thu 10 Dec", "dmy", today) == date(2026, 12, 10)
    assert parse_date("Wed 10 Dec", "dmy", today) == date(2025, 12, 10)
    assert parse_date("10 Dec", "dmy", today) == date(2025, 12, 10)  # no weekday: unchanged
    assert parse_date("jeudi 10 décembre", "dmy", today) == date(2026, 12, 10)
    warned = read_date("Mon 10 Dec", "dmy", today)
    assert warned.day == date(2025, 12, 10)
    assert warned.warning == (
        "'Mon 10 Dec': 10 Dec 2025 was a Wednesday, and no 10 Dec within a year of today is "
        "a Monday; read as 2025-12-10"
    )


def test_an_import_schedules_the_interview_ahead_and_warns_about_a_weekday_that_fits_no_year(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(  # the import's today is Fri 20 Mar 2026
        [
            ["Company", "Role", "Date applied", "Interview"],
            ["Acme", "Analyst", "Thu 12 Mar", "Tue 24 Mar 14:30"],
            ["Beta", "Analyst", "Tue 24 Mar", ""],
            ["Gamma", "Analyst", "", "Sun 24 Mar"],
        ]
    )
    report = importing.import_file(session, path)
    events: dict[str, list[tuple[EventType, date | None]]] = {}
    zone = ZoneInfo(session.tz)
    for opp, _stage in session.store.opportunities(session.owner):
        company = session.store.company(session.owner, opp.company_id).name
        events[company] = [
            (e.type, (e.scheduled_for or e.at).astimezone(zone).date())
            for e in session.store.events(session.owner, opp.id)
            if e.type in (EventType.APPLIED, EventType.SCHEDULED, EventType.INTERVIEWED)
        ]
    assert events["Acme"] == [
        (EventType.APPLIED, date(2026, 3, 12)),
        (EventType.SCHEDULED, date(2026, 3, 24)),
    ]
    assert events["Beta"] == []  # an application dated ahead is a typo, kept in the notes
    assert events["Gamma"] == [(EventType.INTERVIEWED, date(2025, 3, 24))]
    messages = {(row, column): message for row, column, message in report.warnings}
    assert "(2026-03-24) is in the future" in messages[(3, "Date applied")]
    assert messages[(4, "Interview")] == (
        "'Sun 24 Mar': 24 Mar 2025 was a Monday, and no 24 Mar within a year of today is a "
        "Sunday; read as 2025-03-24"
    )


def test_a_full_date_with_the_wrong_weekday_keeps_the_row_and_warns_with_both_readings(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(  # the import's today is Fri 20 Mar 2026; 13 Mar 2026 is a Friday
        [
            ["Company", "Role", "Date applied"],
            ["Acme", "Analyst", "Thu 13 Mar 2026"],
            ["Beta", "Analyst", "Fri 13 Mar 2026"],
        ]
    )
    report = importing.import_file(session, path)
    applied = {
        session.store.company(session.owner, opp.company_id).name: [
            e.at.astimezone(ZoneInfo(session.tz)).date()
            for e in session.store.events(session.owner, opp.id)
            if e.type is EventType.APPLIED
        ]
        for opp, _stage in session.store.opportunities(session.owner)
    }
    assert applied == {"Acme": [date(2026, 3, 13)], "Beta": [date(2026, 3, 13)]}
    assert report.warnings == [
        (
            2,
            "Date applied",
            "'Thu 13 Mar 2026': 13 Mar 2026 is a Friday, not a Thursday: either "
            "'Fri 13 Mar 2026' or 'Thu 12 Mar 2026' was meant; read as 2026-03-13",
        )
    ]
