"""A date without a year a year away from the import is a likely slip, in every kind of date
column: a follow-up or an interview (which may be behind or ahead of the import) is the nearest
such day, and a day something happened whose day this year is only days ahead is kept a year
back with a warning naming its row and column, where the command line would ask back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jobnudge import timeparse
from jobnudge.domain import EventType
from jobnudge.errors import UsageError
from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.tabular.dates import read_date
from jobnudge.timeparse import Tense

NEW_YORK = ZoneInfo("America/New_York")
DECEMBER_30 = datetime(2026, 12, 30, 10, 0, tzinfo=NEW_YORK)


def _import(session: Session, path: Path) -> importing.ImportReport:
    session.now = DECEMBER_30
    return importing.import_file(session, path)


def _events(session: Session, company: str) -> dict[EventType, list[date | None]]:
    found: dict[EventType, list[date | None]] = {}
    for opp, _stage in session.store.opportunities(session.owner):
        if session.store.company(session.owner, opp.company_id).name != company:
            continue
        for event in session.store.events(session.owner, opp.id):
            moment = event.scheduled_for if event.type is EventType.SCHEDULED else event.at
            day = None if event.date_unknown or moment is None else moment.astimezone(NEW_YORK)
            found.setdefault(event.type, []).append(day.date() if day else None)
    return found


def _notes(session: Session, company: str) -> str:
    for opp, _stage in session.store.opportunities(session.owner):
        if session.store.company(session.owner, opp.company_id).name == company:
            return opp.notes
    raise AssertionError(company)


def test_a_follow_up_a_year_ahead_is_read_as_the_nearest(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [
            ["Company", "Role", "Date applied", "Follow up"],
            ["Acme", "Analyst", "2026-11-20", "Dec 9"],  # three weeks overdue, not 2027-12-09
            ["Beta", "Analyst", "2026-11-20", "Jan 5"],  # next week
            ["Gamma", "Analyst", "2026-11-20", "9.12."],
        ]
    )
    report = _import(session, path)
    assert not report.warnings, report.warnings
    assert "Follow-up planned in the spreadsheet: 2026-12-09" in _notes(session, "Acme")
    assert "Follow-up planned in the spreadsheet: 2027-01-05" in _notes(session, "Beta")
    assert "Follow-up planned in the spreadsheet: 2026-12-09" in _notes(session, "Gamma")


def test_an_interview_a_year_away_is_read_as_the_nearest(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [
            ["Company", "Role", "Date applied", "Interview date"],
            ["Acme", "Analyst", "2026-11-20", "Jan 5"],  # next week: scheduled, not a year ago
            ["Beta", "Analyst", "2026-11-20", "Dec 18"],  # twelve days ago: it took place
        ]
    )
    report = _import(session, path)
    assert not report.warnings, report.warnings
    assert _events(session, "Acme")[EventType.SCHEDULED] == [date(2027, 1, 5)]
    assert _events(session, "Beta")[EventType.INTERVIEWED] == [date(2026, 12, 18)]


def test_a_day_that_happened_just_ahead_is_warned_about_naming_row_and_column(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [
            ["Company", "Role", "Date applied", "Status", "Status date"],
            ["Acme", "Analyst", "Jan 5", "Applied", ""],  # 5 Jan 2027 has not come yet
            ["Beta", "Analyst", "2025-12-01", "Rejected", "Jan 3"],
            ["Gamma", "Analyst", "Mar 3", "Applied", ""],  # far enough: no question
        ]
    )
    report = _import(session, path)
    assert [(row, column) for row, column, _what in report.warnings] == [
        (2, "Date applied"),
        (3, "Status date"),
    ]
    first = report.warnings[0][2]
    assert "'Jan 5': Tue 5 Jan 2027 has not come yet, so it is read as Mon 5 Jan 2026" in first
    assert "write the year if that is wrong" in first
    assert _events(session, "Acme")[EventType.APPLIED] == [date(2026, 1, 5)]
    assert _events(session, "Beta")[EventType.REJECTED] == [date(2026, 1, 3)]
    assert _events(session, "Gamma")[EventType.APPLIED] == [date(2026, 3, 3)]


@given(
    today=st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)),
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
    tense=st.sampled_from([Tense.PAST, Tense.FUTURE]),
)
def test_an_either_way_column_takes_the_nearest_such_day(
    today: date, day: date, tense: Tense
) -> None:
    text = f"{day:%b} {day.day}"
    found = read_date(text, "mdy", today, tense, either_way=True)
    assert found.day is not None and not found.warning
    assert (found.day.month, found.day.day) == (day.month, day.day)
    assert abs((found.day - today).days) <= 183
    for year in (found.day.year - 1, found.day.year + 1):
        assert abs((date(year, day.month, day.day) - today).days) >= abs((found.day - today).days)


@given(
    today=st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)),
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
)
def test_a_day_that_happened_is_warned_about_where_the_command_line_asks_back(
    today: date, day: date
) -> None:
    text = f"{day.day}.{day.month}."
    found = read_date(text, "dmy", today, Tense.PAST)
    assert found.day is not None and found.day <= today
    base = datetime.combine(today, datetime.min.time(), ZoneInfo("UTC")) + timedelta(hours=12)
    try:
        timeparse.parse_day(text, field="--applied", tz="UTC", base=base, tense=Tense.PAST)
    except UsageError:
        assert found.warning.startswith(f"'{text}': ") and "has not come yet" in found.warning
        return
    assert not found.warning
