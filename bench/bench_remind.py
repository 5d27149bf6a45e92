"""Morning digests for a career centre: 10,000 accounts on PostgreSQL, prepared and handed to a
local SMTP sink, against simply reading those users' agendas in the same run.

Reproduce (from the repository root; needs the PostgreSQL of ``NUDGE_BENCH_PG``):

    .venv/bin/python bench/bench_remind.py                       # 10,000 accounts, ~6 min here
    .venv/bin/python bench/bench_remind.py --accounts 500 --runs 2   # a quick look

A throwaway database ``jobnudge_bench_<hex>`` holds ``--accounts`` users, each with a realistic
search (``datagen.make_search``: ``--opportunities`` applications over the last ten weeks
following the usual stories, the playbook's own nudges), all in New York with reminders by
e-mail at 08:00 every day. The pinned moment is 09:30 there, so every digest is due.

Same run, alternating, ``--runs`` times each:

- *agendas*: for every account, its settings read (500 at a time) and parsed and its agenda
  read and assessed
  (``store.agenda_rows`` up to the end of its day, ``nudges.assess``): what a server pays to
  look at every user's day;
- *digests*: ``services.remind_batch.run_batch`` exactly as ``nudge serve --accounts`` runs it:
  per account, one transaction storing each digest with its items, then delivery by a pool of
  ``--workers`` threads, each holding one authenticated SMTP connection to a sink in another
  process (aiosmtpd, ``bench/smtp_sink.py``) that answers 250 to every message. Before each run
  the reminder tables are emptied, so every account gets its digest again.

Reported: total seconds, accounts per second and the ratio to the agendas (medians), and the
growth of the process's peak resident memory during one digest run (``VmHWM`` after resetting it
through ``/proc/self/clear_refs``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from common import NOW, machine_lines, pg_database, table  # noqa: E402

SINK = Path(__file__).resolve().parent / "smtp_sink.py"


def build(url: str, accounts: int, opportunities: int) -> None:
    """The accounts and their searches, written in bulk; reminder settings for each."""
    import json

    from sqlalchemy import text as sql

    from bulkload import Builder, analyze, chunked
    from datagen import make_search
    from jobnudge.store import open_store
    from jobnudge.store.engine import WRITE

    store = open_store(url, data_dir=Path("/tmp"))
    searches = (
        make_search(
            1000 + n,
            f"user{n}",
            opportunities=opportunities,
            start=NOW - timedelta(days=75),
            span_days=70,
        )
        for n in range(accounts)
    )
    with store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            Builder().add([conn], chunked(searches, 250))
    document = {
        "profile": {"name": "Bench User", "tz": "America/New_York", "country": "US"},
        "remind": {"channels": ["email"], "hour": 8, "days": "every"},
    }
    with store.engine.begin() as conn:
        conn.execute(
            sql(
                "UPDATE users SET settings = "
                "replace(:doc, 'EMAIL', 'user' || id || '@seeker.example')"
            ),
            {"doc": json.dumps({**document, "profile": {**document["profile"], "email": "EMAIL"}})},
        )
        # Each account confirmed its address (a server mails only confirmed addresses).
        conn.execute(
            sql(
                "INSERT INTO remind_addresses (owner_id, address, token_hash, asked_at, "
                "confirmed_at) SELECT id, 'user' || id || '@seeker.example', NULL, :at, :at "
                "FROM users"
            ),
            {"at": NOW.astimezone(UTC).replace(tzinfo=None)},
        )
        analyze(conn)
    store.close()


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--opportunities", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--profile", action="store_true", help="profile one digest run, print it")
    args = parser.parse_args()

    from jobnudge.config import Mail, MailServer, Settings
    from jobnudge.mail.account import Account
    from jobnudge.playbook import calendar
    from jobnudge.services.nudges import assess
    from jobnudge.services.remind_batch import (
        ServerEmail,
        account_settings,
        run_batch,
        server_channels,
    )
    from jobnudge.store import open_store
    from jobnudge.store.remind_tables import reminder_items, reminders

    print("\n".join(machine_lines(with_pg=True)))
    with pg_database() as url:
        started = time.perf_counter()
        build(url, args.accounts, args.opportunities)
        print(f"- built {args.accounts:,} accounts in {time.perf_counter() - started:.0f} s")
        port_file = Path(f"/tmp/jobnudge-sink-{os.getpid()}")
        sink = subprocess.Popen([sys.executable, str(SINK), str(port_file)])
        try:
            for _ in range(100):
                if port_file.exists() and port_file.read_text().strip():
                    break
                time.sleep(0.1)
            port = int(port_file.read_text())
            store = open_store(url, data_dir=Path("/tmp"))
            owners = store.owners()
            server = Mail(
                username="digests",
                address="digests@centre.example",
                smtp=MailServer("127.0.0.1", port, "none"),
                imap=MailServer("127.0.0.1", port, "none"),
                timeout_seconds=30,
            )
            account = Account(server, "sink")

            def now(tz: str) -> Any:
                return NOW

            def agendas() -> int:
                due = 0
                for owner, settings in account_settings(store, owners):
                    assert isinstance(settings, Settings)
                    tz = settings.profile.tz
                    end = calendar.end_of_day(calendar.local_day(NOW, tz), tz)
                    items = assess(store.agenda_rows(owner, end, NOW), settings, NOW)
                    due += sum(i.group != "upcoming" for i in items)
                return due

            def digests() -> Any:
                with store.engine.begin() as conn:
                    conn.execute(reminder_items.delete())
                    conn.execute(reminders.delete())
                email = ServerEmail(account, lambda: NOW)
                try:
                    return run_batch(
                        store,
                        (
                            (o, s)
                            for o, s in account_settings(store, owners)
                            if isinstance(s, Settings)
                        ),
                        now,
                        server_channels(email, lambda owner: [], store),
                        workers=args.workers,
                    )
                finally:
                    email.close()

            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(digests)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            times: dict[str, list[float]] = {"agendas": [], "digests": []}
            peaks: list[int] = []
            reports = []
            for run in range(args.runs):
                order = ["agendas", "digests"] if run % 2 == 0 else ["digests", "agendas"]
                for name in order:
                    if name == "digests":
                        reset_peak()
                        before = peak_kb()
                    start = time.perf_counter()
                    result = agendas() if name == "agendas" else digests()
                    times[name].append(time.perf_counter() - start)
                    print(f"- run {run + 1}, {name}: {times[name][-1]:.1f} s", flush=True)
                    if name == "digests":
                        peaks.append(peak_kb() - before)
                        reports.append(result)
                    else:
                        due_items = result
            store.close()
        finally:
            sink.terminate()
            sink.wait(10)
            port_file.unlink(missing_ok=True)
    last = reports[-1]
    a, d = statistics.median(times["agendas"]), statistics.median(times["digests"])
    print()
    print(
        f"{args.accounts:,} accounts × {args.opportunities} opportunities; "
        f"{due_items:,} items due or overdue in all; each digest run: {last.prepared:,} "
        f"digests stored, {last.delivered:,} delivered, {last.failed} failed, "
        f"{last.empty:,} with nothing new; {args.workers} delivery threads; "
        f"{args.runs} runs each (medians)."
    )
    print()
    print(
        table(
            ["what", "total s", "accounts/s", "ms per account", "× agendas", "peak RSS growth"],
            [
                [
                    "read every agenda",
                    f"{a:.1f}",
                    f"{args.accounts / a:,.0f}",
                    f"{a / args.accounts * 1000:.2f}",
                    "1.0",
                    "",
                ],
                [
                    "prepare + send every digest",
                    f"{d:.1f}",
                    f"{args.accounts / d:,.0f}",
                    f"{d / args.accounts * 1000:.2f}",
                    f"{d / a:.1f}",
                    f"{statistics.median(peaks) / 1024:.0f} MB",
                ],
            ],
        )
    )


if __name__ == "__main__":
    main()
