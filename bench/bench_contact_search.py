"""Searching a user's contacts by name: the filter in the query (``Store.find_contacts``, a
substring test on the stored ``name_key``) against the way before revision 0020 (read every
contact of the user, then ``typography.contains`` in Python), on SQLite.

Reproduce (from the repository root, ~1 minute on a 2-core machine):

    .venv/bin/python bench/bench_contact_search.py
    .venv/bin/python bench/bench_contact_search.py --contacts 2000 --runs 9   # a quick look

One SQLite file in a temporary directory holds one user with ``--contacts`` people (names
drawn with a fixed seed from accented and plain first and last names). Each needle is searched
``--runs`` times by both ways, interleaved; the figure is the median process CPU time (user +
sys: SQLite runs inside the process, so this is all the work), in ms a search. Both ways are
checked to return the same contacts first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_lines, table
from jobnudge import typography
from jobnudge.store import Store, open_store

RECORDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

FIRST = ["José", "Zoë", "Dana", "Siobhan", "Raj", "Kim", "Åsa", "Lee", "Ana", "Mark", "Chloé",
         "Jürgen", "Noor", "Priya", "Tom"]  # fmt: skip
LAST = ["Ñúñez", "O’Brien", "Lee", "Müller", "Patel", "Park", "Smith", "Dubois", "Weiß",
        "Nguyen", "García", "Kowalski", "Chen", "Rossi", "Novák"]  # fmt: skip
NEEDLES = ["jose nunez", "o'brien", "zz", "a"]


def _before(store: Store, owner: int, text: str) -> list[int]:
    """How ``find_contacts`` searched before: every contact read, then filtered in Python."""
    everyone = store.contacts(owner)
    return [c.id for c in everyone if typography.contains(c.name, text)]


def _cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(17)
    with tempfile.TemporaryDirectory() as tmp, open_store(None, data_dir=Path(tmp)) as store:
        owner = store.ensure_user("measured")
        with store.transaction(now=RECORDED) as tx:
            for i in range(args.contacts):
                tx.add_contact(owner, name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}")
        rows = []
        for needle in NEEDLES:
            found = [c.id for c in store.find_contacts(owner, needle)]
            assert found == _before(store, owner, needle), needle
            query: list[float] = []
            python: list[float] = []
            for i in range(args.runs):
                pair = [
                    (query, lambda n=needle: store.find_contacts(owner, n)),
                    (python, lambda n=needle: _before(store, owner, n)),
                ]
                for samples, fn in pair if i % 2 else reversed(pair):
                    samples.append(_cpu(fn))
            q, p = statistics.median(query), statistics.median(python)
            rows.append(
                [f"`{needle}`", len(found), f"{q * 1000:.1f}", f"{p * 1000:.1f}", f"{p / q:.1f}"]
            )
    print("\n".join(machine_lines()))
    print(f"\n{args.contacts:,} contacts, {args.runs} runs each, median process CPU ms a search\n")
    print(table(["needle", "found", "in the query", "read all, filter in Python", "ratio"], rows))


if __name__ == "__main__":
    main()
