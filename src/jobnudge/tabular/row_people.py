"""The people a spreadsheet row names, and the staffing firm it came through: each person's
cell read for a name, an address and a title (``tabular.people``), the firm from its column,
the company cell, an aside, an address or the notes (``tabular.staffing``).

Pure, like ``tabular.rows`` whose rows it reads: a cell that cannot be used is kept in the
notes with a warning, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobnudge.domain import Role
from jobnudge.domain.quickinit import quick_init
from jobnudge.tabular import staffing
from jobnudge.tabular.people import MAX_NAME, contact_name, name_from_email, read_person

if TYPE_CHECKING:
    from jobnudge.tabular.mapping import ColumnMap
    from jobnudge.tabular.rows import RowPlan, _Cells

MAX_PHONE = 60


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@quick_init
@dataclass(frozen=True, slots=True)
class PlannedContact:
    name: str
    email: str
    phone: str
    role: Role
    title: str = ""
    column: str = ""  # the header of the cell the address came from, for a warning
    at_firm: bool = False  # works at the row's staffing firm (their aside or address says so)


def read_people(row: _Cells, plan: RowPlan) -> None:
    """The row's contact and recruiter, each cell read for a name, an address and a title."""
    phone = row.text.get("phone", "")
    if len(phone) > MAX_PHONE:
        row.keep("phone", f"the phone number is longer than {MAX_PHONE} characters")
        phone = ""
    email = ""
    email_name = ""
    if "email" in row.text:
        found = read_person(row.text["email"])
        if found.email:
            email, email_name = found.email, found.name
            if found.extra_emails or found.asides:
                row.keep_quietly("email")
        else:
            row.keep("email", f"'{_short(row.text['email'])}' is not an email address")
    # field, name, email, title, asides
    people: list[tuple[str, str, str, str, tuple[str, ...]]] = []
    for name in ("contact", "recruiter"):
        if name not in row.text:
            continue
        found = read_person(row.text[name])
        title, asides = _title_and_asides(found.title, found.asides, plan)
        person_name = found.name or (name_from_email(found.email) if found.email else "")
        if found.bad_email:
            row.keep(name, f"'{_short(found.bad_email)}' is not an email address")
        elif not person_name:
            row.keep(name, f"'{_short(row.text[name])}' holds no name or email address")
        elif found.extra_emails or asides:  # a firm or nickname beside the name
            row.keep_quietly(name)
        if not person_name:
            continue
        if len(person_name) > MAX_NAME:
            row.keep(name, f"the name is {len(person_name)} characters long; names stop at 200")
            continue
        people.append((name, person_name, found.email, title[:MAX_NAME], asides))
    if not people and (email or email_name):
        people = [("email", email_name or name_from_email(email), email, "", ())]
    if people and email and people[0][2] and people[0][2] != email:
        row.keep_quietly("email")  # the first person wrote their own address: keep this one
    for position, (source, person_name, own_email, title, asides) in enumerate(people):
        first = position == 0
        where = source if own_email or not first or not email else "email"
        address = own_email or (email if first else "")
        at_firm = staffing.works_at(plan.staffing_firm, address, asides)
        plan.contacts.append(
            PlannedContact(
                name=contact_name(
                    person_name, address, plan.staffing_firm if at_firm else plan.company
                ),
                email=address,
                phone=phone if first else "",
                role=Role.RECRUITER,
                title=title,
                column=row.header.get(where, ""),
                at_firm=at_firm,
            )
        )
    if phone and not people:
        row.keep_quietly("phone")


def _title_and_asides(
    title: str, asides: tuple[str, ...], plan: RowPlan
) -> tuple[str, tuple[str, ...]]:
    """A cell's title without the row's own company or firm ("Tom Baker, Siemens" on a
    Siemens row names where Tom works, not his title): those parts join the asides."""
    if not title:
        return title, asides
    kept: list[str] = []
    moved: list[str] = []
    for part in title.split(", "):
        where = (plan.company, plan.staffing_firm)
        (moved if any(staffing.same_organisation(part, w) for w in where) else kept).append(part)
    return ", ".join(kept), (*asides, *moved)


def read_firm(row: _Cells, columns: ColumnMap, plan: RowPlan) -> str:
    """The row's staffing firm (``tabular.staffing``), taken out of the employer's name ("Hays
    (for Siemens)" is Siemens); returns a job board the company cell named, as the source."""
    people = [
        (row.header[f], person.email, person.asides)
        for f in ("contact", "recruiter", "email")
        if f in row.text
        for person in (read_person(row.text[f]),)
    ]
    notes = columns.labels[columns.plain_notes] if columns.plain_notes is not None else "Notes"
    own = row.text.get("staffing_firm")
    found = staffing.read_row(
        plan.company,
        row.header.get("company", "Company"),
        (row.header["staffing_firm"], own) if own is not None else None,
        people,
        [(notes, n) for n in row.notes],
    )
    plan.company, plan.staffing_firm = found.employer, found.firm[:MAX_NAME]
    plan.firm_column = found.column
    return found.channel
