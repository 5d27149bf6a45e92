"""The job queue with real parts: two `nudge worker` processes on one PostgreSQL database.

One worker is killed (SIGKILL) in the middle of a job; the other takes the job up once the dead
worker's heartbeat is stale, and the job's writes are there exactly once. A job that always
fails stops after its bounded attempts. A re-plan submitted as a job is run by a worker. Without
the queue (SQLite, the default) ``submit`` runs the job right away.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from jobnudge.services import jobs
from jobnudge.store import Store, open_store

pytestmark = pytest.mark.postgres

JOB_MODULE = '''
"""Jobs for the queue test: each writes one row in one transaction."""
import os
import time
from pathlib import Path

from sqlalchemy import text

from jobnudge.services import jobs

ADD = "INSERT INTO job_runs (pid, what) VALUES (:p, :w)"


def slow(store, marker: str, seconds: float) -> None:
    """The first run says it started and then dawdles inside its transaction."""
    with store.engine.begin() as conn:
        conn.execute(text(ADD), {"p": os.getpid(), "w": "slow"})
        if not Path(marker).exists():
            Path(marker).write_text(str(os.getpid()))
            time.sleep(seconds)


def always_fails(store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(ADD), {"p": os.getpid(), "w": "fail"})
    raise RuntimeError("this job always fails")


jobs.register("test.slow", slow, attempts=3, lock_by=None)
jobs.register("test.always_fails", always_fails, attempts=2, lock_by=None)
'''


def _until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _scalar(store: Store, sql: str) -> object:
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


@pytest.fixture
def queue_db(
    make_pg_database: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Store]]:
    url = make_pg_database()
    store = open_store(url, data_dir=tmp_path / "data")  # migration 0011 makes the queue
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE job_runs (pid integer, what text)"))
    (tmp_path / "queuejobs.py").write_text(textwrap.dedent(JOB_MODULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), *sys.path]))
    monkeypatch.setenv(jobs.QUEUE_ENV, "on")
    import queuejobs  # noqa: F401  (registers the test jobs here too)

    try:
        yield url, store
    finally:
        store.close()


def _worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    # A worker keeps the database's clock, as PostgreSQL does in the moved-clock run: the
    # queue schedules retries by comparing the two (servers agree on the time in practice).
    env = {k: v for k, v in os.environ.items() if k != "NUDGE_MOVED_CLOCK"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jobnudge",
                "--db",
                url,
                "worker",
                "--jobs-from",
                "queuejobs",
                "--heartbeat",
                "0.5",
                "--stalled",
                "3",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )


def test_two_workers_a_killed_one_and_each_job_once(
    queue_db: tuple[str, Store], tmp_path: Path
) -> None:
    url, store = queue_db
    assert _scalar(store, "SELECT count(*) FROM procrastinate_jobs") == 0
    workers = [_worker(url, tmp_path / f"worker{n}.log") for n in (1, 2)]
    try:
        _until(
            lambda: _scalar(store, "SELECT count(*) FROM procrastinate_workers") == 2,
            60,
            "two workers",
        )
        marker = tmp_path / "started"
        job_id = jobs.submit(store, "test.slow", marker=str(marker), seconds=120)
        assert job_id is not None
        _until(marker.exists, 30, "the job to start")
        first = int(marker.read_text())
        victim = next(w for w in workers if w.pid == first)
        survivor = next(w for w in workers if w.pid != first)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)

        def done() -> bool:
            return _scalar(store, f"SELECT status FROM procrastinate_jobs WHERE id = {job_id}") == (
                "succeeded"
            )

        _until(done, 60, "the job to be taken up again and finish")
        with store.engine.connect() as conn:
            runs = conn.execute(text("SELECT pid FROM job_runs WHERE what = 'slow'")).all()
        assert [r.pid for r in runs] == [survivor.pid]  # the killed run left nothing
        assert (
            _scalar(store, f"SELECT attempts FROM procrastinate_jobs WHERE id = {job_id}") == 2
        )  # killed + done

        failing = jobs.submit(store, "test.always_fails")

        def failed() -> bool:
            return (
                _scalar(store, f"SELECT status FROM procrastinate_jobs WHERE id = {failing}")
                == "failed"
            )

        _until(failed, 60, "the failing job to give up")
        assert _scalar(store, "SELECT count(*) FROM job_runs WHERE what = 'fail'") == 2

        owner = store.ensure_user("queue-user")
        replan = jobs.submit(store, "replan", owner=owner)
        _until(
            lambda: (
                _scalar(store, f"SELECT status FROM procrastinate_jobs WHERE id = {replan}")
                == "succeeded"
            ),
            60,
            "the re-plan job",
        )
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(20)
            except subprocess.TimeoutExpired:
                w.kill()
                w.wait(5)
    assert survivor.returncode == 0, (tmp_path / "worker1.log").read_text() + (
        tmp_path / "worker2.log"
    ).read_text()


def test_without_the_queue_a_job_runs_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(jobs.QUEUE_ENV, raising=False)
    seen: list[int] = []
    jobs.register("test.here", lambda store, owner: seen.append(owner))
    store = open_store(None, data_dir=tmp_path / "data")
    try:
        assert jobs.submit(store, "test.here", owner=7) is None
        assert seen == [7]
        monkeypatch.setenv(jobs.QUEUE_ENV, "on")
        from jobnudge.errors import ConfigError

        with pytest.raises(ConfigError, match="needs a PostgreSQL database"):
            jobs.submit(store, "test.here", owner=8)
        assert seen == [7]
    finally:
        store.close()


def test_many_replans_are_queued_at_once_each_locked_to_its_user(
    queue_db: tuple[str, Store],
) -> None:
    """A playbook change re-plans every user: ``submit_many`` records one job each, in one
    statement, each holding its user's lock (two jobs of one user never run together)."""
    _url, store = queue_db
    owners = [store.ensure_user(f"seeker {n}") for n in range(3)]
    made = jobs.submit_many(store, "replan", [{"owner": o} for o in owners])
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT task_name, args, lock, status FROM procrastinate_jobs ORDER BY id")
        ).all()
    assert made == 3
    assert [tuple(r) for r in rows] == [
        ("jobnudge.replan", {"owner": o}, f"owner:{o}", "todo") for o in owners
    ]
    assert jobs.submit_many(store, "replan", []) == 0


