"""One spreadsheet row → what it means for the search: an opportunity, its events, its people.

Pure: the row's cells, the column mapping, how each date column is read and today's date in;
a :class:`RowPlan` or the sentence saying why the row cannot be read out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time

from jobnudge import text_safety
from jobnudge.domain import EventType, InterviewFormat, Role
from jobnudge.errors import UsageError
from jobnudge.tabular import safety
from jobnudge.tabular.dates import ColumnOrder, DateProblem, parse_date, time_of_day
from jobnudge.tabular.mapping import DATE_FIELDS, ColumnMap
from jobnudge.tabular.statuses import APPLIED, KNOWN_EXAMPLES, LEAD, read_status
from jobnudge.tabular.table import Cell, text_of

MAX_NAME = 200
_EMAIL = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+")


@dataclass(frozen=True)
class PlannedEvent:
    type: EventType
    day: date  # the local day it happened; for SCHEDULED, the interview's day
    at_time: time | None = None  # the interview's time of day, when the cell gave one
    round: int | None = None
    format: InterviewFormat | None = None

    def describe(self) -> str:
        word = self.type.value
        if self.round:
            word += f" (round {self.round})"
        when = "for " if self.type is EventType.SCHEDULED else ""
        return f"{word} {when}{self.day.isoformat()}"


@dataclass(frozen=True)
class PlannedContact:
    name: str
    email: str
    phone: str
    role: Role


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


def _name(text: str, what: str) -> str:
    cleaned = text_safety.trim(" ".join(text.split()))  # zero-width spaces alone are blank
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"{what} is {len(cleaned)} characters long; names stop at {MAX_NAME}")
    return cleaned


def name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    parts = [p for p in re.split(r"[._\-+]+", local) if p and not p.isdigit()]
    return " ".join(p.capitalize() for p in parts) or email


def plan_row(
    number: int,
    cells: Sequence[Cell],
    columns: ColumnMap,
    orders: Mapping[int, ColumnOrder],
    today: date,
) -> RowPlan | str:
    """The plan for one row, or why it is rejected (a sentence for the report)."""
    if len(cells) > safety.MAX_COLUMNS:
        return f"has {len(cells)} cells; rows are read up to {safety.MAX_COLUMNS} columns"
    raw: dict[str, Cell] = {}
    text: dict[str, str] = {}
    width = len(cells)
    for index, name in columns.used:
        if index >= width:
            continue
        value = cells[index]
        shown = value.strip() if isinstance(value, str) else text_of(value)
        if len(shown) > safety.MAX_CELL_CHARS:
            header = columns.headers[index] or f"column {index + 1}"
            return (
                f"{header}: the cell has {len(shown):,} characters; cells are read up to "
                f"{safety.MAX_CELL_CHARS:,}"
            )
        try:  # a terminal escape in a cell is refused with its row, as on the command line
            (text_safety.text if name == "notes" else text_safety.line)(shown, name)
        except UsageError as exc:
            header = columns.headers[index] or f"column {index + 1}"
            return f"{header}: {exc.message.split(': ', 1)[1]}"
        raw[name] = value
        text[name] = shown
    try:
        company = _name(text.get("company", ""), "the company")
        role = _name(text.get("role", ""), "the role")
    except ValueError as exc:
        return str(exc)
    if not company and not role:
        return "has no company and no role"
    if not company:
        return "has no company"
    if not role:
        return "has no role (job title)"
    days: dict[str, date | None] = {}
    for name in DATE_FIELDS:
        if name not in raw:
            days[name] = None
            continue
        where = columns.column(name)
        assert where is not None
        header = columns.headers[where] or f"column {where + 1}"
        try:
            days[name] = parse_date(raw[name], orders[where].order)
        except DateProblem as exc:
            return f"{header}: {exc}"
    status_text = text.get("status", "")
    status = read_status(status_text) if status_text else None
    if status is None and status_text:
        shown = status_text if len(status_text) <= 40 else status_text[:37] + "..."
        return (
            f"status '{shown}' is not one I know ({KNOWN_EXAMPLES}); fix the cell or map the "
            "column to notes"
        )
    applied, status_on = days["applied_on"], days["status_on"]
    interview = days["interview_on"]
    if status is None:
        status = APPLIED if applied or status_on else LEAD
    plan = RowPlan(row=number, company=company, role=role, stage=status.label)
    if applied is not None:
        if applied > today:
            return f"the date applied ({applied.isoformat()}) is in the future"
        plan.events.append(PlannedEvent(EventType.APPLIED, applied))
    elif status is APPLIED and status_on is not None:
        applied = status_on
        plan.events.append(PlannedEvent(EventType.APPLIED, status_on))
    interview_time = time_of_day(raw.get("interview_on"))
    if status.event is EventType.INTERVIEWED or interview is not None:
        is_status = status.event is EventType.INTERVIEWED
        day = interview or (status_on if is_status else None) or applied
        if day is None:
            return f"no date for '{status_text}': fill the interview date or the date applied"
        kind = EventType.SCHEDULED if day > today else EventType.INTERVIEWED
        plan.events.append(
            PlannedEvent(
                kind,
                day,
                at_time=interview_time if interview is not None else None,
                round=status.round if is_status else 1,
                format=status.format if is_status else None,
            )
        )
    if status.event in (
        EventType.OFFER,
        EventType.REJECTED,
        EventType.NO_RESPONSE,
        EventType.WITHDRAWN,
    ):
        past_interview = interview if interview is not None and interview <= today else None
        day = status_on or past_interview or applied
        if day is None:
            return (
                f"no date for '{status_text}': fill the status date or the date applied, so "
                "the follow-ups can be timed"
            )
        if day > today:
            return f"the status date ({day.isoformat()}) is in the future"
        assert status.event is not None
        plan.events.append(PlannedEvent(status.event, day))
    if applied is not None:
        for event in plan.events:
            if event.day < applied:
                return (
                    f"the {event.type.value} date ({event.day.isoformat()}) is before the date "
                    f"applied ({applied.isoformat()})"
                )
    problem = _people(plan, text)
    if problem:
        return problem
    plan.source = text.get("source", "")[:200]
    plan.posting_url = text.get("posting_url", "")
    extras = [text.get("notes", "")]
    if text.get("salary"):
        extras.append(f"Salary: {text['salary']}")
    if text.get("location"):
        extras.append(f"Location: {text['location']}")
    if days["follow_up_on"] is not None:
        extras.append(f"Follow-up planned in the spreadsheet: {days['follow_up_on'].isoformat()}")
    plan.notes = "\n".join(e for e in extras if e)
    return plan


def _people(plan: RowPlan, text: Mapping[str, str]) -> str | None:
    """Add the row's contact and recruiter; return a reason when they cannot be read."""
    email_text, phone = text.get("email", ""), text.get("phone", "")[:60]
    email = ""
    if email_text:
        found = _EMAIL.search(email_text)
        if found is None:
            shown = email_text if len(email_text) <= 40 else email_text[:37] + "..."
            return f"'{shown}' is not an email address"
        email = found.group(0).lower()
    names = [(text.get("contact", ""), Role.RECRUITER), (text.get("recruiter", ""), Role.RECRUITER)]
    people = [(n, r) for n, r in names if n.strip()]
    if not people and email:
        people = [(name_from_email(email), Role.RECRUITER)]
    for position, (name, role) in enumerate(people):
        try:
            cleaned = _name(name, "the contact's name")
        except ValueError as exc:
            return str(exc)
        first = position == 0
        plan.contacts.append(
            PlannedContact(
                name=cleaned,
                email=email if first else "",
                phone=phone if first else "",
                role=role,
            )
        )
    return None
