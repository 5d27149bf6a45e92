"""The job queue's digest tick for a career centre: what one ``remind_tick`` costs when 10,000
accounts are on PostgreSQL, none of them due yet, against reading every account's settings.

Reproduce (from the repository root; needs the PostgreSQL of ``NUDGE_BENCH_PG``):

    .venv/bin/python bench/bench_remind_tick.py                 # 10,000 accounts
    .venv/bin/python bench/bench_remind_tick.py --accounts 1000 --runs 3

A throwaway database ``jobnudge_bench_<hex>`` holds ``--accounts`` users with reminder settings
(New York, e-mail at 08:00 every day); the pinned moment is 03:00 there, so nobody is due and no
job is queued (the queue is off: only the choice is timed). Same run, round-robin, ``--runs``
times each:

- *read settings*: every account's settings read (500 at a time) and parsed: what looking at
  every account costs, the baseline;
- *first look*: ``services.background_jobs.remind_tick`` with no ``job_status`` rows (emptied
  before each run): settings read and parsed, the moment decided, and each account's next look
  written in one transaction;
- *steady tick*: the same tick once every account's next look is known (what each minute costs
  from then on until someone's hour approaches): one query, nothing parsed, nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import machine_lines, pg_database, table  # noqa: E402

MOMENT = "2026-11-24T08:00:00+00:00"  # 03:00 in New York: before anyone's 08:00


def build(url: str, accounts: int) -> None:
    from sqlalchemy import text as sql

    from jobnudge.store import open_store

    store = open_store(url, data_dir=Path("/tmp"))
    document = {
        "profile": {"name": "Bench User", "tz": "America/New_York", "country": "US"},
        "remind": {"channels": ["email"], "hour": 8, "days": "every"},
    }
    with store.engine.begin() as conn:
        conn.execute(
            sql(
                "INSERT INTO users (name, created_at, settings, revision) "
                "SELECT 'user' || n, now(), :doc, 0 FROM generate_series(1, :n) AS n"
            ),
            {"doc": json.dumps(document), "n": accounts},
        )
        conn.execute(sql("ANALYZE users"))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["NUDGE_NOW"] = MOMENT
    os.environ.pop("NUDGE_JOB_QUEUE", None)

    from sqlalchemy import text as sql

    from jobnudge.services import background_jobs
    from jobnudge.services.remind_batch import account_settings
    from jobnudge.store import open_store

    load_before = os.getloadavg()
    with pg_database() as url:
        build(url, args.accounts)
        store = open_store(url, data_dir=Path("/tmp"))

        def read_settings() -> None:
            assert sum(1 for _ in account_settings(store, store.owners())) == args.accounts

        def first_look() -> None:
            with store.engine.begin() as conn:
                conn.execute(sql("DELETE FROM job_status"))
            background_jobs.remind_tick(store)

        def steady() -> None:
            background_jobs.remind_tick(store)

        first_look()
        with store.engine.connect() as conn:
            waiting = conn.execute(sql("SELECT count(*) FROM job_status")).scalar()
        assert waiting == args.accounts, waiting
        funcs = {"read settings": read_settings, "first look": first_look, "steady tick": steady}
        times: dict[str, list[float]] = {name: [] for name in funcs}
        names = list(funcs)
        for i in range(args.runs):
            order = names[i % 3 :] + names[: i % 3]
            for name in order:
                if name == "steady tick" and order.index(name) == 0:
                    first_look()  # the steady tick needs every next look written
                start = time.perf_counter()
                funcs[name]()
                times[name].append(time.perf_counter() - start)
        store.close()
    load_after = os.getloadavg()
    base = statistics.median(times["read settings"])
    rows = [
        (name, f"{statistics.median(v) * 1000:,.1f}", f"{statistics.median(v) / base:.2f}×")
        for name, v in times.items()
    ]
    print("\n".join(machine_lines(with_pg=True)))
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print(f"{args.accounts:,} accounts, {args.runs} runs each, medians\n")
    print(table(("", "ms", "vs read settings"), rows))


if __name__ == "__main__":
    main()
