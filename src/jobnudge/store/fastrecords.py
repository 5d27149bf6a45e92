"""The records ``nudge check`` needs, straight from a SQLite file with the standard library.

The same statements and the same conversions as the Store's (``store/reads.py``,
``store/convert.py``), without SQLAlchemy, for the command line's quick check
(``cli/quickcheck.py``), as the light records of ``domain/light.py``. Call only on a file
``fastread.schema_is_current`` accepted.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from jobnudge.domain.enums import Channel, Role
from jobnudge.domain.light import Company, Contact, Opportunity
from jobnudge.store.fastread import Place, _connect

_COMPANY = "id, name, aliases, domains, is_staffing_firm"
_CONTACT = (
    "id, name, company_id, title, email, phone, tz, country, prefers, first_name_ok, roles, "
    "salutation, notes"
)
_OPPORTUNITY = (
    "o.id, o.company_id, c.name, o.role, o.posting_url, o.source, o.responds_within_days, "
    "o.prefers, o.referrer_id, o.staffing_firm_id, o.recruiter_id, o.priority, o.notes, "
    "o.settings, o.created_at, o.posting_terms"
)
_OPPORTUNITIES = (
    f"SELECT {_OPPORTUNITY} FROM opportunities AS o JOIN companies AS c "  # noqa: S608
    "ON c.owner_id = o.owner_id AND c.id = o.company_id WHERE o.owner_id = ?"
)


def connect(path: Place) -> sqlite3.Connection:
    return _connect(path)


def user(conn: sqlite3.Connection, name: str) -> tuple[int, int, str] | None:
    """The user's id, revision (raised by every write) and creation time, or None."""
    row = conn.execute(
        "SELECT id, revision, created_at FROM users WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]), str(row[2]))


def company(row: tuple[object, ...]) -> Company:
    ident, name, aliases, domains, staffing = row
    return Company(
        id=ident,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        aliases=tuple(json.loads(aliases)),  # type: ignore[arg-type]
        domains=tuple(json.loads(domains)),  # type: ignore[arg-type]
        is_staffing_firm=bool(staffing),
    )


def companies(conn: sqlite3.Connection, owner: int) -> tuple[Company, ...]:
    """The user's companies, by name (``Store.companies``)."""
    rows = conn.execute(
        f"SELECT {_COMPANY} FROM companies WHERE owner_id = ? ORDER BY name_key, id",  # noqa: S608
        (owner,),
    )
    return tuple(company(row) for row in rows)


def company_by_id(conn: sqlite3.Connection, owner: int, ident: int) -> Company | None:
    row = conn.execute(
        f"SELECT {_COMPANY} FROM companies WHERE owner_id = ? AND id = ?",  # noqa: S608
        (owner, ident),
    ).fetchone()
    return None if row is None else company(row)


def _contact(row: tuple[object, ...]) -> Contact:
    (ident, name, company_id, title, email, phone, tz, country, prefers, first_name_ok, roles,
     salutation, notes) = row  # fmt: skip
    return Contact(
        id=ident,  # type: ignore[arg-type]
        name=name,  # type: ignore[arg-type]
        company_id=company_id,  # type: ignore[arg-type]
        title=title,  # type: ignore[arg-type]
        email=email,  # type: ignore[arg-type]
        phone=phone,  # type: ignore[arg-type]
        tz=tz,  # type: ignore[arg-type]
        country=country,  # type: ignore[arg-type]
        prefers=None if prefers is None else Channel(str(prefers)),
        first_name_ok=bool(first_name_ok),
        roles=frozenset(Role(r) for r in json.loads(roles)),  # type: ignore[arg-type]
        salutation=salutation,  # type: ignore[arg-type]
        notes=notes,  # type: ignore[arg-type]
    )


def contact(conn: sqlite3.Connection, owner: int, ident: int) -> Contact | None:
    row = conn.execute(
        f"SELECT {_CONTACT} FROM contacts WHERE owner_id = ? AND id = ?",  # noqa: S608
        (owner, ident),
    ).fetchone()
    return None if row is None else _contact(row)


def find_contacts(conn: sqlite3.Connection, owner: int, text: str) -> list[Contact]:
    """Contacts whose name contains ``text``, ignoring case, accents and typographic
    apostrophes, and titles, by name: the same filter on the stored ``name_key`` as
    ``Store.find_contacts``, in the query."""
    from jobnudge import typography

    sql = f"SELECT {_CONTACT} FROM contacts WHERE owner_id = ?"  # noqa: S608
    params: list[object] = [owner]
    needle = typography.person_key(text) if text.strip() else ""
    if needle:
        escaped = needle.replace("/", "//").replace("%", "/%").replace("_", "/_")
        sql += " AND name_key LIKE ? ESCAPE '/'"
        params.append(f"%{escaped}%")
    rows = conn.execute(sql + " ORDER BY name_key, id", params)
    return [_contact(row) for row in rows]


def _opportunity(row: tuple[object, ...]) -> Opportunity:
    (ident, company_id, company_name, role, posting_url, source, responds, prefers, referrer,
     firm, recruiter, priority, notes, settings, created, terms) = row  # fmt: skip
    return Opportunity(
        id=ident,  # type: ignore[arg-type]
        company_id=company_id,  # type: ignore[arg-type]
        company=company_name,  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        posting_url=posting_url,  # type: ignore[arg-type]
        source=source,  # type: ignore[arg-type]
        responds_within_days=responds,  # type: ignore[arg-type]
        prefers=None if prefers is None else Channel(str(prefers)),
        referrer_id=referrer,  # type: ignore[arg-type]
        staffing_firm_id=firm,  # type: ignore[arg-type]
        recruiter_id=recruiter,  # type: ignore[arg-type]
        priority=priority,  # type: ignore[arg-type]
        notes=notes,  # type: ignore[arg-type]
        settings=dict(json.loads(settings)),  # type: ignore[arg-type]
        created_at=datetime.fromisoformat(created).replace(tzinfo=UTC),  # type: ignore[arg-type]
        posting_terms=dict(json.loads(terms) or {}) if terms is not None else {},  # type: ignore[arg-type]
    )


def opportunity(conn: sqlite3.Connection, owner: int, ident: int) -> Opportunity | None:
    row = conn.execute(_OPPORTUNITIES + " AND o.id = ?", (owner, ident)).fetchone()
    return None if row is None else _opportunity(row)


def opportunities(conn: sqlite3.Connection, owner: int) -> list[Opportunity]:
    """Every opportunity of the user, oldest first (``Store.opportunities``)."""
    return [_opportunity(row) for row in conn.execute(_OPPORTUNITIES + " ORDER BY o.id", (owner,))]


def opportunity_contacts(conn: sqlite3.Connection, owner: int, opp: int) -> list[Contact]:
    """Everyone involved in opportunity ``opp``, by name (``Store.opportunity_contacts``)."""
    row = conn.execute(
        "SELECT referrer_id, recruiter_id, company_id, staffing_firm_id FROM opportunities "
        "WHERE owner_id = ? AND id = ?",
        (owner, opp),
    ).fetchone()
    ids = {
        int(i)
        for (i,) in conn.execute(
            "SELECT contact_id FROM opportunity_contacts WHERE owner_id = ? AND opportunity_id = ?",
            (owner, opp),
        )
    }
    ids.update(
        int(i)
        for (i,) in conn.execute(
            "SELECT contact_id FROM event_contacts WHERE owner_id = ? AND event_id IN "
            "(SELECT id FROM events WHERE owner_id = ? AND opportunity_id = ?)",
            (owner, owner, opp),
        )
    )
    ids.update(int(i) for i in row[:2] if i is not None)
    firms = [int(i) for i in row[2:] if i is not None]
    ids_json, firms_json = json.dumps(sorted(ids)), json.dumps(firms)
    rows = conn.execute(
        f"SELECT {_CONTACT} FROM contacts WHERE owner_id = ? AND ("  # noqa: S608
        "id IN (SELECT value FROM json_each(?)) OR company_id IN (SELECT value FROM json_each(?)))"
        " ORDER BY name_key, id",
        (owner, ids_json, firms_json),
    )
    return [_contact(row) for row in rows]
