"""One spreadsheet row → what it means for the search: an opportunity, its events, its people.

Pure: the row's cells, the column mapping, how each date column is read and today's date in;
a :class:`RowPlan` out, or the sentence saying why the row cannot be read (only a row without
a company or a role). A tracker kept by hand has typos and half-filled cells, so nothing else
costs the row: a cell that cannot be read is kept in the opportunity's notes and listed as a
warning with its column, and what the file does not say (the day of a status given without
one) stays unknown rather than being borrowed from another column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time

from jobnudge import text_safety
from jobnudge.domain import EventType, InterviewFormat
from jobnudge.domain.quickinit import quick_init
from jobnudge.errors import UsageError
from jobnudge.tabular import safety, stated
from jobnudge.tabular.date_times import time_of_day
from jobnudge.tabular.dates import ColumnOrder, DateProblem, happened, read_date
from jobnudge.tabular.mapping import DATE_FIELDS, REQUIRED, ColumnMap
from jobnudge.tabular.people import MAX_NAME, name_from_email
from jobnudge.tabular.row_people import PlannedContact, read_firm, read_people
from jobnudge.tabular.statuses import APPLIED, LEAD, Status, read_status
from jobnudge.tabular.table import Cell, text_of
from jobnudge.timeparse import Tense

__all__ = [
    "CellWarning",
    "PlannedContact",
    "PlannedEvent",
    "RowPlan",
    "name_from_email",
    "plan_row",
]

MAX_SOURCE = 200
EITHER_WAY_FIELDS = {"follow_up_on": Tense.FUTURE, "interview_on": Tense.PAST}
"""Date columns whose days may be behind or ahead of the import (an interview held or to come,
a follow-up planned or overdue): a date without a year there is the nearest such day, this
tense's on a tie. In the others, of what happened, it is the most recent such day."""
_CLOSING = (EventType.OFFER, EventType.REJECTED, EventType.NO_RESPONSE, EventType.WITHDRAWN)


@quick_init
@dataclass(frozen=True, slots=True)
class PlannedEvent:
    type: EventType
    day: date | None  # the local day it happened (for SCHEDULED the interview's); None: unknown
    at_time: time | None = None  # the interview's time of day, when the cell gave one
    round: int | None = None
    format: InterviewFormat | None = None
    decision_by: date | None = None  # the decision date the row's notes state (tabular.stated)

    def describe(self) -> str:
        word = self.type.value
        if self.round:
            word += f" (round {self.round})"
        if self.day is None:
            return f"{word}, date unknown" + self.decided()
        when = "for " if self.type is EventType.SCHEDULED else ""
        return f"{word} {when}{self.day.isoformat()}" + self.decided()

    def decided(self) -> str:
        return f"; decision stated by {self.decision_by:%a %Y-%m-%d}" if self.decision_by else ""


@quick_init
@dataclass(frozen=True, slots=True)
class CellWarning:
    """A cell that could not be read as its column says; it is kept in the notes."""

    column: str  # the header, or "column 7" when it has none
    message: str


