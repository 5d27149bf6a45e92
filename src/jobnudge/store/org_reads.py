"""Reads across many job seekers at once, for an organisation's or a caseload's cohort numbers.

Grouped queries over the owners given (never one query per seeker), using the indexes that
start with ``owner_id``. The owners must already be scoped by the caller
(``services.cohort``): these functions trust the list. The caseload page's numbers are
``store.caseload_reads``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import DateTime, String, and_, func, or_, select, type_coerce

from jobnudge.domain import EventType
from jobnudge.store.core import Store
from jobnudge.store.tables import events, opportunities

CHUNK = 500  # owners per IN list, well under every driver's parameter limit
AHEAD = 2
"""Cohort slices read at once, ahead of the one being folded: each slice's query runs on one
database core (an ordered index scan and window aggregates, no parallel plan), so two keep two
cores busy; the fold in Python is the lighter part (docs/benchmarks.md)."""


def _chunks(owners: Sequence[int]) -> list[list[int]]:
    unique = sorted(set(owners))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


Process = tuple[
    int, int, str, str, datetime, list[tuple[str, datetime, str | None, str | None, bool]]
]
"""One process as the cohort numbers read it: owner, opportunity id, source, stage, its latest
dated event of any type (naive UTC), and its events of the types asked for in time order, each
as (type, at in naive UTC, channel, kind, date unknown): plain values, never records."""


def cohort_processes(
    store: Store,
    owners: Sequence[int],
    since: datetime,
    until: datetime,
    types: frozenset[EventType],
) -> Iterator[tuple[list[int], list[Process]]]:
    """Per slice of :data:`CHUNK` owners: the slice and its processes with a dated event in
    [since, until) (a few more come along: those whose dated events span the period).

    An organisation has millions of events; the numbers of a period need only the processes
    alive in it, and of those only the outreach, answers and stage changes. Each slice's events
    are sorted once by process and time, and windows over each process (sharing that sort)
    give its first and latest dated event, which decide whether it is read; of a process read
    only the events of ``types`` come back (or its first event when it has none, so that it
    still comes along). Rows come straight from the driver as plain values (no enum, aware
    time or record per row); a second query gives the processes' source and stage. The next
    :data:`AHEAD` slices are read, side by side, while the caller works on this one.
    """
    wanted = sorted(t.value for t in types)
    chunks = _chunks(owners)
    if not chunks:
        return
    # The next slices are read (by the database, releasing the GIL) while this one is folded.
    with ThreadPoolExecutor(max_workers=AHEAD) as ahead:
        coming = [
            ahead.submit(_cohort_slice, store, chunk, since, until, wanted)
            for chunk in chunks[:AHEAD]
        ]
        for following in [*chunks[AHEAD:], *([None] * len(coming))]:
            found = coming.pop(0).result()
            if following is not None:
                coming.append(ahead.submit(_cohort_slice, store, following, since, until, wanted))
            yield found


def _cohort_slice(
    store: Store, chunk: list[int], since: datetime, until: datetime, wanted: list[str]
) -> tuple[list[int], list[Process]]:
    dated = events.c.date_unknown.is_(False)
    whole = (events.c.owner_id, events.c.opportunity_id)
    text = _text_times(store)
    inner = (
        select(
            events.c.owner_id,
            events.c.opportunity_id,
            events.c.id,
            type_coerce(events.c.type, String()).label("type"),
            type_coerce(events.c.at, String() if text else DateTime()).label("at"),
            type_coerce(events.c.channel, String()).label("channel"),
            type_coerce(events.c.kind, String()).label("kind"),
            events.c.date_unknown,
            func.max(events.c.at).filter(dated).over(partition_by=whole).label("last_at"),
            func.min(events.c.at).filter(dated).over(partition_by=whole).label("first_at"),
            func.count().filter(events.c.type.in_(wanted)).over(partition_by=whole).label("asked"),
            func.min(events.c.id).over(partition_by=whole).label("first_id"),
        )
        .where(events.c.owner_id.in_(chunk), events.c.opportunity_id.is_not(None))
        .subquery()
    )
    query = (
        select(
            inner.c.owner_id,
            inner.c.opportunity_id,
            inner.c.type,
            inner.c.at,
            inner.c.channel,
            inner.c.kind,
            inner.c.date_unknown,
            type_coerce(inner.c.last_at, String() if text else DateTime()),
        )
        .where(
            inner.c.last_at >= since,
            inner.c.first_at < until,
            or_(inner.c.type.in_(wanted), and_(inner.c.asked == 0, inner.c.id == inner.c.first_id)),
        )
        .order_by(inner.c.owner_id, inner.c.opportunity_id, inner.c.at, inner.c.id)
    )
    with store.write_connection() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # Each slice's window sorts ~500,000 rows: in memory, not in temporary files.
            conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
        about = {
            oid: (source, stage)
            for oid, source, stage in _plain(
                conn,
                select(
                    opportunities.c.id,
                    opportunities.c.source,
                    type_coerce(opportunities.c.stage, String()),
                ).where(opportunities.c.owner_id.in_(chunk)),
            )
        }
        rows = _plain(conn, query)
    keep = frozenset(wanted)
    found: list[Process] = []
    for (owner, oid), group in groupby(rows, key=itemgetter(0, 1)):
        run = list(group)
        source, stage = about[oid]
        if text:  # SQLite: times as text
            history = [(r[2], _naive(r[3]), r[4], r[5], bool(r[6])) for r in run if r[2] in keep]
        else:  # the driver's own tuple, sliced: (type, at, channel, kind, date unknown)
            history = [r[2:7] for r in run if r[2] in keep]
        found.append((owner, oid, source, stage, _naive(run[0][7]), history))
    return chunk, found


def _text_times(store: Store) -> bool:
    """SQLite keeps times as text, which ``fromisoformat`` reads faster than the dialect."""
    return store.engine.dialect.name == "sqlite"


def _plain(conn: Any, query: Any) -> list[Any]:
    """All rows as the driver's tuples: the columns are already plain, so no result
    processing is needed (and at a million rows, SQLAlchemy's rows cost seconds)."""
    result = conn.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _naive(value: datetime | str) -> datetime:
    """Naive UTC as stored (an aggregate on SQLite may come back as text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value
