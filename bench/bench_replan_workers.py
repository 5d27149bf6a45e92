"""Re-planning every job seeker after a playbook change, as queued jobs run by 2 `nudge worker`
processes on PostgreSQL: the batch paths against the one-by-one re-plan, in the same run.

Reproduce (from the repository root; ~5 minutes on a 2-core machine at the default size):

    .venv/bin/python bench/bench_replan_workers.py                  # 60 seekers x 100 opps
    .venv/bin/python bench/bench_replan_workers.py --seekers 10000  # the career centre (slow)

The issue's scale is 10,000 seekers with 100 opportunities each (1,000,000 opportunities,
~10,000,000 events). Building that here takes far longer than minutes, and the one-by-one
re-plan alone would take hours, so the default is ``--seekers 60`` and the time is also given
per 10,000 seekers, extrapolated linearly: each seeker's re-plan is one job that reads and
writes that seeker's rows only, through indexes that start with the owner.

Each round: the playbook setting ``apply_check_in_days`` of every seeker is changed (a real
change), one job per seeker is queued (``services.jobs.submit``), and two worker processes are
started with ``--once``; the time is from the first job queued until both workers have emptied
the queue and exited (their start-up included, ~1 s). Rounds alternate the variants:

- ``replan`` (the product's job: ``nudges.refresh_all``, batch paths);
- ``bench.replan_one_by_one`` (registered from this file: ``refresh`` of each opportunity, as
  ``refresh_all`` was before the batch paths).
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

from bulkload import Builder, analyze, chunked
from common import NOW, machine_lines, pg_database, table
from datagen import make_search
from jobnudge.services import jobs
from jobnudge.store import Store, open_store

ONE_BY_ONE = "bench.replan_one_by_one"


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


jobs.register(ONE_BY_ONE, replan_one_by_one)


def round_(store: Store, url: str, job: str, owners: list[int], days: int) -> float:
    for owner in owners:
        with store.transaction() as tx:
            tx.set_user_settings(owner, {"playbook": {"apply_check_in_days": days}})
    env = {
        **os.environ,
        jobs.QUEUE_ENV: "on",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent), *sys.path]),
    }
    start = time.perf_counter()
    for owner in owners:
        jobs.submit(store, job, owner=owner)
    command = [sys.executable, "-m", "jobnudge", "--db", url, "worker", "--once"]
    command += ["--jobs-from", "bench_replan_workers"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    for w in workers:
        w.wait(3600)
    seconds = time.perf_counter() - start
    with store.engine.connect() as conn:
        from sqlalchemy import text

        left = conn.execute(
            text("SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded'")
        ).scalar()
    if left:
        raise SystemExit(f"{left} jobs did not succeed")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seekers", type=int, default=60)
    parser.add_argument("--opportunities", type=int, default=100, help="per seeker")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each variant")
    args = parser.parse_args()
    print("# Re-planning every seeker after a playbook change, 2 workers\n")
    print(*machine_lines(with_pg=True), sep="\n")
    os.environ[jobs.QUEUE_ENV] = "on"
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobnudge-bench-")))
        url = stack.enter_context(pg_database())
        store = open_store(url, data_dir=tmp, now=NOW)
        stack.callback(store.close)
        start = time.perf_counter()
        generated = [
            make_search(
                900 + i,
                f"seeker{i:05d}",
                opportunities=args.opportunities,
                start=NOW - timedelta(days=365),
                span_days=365,
                notes_per_opportunity=4.0,
            )
            for i in range(args.seekers)
        ]
        builder = Builder(derive_for=lambda u: False)
        with store.engine.begin() as conn:
            builder.add([conn], chunked(generated, 20))
        with store.engine.begin() as conn:
            analyze(conn)
        totals = builder.totals
        print(
            f"- Data: {totals.users} seekers, {totals.opportunities:,} opportunities, "
            f"{totals.events:,} events; built in {time.perf_counter() - start:.0f} s"
        )
        owners = store.owners()
        times: dict[str, list[float]] = {"replan": [], ONE_BY_ONE: []}
        days = 5
        for n in range(args.rounds):
            order = ["replan", ONE_BY_ONE] if n % 2 == 0 else [ONE_BY_ONE, "replan"]
            for job in order:
                days = 12 - days  # 5, 7, 5, ...: every round is a change
                seconds = round_(store, url, job, owners, days)
                times[job].append(seconds)
                print(f"  {job}: {seconds:.1f} s", file=sys.stderr)
    rows: list[list[Any]] = []
    after = statistics.median(times["replan"])
    for job, label in ((ONE_BY_ONE, "one by one (before)"), ("replan", "batch paths (after)")):
        median = statistics.median(times[job])
        per_seeker = median / args.seekers
        rows.append(
            [
                label,
                f"{median:.1f}",
                f"{per_seeker * 1000:.0f}",
                f"{median / (args.seekers * args.opportunities) * 1000:.2f}",
                f"{per_seeker * 10_000 / 60:.1f}",
                f"{median / after:.1f}×",
            ]
        )
    print(
        f"\n{args.seekers} seekers x {args.opportunities} opportunities, median of "
        f"{args.rounds} rounds each, interleaved\n"
    )
    header = ["re-plan", "wall s", "ms per seeker", "ms per opp", "min per 10,000 seekers"]
    print(table([*header, "ratio to after"], rows))


if __name__ == "__main__":
    main()
