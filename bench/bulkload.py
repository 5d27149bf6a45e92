"""Writing generated searches (``datagen.py``) straight into the store's tables, in bulk.

Rows carry the values the store's column types would bind (converted here for speed and checked
against SQLAlchemy's own processors), in large batches inside the caller's transaction: SQLite
by executemany of each table's compiled Core ``insert()``, PostgreSQL by ``COPY``. A database
can grow in steps (:class:`Builder`), and a block of users can be copied inside the database
under new ids (:func:`replicate`) when generating every row in Python would take too long.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Connection, Date, bindparam, insert, text

from common import NOW, USER_TZ
from datagen import (
    Derived,
    Ev,
    UserSearch,
    assign_ids,
    derive_user,
    new_counters,
    plausible_nudges,
)
from jobnudge.domain import Nudge, short_id, stage_of
from jobnudge.store import tables as t
from jobnudge.store.types import EnumText, JSONText, UTCDateTime


def _event_row(owner: int, e: Ev, created: datetime) -> dict[str, Any]:
    return {
        "id": e.id,
        "owner_id": owner,
        "opportunity_id": e.opp.id if e.opp else None,
        "type": e.type,
        "at": e.at,
        "date_unknown": False,  # generated events always have their day
        "tz": USER_TZ,
        "contact_ids": [p.id for p in e.people],
        "channel": e.channel,
        "kind": e.kind,
        "round": e.round,
        "format": e.format,
        "scheduled_for": e.scheduled_for,
        "decision_by": e.decision_by,
        "prefers": None,
        "note": e.note,
        "nudge_key": None,
        "until": None,
        "body": "",
        "created_at": created,
    }


def nudge_row(owner: int, n: Nudge, computed: datetime) -> dict[str, Any]:
    return {
        "owner_id": owner,
        "key": n.key,
        "short_id": short_id(n.key),
        "rule": n.rule,
        "opportunity_id": n.opportunity_id,
        "contact_id": n.contact_id,
        "channel": n.channel,
        "due": n.due,
        "due_by": n.due_by,
        "expires": n.expires,
        "tz": n.tz,
        "reason": n.reason,
        "message": n.message,
        "anchor_event_id": n.anchor_event_id,
        "computed_at": computed,
    }


TABLE_ORDER = (
    "users",
    "companies",
    "contacts",
    "opportunities",
    "opportunity_contacts",
    "events",
    "event_contacts",
    "nudges",
)


def rows_of(
    users: Sequence[UserSearch], derived: Mapping[int, Derived], now: datetime = NOW
) -> dict[str, list[dict[str, Any]]]:
    """The rows of a chunk of users (ids already assigned), nudges from ``derived`` by user id.

    Nudge rows go in the order they were last recomputed (their opportunity's latest event), as
    a live database would hold them.
    """
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_ORDER}
    nudge_rows: list[tuple[datetime, dict[str, Any]]] = []
    for u in users:
        out["users"].append(
            {"id": u.id, "name": u.name, "created_at": u.created, "settings": {}, "revision": 0}
        )
        for c in u.companies:
            out["companies"].append(
                {
                    "id": c.id,
                    "owner_id": u.id,
                    "name": c.name,
                    "name_key": c.name.casefold(),
                    "aliases": [],
                    "domains": [],
                    "is_staffing_firm": c.staffing,
                    "created_at": c.created,
                }
            )
        for p in u.people:
            out["contacts"].append(
                {
                    "id": p.id,
                    "owner_id": u.id,
                    "name": p.name,
                    "name_key": p.name.casefold(),
                    "company_id": p.company.id if p.company else None,
                    "title": "",
                    "email": f"{p.name.split()[0].lower()}@example.com",
                    "phone": "",
                    "tz": p.tz,
                    "country": p.country,
                    "prefers": p.prefers,
                    "first_name_ok": False,
                    "roles": sorted(r.value for r in p.roles),
                    "salutation": "",
                    "notes": "",
                    "created_at": p.created,
                }
            )
        d = derived.get(u.id)
        last_touch: dict[int | None, datetime] = {None: now}
        for o in u.opps:
            updated = o.events[-1].at if o.events else o.created
            last_touch[o.id] = updated
            out["opportunities"].append(
                {
                    "id": o.id,
                    "owner_id": u.id,
                    "company_id": o.company.id,
                    "role": o.role,
                    "posting_url": "",
                    "source": o.source,
                    "responds_within_days": o.responds,
                    "prefers": None,
                    "referrer_id": o.referrer.id if o.referrer else None,
                    "staffing_firm_id": o.staffing.id if o.staffing else None,
                    "recruiter_id": o.recruiter.id if o.recruiter else None,
                    "priority": 0,
                    "notes": "",
                    "settings": {},
                    "posting_terms": {},
                    "stage": d.stages[o.id] if d else stage_of([]),
                    "created_at": o.created,
                    "updated_at": updated,
                }
            )
            for p in o.people:
                out["opportunity_contacts"].append(
                    {"owner_id": u.id, "opportunity_id": o.id, "contact_id": p.id}
                )
            for e in o.events:
                out["events"].append(_event_row(u.id, e, e.at))
        for e in u.loose:
            out["events"].append(_event_row(u.id, e, e.at))
        if d is not None:
            for n in d.nudges:
                when = last_touch[n.opportunity_id]
                nudge_rows.append((when, nudge_row(u.id, n, when)))
    for row in out["events"]:
        for cid in row["contact_ids"]:
            out["event_contacts"].append(
                {"owner_id": row["owner_id"], "event_id": row["id"], "contact_id": cid}
            )
    out["events"].sort(key=lambda r: r["id"])
    nudge_rows.sort(key=lambda pair: pair[0])
    out["nudges"] = [row for _, row in nudge_rows]
    return out


BATCH = 10_000


def _sqlite_instant(v: datetime | None) -> str | None:
    if v is None:
        return None
    if v.tzinfo is not UTC:
        v = v.astimezone(UTC)
    return v.isoformat(" ", "microseconds")[:26]  # drop "+00:00": naive UTC, as stored


def _pg_instant(v: datetime | None) -> datetime | None:
    return None if v is None else v.astimezone(UTC).replace(tzinfo=None)


def _json(v: Any) -> str | None:
    if v is None:
        return None
    if not v:
        return "[]" if isinstance(v, list) else "{}"
    if isinstance(v, list) and all(type(x) is int for x in v):
        return "[" + ",".join(map(str, v)) + "]"
    return json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _fast(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's bind conversion, written out for speed (SQLAlchemy's own processors
    cost ~30 µs a row here); :func:`_check` proves it equal to SQLAlchemy's on every batch."""
    kind = column.type
    on_sqlite = dialect.name == "sqlite"
    if isinstance(kind, UTCDateTime):
        return _sqlite_instant if on_sqlite else _pg_instant
    if isinstance(kind, JSONText):
        return _json
    if isinstance(kind, EnumText):
        return lambda v: None if v is None else kind.enum(v).value
    if on_sqlite and isinstance(kind, Date):
        return lambda v: None if v is None else v.isoformat()
    if on_sqlite and isinstance(kind, Boolean):
        return lambda v: None if v is None else int(v)
    return None


def _check(
    table: Any, dialect: Any, names: Sequence[str], row: Mapping[str, Any], got: Any
) -> None:
    """The fast conversion of ``row`` must be what SQLAlchemy's processors give."""
    want = []
    for name in names:
        proc = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        want.append(proc(row[name]) if proc else row[name])
    if tuple(want) != tuple(got):
        raise AssertionError(f"{table.name}: fast conversion {got!r} differs from {want!r}")


class Writer:
    """Bulk writes with the values converted as the store's column types convert them.

    SQLite: executemany of each table's compiled Core ``insert()`` on the driver cursor.
    PostgreSQL: ``COPY ... FROM STDIN`` of the same columns (executemany measured 2-4 times
    slower per row here, which made the million-event database take minutes), with the
    foreign-key triggers off for the load (``session_replication_role = replica``; the rows are
    consistent by construction).
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        dialect = conn.dialect
        self.copy = dialect.name == "postgresql"
        if self.copy:
            dialect = type(dialect)(paramstyle="format")  # positional, like SQLite's qmark
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        self.dialect = dialect
        self.plans: dict[str, tuple[str, tuple[str, ...], list[Callable[[Any], Any] | None]]] = {}
        for name in TABLE_ORDER:
            table = t.metadata.tables[name]
            compiled = (
                insert(table)
                .values({c.name: bindparam(c.name) for c in table.c})
                .compile(dialect=dialect)
            )
            names = tuple(compiled.positiontup or ())
            self.plans[name] = (str(compiled), names, [_fast(table.c[n], dialect) for n in names])

    def write(self, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for name in TABLE_ORDER:
                batch = rows.get(name, ())
                if not batch:
                    continue
                sql, names, convs = self.plans[name]
                pairs = list(zip(names, convs, strict=True))
                params = [
                    tuple(row[n] if f is None else f(row[n]) for n, f in pairs) for row in batch
                ]
                for i in range(0, len(batch), 500):  # every 500th row, the first included
                    _check(t.metadata.tables[name], self.dialect, names, batch[i], params[i])
                if self.copy:
                    with cursor.copy(f"COPY {name} ({', '.join(names)}) FROM STDIN") as copy:
                        for values in params:
                            copy.write_row(values)
                else:
                    for i in range(0, len(params), BATCH):
                        cursor.executemany(sql, params[i : i + BATCH])
        finally:
            cursor.close()


def fix_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the ids written explicitly (SQLite's
    AUTOINCREMENT counter follows explicit ids by itself)."""
    if conn.dialect.name != "postgresql":
        return
    for name in ("users", "companies", "contacts", "opportunities", "events"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(max(id), 1) FROM {name}))"
            )
        )


