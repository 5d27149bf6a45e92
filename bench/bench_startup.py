"""`nudge` start-up: the agenda against Taskwarrior's `task next`, and every command's start-up.

Reproduce (from the repository root, ~6-8 minutes on a 2-core machine):

    .venv/bin/python bench/bench_startup.py
    .venv/bin/python bench/bench_startup.py --runs 30 --no-busy --command-runs 5

Builds, in a temporary directory, the SQLite file of the local user ("local", as the command
line uses) with ``--opportunities`` opportunities, their events and the nudges the real playbook
derives, all written in bulk, for these scenarios:

- ``history`` (the headline): six years of settled opportunities plus a current search of 30,
  so the agenda is as long as a normal user's (~20 items) while the file holds 10,000
  opportunities;
- ``stale``: the same, but the user never thanked the staffing firms after interviews;
- ``busy`` (stress): 10,000 opportunities found evenly over three years, ~9 a day, so hundreds
  of follow-ups are pending and the agenda lists ~700 items.

The peer is Taskwarrior 2.6 (Debian package ``taskwarrior``; this script installs nothing and
skips the peer, saying so, when ``task`` is not on the PATH): ``task next`` on 10,000 tasks of
which 30 are pending (the rest completed over six years, like the ``history`` search), loaded
with ``task import`` into a temporary ``TASKDATA``.

It checks that the fast read path applies (``fastread.schema_is_current``), then runs,
round-robin so that background load falls on all alike, each command in a fresh process:

- ``nudge``, ``nudge today`` and ``nudge --json today`` (the installed console script beside
  this interpreter, which answers them from the fast path, ``cli/quick.py``), ``nudge today``
  through the full command line (``NUDGE_FULL_PATH=1``, for reference), and ``nudge check`` of
  a short thank-you to the newest opportunity;
- the peer, ``task next``;
- the baseline, ``python -c "import sqlite3"`` with the same interpreter.

Every process gets ``NUDGE_DATA_DIR`` and ``NUDGE_CONFIG`` in the temporary directory and a
pinned ``NUDGE_NOW``; ``PYTHONDONTWRITEBYTECODE`` is removed so that, as after a normal install,
compiled bytecode is reused (the warm-up run writes it). Reports median and p90 over ``--runs``
runs and the ratio of each median to the peer's and to the baseline's; then every command's
start-up on the demo search (``nudge demo``; read commands do their work, the others answer
``--help``, which imports and builds only that command), against the 400 ms target; and the
imports of ``nudge today`` (``python -X importtime``, medians over ``--importtime-runs`` runs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
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
COMMAND_TARGET_MS = 400
PEER_RATIO = 2.0  # `nudge today` within 2x `task next`
BASELINE_RATIO = 6.0  # and within 6x the bare interpreter with sqlite3
NUDGE = Path(sys.executable).parent / "nudge"
TASK = shutil.which("task")
PEER = "task next"


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
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NUDGE_", "TASK")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        NUDGE_DATA_DIR=str(home / "data"),
        NUDGE_CONFIG=str(home / "config.toml"),
        NUDGE_NOW=NOW_TEXT,
        COLUMNS="100",
        NO_COLOR="1",
        TASKRC=str(home / "task" / "taskrc"),
        TASKDATA=str(home / "task" / "data"),
    )
    return env


CPU: list[float] = []
"""CPU seconds (user + system) of each process :func:`run` started, in order."""


def run(
    args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)
) -> tuple[float, subprocess.CompletedProcess[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    )  # the process's own user + system time: what other jobs' load changes least
    if done.returncode not in ok:
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


def commands(home: Path, message: Path, opportunity: int) -> dict[str, list[str]]:
    found = {
        "nudge": [str(NUDGE)],
        "nudge today": [str(NUDGE), "today"],
        "nudge --json today": [str(NUDGE), "--json", "today"],
        "nudge today (full command line)": ["env", "NUDGE_FULL_PATH=1", str(NUDGE), "today"],
        "nudge check": [str(NUDGE), "check", str(message), "--to", str(opportunity)],
        "nudge check (full command line)": [
            "env",
            "NUDGE_FULL_PATH=1",
            str(NUDGE),
            "check",
            str(message),
            "--to",
            str(opportunity),
        ],
    }
    if TASK is not None:
        found[PEER] = [TASK, "next"]
    found[BASELINE] = [sys.executable, "-c", "import sqlite3"]
    return found


MESSAGE = """Dear Ms. Lee,

