"""The PostgreSQL job queue behind ``services.jobs``, built on Procrastinate.

Why Procrastinate: it keeps jobs in the same PostgreSQL database as everything else (no broker
to run), hands each job to one worker (``SELECT ... FOR UPDATE SKIP LOCKED``), wakes workers
with LISTEN/NOTIFY, retries a failed job a bounded number of times, and records each worker's
heartbeat. What it leaves to the application is taking up the job of a worker that died (power
cut, ``kill -9``, out of memory): here every worker also looks, every ``check`` seconds, for
jobs still marked as running by a worker whose heartbeat stopped ``stalled`` seconds ago, and
puts them back in the queue, or marks them failed once they had all their attempts.

Its tables come from Procrastinate's own schema, applied by migration 0011 on PostgreSQL (or by
``nudge worker --init``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from jobnudge.errors import ConfigError

if TYPE_CHECKING:
    from procrastinate import App

    from jobnudge.services.jobs import Job
    from jobnudge.store import Store

log = logging.getLogger("jobnudge.jobs")

QUEUE = "jobnudge"


def conninfo(url: str) -> str:
    """The libpq address of a SQLAlchemy PostgreSQL URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise ConfigError(
            "The job queue needs a PostgreSQL database; give --db postgresql://... "
            "(SQLite runs background work inside `nudge serve`)."
        )
    return str(parsed.set(drivername="postgresql").render_as_string(hide_password=False))


LOCK_INDEX = (
    "CREATE INDEX IF NOT EXISTS procrastinate_jobs_lock_waiting ON procrastinate_jobs "
    "(lock, priority, id) WHERE status IN ('todo', 'doing')"
)
"""Fetching a job asks, for each waiting job, whether an earlier one holds its lock (the user
for a re-plan); Procrastinate's indexes answer that by scanning every waiting job, so with
10,000 re-plans waiting each fetch took seconds. Also made by migration 0017."""

ANALYZE_AFTER = 200
"""Queueing this many jobs at once refreshes the table's statistics: planned on the counts of
an empty table, the fetch checks every waiting job against every other (seconds at 10,000)."""


def schema_sql() -> str:
    """Procrastinate's schema (tables, types, functions, triggers) and the lock index, as one
    SQL script."""
    from procrastinate.schema import SchemaManager

    return f"{SchemaManager.get_schema()}\n;\n{LOCK_INDEX};\n"


def store_url(store: Store) -> str:
    """The store's database URL, password included (for the queue's own connections)."""
    return str(store.engine.url.render_as_string(hide_password=False))


def has_schema(store: Store) -> bool:
    from sqlalchemy import inspect

    return "procrastinate_jobs" in inspect(store.engine).get_table_names()


def init_schema(store: Store) -> bool:
    """Create the queue's tables when they are missing; True when it created them."""
    if has_schema(store):
        return False
    with store.engine.begin() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(schema_sql())  # no parameters: the script holds literal '%' signs
        finally:
            cursor.close()
    return True


def make_app(
    url: str,
    jobs: Iterable[Job],
    *,
    sync: bool = False,
    periodic: Mapping[str, float] | None = None,
) -> App:
    """A Procrastinate app on ``url`` with a task for each registered job; the jobs named in
    ``periodic`` are also deferred every so many seconds, once across all workers (the
    database keeps one defer per task and tick)."""
    from procrastinate import App, PsycopgConnector, RetryStrategy, SyncPsycopgConnector

    info = conninfo(url)
    connector: Any = (
        SyncPsycopgConnector(conninfo=info) if sync else PsycopgConnector(conninfo=info)
    )
    app = App(connector=connector)
    every = dict(periodic or {})
    for job in jobs:
        task = app.task(
            name=_task_name(job.name),
            queue=QUEUE,
            pass_context=False,
            retry=RetryStrategy(max_attempts=job.attempts - 1, wait=1, exponential_wait=2)
            if job.attempts > 1
            else False,
        )(_runner(url, job))
        if job.name in every:
            key = _task_name(job.name)
            app.periodic(
                cron=cron(every[job.name]), periodic_id=job.name, lock=key, queueing_lock=key
            )(task)
    return app


STEPS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)


def cron(seconds: float) -> str:
    """A cron line (seconds in the sixth column) for about every ``seconds``: the nearest
    step at or above that divides a minute or an hour, up to daily."""
    import math

    whole = max(1, math.ceil(seconds))
    if whole < 60:
        step = next((s for s in STEPS if s >= whole), 60)
        if step < 60:
            return f"* * * * * */{step}"
    minutes = max(1, math.ceil(whole / 60))
    if minutes < 60:
        step = next((s for s in STEPS if s >= minutes), 60)
        if step < 60:
            return f"*/{step} * * * *"
    hours = max(1, math.ceil(minutes / 60))
    step = next((s for s in (1, 2, 3, 4, 6, 8, 12) if s >= hours), 24)
    return f"0 */{step} * * *" if step < 24 else "0 0 * * *"