@dataclass
class RowPlan:
    row: int
    company: str
    role: str
    source: str = ""
    posting_url: str = ""
    notes: str = ""
    events: list[PlannedEvent] = field(default_factory=list)
    contacts: list[PlannedContact] = field(default_factory=list)
    stage: str = ""
    warnings: list[CellWarning] = field(default_factory=list)
    unknown_status: str = ""  # a status cell jobnudge does not know (kept in the notes)
    responds_within_days: int | None = None  # a response time the notes state
    staffing_firm: str = ""  # the firm the job came through (tabular.staffing)
    firm_column: str = ""  # the column that named it, for the report


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Cells:
    """The row's cells by field, and what the row keeps in its notes and warns about."""

    def __init__(self, cells: Sequence[Cell], columns: ColumnMap) -> None:
        self.raw: dict[str, Cell] = {}
        self.text: dict[str, str] = {}
        self.header: dict[str, str] = {}
        self.notes: list[str] = []
        self.kept: list[str] = []
        self.warnings: list[CellWarning] = []
        self.refused: str | None = None
        width = min(len(cells), safety.MAX_COLUMNS)
        labels = columns.labels
        for index, name in columns.used:
            if index >= width:
                continue
            value = cells[index]
            shown = value.strip() if isinstance(value, str) else text_of(value)
            if not shown:
                continue
            header = labels[index]
            if len(shown) > safety.MAX_CELL_CHARS:
                if name in REQUIRED:
                    self.refused = (
                        f"{header}: the cell has {len(shown):,} characters; cells are read up to "
                        f"{safety.MAX_CELL_CHARS:,}"
                    )
                    continue
                self.warnings.append(
                    CellWarning(
                        header,
                        f"the cell has {len(shown):,} characters; the first "
                        f"{safety.MAX_CELL_CHARS:,} are kept in the notes",
                    )
                )
                self.notes.append(f"{header}: {shown[: safety.MAX_CELL_CHARS]}")
                continue
            try:  # a terminal escape is never stored: the cell is shown harmlessly instead
                (text_safety.text if name == "notes" else text_safety.line)(shown, header)
            except UsageError as exc:
                reason = exc.message.split(": ", 1)[1].rstrip(".")
                if name in REQUIRED:
                    self.refused = f"{header}: {reason}"
                    continue
                self.warnings.append(CellWarning(header, f"{reason}; kept in the notes as shown"))
                self.notes.append(f"{header}: {text_safety.printable(shown)}")
                continue
            if name == "notes":  # one notes column as it is, any other under its header
                if index == columns.plain_notes:
                    self.notes.insert(0, shown)
                else:
                    self.notes.append(f"{header}: {shown}")
                continue
            if name in self.text:  # a second column for the same field: keep it
                self.notes.append(f"{header}: {shown}")
                continue
            self.raw[name], self.text[name], self.header[name] = value, shown, header
        if len(cells) > safety.MAX_COLUMNS:
            self.warnings.append(
                CellWarning(
                    f"column {safety.MAX_COLUMNS + 1}",
                    f"the row has {len(cells)} cells; the cells past column "
                    f"{safety.MAX_COLUMNS} were not read",
                )
            )

    def keep(self, name: str, why: str) -> None:
        """Keep the field's cell as a note and warn, naming its column."""
        header = self.header[name]
        self.kept.append(f"{header}: {self.text[name]}")
        self.warnings.append(CellWarning(header, f"{why}; kept in the notes"))

    def keep_quietly(self, name: str) -> None:
        """Keep a cell that was read but that no event uses (nothing is lost)."""
        self.kept.append(f"{self.header[name]}: {self.text[name]}")


def plan_row(
    number: int,
    cells: Sequence[Cell],
    columns: ColumnMap,
    orders: Mapping[int, ColumnOrder],
    today: date,
) -> RowPlan | str:
    """The plan for one row, or why it is skipped (a sentence for the report)."""
    row = _Cells(cells, columns)
    if row.refused:
        return row.refused
    # zero-width spaces and other invisible characters alone are blank
    company = text_safety.trim(" ".join(row.text.get("company", "").split()))
    role = text_safety.trim(" ".join(row.text.get("role", "").split()))
    if not company and not role:
        return "has no company and no role"
    if not company:
        return "has no company"
    if not role:
        return "has no role (job title)"
    for what, value in (("the company", company), ("the role", role)):
        if len(value) > MAX_NAME:
            return f"{what} is {len(value)} characters long; names stop at {MAX_NAME}"
    days = _days(row, columns, orders, today)
    plan = RowPlan(row=number, company=company, role=role)
    status = _status(row, plan, days)
    _events(row, plan, status, days, today)
    channel = read_firm(row, columns, plan)
    read_people(row, plan)
    source = row.text.get("source", "") or channel
    if len(source) > MAX_SOURCE:
        row.keep("source", f"the source is longer than {MAX_SOURCE} characters")
        source = ""
    plan.source = source
    plan.posting_url = row.text.get("posting_url", "")
    stated.apply(plan, [*row.notes, *row.kept], orders, today)
    extras = list(row.notes)
    if row.text.get("salary"):
        extras.append(f"Salary: {row.text['salary']}")
    if row.text.get("location"):
        extras.append(f"Location: {row.text['location']}")
    follow_up = days.get("follow_up_on")
    if follow_up is not None:
        extras.append(f"Follow-up planned in the spreadsheet: {follow_up.isoformat()}")
    extras += row.kept
    plan.notes = "\n".join(e for e in extras if e)
    plan.warnings = row.warnings
    return plan


