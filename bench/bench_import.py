"""How fast and how lean `nudge import` reads a big spreadsheet, against the bare library.

For a 100,000-row tracker (CSV and XLSX, 11 columns, every row a distinct application) and a
10,000-row CSV, each measured in a fresh interpreter, median of several runs:

- ``bare``: the parsing library alone: ``csv.reader`` over the file, or openpyxl's read-only
  ``iter_rows(values_only=True)``; every cell touched.
- ``read``: jobnudge's reading path: encoding detection, delimiter sniffing, header mapping,
  the 10,000-row look-ahead for date orders, and every row turned into its plan (dates,
  status, contacts): ``open_table`` + ``plan_row``.
- ``dry-run``: ``nudge import --dry-run`` as a service call: the reading path plus matching
  every row against the database and the rows before it (an empty SQLite database).
- ``import``: the real import (writes, one transaction, follow-ups recomputed) at a smaller
  size, since its cost is the store's per-record writes, not the reading.

Wall time is measured without tracing; peak memory is measured in a separate run with
``tracemalloc`` started after the imports (the Python heap the work allocates), next to the
process's peak resident size (VmHWM). Run: ``.venv/bin/python bench/bench_import.py`` (~20 min);
``--quick`` for a smaller run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "Company",
    "Position",
    "Date applied",
    "Status",
    "Last update",
    "Contact",
    "Email",
    "Link",
    "Notes",
    "Salary",
    "Location",
]
PG_ENV = "BENCH_IMPORT_PG_URL"
BEFORE = "@before"
"""A mode's suffix for the reference code (``--before-src``): its child imports jobnudge from
there (``PYTHONPATH``), the same benchmark driving it."""
"""The PostgreSQL database the ``import-postgres`` children write to (``--postgres URL``)."""
PG_BEFORE_ENV = "BENCH_IMPORT_PG_BEFORE_URL"
"""The one the reference code's children write to (``--postgres-before URL``): a schema the
reference code knows, when the change adds a migration (default: the same database)."""

STATUSES = ["Applied", "Phone screen", "Interview 2", "Rejected", "Ghosted", "Offer", "Wishlist"]


def rows(count: int) -> list[list[str]]:
    rng = random.Random(count)
    out = []
    start = date(2025, 1, 1)
    for i in range(count):
        applied = start + timedelta(days=rng.randrange(0, 600))
        status = rng.choice(STATUSES)
        update = applied + timedelta(days=rng.randrange(2, 30))
        contact = rng.choice(["", "Dana Lee", "Sam Rivera", f"Person {i % 977}"])
        out.append(
            [
                f"Employer {i // 3} Ltd",
                ["Data Analyst", "BI Developer", "Analytics Engineer"][i % 3],
                applied.strftime("%d/%m/%Y"),
                status,
                update.strftime("%d/%m/%Y") if status not in ("Applied", "Wishlist") else "",
                contact,
                f"{contact.lower().replace(' ', '.')}@example.com" if contact else "",
                f"https://jobs.example.com/{i}",
                rng.choice(["", "via LinkedIn", "referral; follow up in a week", "remote ok"]),
                rng.choice(["", "€55k", "$90,000"]),
                rng.choice(["", "Berlin", "Remote", "New York, NY"]),
            ]
        )
    return out


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tracker")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    book.save(path)


# --------------------------------------------------------------------------------------------
# What a child process runs


def child(mode: str, path: Path, trace: bool) -> dict[str, float]:
    import tracemalloc

    server: ServerCpu | None = None
    if mode == "bare":
        if path.suffix == ".csv":

            def work() -> int:
                with path.open(encoding="utf-8", newline="") as handle:
                    return sum(len(r) for r in csv.reader(handle))
        else:
            from openpyxl import load_workbook

            def work() -> int:
                book = load_workbook(path, read_only=True, data_only=True)
                total = sum(len(r) for r in book.worksheets[0].iter_rows(values_only=True))
                book.close()
                return total
    else:
        from zoneinfo import ZoneInfo

        from jobnudge.config import Profile, Settings
        from jobnudge.services import importing
        from jobnudge.services.session import open_session
        from jobnudge.tabular import mapping
        from jobnudge.tabular.date_orders import column_orders
        from jobnudge.tabular.rows import plan_row
        from jobnudge.tabular.table import open_table

        settings = Settings(profile=Profile(tz="America/New_York", country="DE"))
        data_dir = Path(tempfile.mkdtemp(prefix="bench-import-"))
        mode = mode.removesuffix(BEFORE)  # the code measured is the one on PYTHONPATH
        if mode.endswith("-postgres"):  # a new user: an empty search in the shared database
            mode = mode.removesuffix("-postgres")
            server = ServerCpu(os.environ[PG_ENV])
            user = f"bench-{time.time_ns()}"
            session = open_session(
                os.environ[PG_ENV], settings=settings, data_dir=data_dir, user=user
            )
        else:
            session = open_session(None, settings=settings, data_dir=data_dir)
        today = session.now.astimezone(ZoneInfo("America/New_York")).date()
        if path.suffix == ".xlsx":
            import openpyxl  # noqa: F401  # loaded before timing, as the bare run loads it

        def work() -> int:
            if mode == "read":
                from itertools import chain, islice

                with open_table(path) as table:
                    columns = mapping.auto(table.headers)
                    ahead = list(islice(table.rows, importing.SAMPLE_ROWS))
                    orders = column_orders(
                        {
                            i: [c[i] for _n, c in ahead if i < len(c)]
                            for i, f in columns.fields.items()
                            if f in mapping.DATE_FIELDS
                        },
                        "DE",
                        None,
                    )
                    count = 0
                    for number, cells in chain(ahead, table.rows):
                        plan_row(number, cells, columns, orders, today)
                        count += 1
                    return count
            report = importing.import_file(
                session,
                path,
                dry_run=(mode == "dry-run"),
                one_by_one=(mode == "import-one-by-one"),
            )
            return report.rows

    if trace:
        tracemalloc.start()
    if server is not None:
        server.start()
    started = time.perf_counter()
    cpu_started = time.process_time()
    count = work()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "server_cpu_seconds": server.seconds() if server is not None else 0.0,
        "rows_or_cells": count,
        "peak_mib": peak / 1_048_576,
        "maxrss_mib": high_water_mib(),
    }


class ServerCpu:
    """The CPU (user + system, from ``/proc``) that the PostgreSQL server's backends serving the
    benchmark's database spent between :meth:`start` and :meth:`seconds`: the database is the
    benchmark's own, so its backends work for this child alone (the one this class asks
    through is left out). Needs the server on this machine and the right to read its
    processes' ``/proc/PID/stat`` (root, or the same user)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self._conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        self._conn.autocommit = True
        self._before: dict[int, float] = {}

    def _backends(self) -> dict[int, float]:
        rows = self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
        return {pid: used for (pid,) in rows if (used := _proc_cpu(pid)) is not None}

    def start(self) -> None:
        self._before = self._backends()

    def seconds(self) -> float:
        after = self._backends()
        return sum(used - self._before.get(pid, 0.0) for pid, used in after.items())