def test_a_settings_change_is_queued_as_a_replan_job(queue_db: tuple[str, Store]) -> None:
    """With the queue on and settings kept in the database, the page does not re-plan itself:
    a `replan` job for that user is waiting for the workers (no worker runs in this test)."""
    from jobnudge.config import Settings
    from jobnudge.services import nudges
    from jobnudge.services.session import Session
    from tests.pinned import PINNED_NOW

    _url, store = queue_db
    owner = store.ensure_user("settings-user")
    session = Session(store, Settings(), owner, PINNED_NOW)
    assert nudges.replan_after_settings(session, settings_stored=True) == 0
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT task_name, args, status FROM procrastinate_jobs")).all()
    assert [(r.task_name, r.args, r.status) for r in rows] == [
        ("jobnudge.replan", {"owner": owner}, "todo")
    ]
    assert nudges.replan_after_settings(session, settings_stored=False) == 0  # ran here
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar() == 1

    # Periodic work submitted by every web worker's loop: one waiting copy per user at most.
    jobs.register("test.periodic", lambda store, owner: None, one_waiting=True)
    first = jobs.submit(store, "test.periodic", owner=owner)
    assert first is not None
    assert jobs.submit(store, "test.periodic", owner=owner) is None
    assert jobs.submit(store, "test.periodic", owner=owner + 1) is not None


def test_fetching_a_job_with_thousands_waiting_reads_little(queue_db: tuple[str, Store]) -> None:
    """10,000 re-plans waiting once made each fetch read every waiting job for every other
    (seconds a job): the lock index and statistics refreshed by ``submit_many`` keep a fetch
    to a few pages whatever waits."""
    _url, store = queue_db
    made = jobs.submit_many(store, "replan", [{"owner": o} for o in range(1, 3_001)])
    assert made == 3_000
    with store.engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")
        plan = conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
            "SELECT * FROM procrastinate_fetch_job_v2(ARRAY['jobnudge']::varchar[], NULL)"
        ).scalar()
        conn.exec_driver_sql("ROLLBACK")
    node = plan[0]["Plan"]
    assert node["Actual Rows"] == 1
    pages = node["Shared Hit Blocks"] + node["Shared Read Blocks"]
    assert pages < 1_000, f"fetching one of 3,000 waiting jobs read {pages} pages"
