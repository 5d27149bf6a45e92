"""What writers of one search taking turns costs a writer that is alone, on PostgreSQL.

Reproduce (from the repository root; ~1-2 minutes on a 2-core machine):

    .venv/bin/python bench/bench_writes.py

One user with ``--opportunities`` applications (default 30, entered through
``services.records.add_opportunity``) in a throwaway PostgreSQL database. One writer, nobody
else: two write transactions are timed, ``--runs`` times each, round-robin with the same
transaction with the user's lock switched off:

- **smallest write**: change one contact's title (one UPDATE and the revision bump), the write
  where the lock weighs most;
- **log a step**: what `nudge log` does: add an event, recompute that opportunity's follow-ups
  and the search-wide ones, in one transaction.

"As in src" takes the user's advisory lock (one ``pg_try_advisory_xact_lock`` round trip when
nobody holds it; the timer that would say the write waits is started only when it is held).
"Switched off" skips it: what a write cost before writers took turns. SQLite is not measured:
a writer alone runs exactly as before there (the waiting is SQLite's own busy timeout, then a
retry of BEGIN IMMEDIATE, which a writer alone never reaches).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # bench/ is not a package
    NOW,
    SETTINGS,
    interleaved,
    machine_lines,
    ms,
    pg_database,
    table,
)
from jobnudge.domain import EventType
from jobnudge.services import nudges, records
from jobnudge.services.session import Session
from jobnudge.store import Store, open_store
from jobnudge.store import writes as store_writes


@contextmanager
def lock_switched_off() -> Iterator[None]:
    """No user lock for the length of the block: writes as before writers took turns."""
    saved = store_writes.lock_user

    def no_lock(*_args: Any) -> None:
        return None

    store_writes.lock_user = no_lock
    try:
        yield
    finally:
        store_writes.lock_user = saved


def build(store: Store, opportunities: int) -> Session:
    owner = store.ensure_user("bench")
    session = Session(store=store, settings=SETTINGS, owner=owner, now=NOW)
    for n in range(opportunities):
        records.add_opportunity(
            session,
            f"Company {n}",
            "Data Engineer",
            applied=NOW - timedelta(days=n % 20 + 1),
            recruiter=f"Recruiter {n}",
            staffing_firm="Hire Fast" if n % 5 == 0 else None,
        )
    return session


def workloads(session: Session) -> dict[str, Callable[[], object]]:
    store, owner = session.store, session.owner
    person = store.contacts(owner)[0]
    opportunity = store.opportunities(owner)[0][0]
    titles = iter(range(10**9))

    def smallest() -> None:
        with store.transaction(now=NOW) as tx:
            tx.update_contact(owner, person.id, title=f"Recruiter {next(titles)}")

    def log_step() -> None:
        with store.transaction(now=NOW) as tx:
            tx.add_event(
                owner,
                opportunity_id=opportunity.id,
                type=EventType.NOTE,
                at=NOW,
                tz="UTC",
                note="called",
            )
            nudges.refresh(store, tx, owner, opportunity.id, session.settings)
            nudges.refresh_search(store, tx, owner, session.settings, session.now)

    return {"smallest write": smallest, "log a step": log_step}


def measure(backend: str, url: str | None, data_dir: Path, args: argparse.Namespace) -> list[Any]:
    store = open_store(url, data_dir=data_dir)
    try:
        session = build(store, args.opportunities)
        rows = []
        for name, work in workloads(session).items():

            def switched_off(work: Callable[[], object] = work) -> None:
                with lock_switched_off():
                    work()

            stats = interleaved({"src": work, "off": switched_off}, args.runs)
            src, off = stats["src"], stats["off"]
            rows.append(
                [
                    backend,
                    name,
                    ms(src.median),
                    ms(src.p90),
                    ms(off.median),
                    ms(off.p90),
                    f"{src.median / off.median:.2f}×",
                    f"{1 / src.median:,.0f}",
                ]
            )
        return rows
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--opportunities", type=int, default=30)
    args = parser.parse_args()
    print("\n".join(machine_lines(with_pg=True)))
    print(f"- {args.opportunities} opportunities, {args.runs} runs of each variant\n")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        rows = measure("postgresql", stack.enter_context(pg_database()), folder, args)
    header = [
        "backend",
        "write",
        "as in src: median ms",
        "p90 ms",
        "switched off: median ms",
        "p90 ms",
        "ratio",
        "writes/s as in src",
    ]
    print(table(header, rows))


if __name__ == "__main__":
    main()
