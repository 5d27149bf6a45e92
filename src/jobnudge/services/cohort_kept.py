"""Cohort numbers kept, computed in the background: what the cohort page and its CSV downloads
serve.

Why: an organisation's numbers for a quarter read millions of events (84 s at 10,000 job
seekers, docs/benchmarks.md), far past any request's patience, and each of the five CSV
downloads computed them again. Now each (scope, whose, period, time zone) has one kept result
(``store.cohort_results``): the page shows it with when it was computed, or "being computed"
while the job ``cohort`` runs (a ``nudge worker`` with the job queue on, else a thread of this
process), and every CSV is cut from it, never computed.

The rules, in one place:

- **Inline or background.** Numbers over at most :func:`inline_people` job seekers (150, a full
  caseload: about 1.3 s at 100 opportunities each) are computed in the request, then kept;
  larger ones (an organisation) always in the background. ``NUDGE_COHORT_INLINE_PEOPLE`` sets it.
- **Stale.** Kept numbers are recomputed on a visit (still shown meanwhile) once they are older
  than :data:`STALE_AFTER` *and* either the data changed (a seeker joined or left, or logged
  something: the seekers' revisions, hashed, differ) or the period ends less than
  ``FADED_AFTER`` (30 days) before they were computed, where the numbers depend on the day they
  are looked at (answers still awaited, processes about to fade). A past period over unchanged
  data stays as computed. "Recompute" asks for a new computation at any time.
- **One at a time.** A key already queued or running is never queued again (the row's state,
  changed in one statement); the queue's lock on the result id keeps two workers off one key.
  A computation asked more than :data:`STUCK_AFTER` ago and never finished (its process died)
  may be asked again; with the queue off, where this one process computes everything, a busy
  result it does not know of (cut short by a restart) is taken on at the next visit.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from jobnudge.bounds import is_digits
from jobnudge.errors import Busy, ConfigError
from jobnudge.services.cohort import Cell, Cohort, numbers_of, seekers_of, whose
from jobnudge.services.review import FADED_AFTER

if TYPE_CHECKING:
    from jobnudge.store import Store
    from jobnudge.store.cohort_results import Kept

log = logging.getLogger("jobnudge.jobs")

STALE_AFTER = timedelta(minutes=15)
STUCK_AFTER = timedelta(hours=2)
INLINE_ENV = "NUDGE_COHORT_INLINE_PEOPLE"
INLINE_PEOPLE = 150

computations = 0
"""Numbers computed by this process (what proves a CSV download computes nothing)."""


def inline_people() -> int:
    """Job seekers up to which numbers are computed in the request (:data:`INLINE_ENV`)."""
    text = os.environ.get(INLINE_ENV, "").strip()
    if not text:
        return INLINE_PEOPLE
    if not is_digits(text):
        raise ConfigError(f"{INLINE_ENV}: {text!r} is not a number of job seekers; e.g. 150.")
    return int(text)


@dataclass(frozen=True)
class Shown:
    """What the page shows: the kept numbers (None: none yet) and where their computation is."""

    cohort: Cohort | None
    scope: str
    first: date
    last: date
    state: str  # "done", "queued", "running" or "failed"
    as_of: datetime | None  # the moment the numbers describe
    seconds: float | None  # how long computing them took
    people: int | None
    error: str

    @property
    def busy(self) -> bool:
        return self.state in ("queued", "running")


def key(scope: str, org_id: int, coach_id: int | None, first: date, last: date, tz: str) -> str:
    whom = org_id if coach_id is None else coach_id
    return f"{scope}:{whom}:{first.isoformat()}:{last.isoformat()}:{tz}"


def stale(kept: Kept, now: datetime, fingerprint: Any) -> bool:
    """Whether done numbers should be computed again (the rules in the module's docstring);
    ``fingerprint()`` gives the data's fingerprint now, read only when the age asks for it."""
    if kept.as_of is None:
        return True
    if now - kept.as_of < STALE_AFTER:
        return False
    if kept.last + FADED_AFTER >= kept.as_of.date():
        return True
    return bool(fingerprint() != kept.fingerprint)


def show(
    store: Store,
    actor: int,
    scope: str,
    first: date,
    last: date,
    now: datetime,
    tz: str,
    *,
    recompute: bool = False,
) -> Shown:
    """The numbers the acting user may see (scoped as ``cohort.numbers``), kept or on their
    way: computed here when small, else a background computation is asked for when there are
    none, they are stale, they were computed over other people than the user may see now, or
    ``recompute`` says so. :class:`Busy` (429) when other periods' computations
    already fill the bound and these numbers cannot be shown."""
    from jobnudge.store import cohort_results

    tz = zone_key(tz)
    scope, org_id, coach_id, ids = whose(store, actor, scope)
    found = key(scope, org_id, coach_id, first, last, tz)
    kept = cohort_results.get(store, found)
    members = cohort_results.members_hash(ids)
    orphan = kept is not None and kept.state in cohort_results.BUSY and _orphaned(store, kept.id)
    fits = kept is not None and kept.numbers is not None and kept.members == members
    wanted = (
        orphan
        or recompute
        or kept is None
        or kept.state == "new"
        or (kept.state == "done" and not fits)
        or (
            kept.state == "done"
            and stale(kept, now, lambda: cohort_results.fingerprint(store, ids))
        )
    )
    if wanted:
        try:
            asked, mine = cohort_results.ask(
                store,
                found,
                org_id=org_id,
                coach_id=coach_id,
                first=first,
                last=last,
                tz=tz,
                now=now,
                stuck_before=now + STUCK_AFTER if orphan else now - STUCK_AFTER,
            )
        except Busy:
            if orphan and kept is not None:
                _done_here(kept.id)  # not taken on after all: the next visit tries again
            if kept is None or not fits or recompute:
                raise
            asked, mine = kept, False  # numbers that still fit stay shown until there is room
        if not mine:
            if orphan:
                _done_here(asked.id)
        elif len(ids) <= inline_people():
            with _pool_lock:
                _here.add(asked.id)
            compute(store, asked.id)
        else:
            start(store, asked.id)
        kept = cohort_results.get(store, found) or asked
    assert kept is not None
    if kept.numbers is not None and kept.members == members:
        cohort_results.viewed(store, kept.id, now)
        return _shown(kept, scope, first, last)
    return replace(_shown(kept, scope, first, last), cohort=None, as_of=None, people=None)


def zone_key(tz: str) -> str:
    """The time zone numbers are kept under: one name for zones with the same rules."""
    from jobnudge.zones import same_rules_name

    return same_rules_name(tz, "time zone")


def kept_numbers(
    store: Store, actor: int, scope: str, first: date, last: date, tz: str, now: datetime
) -> Cohort | None:
    """The kept numbers the acting user may see, as last computed (None: none yet, or computed
    over other people than the user may see now); never a computation (the CSV downloads).
    :class:`Busy` instead of None when other periods' computations fill the bound."""
    from jobnudge.store import cohort_results

    scope, org_id, coach_id, ids = whose(store, actor, scope)
    found = key(scope, org_id, coach_id, first, last, zone_key(tz))
    kept = cohort_results.get(store, found)
    if kept is None or kept.numbers is None or kept.members != cohort_results.members_hash(ids):
        cohort_results.check_room(store, org_id, coach_id, found, now)
        return None
    cohort_results.viewed(store, kept.id, now)
    return from_json(kept.numbers)


def _shown(kept: Kept, scope: str, first: date, last: date) -> Shown:
    return Shown(
        cohort=None if kept.numbers is None else from_json(kept.numbers),
        scope=scope,
        first=first,
        last=last,
        state="queued" if kept.state == "new" else kept.state,
        as_of=kept.as_of,
        seconds=kept.seconds,
        people=kept.people,
        error=kept.error,
    )


# The computation ---------------------------------------------------------------------------

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_running: list[Future[None]] = []
_here: set[int] = set()  # results queued or computing in this process


def _orphaned(store: Store, result: int) -> bool:
    """With the queue off this process computes everything: a result marked busy that it does
    not know of was cut short (a restart) and is taken on here (True) at once."""
    from jobnudge.services import jobs

    if jobs.queue_on(store):
        return False  # the workers' own recovery, and STUCK_AFTER, look after it
    with _pool_lock:
        if result in _here:
            return False
        _here.add(result)
        return True


def _done_here(result: int) -> None:
    with _pool_lock:
        _here.discard(result)


def start(store: Store, result: int) -> None:
    """Compute ``result`` in the background: a job for the workers with the queue on, else
    this process's own single background thread (one computation at a time)."""
    from jobnudge.services import jobs

    if jobs.queue_on(store):
        jobs.submit(store, "cohort", result=result)
        return
    global _pool
    with _pool_lock:
        _here.add(result)
        if _pool is None:
            _pool = ThreadPoolExecutor(1, thread_name_prefix="jobnudge-cohort")
        _running[:] = [f for f in _running if not f.done()]
        _running.append(_pool.submit(compute, store, result))


def settle(timeout: float = 60.0) -> None:
    """Wait for this process's background computations (tests, and a clean shutdown)."""
    with _pool_lock:
        waiting = list(_running)
    for future in waiting:
        future.result(timeout)


def compute(store: Store, result: int) -> None:
    """The job ``cohort``: compute the numbers of a kept result as of when they were asked for,
    and keep them, with when and over which data. A failure is kept for the page to say (the
    numbers from before stay); the job itself then ends normally, so the queue retries only a
    computation whose worker died."""
    from jobnudge import clock
    from jobnudge.store import cohort_results, orgs

    global computations
    row = cohort_results.claim(store, result, clock.now())
    if row is None:
        _done_here(result)
        return
    began = time.perf_counter()
    try:
        if row.coach_id is None:
            scope, ids = "organisation", orgs.seeker_ids(store, row.org_id)
        else:
            scope, ids = "caseload", seekers_of(store, row.coach_id)
        fingerprint = cohort_results.fingerprint(store, ids)
        numbers = numbers_of(store, ids, scope, row.first, row.last, row.asked_at, row.tz)
        with _pool_lock:
            computations += 1
        cohort_results.finish(
            store,
            result,
            numbers=to_json(numbers),
            as_of=row.asked_at,
            computed_at=clock.now(),
            seconds=round(time.perf_counter() - began, 3),
            people=len(ids),
            fingerprint=fingerprint,
            members=cohort_results.members_hash(ids),
        )
    except Exception:
        log.exception("cohort numbers %s could not be computed", row.key)
        cohort_results.fail(store, result, "The numbers could not be computed; try again.")
    finally:
        _done_here(result)


# Kept as JSON ------------------------------------------------------------------------------


def to_json(cohort: Cohort) -> dict[str, Any]:
    found = asdict(cohort)
    found["start"], found["end"] = cohort.start.isoformat(), cohort.end.isoformat()
    return found


def from_json(data: dict[str, Any]) -> Cohort:
    def cells(rows: list[dict[str, Any]]) -> list[Cell]:
        return [Cell(**row) for row in rows]

    return Cohort(
        scope=data["scope"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        people=data["people"],
        by_channel=cells(data["by_channel"]),
        by_stage=cells(data["by_stage"]),
        by_source=cells(data["by_source"]),
        interviews=Cell(**data["interviews"]),
        closure=cells(data["closure"]),
    )
