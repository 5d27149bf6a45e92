"""Re-planning every job seeker after a playbook change, as queued jobs run by 2 `nudge worker`
processes on PostgreSQL: one job a seeker and jobs of several seekers (``replan_many``), against
a read-only pass, main's code and the one-by-one re-plan, in the same run.

Reproduce (from the repository root):

    .venv/bin/python bench/bench_replan_workers.py                  # 100 seekers x 100 opps
    .venv/bin/python bench/bench_replan_workers.py --seekers 10000 --keep-db replan_bench

The issue's scale is 10,000 seekers with 100 opportunities each (1,000,000 opportunities,
~10,000,000 events). The database is built in bulk: ``--template`` seekers are generated in
Python and written by COPY (``bulkload.Builder``), then copied inside the database under new ids
until there are ``--seekers`` (``bulkload.replicate``: ``INSERT ... SELECT``). With
``--keep-db NAME`` the database is kept and reused by the next run (built only when empty); drop
it with ``dropdb NAME``.

Each round: the playbook setting ``apply_check_in_days`` of every seeker is changed (a real
change), the re-plans are queued through the product path (``services.replanning.replan_many``,
what ``nudge replan --everyone`` calls once it has listed the accounts: one statement for all
the jobs), and two worker processes are started with ``--once``; the time is from the jobs
being queued until both workers have emptied the queue and exited (their start-up included,
~1 s). CPU is measured too: the two workers' user + system time (``os.wait4``) and that of the
PostgreSQL backends serving them (sampled from ``/proc`` while the round runs). Variants,
interleaved round-robin:

- ``replan`` (one job a seeker: ``nudges.refresh_all``, batch paths; ``--per-job 1``);
- ``batch N`` for each N of ``--batches`` (``replan_many`` jobs of N seekers each: one
  transaction a job, the batch's records read together);
- with ``--baseline-src DIR``, one ``replan`` job a seeker run by workers importing the code in
  ``DIR`` first (another checkout's ``src``, e.g. main's): a baseline measured in the same run;
- ``bench.read_only`` (registered here: the same job reading each seeker's settings and records
  as ``refresh_all`` reads them, no planning and no writes): the floor a re-plan cannot beat;
- ``bench.replan_one_by_one`` (registered here: ``refresh`` of each opportunity, as
  ``refresh_all`` was before the batch paths), on the first ``--one-by-one`` seekers only
  (0: left out; it costs ~10x more).

    .venv/bin/python bench/bench_replan_workers.py --seekers 1000 --keep-db replan_k --build-only
    .venv/bin/python bench/bench_replan_workers.py --seekers 1000 --keep-db replan_k \\
        --rounds 3 --one-by-one 0 --batches 20,50 --baseline-src ../main/src

``--only batch`` measures the batched variants alone (e.g. on an existing 10,000-seeker
database: ``--seekers 10000 --keep-db replan_bench --only batch --batches 25 --rounds 1``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulkload import Builder, analyze, chunked, replicate
from common import NOW, machine_lines, pg_database, table
from datagen import make_search
from jobnudge.services import jobs
from jobnudge.store import Store, open_store

ONE_BY_ONE = "bench.replan_one_by_one"
READ_ONLY = "bench.read_only"
BASELINE = "baseline"


def replan_one_by_one(store: Store, owner: int) -> None:
    """The re-plan before the batch paths (the same settings and clock as the ``replan`` job)."""
    from jobnudge import clock
    from jobnudge.services.nudges import refresh, refresh_search

    settings = jobs._settings(store, owner)
    now = clock.now(settings.profile.tz)
    with store.transaction() as tx:
        for opportunity_id in tx.all_opportunity_ids(owner):
            refresh(store, tx, owner, opportunity_id, settings)
        refresh_search(store, tx, owner, settings, now)


def read_only(store: Store, owner: int) -> None:
    """What the ``replan`` job reads (settings, every record ``refresh_all`` reads), no more."""
    from jobnudge.store import batch

    jobs._settings(store, owner)
    with store.transaction() as tx:
        batch.read_user(tx, owner)


jobs.register(ONE_BY_ONE, replan_one_by_one)
jobs.register(READ_ONLY, read_only)


def build(store: Store, seekers: int, opportunities: int, template: int) -> None:
    """``seekers`` searches: ``template`` generated and COPYed, the rest copied in SQL."""
    if seekers % template:
        template = seekers
    start = time.perf_counter()
    generated = [
        make_search(
            900 + i,
            f"seeker{i:05d}",
            opportunities=opportunities,
            start=NOW - timedelta(days=365),
            span_days=365,
            notes_per_opportunity=4.0,
        )
        for i in range(template)
    ]
    builder = Builder(derive_for=lambda u: False)
    with store.engine.begin() as conn:
        before = dict(builder.counters)
        builder.add([conn], chunked(generated, 20))
    made = time.perf_counter() - start
    copies = seekers // template - 1
    if copies:
        with store.engine.begin() as conn:
            replicate([conn], builder, before, copies)
    with store.engine.begin() as conn:
        analyze(conn)
    totals = builder.totals
    print(
        f"- Data: {totals.users:,} seekers, {totals.opportunities:,} opportunities, "
        f"{totals.events:,} events; built in {time.perf_counter() - start:.0f} s "
        f"({template} generated and written by COPY in {made:.0f} s, {copies} copies in SQL)"
    )


class BackendCPU:
    """CPU seconds of the PostgreSQL backends serving the workers (the server processes of
    connections to ``database`` opened after ``start``), sampled from ``/proc`` every
    ``every`` seconds while the round runs: each backend counts its last sample, so the work
    a backend does in its last fraction of a second before it exits is missed."""

    def __init__(self, store: Store, database: str, every: float = 0.25) -> None:
        self.store, self.database, self.every = store, database, every
        self.seen: dict[int, float] = {}
        self.ignore: set[int] = set()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _pids(self) -> list[int]:
        from sqlalchemy import text

        with self.store.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = :db "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                ),
                {"db": self.database},
            )
            return [r[0] for r in rows]

    def _run(self) -> None:
        while not self.done.wait(self.every):
            for pid in self._pids():
                if pid not in self.ignore and (cpu := _cpu_seconds(pid)) is not None:
                    self.seen[pid] = cpu

    def __enter__(self) -> BackendCPU:
        self.ignore = set(self._pids())  # the bench's own connections
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Round:
    jobs: int  # jobs run
    seconds: float  # from queueing to both workers gone
    busy: float  # seconds the workers spent inside jobs (start to success, as recorded)
    worker_cpu: float  # user + system seconds of the two worker processes
    server_cpu: float  # CPU seconds of the PostgreSQL backends serving them


def round_(
    store: Store,
    url: str,
    job: str,
    owners: list[int],
    days: int,
    src: str | None = None,
    per_job: int = 1,
) -> Round:
    """One re-plan of ``owners`` by two workers (running the code in ``src`` when given):
    ``replan`` through the product path, ``per_job`` seekers a job; the bench's own jobs one
    a seeker."""
    from sqlalchemy import update

    from jobnudge.services import replanning  # here: workers of --baseline-src import this file
    from jobnudge.store.tables import users

    # One UPDATE per 1,000 seekers, not a transaction holding every seeker's lock (10,000
    # advisory locks in one transaction overflow PostgreSQL's lock table).
    with store.engine.begin() as conn:
        for start in range(0, len(owners), 1000):
            conn.execute(
                update(users)
                .where(users.c.id.in_(owners[start : start + 1000]))
                .values(settings={"playbook": {"apply_check_in_days": days}})
            )
    paths = [str(Path(__file__).resolve().parent), *sys.path]
    if src is not None:
        paths.insert(0, src)
    env = {**os.environ, jobs.QUEUE_ENV: "on", "PYTHONPATH": os.pathsep.join(paths)}
    database = str(store.engine.url.database)
    command = [sys.executable, "-m", "jobnudge", "--db", url, "worker", "--once"]
    command += ["--jobs-from", "bench_replan_workers"]
    with BackendCPU(store, database) as server:
        start = time.perf_counter()
        if job == "replan":
            replanning.replan_many(store, owners, per_job=per_job)
        else:
            jobs.submit_many(store, job, [{"owner": owner} for owner in owners])
        workers = [
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(2)
        ]
        worker_cpu = 0.0
        for w in workers:
            _pid, _status, usage = os.wait4(w.pid, 0)
            worker_cpu += usage.ru_utime + usage.ru_stime
        seconds = time.perf_counter() - start
    from sqlalchemy import text

    with store.engine.begin() as conn:
        ran = conn.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": jobs.PREFIX + (replanning.JOB if per_job > 1 else job)},
        ).scalar()
        left = conn.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded'")
        ).scalar()
        busy = conn.execute(
            text(
                "SELECT extract(epoch FROM sum(done.at - began.at)) FROM procrastinate_events "
                "began JOIN procrastinate_events done ON done.job_id = began.job_id "
                "WHERE began.type = 'started' AND done.type = 'succeeded'"
            )
        ).scalar()
        conn.execute(text("DELETE FROM procrastinate_events"))
        conn.execute(text("DELETE FROM procrastinate_jobs WHERE status = 'succeeded'"))
    if left:
        raise SystemExit(f"{left} jobs did not succeed")
    return Round(int(ran or 0), seconds, float(busy or 0), worker_cpu, server.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=100)
    parser.add_argument("--opportunities", type=int, default=100, help="per seeker")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each variant")
    parser.add_argument("--template", type=int, default=100, help="seekers generated in Python")
    parser.add_argument(
        "--one-by-one", type=int, default=200, help="seekers re-planned one by one (baseline)"
    )
    parser.add_argument("--keep-db", help="build into (or reuse) this PostgreSQL database")
    parser.add_argument("--build-only", action="store_true", help="build, measure nothing")
    parser.add_argument(
        "--baseline-src",
        help="also run the re-plan with the code in this directory (another checkout's src, "
        "e.g. ../main/src), interleaved, as a same-run baseline",
    )
    parser.add_argument(
        "--batches",
        default="25",
        help="seekers a replan_many job re-plans, a variant each (comma-separated; '' none)",
    )
    parser.add_argument(
        "--only",
        choices=["all", "batch"],
        default="all",
        help="batch: the batched variants alone (no one-job-a-seeker, read-only or baseline)",
    )
    args = parser.parse_args()
    sizes_wanted = [int(n) for n in args.batches.split(",") if n.strip()]
    print("# Re-planning every seeker after a playbook change, 2 workers\n")
    print(*machine_lines(with_pg=True), sep="\n")
    os.environ[jobs.QUEUE_ENV] = "on"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobnudge-bench-")))
        url = stack.enter_context(pg_database(args.keep_db))
        store = open_store(url, data_dir=tmp, now=NOW)
        stack.callback(store.close)
        owners = store.owners()
        if not owners:
            build(store, args.seekers, args.opportunities, min(args.template, args.seekers))
            owners = store.owners()
        else:
            print(f"- Data: the {len(owners):,} seekers already in {args.keep_db}")
        if args.build_only:
            return
        owners = owners[: args.seekers]
        variants: list[tuple[str, str, list[int], str | None, int]] = []
        if args.only == "all":
            variants.append(("replan", "replan", owners, None, 1))
            if args.baseline_src:
                variants.append((BASELINE, "replan", owners, args.baseline_src, 1))
        variants += [(f"batch {n}", "replan", owners, None, n) for n in sizes_wanted]
        if args.only == "all":
            variants.append((READ_ONLY, READ_ONLY, owners, None, 1))
            if args.one_by_one:
                variants.append((ONE_BY_ONE, ONE_BY_ONE, owners[: args.one_by_one], None, 1))
        found: dict[str, list[Round]] = {key: [] for key, *_ in variants}
        loads: list[float] = []
        days = 5
        for n in range(args.rounds):
            shift = n % len(variants)
            for key, job, subset, src, per_job in variants[shift:] + variants[:shift]:
                days = 12 - days  # 5, 7, 5, ...: every round is a change
                done = round_(store, url, job, subset, days, src, per_job)
                found[key].append(done)
                loads.append(os.getloadavg()[0])
                print(
                    f"  {key}: {done.jobs} jobs, {done.seconds:.1f} s, "
                    f"{done.busy:.1f} s in jobs, CPU "
                    f"{done.worker_cpu:.1f} s workers + {done.server_cpu:.1f} s PostgreSQL, "
                    f"load {loads[-1]:.1f}",
                    file=sys.stderr,
                )
    labels = {
        READ_ONLY: "read only (floor), a job a seeker",
        "replan": "a job a seeker (this code)",
        BASELINE: f"a job a seeker ({args.baseline_src})",
        ONE_BY_ONE: "one by one (before the batch paths)",
        **{f"batch {n}": f"{n} seekers a job (replan_many)" for n in sizes_wanted},
    }
    sizes = {key: len(subset) for key, _job, subset, _src, _n in variants}
    floor = READ_ONLY if READ_ONLY in found else next(iter(found))
    base = statistics.median(r.seconds for r in found[floor]) / sizes[floor]
    cpu_base = statistics.median(r.worker_cpu + r.server_cpu for r in found[floor]) / sizes[floor]
    rows: list[list[Any]] = []
    for key, rounds in found.items():
        count = sizes[key]
        median = statistics.median(r.seconds for r in rounds)
        per_seeker = median / count
        client = statistics.median(r.worker_cpu for r in rounds) / count * 1000
        server = statistics.median(r.server_cpu for r in rounds) / count * 1000
        total = statistics.median((r.worker_cpu + r.server_cpu) for r in rounds) / count * 1000
        rows.append(
            [
                labels[key],
                f"{count:,}",
                f"{statistics.median(r.jobs for r in rounds):,.0f}",
                " / ".join(f"{r.seconds:.0f}" for r in rounds),
                f"{per_seeker * 1000:.1f}",
                f"{client:.1f}",
                f"{server:.1f}",
                f"{total:.1f}",
                f"{per_seeker * 10_000 / 60:.1f}",
                f"{total * 10_000 / 1000 / 2 / 60:.1f}",
                f"{per_seeker / base:.2f}×",
                f"{total / 1000 / cpu_base:.2f}×",
                f"{statistics.median(r.busy / (2 * r.seconds) for r in rounds):.0%}",
            ]
        )
    print(
        f"\n{args.opportunities} opportunities a seeker, {args.rounds} rounds of each variant, "
        f"interleaved; load average (1 min) after each round: "
        f"{', '.join(f'{x:.1f}' for x in loads)}\n"
    )
    header = ["re-plan", "seekers", "jobs", "rounds s", "ms per seeker", "worker CPU ms"]
    header += ["PostgreSQL CPU ms", "CPU ms per seeker", "min per 10,000 seekers"]
    header += ["min per 10,000 on 2 idle cores", f"× {labels[floor].split(' (')[0]} (wall)"]
    header += [f"× {labels[floor].split(' (')[0]} (CPU)", "worker time in jobs"]
    print(table(header, rows))
    print(
        "\nms and CPU per seeker: medians over the rounds. Worker CPU is both worker "
        "processes' user + system time (start-up included, ~0.6 s each); PostgreSQL CPU the "
        'backends serving them, sampled from /proc. "min on 2 idle cores" is the CPU '
        "alone spread over both cores: what the machine would take with nothing else running."
    )


if __name__ == "__main__":
    main()
