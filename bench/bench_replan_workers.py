"""Re-planning every job seeker after a playbook change, as queued jobs run by 2 `nudge worker`
processes on PostgreSQL: the batch re-plan against a read-only pass and the one-by-one re-plan,
in the same run.

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
change), one job per seeker is queued in one statement (``services.jobs.submit_many``), and two
worker processes are started with ``--once``; the time is from the jobs being queued until both
workers have emptied the queue and exited (their start-up included, ~1 s). Variants, interleaved
round-robin:

- ``replan`` (the product's job: ``nudges.refresh_all``, batch paths);
- ``bench.read_only`` (registered here: the same job reading each seeker's settings and records
  as ``refresh_all`` reads them, no planning and no writes): the floor a re-plan cannot beat;
- ``bench.replan_one_by_one`` (registered here: ``refresh`` of each opportunity, as
  ``refresh_all`` was before the batch paths), on the first ``--one-by-one`` seekers only when
  the run is large (it costs ~10x more).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
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


def round_(store: Store, url: str, job: str, owners: list[int], days: int) -> tuple[float, float]:
    """Seconds from queueing to both workers gone, and seconds the workers spent inside jobs
    (from each job's start to its success, as the queue recorded them)."""
    with store.transaction() as tx:
        for owner in owners:
            tx.set_user_settings(owner, {"playbook": {"apply_check_in_days": days}})
    env = {
        **os.environ,
        jobs.QUEUE_ENV: "on",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent), *sys.path]),
    }
    start = time.perf_counter()
    jobs.submit_many(store, job, [{"owner": owner} for owner in owners])
    command = [sys.executable, "-m", "jobnudge", "--db", url, "worker", "--once"]
    command += ["--jobs-from", "bench_replan_workers"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    for w in workers:
        w.wait(6 * 3600)
    seconds = time.perf_counter() - start
    from sqlalchemy import text

    with store.engine.begin() as conn:
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
    return seconds, float(busy or 0)


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
    args = parser.parse_args()
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
        subsets = {"replan": owners, READ_ONLY: owners, ONE_BY_ONE: owners[: args.one_by_one]}
        times: dict[str, list[float]] = {job: [] for job in subsets}
        inside: dict[str, list[float]] = {job: [] for job in subsets}
        loads: list[float] = []
        days = 5
        for n in range(args.rounds):
            order = list(subsets)
            order = order[n % 3 :] + order[: n % 3]
            for job in order:
                days = 12 - days  # 5, 7, 5, ...: every round is a change
                seconds, busy = round_(store, url, job, subsets[job], days)
                times[job].append(seconds)
                inside[job].append(busy / (2 * seconds))
                loads.append(os.getloadavg()[0])
                print(
                    f"  {job}: {seconds:.1f} s, {busy:.1f} s in jobs, load {loads[-1]:.1f}",
                    file=sys.stderr,
                )
    rows: list[list[Any]] = []
    base = statistics.median(times[READ_ONLY]) / len(subsets[READ_ONLY])
    labels = {
        READ_ONLY: "read only (baseline)",
        "replan": "batch paths (after)",
        ONE_BY_ONE: "one by one (before)",
    }
    for job, label in labels.items():
        count = len(subsets[job])
        median = statistics.median(times[job])
        per_seeker = median / count
        rows.append(
            [
                label,
                f"{count:,}",
                " / ".join(f"{s:.0f}" for s in times[job]),
                f"{median:.1f}",
                f"{per_seeker * 1000:.1f}",
                f"{median / (count * args.opportunities) * 1000:.3f}",
                f"{per_seeker * 10_000 / 60:.1f}",
                f"{per_seeker / base:.1f}×",
                f"{statistics.median(inside[job]):.0%}",
            ]
        )
    print(
        f"\n{args.opportunities} opportunities a seeker, {args.rounds} rounds of each variant, "
        f"interleaved; load average (1 min) after each round: "
        f"{', '.join(f'{x:.1f}' for x in loads)}\n"
    )
    header = ["re-plan", "seekers", "rounds s", "median s", "ms per seeker", "ms per opp"]
    header += ["min per 10,000 seekers", "ratio to read only", "worker time in jobs"]
    print(table(header, rows))


if __name__ == "__main__":
    main()
