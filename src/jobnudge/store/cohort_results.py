"""The cohort numbers kept in ``cohort_results`` (``store.job_tables``): one row per (scope,
whose, period, time zone), the last numbers computed for it and whether a computation waits or
runs. Each function is one short transaction; the row's state is what keeps two computations of
one key from starting at once (:func:`ask` queues only a row that is not already queued), and
at most :data:`MAX_BUSY` computations of one organisation (of one coach, for a caseload) wait
or run at a time. ``members`` (the seekers' ids, hashed) says whom the numbers are about:
:func:`forget_including` drops every result that counted someone, in the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from jobnudge.errors import Busy
from jobnudge.store.core import Store
from jobnudge.store.job_tables import cohort_results
from jobnudge.store.org_tables import caseloads, org_members, organisations
from jobnudge.store.tables import users

BUSY = ("queued", "running")
MAX_BUSY = 2
"""Computations of one organisation (or one coach's caseload) queued or running at once: every
period asked for makes a kept row and a computation, so without a bound a few hundred distinct
periods asked in a loop would queue as many computations."""
STUCK_AFTER = timedelta(hours=2)
"""A computation asked this long ago and never finished no longer counts as busy (its process
died; ``services.cohort_kept.STUCK_AFTER`` asks it again)."""
UNVIEWED_FOR = timedelta(days=30)
"""Kept results nobody viewed for this long are dropped at the next computation asked for."""

BUSY_MESSAGE = "Numbers are being computed for other periods; try again in a few minutes."


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
    members: str | None  # the seekers' ids, hashed (:func:`members_hash`)
    viewed_at: datetime | None


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
    (its worker or process died without a word). :class:`Busy` when :data:`MAX_BUSY` other
    computations of the same organisation (caseload) already wait or run: nothing is queued.
    Results not viewed for :data:`UNVIEWED_FOR` are pruned here."""
    with store.writing() as conn:
        if conn.dialect.name == "postgresql":
            # One organisation's askers go one at a time, so the bound below holds (NO KEY
            # UPDATE: members joining, whose rows only reference the organisation, do not wait).
            conn.execute(
                select(organisations.c.id)
                .where(organisations.c.id == org_id)
                .with_for_update(key_share=True)
            )
        conn.execute(
            delete(cohort_results).where(
                cohort_results.c.state.not_in(BUSY),
                func.coalesce(cohort_results.c.viewed_at, cohort_results.c.asked_at)
                < now - UNVIEWED_FOR,
            )
        )
        if _busy_others(conn, org_id, coach_id, key, now) >= MAX_BUSY:
            raise Busy(BUSY_MESSAGE)
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


def _busy_others(
    conn: Connection, org_id: int, coach_id: int | None, key: str, now: datetime
) -> int:
    """Computations of the organisation (the coach's caseload) other than ``key`` queued or
    running, not counting those asked so long ago that their process died."""
    whose = (
        cohort_results.c.coach_id.is_(None)
        if coach_id is None
        else cohort_results.c.coach_id == coach_id
    )
    return int(
        conn.scalar(
            select(func.count())
            .select_from(cohort_results)
            .where(
                cohort_results.c.org_id == org_id,
                whose,
                cohort_results.c.key != key,
                cohort_results.c.state.in_(BUSY),
                cohort_results.c.asked_at >= now - STUCK_AFTER,
            )
        )
        or 0
    )


def check_room(store: Store, org_id: int, coach_id: int | None, key: str, now: datetime) -> None:
    """:class:`Busy` when no computation of ``key`` could be queued now (the CSV downloads,
    which never queue, say so rather than "not computed yet")."""
    with store.reading() as conn:
        if _busy_others(conn, org_id, coach_id, key, now) >= MAX_BUSY:
            raise Busy(BUSY_MESSAGE)


def claim(store: Store, result: int, now: datetime) -> Kept | None:
    """Mark a queued computation as running (a job taken up again after its worker died finds
    it running and carries on); None when there is nothing to compute."""
    with store.writing() as conn:
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
    members: str,
) -> None:
    with store.writing() as conn:
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
                members=members,
                error="",
            )
        )


def fail(store: Store, result: int, error: str) -> None:
    """The computation failed: said on the page; the numbers kept before stay."""
    with store.writing() as conn:
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


def members_hash(seekers: Sequence[int]) -> str:
    """Whom numbers are about: the seekers' ids alone, hashed (no revisions, unlike
    :func:`fingerprint`), so a change of who is counted is told apart from new data."""
    return hashlib.sha256(";".join(map(str, sorted(set(seekers)))).encode()).hexdigest()


def viewed(store: Store, result: int, now: datetime) -> None:
    """Note that a result was shown (at most once a day is written: pruning counts in days)."""
    with store.writing() as conn:
        conn.execute(
            update(cohort_results)
            .where(
                cohort_results.c.id == result,
                or_(
                    cohort_results.c.viewed_at.is_(None),
                    cohort_results.c.viewed_at < now - timedelta(days=1),
                ),
            )
            .values(viewed_at=now)
        )


def forget_including(conn: Connection, user: int, *, organisation: bool = True) -> None:
    """Drop, in the caller's transaction, every kept result that may have counted ``user``:
    the caseloads of every coach they were ever linked to (and theirs, were they a coach) and,
    with ``organisation``, their organisation's own. Called when they are deactivated, deleted
    or change role, and (caseloads only: the organisation's numbers do not depend on caseloads)
    when they answer a coach: numbers computed over them must not outlive the change."""
    coaches = select(caseloads.c.coach_id).where(caseloads.c.seeker_id == user)
    which = [cohort_results.c.coach_id.in_(coaches), cohort_results.c.coach_id == user]
    if organisation:
        org = conn.scalar(select(org_members.c.org_id).where(org_members.c.user_id == user))
        which.append(and_(cohort_results.c.org_id == org, cohort_results.c.coach_id.is_(None)))
    conn.execute(delete(cohort_results).where(or_(*which)))