@dataclass
class Totals:
    users: int = 0
    opportunities: int = 0
    events: int = 0
    nudges: int = 0

    def add(self, rows: Mapping[str, Sequence[Any]]) -> None:
        self.users += len(rows["users"])
        self.opportunities += len(rows["opportunities"])
        self.events += len(rows["events"])
        self.nudges += len(rows["nudges"])


class Builder:
    """Writes users to the store's tables in chunks, ids continuing across calls (so a database
    can grow in steps), every chunk to every connection, in the callers' transactions.

    The playbook's nudges are stored for the users ``derive_for`` accepts, plausible stand-ins
    (:func:`plausible_nudges`) for the others. A PostgreSQL connection is written from a worker
    thread while the next chunk is generated and written to SQLite on this one.
    """

    def __init__(self, derive_for: Callable[[UserSearch], bool] = lambda u: True) -> None:
        self.counters = new_counters()
        self.totals = Totals()
        self.derive_for = derive_for
        self.nudge_rows: list[dict[str, Any]] = []
        """The nudge rows written by the last :meth:`add` (for :func:`replicate`)."""

    def add(
        self, connections: Sequence[Connection], chunks: Iterable[Sequence[UserSearch]]
    ) -> None:
        writers = [Writer(conn) for conn in connections]
        here = [w for w in writers if w.dialect.name == "sqlite"]  # sqlite3 stays in its thread
        away = [w for w in writers if w.dialect.name != "sqlite"]
        self.nudge_rows = []
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: list[Future[None]] = []
            for chunk in chunks:
                assign_ids(chunk, self.counters)
                derived = {
                    u.id: derive_user(u) if self.derive_for(u) else plausible_nudges(u)
                    for u in chunk
                }
                rows = rows_of(chunk, derived)
                self.totals.add(rows)
                self.nudge_rows += rows["nudges"]
                for future in pending:
                    future.result()
                pending = [pool.submit(w.write, rows) for w in away]
                for writer in here:
                    writer.write(rows)
            for future in pending:
                future.result()
        for conn in connections:
            fix_sequences(conn)