def _days(
    row: _Cells, columns: ColumnMap, orders: Mapping[int, ColumnOrder], today: date
) -> dict[str, date]:
    """Each date field's day; a cell that is no date is kept as a note. A date without a year
    is the most recent such day for what happened (warned about when this year's is only days
    ahead), the nearest one for an interview or a follow-up (:data:`EITHER_WAY_FIELDS`),
    unless a weekday typed beside it says which year (one ahead of today is then a plan)."""
    days: dict[str, date] = {}
    for name in DATE_FIELDS:
        if name not in row.raw:
            continue
        where = columns.column(name)
        assert where is not None
        try:
            tense = EITHER_WAY_FIELDS.get(name, Tense.PAST)
            either_way = name in EITHER_WAY_FIELDS
            found = read_date(
                row.raw[name], orders[where].order, today, tense, either_way=either_way
            )
        except DateProblem as exc:
            row.keep(name, str(exc))
            continue
        if found.warning:  # a weekday that fits no year near today, a likely slip: day used
            row.warnings.append(CellWarning(row.header[name], found.warning))
        if found.day is not None:
            days[name] = found.day
    return days


def _status(row: _Cells, plan: RowPlan, days: Mapping[str, date]) -> Status:
    """The status cell's meaning; one jobnudge does not know keeps the row at the stage the
    dates make certain (applied, or a lead) with the cell in the notes."""
    text = row.text.get("status", "")
    status = read_status(text) if text else None
    if status is not None:
        plan.stage = status.label
        return status
    certain = APPLIED if "applied_on" in days or (not text and "status_on" in days) else LEAD
    plan.stage = certain.label
    if text:
        plan.unknown_status = text
        row.keep_quietly("status")
        plan.stage = f"{certain.label}; status '{_short(text)}' not known, kept in the notes"
    return certain


def _events(row: _Cells, plan: RowPlan, status: Status, days: dict[str, date], today: date) -> None:
    """The events the row's dates and status make certain; a status without a day of its own
    is recorded with its date unknown, never with another column's date."""
    applied = days.get("applied_on")
    status_on = days.get("status_on")
    interview = days.get("interview_on")
    status_on_used = False
    if applied is not None and not happened(applied, today):
        row.keep("applied_on", f"the date applied ({applied.isoformat()}) is in the future")
        applied = None
    if applied is not None:
        plan.events.append(PlannedEvent(EventType.APPLIED, applied))
    elif (
        status is APPLIED
        and status_on is not None
        and "applied_on" not in row.text
        and not plan.unknown_status
    ):  # "applied" (or no status) dated by the status column: the day of the application
        if happened(status_on, today):
            applied = status_on
            plan.events.append(PlannedEvent(EventType.APPLIED, status_on))
        else:
            row.keep("status_on", f"the status date ({status_on.isoformat()}) is in the future")
        status_on_used = True
    if applied is None and status.applied and "status" in row.text and not plan.unknown_status:
        plan.events.append(PlannedEvent(EventType.APPLIED, None))  # "Applied", no date given
    is_interview = status.event is EventType.INTERVIEWED
    if is_interview or interview is not None:
        day = interview
        if day is None and status_on is not None:
            day, status_on_used = status_on, True
        kind = EventType.SCHEDULED if day is not None and day > today else EventType.INTERVIEWED
        plan.events.append(
            PlannedEvent(
                kind,
                day,
                at_time=time_of_day(row.raw.get("interview_on")) if interview is not None else None,
                round=status.round if is_interview else 1,
                format=status.format if is_interview else None,
            )
        )
    if status.event in _CLOSING:
        day = status_on
        if day is not None:
            status_on_used = True
            if not happened(day, today):
                row.keep("status_on", f"the status date ({day.isoformat()}) is in the future")
                day = None
        assert status.event is not None
        plan.events.append(PlannedEvent(status.event, day))
    if status_on is not None and not status_on_used:
        row.keep_quietly("status_on")
    if applied is not None:
        _not_before(row, plan, applied, days)


def _not_before(row: _Cells, plan: RowPlan, applied: date, days: Mapping[str, date]) -> None:
    """An event dated before the application: one of the two dates is wrong, and the file
    does not say which, so the event keeps its place with its date unknown."""
    for place, event in enumerate(plan.events):
        if event.day is None or event.day >= applied or event.type is EventType.APPLIED:
            continue
        interview = event.type in (EventType.INTERVIEWED, EventType.SCHEDULED)
        name = (
            "interview_on" if interview and days.get("interview_on") == event.day else "status_on"
        )
        row.keep(
            name,
            f"the {event.type.value} date ({event.day.isoformat()}) is before the date applied "
            f"({applied.isoformat()}), so it is recorded with its date unknown",
        )
        plan.events[place] = PlannedEvent(event.type, None, round=event.round, format=event.format)
