"""The cohort numbers kept in ``cohort_results`` (``store.job_tables``): one row per (scope,
whose, period, time zone), the last numbers computed for it and whether a computation waits or
runs. Each function is one short transaction; the row's state is what keeps two computations of
one key from starting at once (:func:`ask` queues only a row that is not already queued)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from jobnudge.store.core import Store
from jobnudge.store.engine import WRITE
from jobnudge.store.job_tables import cohort_results
from jobnudge.store.tables import users

BUSY = ("queued", "running")


@dataclass(frozen=True, slots=True)
class Kept:
    id: int
    key: str
    org_id: int
    coach_id: int | None  # None: the whole organisation
    first: date
    last: date
    tz: str
    state: str  # "queued", "running", "done", "failed"
    asked_at: datetime
    started_at: datetime | None
    numbers: dict[str, Any] | None  # the last Cohort computed (JSON), kept through a recompute
    as_of: datetime | None
    computed_at: datetime | None
    seconds: float | None
    people: int | None
    fingerprint: str | None
    error: str


@contextmanager
def _write(store: Store) -> Iterator[Connection]:
    with store.write_connection() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            yield conn


def _kept(row: Any) -> Kept:
    return Kept(*(getattr(row, c.name) for c in cohort_results.columns))


def get(store: Store, key: str) -> Kept | None:
    with store.reading() as conn:
        row = conn.execute(select(cohort_results).where(cohort_results.c.key == key)).first()
    return None if row is None else _kept(row)


def by_id(store: Store, result: int) -> Kept | None:
    with store.reading() as conn:
        row = conn.execute(select(cohort_results).where(cohort_results.c.id == result)).first()
    return None if row is None else _kept(row)


def ask(
    store: Store,
    key: str,
    *,
    org_id: int,
    coach_id: int | None,
    first: date,
    last: date,
    tz: str,
    now: datetime,
    stuck_before: datetime,
) -> tuple[Kept, bool]:
    """Mark ``key`` as queued for a computation describing ``now`` (the row made if missing);
    the row and whether this call queued it. A row already queued or running is left as it is
    (someone else's computation will answer), unless it was asked before ``stuck_before``
    (its worker or process died without a word)."""
    with _write(store) as conn:
        insert: Any
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(
            insert(cohort_results)
            .values(
                key=key,
                org_id=org_id,
                coach_id=coach_id,
                first=first,
                last=last,
                tz=tz,
                state="new",
                asked_at=now,
                error="",
            )
            .on_conflict_do_nothing(index_elements=[cohort_results.c.key])
        )
        done = conn.execute(
            update(cohort_results)
            .where(
                cohort_results.c.key == key,
                or_(
                    cohort_results.c.state.not_in(BUSY),
                    cohort_results.c.asked_at < stuck_before,
                ),
            )
            .values(state="queued", asked_at=now, started_at=None)
        )
        row = conn.execute(select(cohort_results).where(cohort_results.c.key == key)).one()
    return _kept(row), bool(done.rowcount)


def claim(store: Store, result: int, now: datetime) -> Kept | None:
    """Mark a queued computation as running (a job taken up again after its worker died finds
    it running and carries on); None when there is nothing to compute."""
    with _write(store) as conn:
        done = conn.execute(
            update(cohort_results)
            .where(cohort_results.c.id == result, cohort_results.c.state.in_(BUSY))
            .values(state="running", started_at=now)
        )
        if not done.rowcount:
            return None
        row = conn.execute(select(cohort_results).where(cohort_results.c.id == result)).one()
    return _kept(row)


def finish(
    store: Store,
    result: int,
    *,
    numbers: dict[str, Any],
    as_of: datetime,
    computed_at: datetime,
    seconds: float,
    people: int,
    fingerprint: str,
) -> None:
    with _write(store) as conn:
        conn.execute(
            update(cohort_results)
            .where(cohort_results.c.id == result)
            .values(
                state="done",
                numbers=numbers,
                as_of=as_of,
                computed_at=computed_at,
                seconds=seconds,
                people=people,
                fingerprint=fingerprint,
                error="",
            )
        )


def fail(store: Store, result: int, error: str) -> None:
    """The computation failed: said on the page; the numbers kept before stay."""
    with _write(store) as conn:
        conn.execute(
            update(cohort_results)
            .where(and_(cohort_results.c.id == result, cohort_results.c.state.in_(BUSY)))
            .values(state="failed", error=error[:500])
        )


def fingerprint(store: Store, seekers: Sequence[int]) -> str:
    """Which data numbers over ``seekers`` are computed from: their ids and revisions (every
    write to a search raises its revision), hashed. Equal fingerprints, equal data."""
    digest = hashlib.sha256()
    unique = sorted(set(seekers))
    with store.reading() as conn:
        for i in range(0, len(unique), 500):
            rows = conn.execute(
                select(users.c.id, users.c.revision)
                .where(users.c.id.in_(unique[i : i + 500]))
                .order_by(users.c.id)
            )
            for uid, revision in rows:
                digest.update(f"{uid}:{revision};".encode())
    return digest.hexdigest()
