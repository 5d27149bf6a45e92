"""Dates without a year in a spreadsheet: read by the same rule as at the command line (the
most recent such day for what happened, the next one for a plan), and counted as dates when
deciding whether a column holds dates."""

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
from jobnudge.tabular.dates import is_date, parse_date
from jobnudge.timeparse import Tense, parse_day

TODAY = date(2026, 3, 20)  # the import's today (tests/transfer/conftest.py NOW)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
    st.sampled_from(["%b %d", "%d %b", "%B %d", "%d %B"]),
    st.sampled_from([Tense.PAST, Tense.FUTURE]),
)
def test_a_year_less_date_means_what_it_means_at_the_command_line(
    today: date, month_day: date, fmt: str, tense: Tense
) -> None:
    text = month_day.strftime(fmt)
    base = datetime(today.year, today.month, today.day, 12, tzinfo=ZoneInfo("UTC"))
    read = parse_date(text, "mdy", today, tense)
    try:
        cli = parse_day(text, field="when", tz="UTC", base=base, tense=tense)
    except UsageError:
        # The command line asks back about a slip far likelier than a year's distance: this
        # year's day a few days ahead for what happened, or a few days ago for a plan.
        assert read is not None
        other = read.replace(year=read.year + (1 if tense is Tense.PAST else -1))
        assert 0 < abs((other - today).days) <= timeparse.NEAR_DAYS
        return
    assert read == cli
    assert is_date(text)
    if tense is Tense.PAST:
        assert today - timedelta(days=366) < cli <= today
    else:
        assert today <= cli < today + timedelta(days=366)


@given(
    st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)),
    st.sampled_from(["/", "-", "."]),
)
def test_a_numeric_date_without_a_year_follows_the_column_order(day: date, sep: str) -> None:
    mdy, dmy = f"{day.month}{sep}{day.day}", f"{day.day}{sep}{day.month}"
    assert is_date(dmy) and (sep == "." or is_date(mdy))
    got = parse_date(dmy, "dmy", TODAY)
    assert got is not None and (got.month, got.day) == (day.month, day.day) and got <= TODAY
    if sep != ".":  # dots are day first whatever the column says
        got = parse_date(mdy, "mdy", TODAY)
        assert got is not None and (got.month, got.day) == (day.month, day.day)


def test_real_date_cells_always_count_as_dates() -> None:
    assert is_date(datetime(2026, 3, 5, 14, 30))
    assert is_date(date(1900, 1, 1))  # outside the years taken: the row warns, the column stays


def test_the_trial_sheet_imports_year_less_dates(
    session: Session, write_xlsx: Callable[..., Path]
) -> None:
    path = write_xlsx(
        [
            ["Company", "Role", "Date Applied", "Follow up?"],
            ["Acme", "Analyst", "Oct 3", "Mar 25"],
            ["Beta", "Analyst", "3rd Nov", ""],
            ["Gamma", "Analyst", "11/1", "Jan 2"],
            ["Delta", "Analyst", "Nov 30", ""],
            ["Eps", "Analyst", datetime(2026, 2, 2), ""],
            ["Zeta", "Analyst", "3/10/26", ""],
            ["Eta", "Analyst", 46086, ""],
        ]
    )
    report = importing.import_file(session, path)
    assert not report.warnings, report.warnings
    assert all(c["how"] != "demoted" for c in report.columns)
    applied: dict[str, date] = {}
    follow_ups: dict[str, str] = {}
    for opp, _stage in session.store.opportunities(session.owner):
        company = session.store.company(session.owner, opp.company_id).name
        for event in session.store.events(session.owner, opp.id):
            if event.type is EventType.APPLIED:
                applied[company] = event.at.astimezone(ZoneInfo(session.tz)).date()
        if "Follow-up planned" in opp.notes:
            follow_ups[company] = opp.notes.rsplit(": ", 1)[1]
    assert applied == {
        "Acme": date(2025, 10, 3),
        "Beta": date(2025, 11, 3),
        "Gamma": date(2025, 11, 1),
        "Delta": date(2025, 11, 30),
        "Eps": date(2026, 2, 2),
        "Zeta": date(2026, 3, 10),
        "Eta": date(2026, 3, 5),
    }
    # a follow-up is the nearest such day: "Jan 2" in March is one overdue, not next year's
    assert follow_ups == {"Acme": "2026-03-25", "Gamma": "2026-01-02"}
