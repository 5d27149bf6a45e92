"""An import's inserts: every new company, person, opportunity, event and link of a file
written as one stream per table (``store.bulk_insert``: COPY on PostgreSQL, one
``executemany`` on SQLite), their ids reserved up front.

Why: an import of 100,000 rows creates about as many opportunities, a third as many companies
and twice as many events; one INSERT each, with its id read back for the rows after it, was
most of an import's time. The importer matches the whole file in memory first, giving each new
record a provisional (negative) id; here the real ids are reserved in one statement per table,
in the order the one-by-one path creates them (the file's), so both write the same rows, id for
id. Everything runs inside the caller's transaction: an import stays all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import Table, func, select, text

from jobnudge.config import check_numbers
from jobnudge.domain.enums import EventType, InterviewFormat, Role, Stage
from jobnudge.domain.records import Company, Event
from jobnudge.store import convert
from jobnudge.store.bulk_insert import insert_rows
from jobnudge.store.tables import (
    companies,
    contacts,
    events,
    opportunities,
    opportunity_contacts,
)
from jobnudge.store.writes import Tx
from jobnudge.typography import name_key

CACHE_KIB = 65_536
"""SQLite's page cache while an import writes (64 MiB; the default is 2 MiB)."""


@contextmanager
def roomy_cache(tx: Tx) -> Iterator[None]:
    """On SQLite, a larger page cache for the connection while the block writes, the size it
    had restored afterwards (whatever happens inside).

    Why: a 100,000-row import writes a few hundred thousand rows into tables with three or four
    indexes each, in random key order (due dates, short ids); with the default 2 MiB cache the
    pages of those B-trees are spilled to the write-ahead log and read back again and again
    inside the transaction (about a second of system time). The cache holds only what the
    transaction is writing: what is committed, and how durably, is unchanged."""
    conn = tx._conn
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(CACHE_KIB)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


def reserve_ids(tx: Tx, table: Table, count: int) -> list[int]:
    """``count`` new ids for ``table``, ascending: the ones its inserts would be given.

    SQLite: the write transaction (BEGIN IMMEDIATE) holds the file, so they follow the largest
    id the table ever had (``sqlite_sequence``, kept by AUTOINCREMENT, which rows inserted with
    their id also advance). PostgreSQL: taken from the table's sequence in one statement, shared
    with other transactions (so they are unique, though not always consecutive)."""
    if count <= 0:
        return []
    conn = tx._conn
    if conn.dialect.name == "postgresql":
        # Straight from the driver: 100,000 ids through result rows cost half a second.
        # The sequence is named first: ``pg_get_serial_sequence`` inside the series was looked
        # up again for every id (0.5 s of the server's for 200,000), a constant name once.
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table.name,))
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", (sequence, count)
            )
            return sorted(r[0] for r in cursor.fetchall())
        finally:
            cursor.close()
    seq = conn.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}
    ).scalar()
    last = max(int(seq or 0), int(conn.execute(select(func.max(table.c.id))).scalar() or 0))
    return list(range(last + 1, last + 1 + count))