def replicate(
    connections: Sequence[Connection],
    builder: Builder,
    before: Mapping[str, int],
    copies: int,
) -> None:
    """Append ``copies`` copies of the users written since the counters stood at ``before``
    (their last :meth:`Builder.add`), every id shifted past the ones in use, user names suffixed.

    Each table but ``nudges`` is copied inside the database by a Core
    ``insert().from_select()`` (a million events through Python take minutes on a shared 2-core
    machine; this takes seconds), the JSON list of contact ids shifted too; the nudge rows are
    rewritten in Python (their keys name ids and their short ids hash the key). The copies hold
    the same histories under other names, which is all the agenda of another user can notice.
    """
    after = dict(builder.counters)
    span = {name: after[name] - before[name] for name in after}
    template = builder.nudge_rows
    for k in range(1, copies + 1):
        off = {name: k * span[name] for name in span}
        nudge_rows = [_shift_nudge(row, off) for row in template]
        for conn in connections:
            _copy_tables(conn, before, after, off, k)
            Writer(conn).write({"nudges": nudge_rows})
        builder.totals.users += span["users"]
        builder.totals.opportunities += span["opportunities"]
        builder.totals.events += span["events"]
        builder.totals.nudges += len(nudge_rows)
    for name in after:
        builder.counters[name] = after[name] + copies * span[name]
    for conn in connections:
        fix_sequences(conn)


