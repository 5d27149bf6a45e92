"""Background work as named jobs: run on a PostgreSQL-backed queue when one is configured,
else right away in the calling thread (the SQLite default, and ``nudge serve``'s in-process
background thread, as before).

Why a registry: the server's periodic work (morning digests, per-account mail passes) and the
heavy paths (a re-plan after a settings change, a large import) are written once as plain
functions ``handler(store, **args)``. Whoever schedules them calls :func:`submit`; with the
queue on, the call only records a job and any ``nudge worker`` process, on any machine, runs it
(``services.jobqueue``). A handler must do its writes in one transaction, so that a worker
killed midway leaves nothing half done and the job, taken up again, runs to the end once.

The queue is on when the store is PostgreSQL and ``NUDGE_JOB_QUEUE`` is ``on`` (set it for the
web workers and the worker processes alike; see docs/deploy.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobnudge.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from jobnudge.store import Store

Handler = Callable[..., None]
"""``handler(store, **args)``: args are JSON values (ids, names, paths), never records."""

QUEUE_ENV = "NUDGE_JOB_QUEUE"
PREFIX = "jobnudge."  # the task names in the queue's tables


@dataclass(frozen=True)
class Job:
    """A registered kind of job."""

    name: str
    handler: Handler
    attempts: int  # runs at most, counting the first, whether it raised or its worker died
    lock_by: str | None  # an argument whose value makes jobs run one at a time (the owner)
    one_waiting: bool = False  # periodic work: a second submit while one waits adds nothing


_JOBS: dict[str, Job] = {}


def register(
    name: str,
    handler: Handler,
    *,
    attempts: int = 3,
    lock_by: str | None = "owner",
    one_waiting: bool = False,
) -> Job:
    """Make ``handler`` runnable as the job ``name`` (registering again replaces it).

    ``lock_by`` names the argument whose equal values never run at the same time (by default
    the user: two jobs for one user wait for each other; jobs for different users run side by
    side). ``attempts`` bounds the runs, so a job that always fails stops being retried."""
    if not name or not name.replace("_", "").replace(".", "").isalnum():
        raise UsageError(f"job name {name!r}: use letters, digits, '_' and '.'.")
    if attempts < 1:
        raise UsageError(f"job {name}: attempts must be 1 or more.")
    job = Job(name, handler, attempts, lock_by, one_waiting)
    _JOBS[name] = job
    return job


def registered() -> dict[str, Job]:
    """Every registered job, by name (the worker makes a queue task of each)."""
    _builtin()
    return dict(_JOBS)


def job(name: str) -> Job:
    _builtin()
    found = _JOBS.get(name)
    if found is None:
        raise UsageError(f"no background job is called {name!r}; known: {', '.join(_JOBS)}.")
    return found


def queue_on(store: Store) -> bool:
    """Whether :func:`submit` records jobs for workers (else it runs them right away)."""
    wanted = os.environ.get(QUEUE_ENV, "").strip().lower()
    if wanted in ("", "0", "off", "no", "false"):
        return False
    if wanted not in ("1", "on", "yes", "true"):
        raise ConfigError(f"{QUEUE_ENV}: {wanted!r} is not on or off; set it to on or off.")
    if store.engine.dialect.name != "postgresql":
        raise ConfigError(
            f"{QUEUE_ENV}=on needs a PostgreSQL database (the queue lives there); this one is "
            f"{store.engine.dialect.name}. Unset {QUEUE_ENV} to run background work in-process."
        )
    return True


def submit(store: Store, name: str, **args: Any) -> int | None:
    """Run the job ``name``: queued for a worker when the queue is on (its id is returned, or
    None when a ``one_waiting`` job of the same kind already waits), else here and now
    (None)."""
    found = job(name)
    if queue_on(store):
        from jobnudge.services import jobqueue

        return jobqueue.defer(store, found, args)
    found.handler(store, **args)
    return None


def submit_many(store: Store, name: str, many: list[dict[str, Any]]) -> int:
    """:func:`submit` for each argument set, over one connection to the queue; how many were
    queued (or run)."""
    found = job(name)
    if not many:
        return 0
    if queue_on(store):
        from jobnudge.services import jobqueue

        return jobqueue.defer_many(store, found, many)
    for args in many:
        found.handler(store, **args)
    return len(many)


# The built-in jobs -----------------------------------------------------------------------


def _settings(store: Store, owner: int) -> Any:
    from jobnudge import config
    from jobnudge.services.preferences import StoredPreferences

    return StoredPreferences(store, config.data_dir() / "cache").settings(owner)


def replan(store: Store, owner: int) -> None:
    """Recompute every follow-up of one user (after their settings or the playbook changed)."""
    from jobnudge import clock
    from jobnudge.services import nudges
    from jobnudge.services.session import Session

    settings = _settings(store, owner)
    nudges.refresh_all(Session(store, settings, owner, clock.now(settings.profile.tz)))


def import_file(
    store: Store,
    owner: int,
    path: str,
    overrides: list[str] | None = None,
    *,
    run: int | None = None,
    mapping_name: str | None = None,
    save_as: str | None = None,
    dates: str | None = None,
    encoding: str | None = None,
) -> None:
    """Import a spreadsheet already on the server (a large upload) for one user, all or
    nothing; with ``run``, its progress and outcome are kept (``services.import_runs``)."""
    from jobnudge import clock
    from jobnudge.services import import_runs, importing
    from jobnudge.services.session import Session

    settings = _settings(store, owner)
    session = Session(store, settings, owner, clock.now(settings.profile.tz))
    if run is None:
        importing.import_file(session, Path(path), overrides=overrides or (), encoding=encoding)
        return
    import_runs.run(
        session,
        run,
        Path(path),
        overrides=overrides or (),
        mapping_name=mapping_name,
        save_as=save_as,
        dates=dates,
        encoding=encoding,
    )


def _builtin() -> None:
    if "replan" not in _JOBS:
        from jobnudge.services import background_jobs as bg
        from jobnudge.services import cohort_kept, replanning

        register("replan", replan)
        # many accounts a job: each locked inside the job's transaction, not by the queue
        register(replanning.JOB, replanning.replan_batch, lock_by=None)
        register("import_file", import_file, attempts=2)
        # periodic: one tick at a time, none piling up behind a slow one
        register("remind_tick", bg.remind_tick, attempts=1, lock_by=None, one_waiting=True)
        register("mail_tick", bg.mail_tick, attempts=1, lock_by=None, one_waiting=True)
        register("remind", bg.remind, attempts=3, one_waiting=True)
        register("mail_pass", bg.mail_pass, attempts=2, one_waiting=True)
        # one computation of a kept result at a time; taken up again if its worker dies
        register("cohort", cohort_kept.compute, attempts=2, lock_by="result", one_waiting=True)
