"""Recomputing every user's nudges after a settings change: time per 100,000 opportunities.

Reproduce (from the repository root; ~3-4 minutes on a 2-core machine for SQLite, as many
again for PostgreSQL):

    .venv/bin/python bench/bench_replan.py               # SQLite
    .venv/bin/python bench/bench_replan.py --postgres    # SQLite and PostgreSQL
    .venv/bin/python bench/bench_replan.py --users 100 --runs 100   # the full 100,000 (slow)

Builds a SQLite file (and with ``--postgres`` a throwaway PostgreSQL database,
``jobnudge_bench_<hex>``) holding ``--users`` users × ``--opportunities`` opportunities
(default 12 × 1,000) found over the last year, ~10 events each (the usual stories plus notes),
written in bulk, and one small user (20 opportunities) for an untimed warm-up round of every
variant. Then, ``--runs`` times
(each on the next user, so every run reads data not read just before), one user's whole plan is
recomputed with ``services.nudges.refresh_all``: one transaction for the user, ``refresh`` of
each of its 1,000 opportunities (read the history and contacts, ``derive``, store the stage,
replace the nudges), then ``refresh_search``. The settings alternate between two values of
``apply_check_in_days``, so each run is a real settings change.

Same run, same user, round-robin:

- baseline, read only: the same transaction and loop, reading what ``refresh`` reads
  (``tx.history`` and ``tx.opportunity_contacts``) and nothing else;
- a sketch that is not in src: the user's records read in five queries instead of ~11 per
  opportunity, then ``derive`` for each opportunity (no writes): what batching the reads of
  ``refresh_all`` could save.

After each run, ``derive`` (the playbook) alone is timed on the histories the baseline read, to
split refresh_all's cost into reading, the playbook and writing.

Time per 100,000 opportunities is the median time per user × 100: a linear extrapolation over
users of the same size (each refresh reads and writes its own user's rows only, through indexes
that start with the owner, so other users do not change its cost). It is not linear in the size
of one user on SQLite: one of the reads scans all of the user's event contacts (the plan and
the cost of that query, as in src and driven by the events instead, are printed), so the cost
per opportunity grows with the user's number of events.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulkload import (
    Builder,
    analyze,
    chunked,
)
from common import (  # bench/ is not a package
    NOW,
    SETTINGS,
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
from jobnudge.config import Settings
from jobnudge.domain import Contact, History
from jobnudge.playbook.engine import derive
from jobnudge.services.nudges import refresh_all
from jobnudge.services.session import Session
from jobnudge.store import Store, open_store

SETTINGS_B = replace(SETTINGS, playbook=replace(SETTINGS.playbook, apply_check_in_days=5))


def users(count: int, opportunities: int) -> list[UserSearch]:
    return [
        make_search(
            500 + i,
            f"replan{i:03d}",
            opportunities=opportunities,
            start=NOW - timedelta(days=365),
            span_days=365,
            notes_per_opportunity=4.0,
        )
        for i in range(count)
    ]


Inputs = list[tuple[History, dict[int, Contact]]]


def read_only(store: Store, owner: int, keep: Inputs | None = None) -> Callable[[Settings], int]:
    """The baseline: what ``refresh`` reads, nothing else; ``keep`` collects it (for timing
    ``derive`` afterwards, outside the timed loop)."""

    def run(settings: Settings) -> int:
        with store.transaction(now=NOW) as tx:
            ids = tx.all_opportunity_ids(owner)
            for opportunity_id in ids:
                history = tx.history(owner, opportunity_id)
                contacts = {c.id: c for c in tx.opportunity_contacts(owner, opportunity_id)}
                if keep is not None:
                    keep.append((history, contacts))
        return len(ids)

    return run


def derive_alone(inputs: Inputs, settings: Settings) -> float:
    """Seconds to run the playbook over histories already read."""
    start = time.perf_counter()
    for history, contacts in inputs:
        derive(history, contacts, settings)
    return time.perf_counter() - start


def batched(store: Store, owner: int, keep: Inputs | None = None) -> Callable[[Settings], int]:
    """A sketch, not in src: what ``refresh_all`` would cost if it read the user's records in
    five queries instead of ~11 per opportunity, then derived each opportunity (no writes)."""
    from sqlalchemy import select

    from jobnudge.domain import History
    from jobnudge.store import convert
    from jobnudge.store.read_opportunities import _opportunity_select
    from jobnudge.store.tables import (
        companies,
        contacts,
        event_contacts,
        events,
        opportunity_contacts,
    )

    def run(settings: Settings) -> int:
        with store.transaction(now=NOW) as tx:
            conn = tx._conn
            opps = [convert.opportunity(r) for r in conn.execute(_opportunity_select(owner))]
            firms = {
                r.id: convert.company(r)
                for r in conn.execute(select(companies).where(companies.c.owner_id == owner))
            }
            people = [
                convert.contact(r)
                for r in conn.execute(select(contacts).where(contacts.c.owner_id == owner))
            ]
            by_opp: dict[int | None, list] = {}  # type: ignore[type-arg]
            for r in conn.execute(
                select(events)
                .where(events.c.owner_id == owner)
                .order_by(events.c.opportunity_id, events.c.at, events.c.id)
            ):
                by_opp.setdefault(r.opportunity_id, []).append(convert.event(r))
            linked: dict[int, set[int]] = {}
            for r in conn.execute(
                select(opportunity_contacts).where(opportunity_contacts.c.owner_id == owner)
            ):
                linked.setdefault(r.opportunity_id, set()).add(r.contact_id)
            named: dict[int, set[int]] = {}
            rows = conn.execute(
                select(events.c.opportunity_id, event_contacts.c.contact_id)
                .join(events, events.c.id == event_contacts.c.event_id)
                .where(event_contacts.c.owner_id == owner)
            )
            for r in rows:
                named.setdefault(r.opportunity_id, set()).add(r.contact_id)
            at_firm: dict[int, list] = {}  # type: ignore[type-arg]
            for c in people:
                if c.company_id is not None:
                    at_firm.setdefault(c.company_id, []).append(c)
            by_id = {c.id: c for c in people}
            for opp in opps:
                ids = linked.get(opp.id, set()) | named.get(opp.id, set())
                ids |= {i for i in (opp.referrer_id, opp.recruiter_id) if i is not None}
                mine = {i: by_id[i] for i in ids}
                for firm in (opp.company_id, opp.staffing_firm_id):
                    for c in at_firm.get(firm, ()) if firm is not None else ():
                        mine[c.id] = c
                involved = {i for i in (opp.company_id, opp.staffing_firm_id) if i is not None}
                history = History(
                    opportunity=opp,
                    events=tuple(by_opp.get(opp.id, ())),
                    companies={i: firms[i] for i in involved},
                )
                derive(history, mine, settings)
                if keep is not None:
                    keep.append((history, mine))
        return len(opps)

    return run


def full(store: Store, owner: int) -> Callable[[Settings], int]:
    def run(settings: Settings) -> int:
        return refresh_all(Session(store=store, settings=settings, owner=owner, now=NOW))

    return run


def one_by_one(store: Store, owner: int) -> Callable[[Settings], int]:
    """``refresh_all`` as it was before the batch paths: ``refresh`` of each opportunity."""
    from jobnudge.services.nudges import refresh, refresh_search

    def run(settings: Settings) -> int:
        with store.transaction(now=NOW) as tx:
            ids = tx.all_opportunity_ids(owner)
            for opportunity_id in ids:
                refresh(store, tx, owner, opportunity_id, settings)
            refresh_search(store, tx, owner, settings, NOW)
        return len(ids)

    return run


BASELINE = "read only (baseline)"
DERIVE = "derive alone, on the histories read"
VARIANTS = (
    BASELINE,
    "refresh_all (batch paths)",
    "sketch: batched read + derive",
    "refresh_all one by one (before)",
)


def bench(store: Store, owners: list[int], runs: int) -> dict[str, tuple[Stats, int]]:
    """Seconds per user for each variant, round-robin on the same user within a run; and the
    playbook alone, timed after each run on what the baseline read."""
    times: dict[str, list[float]] = {v: [] for v in (*VARIANTS, DERIVE)}
    count = 0
    warm = owners[-1]  # the small user: one untimed round warms the code paths
    per_opportunity: Inputs = []
    at_once: Inputs = []
    for fn in (read_only(store, warm, per_opportunity), full(store, warm)):
        fn(SETTINGS)
    batched(store, warm, at_once)(SETTINGS)
    same = per_opportunity == at_once and [derive(h, c, SETTINGS) for h, c in per_opportunity] == [
        derive(h, c, SETTINGS) for h, c in at_once
    ]
    if not same:
        raise AssertionError("the sketch must give derive the inputs refresh reads")
    for i in range(runs):
        owner = owners[i % (len(owners) - 1)]
        settings = SETTINGS_B if i % 2 == 0 else SETTINGS
        inputs: Inputs = []
        calls = {
            VARIANTS[0]: read_only(store, owner, inputs),
            VARIANTS[1]: full(store, owner),
            VARIANTS[2]: batched(store, owner),
            VARIANTS[3]: one_by_one(store, owner),
        }
        names = list(calls)
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            count = calls[name](settings)
            times[name].append(time.perf_counter() - start)
        times[DERIVE].append(derive_alone(inputs, settings))
        print(f"  run {i + 1}/{runs} done", file=sys.stderr)
    return {v: (Stats(tuple(times[v])), count) for v in times}


def event_contacts_queries(owner: int, opportunity: int) -> tuple[Any, Any]:
    """The query ``Reader.opportunity_contacts`` runs for the contacts named in an opportunity's
    events (rebuilt here as in src/jobnudge/store/reads.py), and the same question asked with
    the events as the driving table (``event_id IN (SELECT id FROM events WHERE ...)``)."""
    from sqlalchemy import and_, select

    from jobnudge.store.tables import event_contacts, events

    as_in_src = (
        select(event_contacts.c.contact_id)
        .join(
            events,
            and_(
                events.c.owner_id == event_contacts.c.owner_id,
                events.c.id == event_contacts.c.event_id,
            ),
        )
        .where(events.c.owner_id == owner, events.c.opportunity_id == opportunity)
    )
    driven_by_events = select(event_contacts.c.contact_id).where(
        event_contacts.c.owner_id == owner,
        event_contacts.c.event_id.in_(
            select(events.c.id).where(
                events.c.owner_id == owner, events.c.opportunity_id == opportunity
            )
        ),
    )
    return as_in_src, driven_by_events


def event_contacts_report(store: Store, owner: int) -> str:
    """SQLite's plan for the src query on a user of the benchmark, and both forms timed."""
    opportunity = store.all_opportunity_ids(owner)[500 % len(store.all_opportunity_ids(owner))]
    as_in_src, driven = event_contacts_queries(owner, opportunity)
    with store.engine.connect() as conn:
        sql = as_in_src.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        plan = "\n".join(
            str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        )
        if sorted(conn.scalars(as_in_src)) != sorted(conn.scalars(driven)):
            raise AssertionError("both forms must find the same contacts")
        stats = interleaved(
            {
                "src": lambda: conn.execute(as_in_src).all(),
                "in": lambda: conn.execute(driven).all(),
            },
            200,
        )
    events = store.count_events(owner)
    return (
        f"SQLite's plan for the event-contacts query of `Reader.opportunity_contacts` (run once "
        f"per opportunity by `refresh`), for a user with {events:,} events:\n\n```\n{plan}\n```"
        f"\n\nThat query as in src: {ms(stats['src'].median)} ms per call (median of 200); "
        f"the same with `event_id IN (SELECT id FROM events WHERE owner_id = ? AND "
        f"opportunity_id = ?)`: {ms(stats['in'].median)} ms "
        f"({stats['src'].median / stats['in'].median:.0f}× less)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=12, help="at least --runs")
    parser.add_argument("--opportunities", type=int, default=1000, help="per user")
    parser.add_argument("--runs", type=int, default=5, help="timed users per backend (>= 5)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL too")
    args = parser.parse_args()

    print("# Recomputing every nudge after a settings change\n")
    print(*machine_lines(with_pg=args.postgres), sep="\n")
    results: list[list[object]] = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobnudge-bench-")))
        stores = {"sqlite": open_store(None, data_dir=tmp, now=NOW)}
        if args.postgres:
            stores["postgresql"] = open_store(
                stack.enter_context(pg_database()), data_dir=tmp, now=NOW
            )
        for store in stores.values():
            stack.callback(store.close)
        start = time.perf_counter()
        if args.runs > args.users or args.runs < 1:
            parser.error("--users must be at least --runs: each run takes another user")
        generated = users(args.users, args.opportunities)
        generated.append(
            make_search(499, "warm-up", opportunities=20, start=NOW - timedelta(days=365),
                        span_days=365, notes_per_opportunity=4.0)
        )  # fmt: skip
        builder = Builder(derive_for=lambda u: False)  # refresh_all replaces them anyway
        with ExitStack() as tx:
            conns = [tx.enter_context(s.engine.begin()) for s in stores.values()]
            builder.add(conns, chunked(generated, 5))
        for store in stores.values():
            with store.engine.begin() as conn:
                analyze(conn)
        totals = builder.totals
        print(
            f"- Data: {totals.users - 1} users, {totals.opportunities - 20:,} opportunities "
            f"(plus the warm-up user's 20), {totals.events:,} events in all "
            f"({totals.events / totals.opportunities:.1f} an opportunity); built in "
            f"{time.perf_counter() - start:.0f} s"
        )
        print(
            f"- Runs: {args.runs} per backend, each on another user of "
            f"{args.opportunities:,} opportunities; the variants round-robin on that user; "
            "derive alone timed after each run on the histories the baseline read"
        )
        for name, store in stores.items():
            print(f"benchmarking {name}", file=sys.stderr)
            if name == "sqlite":
                report = event_contacts_report(store, store.owners()[0])
            owners = store.owners()
            measured = bench(store, owners, args.runs)
            base = measured[BASELINE][0].median
            for variant, (stats, count) in measured.items():
                per = stats.median / count
                ratio = stats.median / base
                results.append(
                    [
                        name,
                        variant,
                        f"{count:,}",
                        f"{stats.median:.2f}",
                        f"{stats.p90:.2f}",
                        f"{per * 1000:.2f}",
                        f"{per * 100_000:.0f}",
                        f"{1 / per:,.0f}",
                        f"{ratio:.2f}×" if ratio < 1 else f"{ratio:.1f}×",
                    ]
                )
    print()
    header = ["backend", "variant", "opps per run", "median s", "p90 s", "ms per opp"]
    header += ["s per 100k opps", "opps/s", "ratio to baseline"]
    print(table(header, results))
    print(f"\n{report}")


if __name__ == "__main__":
    main()