def _proc_cpu(pid: int) -> float | None:
    """A process's user + system CPU seconds, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def high_water_mib() -> float:
    """This process's peak resident size (VmHWM): unlike ``getrusage``'s ru_maxrss, it is not
    inherited from the parent that forked it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(mode: str, path: Path, runs: int) -> dict[str, float]:
    times = []
    rss = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout)
        times.append(result["seconds"])
        rss.append(result["maxrss_mib"])
    traced = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path), "--trace"],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        "seconds": statistics.median(times),
        "peak_mib": json.loads(traced.stdout)["peak_mib"],
        "maxrss_mib": statistics.median(rss),
    }


def writes(
    big: int,
    small: int,
    runs: int,
    big_runs: int,
    postgres: str | None,
    one_by_one: bool,
    before_src: str | None = None,
    formats: tuple[str, ...] = ("csv",),
) -> None:
    """The import's write paths, each mode in a fresh interpreter, interleaved round-robin:
    reading alone, the batch import into an empty SQLite file and (with ``postgres``) into an
    empty search in that PostgreSQL database, and (with ``one_by_one``) the import one by one
    (each record written and each opportunity re-planned on its own, as before the batch
    paths) on the small file only. With ``before_src`` (another checkout's ``src``), the same
    imports again through that code (``...@before``), in the same rounds. ``runs`` rounds on
    ``small`` rows, ``big_runs`` on ``big`` rows; medians, with the load average before each
    round. CPU is the child's own (user + system) while it works; for PostgreSQL the server
    backends' CPU for it is read from ``/proc`` and shown beside it, and added in the last
    ratio. ``formats``: the big file as CSV and/or XLSX (the same rows); each big round also
    times the parsing library alone (``bare``)."""
    import platform

    folder = Path(tempfile.mkdtemp(prefix="bench-import-writes-"))
    if postgres:
        os.environ[PG_ENV] = postgres
    imports: tuple[str, ...] = ("import", "import-postgres") if postgres else ("import",)
    if before_src:
        imports = (*(m + BEFORE for m in imports), *imports)
    print(f"Python {platform.python_version()} on {platform.machine()}, medians\n")
    print(
        "| file | mode | runs | wall time | ms a row | × read | CPU (this process) | "
        "CPU × read | server CPU | (CPU + server) × read | max RSS |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for rows_n, kind, modes, count in (
        (small, "csv", ("read", *imports, *(("import-one-by-one",) if one_by_one else ())), runs),
        *((big, kind, ("bare", "read", *imports), big_runs) for kind in formats),
    ):
        if count <= 0:
            continue
        path = folder / f"rows{rows_n}.{kind}"
        (write_xlsx if kind == "xlsx" else write_csv)(path, rows_n)
        results: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
        for n in range(count):
            order = list(modes[n % len(modes) :] + modes[: n % len(modes)])
            print(f"<!-- {rows_n:,} rows, round {n + 1}: load average {load()} -->", flush=True)
            for mode in order:
                env = dict(os.environ)
                if mode.endswith(BEFORE) and before_src:
                    env["PYTHONPATH"] = before_src
                    env[PG_ENV] = env.get(PG_BEFORE_ENV, env.get(PG_ENV, ""))
                out = subprocess.run(
                    [sys.executable, __file__, "--child", mode, str(path)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                )
                results[mode].append(json.loads(out.stdout))
                print(f"<!-- {mode}: {out.stdout.strip()} -->", flush=True)

        def median(
            mode: str, key: str, results: dict[str, list[dict[str, float]]] = results
        ) -> float:
            return statistics.median(r.get(key, 0.0) for r in results[mode])

        read = median("read", "seconds")
        read_cpu = median("read", "cpu_seconds")
        for mode in modes:
            wall = median(mode, "seconds")
            cpu = median(mode, "cpu_seconds")
            server = median(mode, "server_cpu_seconds")
            both = statistics.median(
                r["cpu_seconds"] + r.get("server_cpu_seconds", 0.0) for r in results[mode]
            )
            print(
                f"| {kind.upper()} {rows_n:,} rows | {mode} | {count} | {wall:.2f} s | "
                f"{wall / rows_n * 1000:.3f} | {wall / read:.2f} | {cpu:.2f} s | "
                f"{cpu / read_cpu:.2f} | {server:.2f} s | {both / read_cpu:.2f} | "
                f"{median(mode, 'maxrss_mib'):.0f} MiB |",
                flush=True,
            )
    print(f"<!-- done: load average {load()} -->")


def load() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` shows them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"))
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--quick", action="store_true", help="10x smaller files, 3 runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=2_000)
    parser.add_argument(
        "--writes",
        action="store_true",
        help="only the write paths: the batch import against reading, and against the "
        "one-by-one import (see writes())",
    )
    parser.add_argument("--write-rows", type=int, default=100_000)
    parser.add_argument("--before-rows", type=int, default=5_000)
    parser.add_argument("--big-runs", type=int, default=1, help="rounds on --write-rows")
    parser.add_argument(
        "--postgres", metavar="URL", help="--writes: also import into this PostgreSQL database"
    )
    parser.add_argument(
        "--postgres-before",
        metavar="URL",
        help="--writes: the database the --before-src code imports into (default: --postgres); "
        "another one when the change adds a migration the code before does not know",
    )
    parser.add_argument(
        "--one-by-one", action="store_true", help="--writes: the one-by-one import too"
    )
    parser.add_argument(
        "--formats",
        default="csv",
        help="--writes: the big file's formats, comma-separated (csv, xlsx)",
    )
    parser.add_argument(
        "--before-src",
        metavar="DIR",
        help="--writes: also import through the jobnudge package in DIR (another checkout's "
        "src), in the same rounds: the code before a change",
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.trace)))
        return
    if args.writes:
        if args.postgres_before:
            os.environ[PG_BEFORE_ENV] = args.postgres_before
        writes(
            args.write_rows,
            args.before_rows,
            args.runs,
            args.big_runs,
            args.postgres,
            args.one_by_one,
            args.before_src,
            tuple(f.strip() for f in args.formats.split(",") if f.strip()),
        )
        return
    big = 10_000 if args.quick else 100_000
    small = big // 10
    runs = 3 if args.quick else args.runs
    folder = Path(tempfile.mkdtemp(prefix="bench-import-files-"))
    files = {
        f"CSV {small:,} rows": folder / "small.csv",
        f"CSV {big:,} rows": folder / "big.csv",
        f"XLSX {big:,} rows": folder / "big.xlsx",
    }
    write_csv(files[f"CSV {small:,} rows"], small)
    write_csv(files[f"CSV {big:,} rows"], big)
    write_xlsx(files[f"XLSX {big:,} rows"], big)
    import platform

    print(f"Python {platform.python_version()} on {platform.machine()}, {runs} runs, median\n")
    print("| file | size | mode | wall time | × bare | peak heap (tracemalloc) | max RSS |")
    print("|---|---|---|---|---|---|---|")
    for label, path in files.items():
        size = f"{path.stat().st_size / 1_048_576:.1f} MB"
        bare = measure("bare", path, runs)
        for mode in ("bare", "read", "dry-run"):
            result = bare if mode == "bare" else measure(mode, path, runs)
            ratio = result["seconds"] / bare["seconds"]
            print(
                f"| {label} | {size} | {mode} | {result['seconds']:.2f} s | {ratio:.2f} | "
                f"{result['peak_mib']:.1f} MiB | {result['maxrss_mib']:.0f} MiB |",
                flush=True,
            )
    rows_n = args.import_rows
    path = folder / "import.csv"
    write_csv(path, rows_n)
    result = measure("import", path, 1)
    print(
        f"\nReal import of {rows_n:,} CSV rows into an empty SQLite file (one run): "
        f"{result['seconds']:.1f} s ({result['seconds'] / rows_n * 1000:.1f} ms a row), "
        f"peak heap {result['peak_mib']:.1f} MiB, max RSS {result['maxrss_mib']:.0f} MiB."
    )


if __name__ == "__main__":
    main()