def _shift_nudge(row: Mapping[str, Any], off: Mapping[str, int]) -> dict[str, Any]:
    out = dict(row)
    out["owner_id"] += off["users"]
    for column, table in (
        ("opportunity_id", "opportunities"),
        ("contact_id", "contacts"),
        ("anchor_event_id", "events"),
    ):
        if out[column] is not None:
            out[column] += off[table]
    rule, opp, person, anchor = str(row["key"]).split(":")
    if opp.isdigit():
        opp = str(int(opp) + off["opportunities"])
    if person.isdigit():
        person = str(int(person) + off["contacts"])
    if anchor.isdigit():
        anchor = str(int(anchor) + off["events"])
    out["key"] = f"{rule}:{opp}:{person}:{anchor}"
    out["short_id"] = short_id(out["key"])
    return out


# Which columns hold ids of which table (the owner and the row's own id aside).
_REFS = {
    "companies": {},
    "contacts": {"company_id": "companies"},
    "opportunities": {
        "company_id": "companies",
        "referrer_id": "contacts",
        "staffing_firm_id": "companies",
        "recruiter_id": "contacts",
    },
    "opportunity_contacts": {"opportunity_id": "opportunities", "contact_id": "contacts"},
    "events": {"opportunity_id": "opportunities"},
    "event_contacts": {"event_id": "events", "contact_id": "contacts"},
}


def _copy_tables(
    conn: Connection,
    before: Mapping[str, int],
    after: Mapping[str, int],
    off: Mapping[str, int],
    k: int,
) -> None:
    from sqlalchemy import and_, literal, literal_column, select

    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    users = t.users
    conn.execute(
        insert(users).from_select(
            [c.name for c in users.c],
            select(
                (users.c.id + off["users"]).label("id"),
                (users.c.name + literal(f"~{k}")).label("name"),
                users.c.created_at,
                users.c.settings,
                users.c.revision,
            ).where(users.c.id > before["users"], users.c.id <= after["users"]),
        )
    )
    for name, refs in _REFS.items():
        table = t.metadata.tables[name]
        columns = []
        for c in table.c:
            if c.name == "owner_id":
                columns.append((c + off["users"]).label(c.name))
            elif c.name == "id":
                columns.append((c + off[name]).label(c.name))
            elif c.name in refs:
                columns.append((c + off[refs[c.name]]).label(c.name))
            elif name == "events" and c.name == "contact_ids":
                columns.append(literal_column(_shifted_json(conn, off["contacts"])).label(c.name))
            else:
                columns.append(c)
        owner = table.c.owner_id
        conn.execute(
            insert(table).from_select(
                [c.name for c in table.c],
                select(*columns).where(and_(owner > before["users"], owner <= after["users"])),
            )
        )


def _shifted_json(conn: Connection, shift: int) -> str:
    """SQL for ``events.contact_ids`` with every id moved by ``shift``, written as the store
    writes it (``[1,2]``, no spaces)."""
    if conn.dialect.name == "sqlite":
        return f"(SELECT json_group_array(value + {shift}) FROM json_each(events.contact_ids))"
    return (
        "COALESCE((SELECT '[' || string_agg((x.v::int + "
        f"{shift})::text, ',' ORDER BY x.n) || ']' FROM json_array_elements_text("
        "events.contact_ids::json) WITH ORDINALITY AS x(v, n)), '[]')"
    )


def chunked(items: Iterable[UserSearch], size: int) -> Iterator[list[UserSearch]]:
    chunk: list[UserSearch] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyze(conn: Connection) -> None:
    """Planner statistics, as autovacuum (PostgreSQL) would gather after a bulk load. SQLite is
    left as jobnudge leaves it: it never runs ANALYZE."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE"))
