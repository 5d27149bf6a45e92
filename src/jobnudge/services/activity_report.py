"""The job-search activity report: each contact with an employer in a range of days (an
application, an interview, a message sent, references given) with the person, how they were
reached and how the process stands, as unemployment offices ask for it; as CSV or as a
printable page that loads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge.domain import Event, EventType, Stage
from jobnudge.errors import UsageError
from jobnudge.plural import count
from jobnudge.services.exporting import write_file

if TYPE_CHECKING:
    from jobnudge.services.session import Session


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