def _task_name(name: str) -> str:
    from jobnudge.services.jobs import PREFIX

    return PREFIX + name


def _runner(url: str, job: Job) -> Any:
    """The coroutine a worker runs for one job: the handler on a thread with its own store."""

    async def run(**args: Any) -> None:
        args.pop("timestamp", None)  # a periodic job's tick: the handler reads the clock
        await asyncio.to_thread(_run_sync, url, job, args)

    run.__name__ = run.__qualname__ = job.name.replace(".", "_")
    return run


_stores: dict[str, Store] = {}
_opening = threading.Lock()  # jobs run on several threads (--concurrency): one store each URL


def _run_sync(url: str, job: Job, args: dict[str, Any]) -> None:
    from jobnudge import config
    from jobnudge.store import open_store

    with _opening:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = open_store(url, data_dir=config.data_dir())
    job.handler(store, **args)


def _configured(task: Any, job: Job, args: dict[str, Any]) -> Any:
    lock = None
    if job.lock_by is not None and job.lock_by in args:
        lock = f"{job.lock_by}:{args[job.lock_by]}"
    waiting = f"{job.name}:{lock or ''}" if job.one_waiting else None
    return task.configure(lock=lock, queueing_lock=waiting)


def defer(store: Store, job: Job, args: dict[str, Any]) -> int | None:
    """Record a job for the workers; its id (None: a ``one_waiting`` job already waits)."""
    from procrastinate.exceptions import AlreadyEnqueued

    app = make_app(store_url(store), [job], sync=True)
    with app.open():
        task = app.tasks[_task_name(job.name)]
        try:
            return int(_configured(task, job, args).defer(**args))
        except AlreadyEnqueued:
            return None


def defer_many(store: Store, job: Job, many: Iterable[dict[str, Any]]) -> int:
    """:func:`defer` for each argument set over one connection; how many were recorded.

    Jobs that may wait side by side (no ``one_waiting``: a re-plan of every user after a
    playbook change) go in one statement, not one round trip each; the others one by one, as
    a batch fails whole when one of them already waits."""
    from procrastinate.exceptions import AlreadyEnqueued

    app = make_app(store_url(store), [job], sync=True)
    made = 0
    with app.open():
        task = app.tasks[_task_name(job.name)]
        if not job.one_waiting:
            jobs = [_configured(task, job, args).make_new_job(**args) for args in many]
            made = len(app.job_manager.batch_defer_jobs(jobs)) if jobs else 0
            if made >= ANALYZE_AFTER:
                with store.engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE procrastinate_jobs")
            return made
        for args in many:
            try:
                _configured(task, job, args).defer(**args)
            except AlreadyEnqueued:
                continue
            made += 1
    return made


async def _reap(app: App, attempts: dict[str, int], check: float, stalled: float) -> None:
    """Put back in the queue the jobs of workers whose heartbeat stopped."""
    from procrastinate import exceptions
    from procrastinate.jobs import Status

    while True:
        await asyncio.sleep(check)
        try:
            found = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled)
        except Exception as exc:  # the database is away: try again next time
            log.warning("jobs: cannot look for stalled jobs: %s", exc)
            continue
        for stuck in found:
            try:
                if stuck.attempts + 1 >= attempts.get(stuck.task_name, 1):
                    log.warning("jobs: %s #%s failed: its worker died", stuck.task_name, stuck.id)
                    await app.job_manager.finish_job(stuck, Status.FAILED, delete_job=False)
                else:
                    log.info(
                        "jobs: %s #%s taken up again: its worker died", stuck.task_name, stuck.id
                    )
                    # At once by the database's clock, which every worker shares (a
                    # worker's own clock may run ahead and defer the job for that long).
                    row = await app.connector.execute_query_one_async("SELECT now() AS now")
                    await app.job_manager.retry_job(stuck, retry_at=row["now"])
            except exceptions.ProcrastinateException as exc:  # another worker was first
                log.debug("jobs: %s #%s already handled: %s", stuck.task_name, stuck.id, exc)


async def work(
    url: str,
    jobs: Iterable[Job],
    *,
    concurrency: int = 1,
    heartbeat: float = 10.0,
    stalled: float = 30.0,
    check: float = 15.0,
    wait: bool = True,
    periodic: Mapping[str, float] | None = None,
) -> None:
    """Run a worker until interrupted (or, with ``wait`` False, until the queue is empty);
    ``periodic`` names the jobs deferred every so many seconds (see :func:`make_app`)."""
    listed = list(jobs)
    app = make_app(url, listed, periodic=periodic)
    attempts = {_task_name(j.name): j.attempts for j in listed}
    async with app.open_async():
        reaper = asyncio.create_task(_reap(app, attempts, check, stalled), name="jobnudge-reap")
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                concurrency=concurrency,
                wait=wait,
                update_heartbeat_interval=heartbeat,
                stalled_worker_timeout=stalled,
                install_signal_handlers=True,
            )
        finally:
            reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reaper
