"""The agenda query for one user while the database grows from 100 to 1,000,000 events.

Reproduce (from the repository root, ~2 minutes on a 2-core machine):

    .venv/bin/python bench/bench_agenda.py
    .venv/bin/python bench/bench_agenda.py --sizes 100,10000 --no-postgres   # a quick look

One SQLite file (in a temporary directory) and one throwaway PostgreSQL database
(``jobnudge_bench_<hex>``, dropped at the end; server from ``NUDGE_BENCH_PG``, default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) grow in steps to each size of
``--sizes`` (total events across all users). The measured user, "measured", is written first and
never changes: 30 opportunities found over the last 45 days (89 events), its nudges computed by
the real playbook. The other users are searches that started up to three years ago, with
plausible nudges (see ``datagen.plausible_nudges``). A step adding more than ~100,000 events
generates about 100,000 of them and copies that block of users inside the database under new
ids and names until the size is reached (``bulkload.replicate``; ``--no-replicate`` generates
everything instead).

At each size, four ways of reading the measured user's 7-day agenda are timed, each
interleaved with a baseline on the same path and the same database, a primary-key point lookup
(``SELECT name FROM users WHERE id = ?``):

- ``Store.agenda_rows``: what ``nudge`` uses on PostgreSQL (pooled connection, BEGIN, the
  SQLAlchemy statement, rows converted to ``AgendaRow``); baseline: the point lookup through
  ``store.engine.connect()``.
- ``fastread.agenda_rows``: what ``nudge today`` uses on SQLite (opens the file with
  :mod:`sqlite3`, finds the user by name, runs the statement, closes); baseline: open the file
  the same way (``fastread._connect``), point lookup, close.
- ``agenda_select`` on an open connection: the statement alone; baseline: the point lookup on
  the same connection.

The ratio (agenda / baseline) staying put while the database grows 10,000-fold is the claim.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import select, text

from bulkload import (
    Builder,
    analyze,
    chunked,
    replicate,
)
from common import (  # bench/ is not a package
    NOW,
    Stats,
    interleaved,
    machine_lines,
    ms,
    pg_database,
    table,
)
from datagen import (
    UserSearch,
    make_search,
)
from jobnudge.store import Store, fastread, open_store
from jobnudge.store.reads import agenda_select
from jobnudge.store.tables import users

MEASURED = "measured"
UNTIL = NOW + timedelta(days=7)  # `nudge today` looks a week ahead
CHUNK = 200  # users per chunk: ids are interleaved in time order within a chunk
TEMPLATE = 100_000  # beyond this many new events, generate ~this many and copy them in SQL


def measured_user() -> UserSearch:
    return make_search(6, MEASURED, opportunities=30, start=NOW - timedelta(days=45), span_days=45)


def others(seed: int = 20261122) -> Iterator[UserSearch]:
    """Endless other users: 10-60 opportunities each, searches started up to 3 years ago."""
    rng = random.Random(seed)
    for i in range(10**9):
        yield make_search(
            seed + i + 1,
            f"user{i:07d}",
            opportunities=rng.randint(10, 60),
            start=NOW - timedelta(days=rng.uniform(0, 3 * 365)),
            span_days=90,
        )


def take_until(stream: Iterator[UserSearch], events: int) -> Iterator[UserSearch]:
    """Users from ``stream`` until they hold ``events`` events; the last one loses opportunities
    (and contact-only events) from the end so that the total lands close to ``events``."""
    total = 0
    while total < events:
        user = next(stream)
        left = events - total
        while user.event_count > left and user.opps:
            user.opps.pop()
        while user.event_count > left and user.loose:
            user.loose.pop()
        total += user.event_count
        yield user


class Backend:
    def __init__(self, name: str, store: Store) -> None:
        self.name = name
        self.store = store


def paths(
    backend: Backend, owner: int
) -> list[tuple[str, Callable[[], object], Callable[[], object]]]:
    """(label, agenda call, baseline call) for each way of reading the agenda."""
    store = backend.store
    point = select(users.c.name).where(users.c.id == owner)

    def store_agenda() -> object:
        return store.agenda_rows(owner, UNTIL, NOW)

    def store_point() -> object:
        with store.engine.connect() as conn:
            return conn.execute(point).scalar_one()

    out = [
        ("Store.agenda_rows", store_agenda, store_point),
    ]
    path = store.sqlite_path
    if path is not None:

        def fast_agenda() -> object:
            return fastread.agenda_rows(path, MEASURED, UNTIL, NOW)

        def fast_point() -> object:
            connection = fastread._connect(path)
            try:
                return connection.execute(
                    "SELECT name FROM users WHERE id = ?", (owner,)
                ).fetchone()
            finally:
                connection.close()

        out.append(("fastread.agenda_rows", fast_agenda, fast_point))
    held = store.engine.connect()
    statement = agenda_select(owner, UNTIL, NOW)

    def held_agenda() -> object:
        return held.execute(statement).all()

    def held_point() -> object:
        return held.execute(point).scalar_one()

    out.append(("agenda_select, open connection", held_agenda, held_point))
    backend.held = held  # type: ignore[attr-defined]  # closed by the caller
    return out


def plan_text(backend: Backend, owner: int) -> str:
    with backend.store.engine.connect() as conn:
        compiled = agenda_select(owner, UNTIL, NOW).compile(
            dialect=conn.dialect, compile_kwargs={"literal_binds": True}
        )
        if backend.name == "sqlite":
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
            return "\n".join(str(r[-1]) for r in rows)
        rows = conn.execute(text(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {compiled}")).all()
        return "\n".join(str(r[0]) for r in rows)


def size_of(backend: Backend) -> str:
    path = backend.store.sqlite_path
    if path is not None:
        return f"{path.stat().st_size / 2**20:.0f} MiB"
    with backend.store.engine.connect() as conn:
        size = conn.scalar(text("SELECT pg_database_size(current_database())"))
    return f"{int(size or 0) / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,1000000", help="total events per step")
    parser.add_argument("--runs", type=int, default=400, help="timed calls per path and size")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--no-replicate",
        action="store_true",
        help="generate every user in Python instead of copying blocks of ~100k events in SQL "
        "(same sizes, ~5 times slower to build)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print("# Agenda query vs. database size\n")
    print(*machine_lines(with_pg=not args.no_postgres), sep="\n")
    print(f"- Runs: {args.runs} timed calls per path and size, interleaved with the baseline\n")

    results: list[list[object]] = []
    loads: list[list[object]] = []
    plans: dict[str, str] = {}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobnudge-bench-")))
        backends = [Backend("sqlite", open_store(None, data_dir=tmp, now=NOW))]
        if not args.no_postgres:
            url = stack.enter_context(pg_database())
            backends.append(Backend("postgresql", open_store(url, data_dir=tmp, now=NOW)))
        for b in backends:
            stack.callback(b.store.close)
        builder = Builder(derive_for=lambda u: u.name == MEASURED)
        stream = others()
        first = [measured_user()]
        for size in sizes:
            start = time.perf_counter()
            wanted = size - builder.totals.events - sum(u.event_count for u in first)
            copies = 0 if args.no_replicate else max(1, round(wanted / TEMPLATE)) - 1
            batch = first + list(take_until(stream, wanted // (copies + 1)))
            first = []
            with ExitStack() as tx:
                conns = [tx.enter_context(b.store.engine.begin()) for b in backends]
                before = dict(builder.counters)
                builder.add(conns, chunked(batch, CHUNK))
                if copies:
                    replicate(conns, builder, before, copies)
            for b in backends:
                with b.store.engine.begin() as conn:
                    analyze(conn)
                if b.name == "sqlite":
                    with b.store.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            built = time.perf_counter() - start
            totals = builder.totals
            loads.append(
                [
                    f"{totals.events:,}",
                    f"{totals.users:,}",
                    f"{totals.opportunities:,}",
                    f"{totals.nudges:,}",
                    *(size_of(b) for b in backends),
                    f"{built:.0f} s",
                ]
            )
            print(f"built {totals.events:,} events in {built:.0f} s", file=sys.stderr)
            for b in backends:
                owner = b.store.find_user(MEASURED)
                assert owner is not None
                for label, agenda, baseline in paths(b, owner):
                    stats = interleaved({"agenda": agenda, "baseline": baseline}, args.runs)
                    rows = len(agenda())  # type: ignore[arg-type]
                    results.append(row(b.name, totals.events, label, rows, stats))
                b.held.close()  # type: ignore[attr-defined]
                if size == sizes[-1]:
                    plans[b.name] = plan_text(b, owner)

    header = ["backend", "total events", "path", "rows", "median ms", "p90 ms"]
    header += ["baseline median ms", "ratio"]
    print("\n## Results\n")
    print(table(header, results))
    print("\n## Databases\n")
    names = [f"{b.name} size" for b in backends]
    print(table(["events", "users", "opportunities", "nudges", *names, "build"], loads))
    for name, plan in plans.items():
        print(f"\n## Plan at {sizes[-1]:,} events ({name})\n\n```\n{plan}\n```")


def row(backend: str, events: int, label: str, rows: int, stats: dict[str, Stats]) -> list[object]:
    agenda, base = stats["agenda"], stats["baseline"]
    return [
        backend,
        f"{events:,}",
        label,
        rows,
        ms(agenda.median),
        ms(agenda.p90),
        ms(base.median),
        f"{agenda.median / base.median:.1f}×",
    ]


if __name__ == "__main__":
    main()
