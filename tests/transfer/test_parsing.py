"""Pure parsing: dates in every common format, statuses, column mapping."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import EventType, InterviewFormat
from jobnudge.errors import UsageError
from jobnudge.tabular import mapping
from jobnudge.tabular.date_orders import column_orders, evidence
from jobnudge.tabular.date_times import time_of_day
from jobnudge.tabular.dates import DateProblem, from_serial, parse_date
from jobnudge.tabular.statuses import LEAD, read_status

MARCH_5 = date(2026, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05",
        "2026/03/05",
        "2026.3.5",
        "2026-03-05T14:30:00",
        "2026-03-05 14:30",
        "2026-03-05T14:30:00Z",
        "20260305",
        "03/05/2026",
        "3/5/2026",
        "3/5/26",
        "03-05-2026",
        "3/5/2026 2:30 PM",
        "Mar 5, 2026",
        "March 5, 2026",
        "March 5th, 2026",
        "Thursday, March 5, 2026",
        "5 Mar 2026",
        "5 March 2026",
        "05-Mar-2026",
        "5-Mar-26",
        "2026 Mar 5",
        "5. März 2026",
        "5 mars 2026",
        "5 de marzo de 2026",
        "46086",
        "46086.5",
    ],
)
def test_month_first_and_unambiguous_forms(text: str) -> None:
    assert parse_date(text, "mdy") == MARCH_5


@pytest.mark.parametrize("text", ["05/03/2026", "5/3/26", "05.03.2026", "5.3.2026", "05-03-2026"])
def test_day_first_forms(text: str) -> None:
    assert parse_date(text, "dmy") == MARCH_5


def test_dots_are_always_day_first() -> None:
    assert parse_date("05.03.2026", "mdy") == MARCH_5


def test_cell_values_from_a_workbook() -> None:
    assert parse_date(datetime(2026, 3, 5, 14, 30), "mdy") == MARCH_5
    assert parse_date(MARCH_5, "dmy") == MARCH_5
    assert parse_date(46086, "dmy") == MARCH_5  # an Excel serial number
    assert parse_date(46086.75, "dmy") == MARCH_5
    with pytest.raises(DateProblem):
        from_serial(1)  # 1899-12-31: outside the years a job search spans


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "2026-02-30",
        "13/13/2026",
        "soon",
        "next week?",
        "Mar 2026",
        "1/2/3/4",
        "5 Foo 2026",
        "99999999",
        "1",
        "1850-01-01",
        "2300-01-01",
        "TRUE",
        "#N/A",
        "0000-00-00",
    ],
)
def test_nonsense_is_a_problem_with_a_reason(text: str) -> None:
    with pytest.raises(DateProblem) as caught:
        parse_date(text, "dmy")
    assert str(caught.value)


def test_empty_cells_are_no_date() -> None:
    assert parse_date(None, "dmy") is None
    assert parse_date("   ", "mdy") is None


def test_a_value_contradicting_its_column_says_so() -> None:
    with pytest.raises(DateProblem, match="month first"):
        parse_date("25/03/2026", "mdy")
    with pytest.raises(DateProblem, match="day first"):
        parse_date("03/25/2026", "dmy")


def test_evidence_and_the_column_rule() -> None:
    assert evidence("25/03/2026") == "dmy"
    assert evidence("03/25/2026") == "mdy"
    assert evidence("03/05/2026") is None
    assert evidence("25.03.2026") is None  # dots are day-first anyway
    orders = column_orders(
        {
            0: ["03/05/2026", "25/03/2026", "04/04/2026"],  # decided by its own values
            1: ["03/05/2026"],  # undecided: follows the file
            2: ["2026-03-05"],
        },
        "US",
        None,
    )
    assert orders[0].order == "dmy" and "25/03/2026" in orders[0].why
    assert orders[1].order == "dmy" and "other date columns" in orders[1].why
    assert column_orders({0: ["03/05/2026"]}, "US", None)[0].order == "mdy"
    assert column_orders({0: ["03/05/2026"]}, "DE", None)[0].order == "dmy"
    assert column_orders({0: ["25/03/2026"]}, "US", "mdy")[0].order == "mdy"


def test_time_of_day() -> None:
    assert time_of_day("2026-03-05 14:30") == time(14, 30)
    assert time_of_day("3/5/2026 2:30 PM") == time(14, 30)
    assert time_of_day("3/5/2026 12:15 am") == time(0, 15)
    assert time_of_day(datetime(2026, 3, 5, 9, 45)) == time(9, 45)
    assert time_of_day(datetime(2026, 3, 5)) is None
    assert time_of_day("2026-03-05") is None


FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%b %d, %Y", "%d %B %Y", "%d-%b-%y", "%A, %B %d, %Y")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2068, 12, 31)), st.sampled_from(FORMATS))
def test_every_written_date_reads_back(day: date, fmt: str) -> None:
    assert parse_date(day.strftime(fmt), "mdy") == day


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2068, 12, 31)))
def test_day_first_dates_read_back(day: date) -> None:
    assert parse_date(day.strftime("%d/%m/%Y"), "dmy") == day
    assert parse_date(day.strftime("%d.%m.%y"), "mdy") == day


@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.booleans(), st.none()))
def test_any_cell_is_a_date_none_or_a_problem(value: object) -> None:
    with contextlib.suppress(DateProblem):
        parse_date(value, "dmy")


@pytest.mark.parametrize(
    ("text", "event", "round_"),
    [
        ("Applied", None, None),
        ("phone screen", EventType.INTERVIEWED, 1),
        ("Interview 2", EventType.INTERVIEWED, 2),
        ("2nd interview", EventType.INTERVIEWED, 2),
        ("Second interview", EventType.INTERVIEWED, 2),
        ("Final round", EventType.INTERVIEWED, 2),
        ("Interviewing", EventType.INTERVIEWED, 1),
        ("Onsite", EventType.INTERVIEWED, 2),
        ("Offer", EventType.OFFER, None),
        ("Offer accepted", EventType.OFFER, None),
        ("Rejected", EventType.REJECTED, None),
        ("Rejected after interview", EventType.REJECTED, None),
        ("Ghosted", EventType.NO_RESPONSE, None),
        ("no response", EventType.NO_RESPONSE, None),
        ("Withdrawn", EventType.WITHDRAWN, None),
        ("Declined offer", EventType.WITHDRAWN, None),
        ("In review", None, None),
    ],
)
def test_statuses_become_events(text: str, event: EventType | None, round_: int | None) -> None:
    status = read_status(text)
    assert status is not None
    assert status.event is event
    assert status.round == round_


def test_phone_screens_are_phone_interviews_and_leads_record_nothing() -> None:
    screen = read_status("Recruiter screen")
    assert screen is not None and screen.format is InterviewFormat.PHONE
    assert read_status("Wishlist") is LEAD
    assert read_status("Bookmarked") is LEAD
    assert read_status("???") is None
    assert read_status("maybe later") is None


@given(st.text(max_size=80))
def test_any_status_text_is_read_or_refused(text: str) -> None:
    read_status(text)


HUNTR = list(mapping.TRACKERS["Huntr"])
TEAL = list(mapping.TRACKERS["Teal"])
SHEETS = list(mapping.TRACKERS["Google Sheets job tracker"])


@pytest.mark.parametrize(
    ("headers", "tracker", "expected"),
    [
        (
            HUNTR,
            "Huntr",
            {
                "Company": "company",
                "Job Title": "role",
                "List": "status",
                "Applied Date": "applied_on",
                "First Interview Date": "interview_on",
                "URL": "posting_url",
                "Contacts": "contact",
            },
        ),
        (
            TEAL,
            "Teal",
            {
                "Company": "company",
                "Job Position": "role",
                "Status": "status",
                "Date Applied": "applied_on",
                "Follow Up": "follow_up_on",
                "Job Link": "posting_url",
                "Min. Salary": "salary",
            },
        ),
        (
            SHEETS,
            "Google Sheets job tracker",
            {
                "Company Name": "company",
                "Position": "role",
                "Contact Person": "contact",
                "Contact Email": "email",
                "Link to Job Posting": "posting_url",
                "Follow-up Date": "follow_up_on",
            },
        ),
        (
            [
                "Employer",
                "Title",
                "Applied on",
                "Stage",
                "Recruiter",
                "E-mail",
                "Phone",
                "Link",
                "Notes",
                "Salary",
                "Location",
                "Follow-up date",
            ],
            None,
            {
                "Employer": "company",
                "Title": "role",
                "Applied on": "applied_on",
                "Stage": "status",
                "Recruiter": "recruiter",
                "E-mail": "email",
                "Phone": "phone",
                "Link": "posting_url",
                "Salary": "salary",
                "Location": "location",
                "Follow-up date": "follow_up_on",
            },
        ),
    ],
)
def test_columns_are_recognised(
    headers: list[str], tracker: str | None, expected: dict[str, str]
) -> None:
    found = mapping.auto(headers)
    assert found.tracker == tracker
    for header, field in expected.items():
        assert found.fields.get(headers.index(header)) == field, header


def test_a_lone_date_column_is_the_application_date() -> None:
    found = mapping.auto(["Company", "Role", "Date", "Status"])
    assert found.fields[2] == "applied_on"


def test_corrections_move_a_field_and_refuse_unknown_names() -> None:
    base = mapping.auto(["Where", "Role", "Company"])
    fixed = mapping.apply(base, mapping.parse_overrides(["Where=company", "Company=notes"]))
    assert fixed.fields[0] == "company" and fixed.fields[2] == "notes"
    assert fixed.corrected == {0: "company", 2: "notes"}
    by_letter = mapping.apply(base, {"A": "company"})
    assert by_letter.fields[0] == "company" and 2 not in by_letter.fields
    with pytest.raises(UsageError, match="not a field"):
        mapping.parse_overrides(["Where=employer"])
    with pytest.raises(UsageError, match="COLUMN=FIELD"):
        mapping.parse_overrides(["Where"])
    with pytest.raises(UsageError, match="no column 'Nope'"):
        mapping.apply(base, {"Nope": "company"})
    assert mapping.apply(base, {"Nope": "company"}, strict=False).fields == base.fields


@given(st.lists(st.text(max_size=30), max_size=40))
def test_any_headers_map_without_error(headers: list[str]) -> None:
    found = mapping.auto(headers)
    assert set(found.fields.values()) <= set(mapping.FIELDS)
    taken = [f for f in found.fields.values() if f not in mapping.SHARED]
    assert len(taken) == len(set(taken))
    if found.tracker is None:  # a hand-kept sheet: no headed column is dropped
        assert all(i in found.fields for i, h in enumerate(headers) if h.strip())


def test_a_hand_kept_column_no_field_matches_is_kept_in_the_notes_under_its_header() -> None:
    found = mapping.auto(["Company", "Position", "Next step", "Notes", ""])
    assert found.fields[2] == "notes" and found.demoted[2] == mapping.UNKNOWN_KEPT
    assert found.plain_notes == 3  # the Notes column stays the plain note
    assert 4 not in found.fields  # a column without a header holds nothing to name