Thank you for speaking with me today about the role. I enjoyed hearing how the team works,
and I am glad to answer any further questions.

Best regards,
Bench User
"""


def task_peer(home: Path, opportunities: int) -> str:
    """Taskwarrior's data in ``home/task``: ``opportunities`` tasks, 30 pending; a summary."""
    if TASK is None:
        return ""
    folder = home / "task"
    (folder / "data").mkdir(parents=True)
    (folder / "taskrc").write_text(
        f"data.location={folder / 'data'}\nconfirmation=off\nverbose=nothing\n",
        encoding="utf-8",
    )
    pending = 30
    lines = []
    start = NOW - timedelta(days=6 * 365)
    step = timedelta(days=6 * 365 - 200) / max(1, opportunities - pending)

    def stamp(moment: object) -> str:
        return moment.strftime("%Y%m%dT%H%M%SZ")  # type: ignore[attr-defined]

    for number in range(opportunities):
        task: dict[str, object] = {
            "uuid": f"00000000-0000-4000-8000-{number:012d}",
            "description": f"Follow up with company {number} about the analyst role",
            "project": "jobs",
            "tags": ["followup"],
        }
        if number < opportunities - pending:
            entry = start + step * number
            task.update(status="completed", entry=stamp(entry), end=stamp(entry + timedelta(3)))
        else:
            left = number - (opportunities - pending)
            task.update(
                status="pending",
                entry=stamp(NOW - timedelta(days=45 - left)),
                due=stamp(NOW + timedelta(days=left % 10 - 3, hours=left % 7)),
            )
        lines.append(json.dumps(task))
    source = folder / "tasks.json"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder / "data")}
    subprocess.run([TASK, "import", str(source)], env=env, capture_output=True, check=True)
    shown = subprocess.run([TASK, "next"], env=env, capture_output=True, text=True, check=True)
    sizes = sum(p.stat().st_size for p in (folder / "data").iterdir()) / 1e6
    return (
        f"- peer: Taskwarrior {_task_version()}, {opportunities:,} tasks ({pending} pending), "
        f"{sizes:.1f} MB of data files; `task next` lists "
        f"{len([x for x in shown.stdout.splitlines() if x.strip()])} lines"
    )


