"""`nudge today` wall time, fresh process each run, on a SQLite file with 10,000 opportunities.

Reproduce (from the repository root, ~2-3 minutes on a 2-core machine):

    .venv/bin/python bench/bench_startup.py
    .venv/bin/python bench/bench_startup.py --runs 30 --opportunities 10000

Builds, in a temporary directory, the SQLite file of the local user ("local", as the command
line uses) with ``--opportunities`` opportunities, their events and the nudges the real playbook
derives, all written in bulk, for two scenarios:

- ``history`` (the headline): six years of settled opportunities plus a current search of 30,
  so the agenda is as long as a normal user's (~20 items) while the file holds 10,000
  opportunities;
- ``stale``: the same, but the user never thanked the staffing firms after interviews; those
  ``interview.thank-you`` nudges never expire, so hundreds stay on the agenda, overdue;
- ``busy`` (stress): 10,000 opportunities found evenly over three years, ~9 a day, so hundreds
  of follow-ups are pending and the agenda lists ~700 items.

It checks that the fast read path applies (``fastread.schema_is_current``), then runs,
round-robin so that background load falls on all alike:

- ``nudge today`` and ``nudge --json today`` (the installed console script beside this
  interpreter), with ``NUDGE_DATA_DIR`` and ``NUDGE_CONFIG`` pointing into the temporary
  directory and ``NUDGE_NOW`` pinned;
- the baseline, ``python -c "import sqlite3"`` with the same interpreter.

Reports median and p90 against the project's target (250 ms); to explain the cost, the time of
each step of the command in a fresh process (``PHASES_SCRIPT``) and the ten imports with the
largest cumulative and own time (``python -X importtime``), medians over ``--importtime-runs``
runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulkload import (
    Builder,
)
from common import (  # bench/ is not a package
    CONFIG_TOML,
    NOW,
    NOW_TEXT,
    Stats,
    machine_lines,
    ms,
    table,
)
from datagen import (
    UserSearch,
    make_search,
    merge,
)
from jobnudge.services.session import LOCAL_USER
from jobnudge.store import fastread, open_store

TARGET_MS = 250
NUDGE = Path(sys.executable).parent / "nudge"


def history_heavy(opportunities: int, thank_firm: bool = True) -> UserSearch:
    """Years of settled history and a current search of 30 opportunities (a short agenda)."""
    current = 30
    past = make_search(
        11,
        LOCAL_USER,
        opportunities=opportunities - current,
        start=NOW - timedelta(days=6 * 365),
        span_days=6 * 365 - 200,
        label="p",
        thank_firm=thank_firm,
    )
    now = make_search(
        6, LOCAL_USER, opportunities=current, start=NOW - timedelta(days=45), span_days=45
    )
    return merge(LOCAL_USER, past, now)


def busy(opportunities: int) -> UserSearch:
    """Opportunities found at an even pace over three years (~9 a day: a very long agenda)."""
    return make_search(
        11,
        LOCAL_USER,
        opportunities=opportunities,
        start=NOW - timedelta(days=3 * 365),
        span_days=3 * 365,
    )


def stale(opportunities: int) -> UserSearch:
    """``history``, but the staffing firms were never thanked after interviews: the playbook's
    ``interview.thank-you`` for the firm never expires, so those stay overdue for years."""
    return history_heavy(opportunities, thank_firm=False)


SCENARIOS = {
    "history": (
        history_heavy,
        "years of settled history plus a current search of 30 opportunities",
    ),
    "stale": (
        stale,
        "`history` where staffing firms were never thanked after interviews (since thank-yous "
        "lapse a week after the interview, the same agenda as `history`)",
    ),
    "busy": (busy, "opportunities found evenly over three years, ~9 a day (stress case)"),
}


def build(home: Path, user: UserSearch) -> tuple[Path, dict[str, int]]:
    """The local user's SQLite file under ``home``; its path and row counts."""
    store = open_store(None, data_dir=home / "data", now=NOW)
    try:
        builder = Builder()
        with store.engine.begin() as conn:
            builder.add([conn], [[user]])
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = store.sqlite_path
        assert path is not None
    finally:
        store.close()
    totals = builder.totals
    counts = {
        "opportunities": totals.opportunities,
        "events": totals.events,
        "nudges": totals.nudges,
    }
    return path, counts


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUDGE_")}
    env.update(
        NUDGE_DATA_DIR=str(home / "data"),
        NUDGE_CONFIG=str(home / "config.toml"),
        NUDGE_NOW=NOW_TEXT,
        COLUMNS="100",
        NO_COLOR="1",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done


def importtime(
    env: dict[str, str], runs: int
) -> tuple[list[list[object]], list[list[object]], float]:
    """Top 10 imports by median cumulative and by median self time, and the median total."""
    cumulative: dict[str, list[int]] = {}
    own: dict[str, list[int]] = {}
    totals: list[int] = []
    for _ in range(runs):
        _, done = run([sys.executable, "-X", "importtime", str(NUDGE), "today"], env)
        total = 0
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "imported package" in line:
                continue
            self_us, cumul_us, name = (p.strip() for p in line[len("import time:") :].split("|"))
            module = name.strip()
            own.setdefault(module, []).append(int(self_us))
            cumulative.setdefault(module, []).append(int(cumul_us))
            total += int(self_us)
        totals.append(total)

    def top(data: dict[str, list[int]]) -> list[list[object]]:
        medians = {m: statistics.median(v + [0] * (runs - len(v))) for m, v in data.items()}
        best = sorted(medians.items(), key=lambda kv: -kv[1])[:10]
        return [[f"`{m}`", f"{us / 1000:.1f}"] for m, us in best]

    return top(cumulative), top(own), statistics.median(totals) / 1e6


BASELINE = 'python -c "import sqlite3"'


def commands() -> dict[str, list[str]]:
    return {
        "nudge today": [str(NUDGE), "today"],
        "nudge --json today": [str(NUDGE), "--json", "today"],
        BASELINE: [sys.executable, "-c", "import sqlite3"],
    }


def measure(scenario: str, opportunities: int, runs: int) -> tuple[list[list[object]], str, Path]:
    """Build the scenario's file, time the commands; result rows, a description, the home."""
    make, what = SCENARIOS[scenario]
    home = Path(tempfile.mkdtemp(prefix=f"jobnudge-bench-{scenario}-"))
    (home / "config.toml").write_text(CONFIG_TOML, encoding="utf-8")
    start = time.perf_counter()
    path, counts = build(home, make(opportunities))
    built = time.perf_counter() - start
    if not fastread.schema_is_current(path):
        raise SystemExit(f"{path} is not at the current schema: the fast path would not apply")
    env = environment(home)
    argvs = commands()
    agenda = len(json.loads(run(argvs["nudge --json today"], env)[1].stdout))
    lines = len(run(argvs["nudge today"], env)[1].stdout.splitlines())
    for argv in argvs.values():  # warm the page cache and .pyc files
        run(argv, env)
    times: dict[str, list[float]] = {name: [] for name in argvs}
    names = list(argvs)
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(run(argvs[name], env)[0])
    base = Stats(tuple(times[BASELINE]))
    rows: list[list[object]] = []
    for name, samples in times.items():
        stats = Stats(tuple(samples))
        verdict = ""
        if name != BASELINE:
            verdict = "yes" if stats.median * 1000 <= TARGET_MS else "**no**"
        rows.append(
            [
                scenario,
                f"`{name}`",
                ms(stats.median, 0),
                ms(stats.p90, 0),
                ms(min(samples), 0),
                f"{stats.median / base.median:.1f}×",
                verdict,
            ]
        )
    description = (
        f"- `{scenario}`: {what}: {counts['opportunities']:,} opportunities, "
        f"{counts['events']:,} events, {counts['nudges']:,} materialised nudges; the 7-day "
        f"agenda lists {agenda} ({lines} lines of text); built in {built:.0f} s; {runs} runs "
        "per command"
    )
    return rows, description, home


# The work of `nudge today` step by step, in one fresh process: each line times one step (the
# imports a step triggers included), as the command does it (cli/agenda.py, the fast path).
PHASES_SCRIPT = """
import io, json, sys, time, contextlib
from datetime import timedelta
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
import jobnudge.cli.main as main
mark("import jobnudge.cli.main (typer, click, rich, the CLI modules)")
import typer.main
typer.main.get_command(main.app)
mark("build the click command from the typer app")
from jobnudge import config, holidaycache
settings = config.load()
holidaycache.install(config.data_dir() / "cache")  # as the command's callback does
mark("load settings")
from jobnudge.services.session import LOCAL_USER, resolve_now
from jobnudge.store import fastread
from jobnudge.store.location import sqlite_file
path = sqlite_file(settings.database, config.data_dir())
assert fastread.schema_is_current(path)
now = resolve_now(None, settings)
rows = fastread.agenda_rows(path, LOCAL_USER, now + timedelta(days=7), now)
mark("fast path: check the schema, read the agenda (sqlite3)")
from jobnudge.services.nudges import assess
items = assess(rows, settings, now)
mark("assess: guards for acting now (holiday tables for calls, from the kept file)")
from jobnudge.cli import render
json.dumps(render.agenda_json(items, settings.profile.tz))
mark("render JSON")
with contextlib.redirect_stdout(io.StringIO()):
    render.agenda(items, settings.profile.tz, now)
mark("render the text table (rich)")
print(json.dumps([(n, b - a) for (_, a), (n, b) in zip(marks, marks[1:])]))
"""


def phases(env: dict[str, str], runs: int) -> list[list[object]]:
    """Median time of each step of `nudge today` over ``runs`` fresh processes."""
    steps: dict[str, list[float]] = {}
    for _ in range(runs):
        _, done = run([sys.executable, "-c", PHASES_SCRIPT], env)
        for name, seconds in json.loads(done.stdout.splitlines()[-1]):
            steps.setdefault(name, []).append(seconds)
    return [[name, ms(statistics.median(v), 0)] for name, v in steps.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (>= 10)")
    parser.add_argument(
        "--busy-runs", type=int, default=10, help="runs for the `stale` and `busy` cases"
    )
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--no-busy", action="store_true", help="only the `history` case")
    args = parser.parse_args()

    print("# `nudge today` start-up\n")
    print(*machine_lines(), sep="\n")
    results: list[list[object]] = []
    descriptions: list[str] = []
    homes: list[Path] = []
    try:
        plan = [("history", args.runs)]
        if not args.no_busy:
            plan += [("stale", args.busy_runs), ("busy", args.busy_runs)]
        for scenario, runs in plan:
            rows, description, home = measure(scenario, args.opportunities, runs)
            homes.append(home)
            results += rows
            descriptions.append(description)
        top_cumulative, top_self, import_total = importtime(
            environment(homes[0]), args.importtime_runs
        )
        steps = {
            scenario: phases(environment(home), args.importtime_runs)
            for (scenario, _), home in zip(plan, homes, strict=True)
        }
    finally:
        for home in homes:
            shutil.rmtree(home, ignore_errors=True)
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(*descriptions, sep="\n")
    print("- Each scenario: one warm-up run per command, then round-robin timed runs")
    print(f"- Largest resident set of any child process: {rss_kib / 1024:.0f} MiB\n")
    header = ["data", "command", "median ms", "p90 ms", "min ms", "ratio to baseline"]
    print(table([*header, f"median within {TARGET_MS} ms"], results))
    print(
        f"\n### Where the time goes (one fresh process per run, median of "
        f"{args.importtime_runs} runs; each step includes the imports it triggers)\n"
    )
    names = list(steps)
    merged = [[name] + [dict(map(tuple, steps[s])).get(name, "") for s in names]
              for name, _ in steps[names[0]]]  # fmt: skip
    print(table(["step", *(f"{s} ms" for s in names)], merged))
    print(
        f"\n### Imports of `nudge today` (`python -X importtime`, `history` data, median of "
        f"{args.importtime_runs} runs; all imports together: {import_total * 1000:.0f} ms)"
    )
    print("\nTop 10 imports by cumulative time (a package includes what it imports):\n")
    print(table(["module", "cumulative ms"], top_cumulative))
    print("\nTop 10 imports by own time:\n")
    print(table(["module", "self ms"], top_self))


if __name__ == "__main__":
    main()
