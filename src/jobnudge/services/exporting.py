"""Giving a search back: spreadsheets (XLSX, CSV) and the address book (vCard); the
job-search activity report is ``services.activity_report``.

Each function returns bytes, so the command line writes them to a file and the web app sends
them as a download; :func:`write_file` writes atomically (a failed export never leaves half a
file behind).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from jobnudge import eventwords
from jobnudge.domain import Contact, Event, EventType
from jobnudge.errors import BadFile, UsageError
from jobnudge.playbook import titles

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
                    eventwords.title(e),
                    kind.value if kind else eventwords.follow_up(e),
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
                    titles.title(row.rule),
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


def contacts_vcf(session: Session, version: str = "3.0") -> bytes:
    """Every contact as a vCard (3.0 or 4.0), roles in CATEGORIES."""
    from jobnudge.vcard import dump

    companies = {c.id: c.name for c in session.store.companies(session.owner)}
    return dump(session.store.contacts(session.owner), companies, version)