def _task_version() -> str:
    assert TASK is not None
    done = subprocess.run([TASK, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def measure(
    scenario: str, opportunities: int, runs: int, peer: bool
) -> tuple[list[list[object]], str, Path]:
    """Build the scenario's file, time the commands; result rows, a description, the home."""
    make, what = SCENARIOS[scenario]
    home = Path(tempfile.mkdtemp(prefix=f"jobnudge-bench-{scenario}-"))
    (home / "config.toml").write_text(CONFIG_TOML, encoding="utf-8")
    start = time.perf_counter()
    path, counts = build(home, make(opportunities))
    built = time.perf_counter() - start
    if not fastread.schema_is_current(path):
        raise SystemExit(f"{path} is not at the current schema: the fast path would not apply")
    peer_line = task_peer(home, opportunities) if peer else ""
    message = home / "message.txt"
    message.write_text(MESSAGE, encoding="utf-8")
    with sqlite3.connect(path) as conn:
        newest = conn.execute("SELECT max(id) FROM opportunities").fetchone()[0]
    env = environment(home)
    argvs = commands(home, message, newest)
    if not peer:
        argvs.pop(PEER, None)
    agenda = len(json.loads(run(argvs["nudge --json today"], env)[1].stdout))
    lines = len(run(argvs["nudge today"], env)[1].stdout.splitlines())
    for argv in argvs.values():  # warm the page cache, write .pyc files, remember settings
        run(argv, env, ok=(0, 1))
    fast = run([sys.executable, "-c", FAST_CHECK, "today"], env)[1].stdout.strip()
    if fast != "fast":
        raise SystemExit(f"the fast path was not taken for `nudge today`: {fast}")
    check_args = ["check", str(message), "--to", str(newest)]
    fast = run([sys.executable, "-c", FAST_CHECK_CHECK, *check_args], env)[1].stdout.strip()
    if fast != "fast":
        raise SystemExit(f"the fast path was not taken for `nudge check`: {fast}")
    times: dict[str, list[float]] = {name: [] for name in argvs}
    cpu: dict[str, list[float]] = {name: [] for name in argvs}
    names = list(argvs)
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(run(argvs[name], env, ok=(0, 1))[0])
            cpu[name].append(CPU[-1])
    base = Stats(tuple(times[BASELINE]))
    other = Stats(tuple(times[PEER])) if PEER in times else None
    base_cpu = Stats(tuple(cpu[BASELINE]))
    other_cpu = Stats(tuple(cpu[PEER])) if PEER in cpu else None
    rows: list[list[object]] = []
    for name, samples in times.items():
        stats = Stats(tuple(samples))
        used = Stats(tuple(cpu[name]))
        to_peer = f"{stats.median / other.median:.2f}×" if other else "n/a"
        cpu_to_peer = f"{used.median / other_cpu.median:.2f}×" if other_cpu else "n/a"
        rows.append(
            [
                scenario,
                f"`{name}`",
                ms(stats.median, 0),
                ms(stats.p90, 0),
                ms(min(samples), 0),
                to_peer,
                f"{stats.median / base.median:.1f}×",
                ms(used.median, 0),
                cpu_to_peer,
                f"{used.median / base_cpu.median:.1f}×",
            ]
        )
    today_cpu, today_wall = (Stats(tuple(d["nudge today"])).median for d in (cpu, times))
    check_cpu = Stats(tuple(cpu["nudge check"])).median / today_cpu
    check_wall = Stats(tuple(times["nudge check"])).median / today_wall
    description = (
        f"- `{scenario}`: `nudge check` takes {check_wall:.2f}× the wall time and "
        f"{check_cpu:.2f}× the CPU time of `nudge today` (medians, same run)\n"
        f"- `{scenario}`: {what}: {counts['opportunities']:,} opportunities, "
        f"{counts['events']:,} events, {counts['nudges']:,} materialised nudges; the 7-day "
        f"agenda lists {agenda} ({lines} lines of text); built in {built:.0f} s; {runs} runs "
        "per command"
    )
    if peer_line:
        description += "\n" + peer_line
    return rows, description, home


FAST_CHECK = (
    "import sys\n"
    "from jobnudge.cli import quick\n"
    "answered = quick.answer(sys.argv[1:])\n"
    "heavy = [m for m in ('typer', 'click', 'rich', 'sqlalchemy') if m in sys.modules]\n"
    "print('fast' if answered is not None and not heavy else f'full {heavy}')\n"
)
"""Whether the fast path answers (and imported nothing heavy), in a fresh process."""
FAST_CHECK_CHECK = FAST_CHECK.replace("quick\n", "quickcheck as quick\n")
"""The same for ``nudge check`` (``cli/quickcheck.py``)."""


def every_command(runs: int) -> list[list[object]]:
    """Each command's start-up on the demo search, round-robin; rows for the table."""
    home = Path(tempfile.mkdtemp(prefix="jobnudge-bench-demo-"))
    try:
        (home / "config.toml").write_text(CONFIG_TOML, encoding="utf-8")
        env = environment(home)
        run([str(NUDGE), "demo"], env)
        message = home / "message.txt"
        message.write_text(MESSAGE, encoding="utf-8")
        out = home / "out"
        out.mkdir()
        work = {
            "nudge": [],
            "nudge today": ["today"],
            "nudge --json today": ["--json", "today"],
            "nudge --help": ["--help"],
            "nudge list": ["list"],
            "nudge show 1": ["show", "1"],
            "nudge check": ["check", str(message), "--to", "1"],
            "nudge settings": ["settings"],
            "nudge contact list": ["contact", "list"],
            "nudge undo --list": ["undo", "--list"],
            "nudge export": ["export", str(out / "search.csv")],
            "nudge report": ["report", str(out / "report.html")],
            "nudge backup": ["backup", str(out / "backup.json")],
            "nudge calendar": ["calendar", str(out / "search.ics")],
        }
        writes = [
            "done", "snooze", "dismiss", "add", "log", "tune", "draft", "sent", "demo",
            "replan", "serve", "import", "restore", "import-invite", "mail", "delete",
        ]  # fmt: skip
        argvs = {name: [str(NUDGE), *args] for name, args in work.items()}
        argvs.update({f"nudge {c} --help": [str(NUDGE), c, "--help"] for c in writes})
        for argv in argvs.values():
            run(argv, env, ok=(0, 1))
        times: dict[str, list[float]] = {name: [] for name in argvs}
        cpu: dict[str, list[float]] = {name: [] for name in argvs}
        names = list(argvs)
        for i in range(runs):
            shift = i % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(run(argvs[name], env, ok=(0, 1))[0])
                cpu[name].append(CPU[-1])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    rows = []
    for name, samples in sorted(times.items(), key=lambda kv: -Stats(tuple(cpu[kv[0]])).median):
        stats, used = Stats(tuple(samples)), Stats(tuple(cpu[name]))
        verdicts = [
            "yes" if value * 1000 <= COMMAND_TARGET_MS else "**no**"
            for value in (stats.median, used.median)
        ]
        rows.append(
            [f"`{name}`", ms(stats.median, 0), ms(stats.p90, 0), ms(used.median, 0), *verdicts]
        )
    return rows


# The work of `nudge today` step by step, in one fresh process, as the fast path does it
# (cli/quick.py): each line times one step, the imports it triggers included.
PHASES_SCRIPT = """
import os, sys, time
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
from jobnudge.cli import quick
mark("import the fast path (cli/quick.py)")
known = quick.recall(os.environ)
assert known is not None
mark("recall the remembered settings")
from datetime import timedelta
from jobnudge.store import fastread
from jobnudge import clock
path = os.path.join(known.data_dir, quick.DEFAULT_FILE_NAME)
assert fastread.schema_is_current(path)
now = clock.resolve(os.environ.get("NUDGE_NOW"), known.tz)
records = fastread.agenda_records(path, "local", now + timedelta(days=7), now)
mark("check the schema, read the agenda (sqlite3)")
lines = quick.assess(records, known, now)
mark("assess: groups, guards for acting now (holidays for calls, from the kept file)")
from jobnudge.cli import agendaview
agendaview.json_text(agendaview.json_rows(lines, known.tz))
mark("render JSON")
agendaview.text(lines, known.tz, now, width=100)
mark("render the text table")
import json
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
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (>= 15)")
    parser.add_argument(
        "--busy-runs", type=int, default=10, help="runs for the `stale` and `busy` cases"
    )
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument(
        "--command-runs", type=int, default=5, help="runs of each command on the demo search"
    )
    parser.add_argument("--no-busy", action="store_true", help="only the `history` case")
    args = parser.parse_args()

    print("# `nudge` start-up\n")
    print(*machine_lines(), sep="\n")
    if TASK is None:
        print(
            "- Peer skipped: Taskwarrior (`task`) is not installed; "
            "`apt-get install taskwarrior` adds it (this script installs nothing)"
        )
    results: list[list[object]] = []
    descriptions: list[str] = []
    homes: list[Path] = []
    try:
        plan = [("history", args.runs)]
        if not args.no_busy:
            plan += [("stale", args.busy_runs), ("busy", args.busy_runs)]
        for scenario, runs in plan:
            rows, description, home = measure(
                scenario, args.opportunities, runs, peer=scenario == "history"
            )
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
    commands_table = every_command(args.command_runs)
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(*descriptions, sep="\n")
    print("- Each scenario: one warm-up run per command, then round-robin timed runs")
    print(f"- Largest resident set of any child process: {rss_kib / 1024:.0f} MiB\n")
    header = ["data", "command", "median ms", "p90 ms", "min ms", f"ratio to `{PEER}`"]
    cpu_header = ["CPU ms", f"CPU ratio to `{PEER}`", "CPU ratio to baseline"]
    print(table([*header, "ratio to baseline", *cpu_header], results))
    print(
        "\nWall time is what a person waits; CPU time (user + system of the process, median) "
        "moves less with the other jobs on a shared machine."
    )
    print(
        f"\nTargets: `nudge today` within {PEER_RATIO:g}× `{PEER}` and within "
        f"{BASELINE_RATIO:g}× the baseline; `nudge check` within 1.5× `nudge today`."
    )
    print(
        f"\n### Every command's start-up on the demo search ({args.command_runs} round-robin "
        "runs each; write commands answer `--help`)\n"
    )
    print(
        table(
            [
                "command",
                "median ms",
                "p90 ms",
                "CPU ms",
                f"median within {COMMAND_TARGET_MS} ms",
                f"CPU within {COMMAND_TARGET_MS} ms",
            ],
            commands_table,
        )
    )
    print(
        f"\n### Where the time goes in the fast path (one fresh process per run, median of "
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
