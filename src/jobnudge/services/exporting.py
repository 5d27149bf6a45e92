"""Giving a search back: spreadsheets (XLSX, CSV), the job-search activity report (CSV,
printable HTML) and the address book (vCard).

Each function returns bytes, so the command line writes them to a file and the web app sends
them as a download; :func:`write_file` writes atomically (a failed export never leaves half a
file behind).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from jobnudge.domain import Contact, Event, EventType, Stage
from jobnudge.errors import BadFile, UsageError
from jobnudge.plural import count

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.tabular.export import Sheet

SHEETS = ("opportunities", "contacts", "events", "nudges")
SheetName = Literal["opportunities", "contacts", "events", "nudges"]


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise BadFile(f"{path}: the folder {folder} does not exist.")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:100]}.", dir=folder)
    except OSError as exc:
        raise BadFile(f"{path}: cannot be written ({exc.strerror}).") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise BadFile(f"{path}: cannot be written ({exc.strerror}).") from None


def _local(value: datetime | None, tz: str) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None, second=0, microsecond=0)


def _names(contacts: Sequence[Contact]) -> dict[int, str]:
    return {c.id: c.name for c in contacts}


def sheet(session: Session, name: str) -> Sheet:
    """One of :data:`SHEETS` as a table of plain values (local times, real dates)."""
    from jobnudge.tabular.export import Sheet

    store, owner, tz = session.store, session.owner, session.tz
    companies = {c.id: c.name for c in store.companies(owner)}
    contacts = store.contacts(owner)
    people = _names(contacts)
    opportunities = store.opportunities(owner)
    by_id = {o.id: o for o, _s in opportunities}
    if name == "opportunities":
        out = Sheet(
            "Opportunities",
            [
                "ID",
                "Company",
                "Role",
                "Stage",
                "Applied on",
                "Last activity",
                "Source",
                "Posting URL",
                "Contacts",
                "Staffing firm",
                "Recruiter",
                "Referred by",
                "Priority",
                "Notes",
                "Created",
            ],
        )
        for opp, stage in opportunities:
            history = store.events(owner, opp.id)
            applied = next(
                (e.at for e in history if e.type is EventType.APPLIED and not e.date_unknown),
                None,
            )
            dated = [e for e in history if not e.date_unknown]
            linked = store.opportunity_contacts(owner, opp.id)
            out.rows.append(
                [
                    opp.id,
                    opp.company,
                    opp.role,
                    stage.value,
                    _local(applied, tz),
                    _local(dated[-1].at, tz) if dated else None,
                    opp.source,
                    opp.posting_url,
                    ", ".join(c.name for c in linked),
                    companies.get(opp.staffing_firm_id or 0, ""),
                    people.get(opp.recruiter_id or 0, ""),
                    people.get(opp.referrer_id or 0, ""),
                    opp.priority,
                    opp.notes,
                    _local(opp.created_at, tz),
                ]
            )
        return out
    if name == "contacts":
        out = Sheet(
            "Contacts",
            [
                "ID",
                "Name",
                "Company",
                "Title",
                "Email",
                "Phone",
                "Roles",
                "Time zone",
                "Country",
                "Prefers",
                "Salutation",
                "First name OK",
                "Notes",
            ],
        )
        for c in contacts:
            out.rows.append(
                [
                    c.id,
                    c.name,
                    companies.get(c.company_id or 0, ""),
                    c.title,
                    c.email,
                    c.phone,
                    ", ".join(sorted(r.value for r in c.roles)),
                    c.tz or "",
                    c.country or "",
                    c.prefers.value if c.prefers else "",
                    c.salutation,
                    c.first_name_ok,
                    c.notes,
                ]
            )
        return out
    if name == "events":
        out = Sheet(
            "Events",
            [
                "ID",
                "When",
                "Company",
                "Role",
                "Event",
                "Kind",
                "Round",
                "Channel",
                "With",
                "Scheduled for",
                "Decision by",
                "Note",
            ],
        )
        events: list[Event] = []
        for opp, _stage in opportunities:
            events.extend(store.events(owner, opp.id))
        events.extend(store.events(owner, None))
        events.sort(key=lambda e: (e.at, e.id))
        for e in events:
            owning = by_id.get(e.opportunity_id or 0)
            kind = e.kind or e.format
            out.rows.append(
                [
                    e.id,
                    "date unknown" if e.date_unknown else _local(e.at, tz),
                    owning.company if owning else "",
                    owning.role if owning else "",
                    e.type.value,
                    kind.value if kind else (e.nudge_key or "").split(":")[0],
                    e.round,
                    e.channel.value if e.channel else "",
                    ", ".join(people.get(i, f"#{i}") for i in e.contact_ids),
                    _local(e.scheduled_for, tz),
                    e.decision_by,
                    e.note,
                ]
            )
        return out
    if name == "nudges":
        out = Sheet(
            "Nudges",
            [
                "ID",
                "Due",
                "Due by",
                "Company",
                "Role",
                "Follow-up",
                "Contact",
                "Channel",
                "Reason",
                "Message",
            ],
            widths={8: 60, 9: 40},
        )
        far = session.now + timedelta(days=3660)
        for row in store.agenda_rows(owner, far, session.now):
            out.rows.append(
                [
                    row.short_id,
                    _local(row.due, tz),
                    _local(row.due_by, tz),
                    row.company or "",
                    row.role or "",
                    row.rule,
                    row.contact or "",
                    row.channel.value if row.channel else "",
                    row.reason,
                    row.message,
                ]
            )
        return out
    raise UsageError(f"--sheet: '{name}' is not one of {', '.join(SHEETS)}.")


def workbook(session: Session) -> bytes:
    """The XLSX export: opportunities, contacts, events and pending nudges, one sheet each."""
    from jobnudge.tabular.export import to_xlsx

    return to_xlsx([sheet(session, name) for name in SHEETS])


def sheet_csv(session: Session, name: str) -> bytes:
    """One sheet as CSV bytes."""
    from jobnudge.tabular.export import to_csv

    return to_csv(sheet(session, name))


def export(session: Session, path: Path, *, fmt: str | None = None, name: str | None = None) -> str:
    """Write the export to ``path``; the format comes from ``fmt`` or the file's suffix.

    Returns a sentence saying what was written.
    """
    chosen = (fmt or path.suffix.lstrip(".") or "xlsx").lower()
    if chosen not in ("xlsx", "csv"):
        raise UsageError(f"--format: '{chosen}' is not xlsx or csv.")
    if chosen == "csv":
        wanted = name or "opportunities"
        write_file(path, sheet_csv(session, wanted))
        return f"Wrote the {wanted} sheet as CSV to {path}."
    if name is not None:
        from jobnudge.tabular.export import to_xlsx

        write_file(path, to_xlsx([sheet(session, name)]))
        return f"Wrote the {name} sheet to {path}."
    write_file(path, workbook(session))
    return f"Wrote opportunities, contacts, events and pending nudges to {path}."


# The activity report


@dataclass(frozen=True)
class Activity:
    """One contact with an employer, as an unemployment office asks for it."""

    day: date
    employer: str
    position: str
    activity: str
    method: str
    person: str
    reach: str
    outcome: str


REPORT_HEADERS = (
    "Date",
    "Employer",
    "Position",
    "Activity",
    "Method",
    "Contact person",
    "Contact details",
    "Outcome",
)
_REPORTED = (EventType.APPLIED, EventType.INTERVIEWED, EventType.SENT, EventType.REFERENCES)
_OUTCOMES = {
    Stage.LEAD: "not applied yet",
    Stage.APPLIED: "pending",
    Stage.INTERVIEWING: "in interviews",
    Stage.OFFER: "offer",
    Stage.REJECTED: "rejected",
    Stage.WITHDRAWN: "withdrawn",
    Stage.NO_RESPONSE: "no response",
}


def _describe(event: Event) -> tuple[str, str]:
    """(activity, method) of an event in plain words."""
    if event.type is EventType.APPLIED:
        method = event.channel.value if event.channel else "online"
        return "Application", method
    if event.type is EventType.INTERVIEWED:
        label = f"Interview, round {event.round}" if event.round else "Interview"
        method = {"onsite": "in person"}.get(
            event.format.value if event.format else "", event.format.value if event.format else ""
        )
        return label, method or "interview"
    if event.type is EventType.REFERENCES:
        return "References provided", "email"
    kind = {
        "thank-you": "Thank-you note",
        "follow-up": "Follow-up",
        "confirmation": "Interview confirmation",
        "update": "Update",
        "note": "Message",
    }.get(event.kind.value if event.kind else "", "Message")
    channel = event.channel.value if event.channel else "email"
    return kind, {"call": "phone call", "voicemail": "phone (voicemail)"}.get(channel, channel)


def activity(session: Session, start: date, end: date) -> list[Activity]:
    """Every application, interview and message to an employer from ``start`` to ``end``
    (inclusive, in the user's zone), oldest first, with the application's outcome so far."""
    if end < start:
        raise UsageError(f"--to ({end}) is before --from ({start}); swap them.")
    store, owner, zone = session.store, session.owner, ZoneInfo(session.tz)
    people = {c.id: c for c in store.contacts(owner)}
    firms = {c.id: c.name for c in store.companies(owner)}
    out: list[Activity] = []
    for opp, stage in store.opportunities(owner):
        employer = opp.company
        if opp.staffing_firm_id in firms:
            employer += f" (through {firms[opp.staffing_firm_id or 0]})"
        history = store.events(owner, opp.id)
        outcome = _outcome(history, stage, zone)
        for event in history:
            day = event.at.astimezone(zone).date()
            if event.date_unknown:
                continue  # a dated report lists only what the file or the user dated
            if event.type not in _REPORTED or not start <= day <= end:
                continue
            label, method = _describe(event)
            named = [people[i] for i in event.contact_ids if i in people]
            if not named and opp.recruiter_id in people:
                named = [people[opp.recruiter_id or 0]]
            person = ", ".join(p.name for p in named)
            reach = ", ".join(p.email or p.phone for p in named if p.email or p.phone)
            out.append(
                Activity(
                    day=day,
                    employer=employer,
                    position=opp.role,
                    activity=label,
                    method=method,
                    person=person,
                    reach=reach or opp.posting_url,
                    outcome=outcome,
                )
            )
    out.sort(key=lambda a: (a.day, a.employer.casefold(), a.position.casefold()))
    return out


def _outcome(history: Sequence[Event], stage: Stage, zone: ZoneInfo) -> str:
    word = _OUTCOMES[stage]
    if stage.is_closed or stage is Stage.OFFER:
        closing = [e for e in history if e.type.value == stage.value]
        if closing and closing[-1].date_unknown:
            return f"{word} (date unknown)"
        if closing:
            return f"{word} ({closing[-1].at.astimezone(zone).date().isoformat()})"
    return word


def report_csv(session: Session, start: date, end: date) -> bytes:
    from jobnudge.tabular.export import Sheet, to_csv

    rows = activity(session, start, end)
    table = Sheet("Activity", list(REPORT_HEADERS))
    for a in rows:
        table.rows.append(
            [a.day, a.employer, a.position, a.activity, a.method, a.person, a.reach, a.outcome]
        )
    return to_csv(table)


def report_html(session: Session, start: date, end: date) -> bytes:
    """A printable page (A4 landscape, inline CSS, nothing loaded from elsewhere)."""
    from html import escape

    rows = activity(session, start, end)
    profile = session.settings.profile
    employers = len({a.employer.casefold() for a in rows})
    body = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{escape(v)}</td>"
            for v in (
                a.day.isoformat(),
                a.employer,
                a.position,
                a.activity,
                a.method,
                a.person,
                a.reach,
                a.outcome,
            )
        )
        + "</tr>"
        for a in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(REPORT_HEADERS)}">No activity in this period.</td></tr>'
    head = "".join(f"<th>{escape(h)}</th>" for h in REPORT_HEADERS)
    who = escape(profile.name) if profile.name else "(set profile.name in the settings)"
    generated = session.now.astimezone(ZoneInfo(session.tz)).date().isoformat()
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Job search activity {start.isoformat()} to {end.isoformat()}</title>
<style>
@page {{ size: A4 landscape; margin: 1.5cm; }}
body {{ font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #111; margin: 1.5em; }}
h1 {{ font-size: 16pt; margin: 0 0 .3em; }}
p.meta {{ margin: 0 0 1em; color: #333; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; }}
th {{ background: #e8edf3; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
footer {{ margin-top: 1em; font-size: 8pt; color: #555; }}
@media print {{ body {{ margin: 0; }} }}
</style>
</head>
<body>
<h1>Job search activity report</h1>
<p class="meta">{who} · {start.isoformat()} to {end.isoformat()} · {count(len(rows), "contact")}
with {count(employers, "employer")}</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
<footer>Generated by jobnudge on {generated}.</footer>
</body>
</html>
"""
    return page.encode("utf-8")


def report(session: Session, path: Path, start: date, end: date, *, fmt: str | None = None) -> str:
    chosen = (fmt or path.suffix.lstrip(".") or "html").lower()
    if chosen in ("htm", "html"):
        write_file(path, report_html(session, start, end))
    elif chosen == "csv":
        write_file(path, report_csv(session, start, end))
    else:
        raise UsageError(f"--format: '{chosen}' is not csv or html.")
    done = len(activity(session, start, end))
    return f"Wrote {count(done, 'activity')} from {start} to {end} to {path}."


def contacts_vcf(session: Session, version: str = "3.0") -> bytes:
    """Every contact as a vCard (3.0 or 4.0), roles in CATEGORIES."""
    from jobnudge.vcard import dump

    companies = {c.id: c.name for c in session.store.companies(session.owner)}
    return dump(session.store.contacts(session.owner), companies, version)