class _Clean:
    """``convert.clean_text`` remembered for the values a file repeats (company names, roles,
    titles, sources): a tracker has a few hundred distinct ones in thousands of rows."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str, bool], str] = {}

    def __call__(self, value: str, name: str, *, required: bool = False) -> str:
        if value and _plain_line(value):
            return value
        key = (value, name, required)
        found = self.seen.get(key)
        if found is None:
            found = convert.clean_text(value, name, required=required)
            if len(self.seen) < 10_000:
                self.seen[key] = found
        return found


_clean = _Clean()


def _plain_line(value: str) -> bool:
    """Whether ``clean_text(value, <a single-line column>)`` is ``value`` itself (see
    :func:`_plain`): printable ASCII with single spaces and nothing to trim."""
    return (
        value.isascii()
        and value.isprintable()  # so its only whitespace is the space
        and "  " not in value
        and value[0] != " "
        and value[-1] != " "
    )


def _plain(note: str) -> bool:
    """Whether ``clean_text(note, "note")`` is ``note`` itself, known without reading it
    character by character: printable ASCII holds no control character, no line break to
    unify and nothing invisible to trim."""
    return note.isascii() and note.isprintable() and note == note.strip()


# Values as the store keeps them (the checks ``Tx.add_*`` makes on each field), computed when a
# row is matched so that a later row changing the record (an address, a note) changes them.


def company_values(tx: Tx, name: str) -> dict[str, Any]:
    """A company the import found no match for (as ``Tx.add_company`` with a name alone)."""
    cleaned = _clean(name, "company name", required=True)
    return {
        "name": cleaned,
        "name_key": name_key(cleaned),
        "aliases": [],
        "domains": [],
        "is_staffing_firm": False,
    }


def company_record(company_id: int, values: Mapping[str, Any]) -> Company:
    """A company inserted from :func:`company_values`, as the store reads it back."""
    return Company(
        id=company_id,
        name=values["name"],
        aliases=tuple(values["aliases"]),
        domains=tuple(values["domains"]),
        is_staffing_firm=bool(values["is_staffing_firm"]),
    )


def contact_values(
    *, name: str, company_id: int, email: str, phone: str, title: str, roles: frozenset[Role]
) -> dict[str, Any]:
    """A person the import found no match for (as ``Tx.add_contact`` with these fields)."""
    cleaned = _clean(name, "contact name", required=True)
    return {
        "name": cleaned,
        "name_key": name_key(cleaned),
        "company_id": company_id,
        "title": _clean(title, "title"),
        "email": _clean(email, "email"),
        "phone": _clean(phone, "phone"),
        "tz": None,
        "country": None,
        "prefers": None,
        "first_name_ok": False,
        "roles": sorted({convert.member(Role, r, "roles").value for r in roles}),
        "salutation": "",
        "notes": "",
    }


def contact_email(email: str) -> str:
    """An address filled in for a contact matched by name (as ``Tx.update_contact``)."""
    return convert.clean_text(email, "email")


def opportunity_notes(notes: str) -> str:
    """Notes as ``Tx.update_opportunity`` stores them."""
    return convert.clean_text(notes, "notes")


def opportunity_values(
    *,
    company_id: int,
    role: str,
    source: str,
    posting_url: str,
    notes: str,
    responds_within_days: int | None = None,
    staffing_firm_id: int | None = None,
    recruiter_id: int | None = None,
) -> dict[str, Any]:
    """An opportunity the import found no match for (as ``Tx.add_opportunity``); the firm and
    recruiter may be provisional ids, resolved when written."""
    return {
        "company_id": company_id,
        "role": _clean(role, "role", required=True),
        "posting_url": _clean(posting_url, "posting_url"),
        "source": _clean(source, "source"),
        "responds_within_days": convert.maybe_whole(
            responds_within_days, "responds_within_days", minimum=0
        ),
        "notes": _clean(notes, "notes"),
        "staffing_firm_id": staffing_firm_id,
        "recruiter_id": recruiter_id,
    }


OPPORTUNITY_DEFAULTS: Mapping[str, Any] = {
    "prefers": None,
    "referrer_id": None,
    "priority": 0,
    "settings": check_numbers({}, "opportunity settings"),
    "posting_terms": {},
}
"""What ``Tx.add_opportunity`` stores for the fields an import does not set."""


class NewEvent(NamedTuple):
    """An event an import adds: the fields it sets (a tuple: an import makes one for each of
    a file's dated cells, and a tuple is made in a third of a frozen dataclass's time)."""

    opportunity_id: int
    type: EventType
    at: datetime
    tz: str
    round: int | None = None
    format: InterviewFormat | None = None
    scheduled_for: datetime | None = None
    date_unknown: bool = False
    note: str = ""
    decision_by: date | None = None

    def record(self, event_id: int, opportunity_id: int) -> Event:
        """The event as the store reads it back (instants in UTC)."""
        scheduled = self.scheduled_for
        return Event(
            id=event_id,
            opportunity_id=opportunity_id,
            type=self.type,
            at=self.at.astimezone(UTC),
            date_unknown=self.date_unknown,
            tz=self.tz,
            round=self.round,
            format=self.format,
            scheduled_for=None if scheduled is None else scheduled.astimezone(UTC),
            decision_by=self.decision_by,
            note=self.note,
        )


def _records(
    tx: Tx,
    owner: int,
    table: Table,
    rows: Iterable[tuple[int, dict[str, Any]]],
    same: Mapping[str, Any],
) -> None:
    """Insert ``(id, values)`` records whose values share their keys (made by one of the
    ``*_values`` functions above)."""
    found = _unless_empty(rows)
    if found is None:
        return
    first = next(found)
    tx.touch(owner)
    names = list(first[1])
    insert_rows(
        tx,
        table,
        ["id", *names],
        ((i, *(v[n] for n in names)) for i, v in chain((first,), found)),
        same,
    )


def _unless_empty(rows: Iterable[Any]) -> Iterator[Any] | None:
    """``rows`` as an iterator, or None when there are none (nothing to write, and the
    user's records are not marked changed)."""
    found = iter(rows)
    first = next(found, _NONE)
    return None if first is _NONE else chain((first,), found)


_NONE = object()


def add_companies(tx: Tx, owner: int, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Insert ``(id, values)`` companies (ids from :func:`reserve_ids`)."""
    _records(tx, owner, companies, rows, {"owner_id": owner, "created_at": tx.now})


def add_contacts(tx: Tx, owner: int, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Insert ``(id, values)`` people; their companies are the owner's (inserted first)."""
    _records(tx, owner, contacts, rows, {"owner_id": owner, "created_at": tx.now})


def add_opportunities(
    tx: Tx, owner: int, rows: Iterable[tuple[int, dict[str, Any], Stage]]
) -> None:
    """Insert ``(id, values, stage)`` opportunities: the stage their events give."""
    now = tx.now
    _records(
        tx,
        owner,
        opportunities,
        ((i, {**v, "stage": convert.member(Stage, stage, "stage")}) for i, v, stage in rows),
        {"owner_id": owner, "created_at": now, "updated_at": now, **OPPORTUNITY_DEFAULTS},
    )


EVENT_COLUMNS = (
    "id",
    "opportunity_id",
    "type",
    "at",
    "date_unknown",
    "tz",
    "round",
    "format",
    "scheduled_for",
    "decision_by",
    "note",
)


def add_events(tx: Tx, owner: int, new: Iterable[tuple[int, int, NewEvent]]) -> None:
    """Insert ``(id, opportunity id, event)`` in order. The stages of their opportunities are
    the caller's to store; the opportunities must be the owner's."""
    found = _unless_empty(new)
    if found is None:
        return
    zones: set[str] = set()
    types: dict[EventType, EventType] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        for event_id, opportunity_id, e in found:
            if e.tz not in zones:
                zones.add(convert.zone(e.tz, "tz"))
            kind = types.get(e.type)
            if kind is None:
                kind = types[e.type] = convert.member(EventType, e.type, "type")
            yield (
                event_id,
                opportunity_id,
                kind,
                convert.aware(e.at, "at"),
                bool(e.date_unknown),
                e.tz,
                convert.maybe_whole(e.round, "round", minimum=1),
                convert.maybe_member(InterviewFormat, e.format, "format"),
                convert.maybe_aware(e.scheduled_for, "scheduled_for"),
                e.decision_by,
                e.note if _plain(e.note) else convert.clean_text(e.note, "note"),
            )

    same = {
        "owner_id": owner,
        "contact_ids": [],
        "channel": None,
        "kind": None,
        "prefers": None,
        "nudge_key": None,
        "until": None,
        "body": "",
        "created_at": tx.now,
    }
    tx.touch(owner)
    insert_rows(tx, events, EVENT_COLUMNS, rows(), same)


def links(tx: Tx, owner: int) -> set[tuple[int, int]]:
    """(opportunity, contact) of every link the user has."""
    tx.claim(owner)
    rows = tx._conn.execute(
        select(opportunity_contacts.c.opportunity_id, opportunity_contacts.c.contact_id).where(
            opportunity_contacts.c.owner_id == owner
        )
    )
    return {(r.opportunity_id, r.contact_id) for r in rows}


def add_links(tx: Tx, owner: int, pairs: Iterable[tuple[int, int]]) -> None:
    """Link contacts to opportunities (pairs not linked yet)."""
    found = _unless_empty(pairs)
    if found is not None:
        tx.touch(owner)
        insert_rows(
            tx, opportunity_contacts, ("opportunity_id", "contact_id"), found, {"owner_id": owner}
        )
