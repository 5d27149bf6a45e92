"""Generated hand-kept trackers: random garbage, typos and blanks in every optional cell.

Whatever the cells hold, every row with a company and a role comes in, nothing is invented
(every date is a cell's date, every address a cell's address), nothing is lost (every cell
that was not used is in the notes), and each warning names the row and a column of the file.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge import text_safety
from jobnudge.playbook import guards
from jobnudge.services import importing
from jobnudge.tabular import mapping
from jobnudge.tabular.dates import ColumnOrder, DateProblem, parse_date
from jobnudge.tabular.rows import RowPlan, plan_row
from jobnudge.tabular.statuses import read_status

from .conftest import make_session

HEADER = [
    "Company",
    "Position",
    "Date applied",
    "Status",
    "Last update",
    "Interview date",
    "Follow-up date",
    "Contact",
    "Email",
    "Phone",
    "Link",
    "Source",
    "Notes",
    "Salary",
    "Location",
]
TODAY = date(2026, 3, 20)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
GARBAGE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30
)
WORDS = st.sampled_from(
    ["yes", "no", "tbc", "n/a", "send thanks", "?", "asap", "next week", "31/02/2026", "13/13/13"]
)
DATE_CELL = st.one_of(
    st.just(""),
    DAYS.map(lambda d: d.isoformat()),
    DAYS.map(lambda d: d.strftime("%b %d, %Y")),
    WORDS,
    GARBAGE,
)
STATUS = st.one_of(
    st.just(""),
    st.sampled_from(
        ["Applied", "Interview 2", "Rejected", "Offer", "Ghosted", "wishlist", "phone screen"]
    ),
    st.sampled_from(["Waiting on HR", "Aplied", "Intervew", "???", "follow up w/ Dana"]),
    GARBAGE,
)
NAMES = st.sampled_from(["Dana Lee", "Sam Rivera", "Ben Ross", "Kim", ""])
CONTACT = st.one_of(
    NAMES,
    NAMES.map(lambda n: f"{n} <{n.split(' ')[0].lower() or 'x'}@acme.com>"),
    NAMES.map(lambda n: f"{n}, Head of Talent"),
    st.sampled_from(["ben@pinecrest", "dana@acme.com", "Dana (dana@acme.com)"]),
    GARBAGE,
)
EMAIL = st.one_of(
    st.just(""), st.sampled_from(["ben@pinecrest", "dana@acme.com", "DANA@ACME.COM."]), GARBAGE
)
OPTIONAL = [DATE_CELL, STATUS, DATE_CELL, DATE_CELL, DATE_CELL, CONTACT, EMAIL]
OPTIONAL += [GARBAGE] * 6
ROW = st.tuples(
    st.one_of(st.just(""), st.sampled_from(["Acme", "Globex", "Pinecrest"]), GARBAGE),
    st.one_of(st.just(""), st.sampled_from(["Analyst", "Engineer"]), GARBAGE),
    *OPTIONAL,
).map(list)
COLUMNS = mapping.auto(HEADER)
COLUMNS.demoted.clear()  # every date column as mapped: the cells are what varies here
ORDERS = {i: ColumnOrder("mdy", "") for i, f in COLUMNS.fields.items() if f in mapping.DATE_FIELDS}


def _day(cell: str) -> date | None:
    try:
        return parse_date(cell, "mdy")
    except DateProblem:
        return None


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _check(number: int, cells: list[str], plan: RowPlan | str) -> None:
    # As typed, but for runs of spaces and invisible marks at either end (a pasted soft
    # hyphen is no company: text_safety.trim)
    company, role = (text_safety.trim(" ".join(cell.split())) for cell in cells[:2])
    if not company or not role:
        assert isinstance(plan, str), (cells, plan)
        return
    assert not isinstance(plan, str), (cells, plan)
    assert (plan.company, plan.role) == (company, role)
    by_header = dict(zip(HEADER, cells, strict=True))
    # Nothing invented: each known day is one a date cell gives, each address one typed.
    days = {_day(by_header[h]) for h in ("Date applied", "Last update", "Interview date")}
    for event in plan.events:
        assert event.day is None or event.day in days, (cells, event)
        if event.day is not None and event.type.value != "scheduled":
            assert event.day <= TODAY
    typed = " ".join(cells).casefold()
    for person in plan.contacts:
        assert person.email.casefold() in typed
        assert not person.email or "." in person.email.split("@")[1]
    # Nothing lost: every optional cell was used, or is in the notes.
    for header, cell in by_header.items():
        text = cell.strip()
        if not text or header in ("Company", "Position"):
            continue
        used = {
            "Status": read_status(text) is not None,
            "Follow-up date": _day(text) is not None,
            "Date applied": any(e.day == _day(text) for e in plan.events),
            "Last update": any(e.day == _day(text) for e in plan.events),
            "Interview date": any(e.day == _day(text) for e in plan.events),
            "Contact": any(p.name and _letters(p.name) in _letters(text) for p in plan.contacts)
            or any(p.email and p.email in text.casefold() for p in plan.contacts),
            "Email": any(p.email and p.email in text.casefold() for p in plan.contacts),
            "Phone": any(p.phone == text for p in plan.contacts),
            "Link": plan.posting_url == text,
            "Source": plan.source == text,
        }.get(header, False)
        assert used or text in plan.notes, (header, cell, plan.notes)
    # Each warning names a column of the file.
    for warning in plan.warnings:
        assert warning.column in HEADER
        assert warning.message


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=8))
def test_every_row_with_a_company_and_role_comes_in_as_written(rows: list[list[str]]) -> None:
    for number, cells in enumerate(rows, start=2):
        _check(number, cells, plan_row(number, cells, COLUMNS, ORDERS, TODAY))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(ROW, min_size=1, max_size=6))
def test_the_real_import_keeps_every_such_row(rows: list[list[str]]) -> None:
    """Through the file and the store: the rows, warnings by row and column, no window timed
    from an unknown date."""
    import csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tracker.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([HEADER, *rows])
        session = make_session(None, Path(folder) / "data")
        try:
            report = importing.import_file(session, path, overrides=["Follow-up date=follow_up_on"])
            kept = {
                n
                for n, r in enumerate(rows, start=2)
                if " ".join(r[0].split()) and " ".join(r[1].split())
            }
            skipped = {n for n, _why in report.rejected}
            # A row left blank (a gap between entries) is passed over, not reported.
            blank = {n for n, r in enumerate(rows, start=2) if not "".join(r).strip()}
            assert kept | skipped | blank == set(range(2, len(rows) + 2))
            assert not kept & skipped and not skipped & blank
            assert {line.row for line in (*report.new, *report.existing)} == kept
            for row, column, _what in report.warnings:
                assert row in kept and column in HEADER
            unknown = {
                e.id
                for o, _s in session.store.opportunities(session.owner)
                for e in session.store.events(session.owner, o.id)
                if e.date_unknown
            }
            pending = session.store.nudges(
                session.owner, until=session.now + timedelta(days=800), now=session.now
            )
            # Only a status question's wait, counted from the import, comes from such a day.
            assert {n.rule for n in pending if n.anchor_event_id in unknown} <= guards.WAITS
        finally:
            session.close()
