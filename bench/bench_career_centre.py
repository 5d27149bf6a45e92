"""A large career centre on one PostgreSQL server: 10,000 job seekers in one organisation, 100
coaches with caseloads of 100 (consent given), each seeker with a realistic search of 100
opportunities and ~10 events each (1,000,000 opportunities, ~10,000,000 events) and the
playbook's nudges; every figure beside a baseline measured in the same run.

Reproduce (from the repository root; needs ``wrk`` and the PostgreSQL of ``NUDGE_BENCH_PG``):

    .venv/bin/python bench/bench_career_centre.py --reuse scale_centre   # build once, keep it
    .venv/bin/python bench/bench_career_centre.py --reuse scale_centre --only web
    .venv/bin/python bench/bench_career_centre.py --seekers 1000 --distinct 100   # a quick look

Building: ``--distinct`` searches are generated and derived with the real playbook
(``datagen.make_search``, ``derive_user``) and written by ``COPY`` (``bulkload.Builder``), then
copied inside the database under new ids (``bulkload.replicate``) until there are ``--seekers``;
the indexes of the search tables are dropped for the load and made again after it, then ANALYZE.
The organisation, its members, its caseloads and every seeker's reminder settings (e-mail at
08:00 New York) are written in bulk too. With ``--reuse NAME`` the database NAME is kept and a
later run with the same sizes skips the build (without it: a throwaway ``jobnudge_bench_<hex>``).

Measured (``--only`` picks some; ``--runs`` loads per figure, variants interleaved):

- *web*: two real web workers, each ``nudge serve --accounts --no-mail-sync`` on 127.0.0.1 (as
  docs/deploy.md runs them behind the proxy), ``NUDGE_NOW`` pinned; two ``wrk`` processes, one
  per worker, 16 connections each, 32 signed-in users in all (a session each, round robin per
  connection). Figures: a coach's caseload page for 32 different coaches, as they load it
  (kept while nothing it shows changes) and rendered each time; Today and Pipeline for 32
  different job seekers; "rendered each time": each request with its own query string so no
  kept page (``web.pagecache``) is ever served: the cold path. The baseline is the
  organisation page of the same 32 coaches (signed in, one membership query, a small
  template).
- *cohort*: the organisation's cohort numbers for a quarter (``services.cohort.numbers``) and
  the CSV export of its five tables, a coach's caseload numbers; the kept path
  (``services.cohort_kept``): the job computing and keeping them, then the cohort page and its
  five CSV downloads served from the kept numbers through the web app (an in-process client);
  all against counting the organisation's events in that quarter in SQL. Wall time, this
  process's CPU time and the PostgreSQL backends' CPU time (from /proc; the server must run on
  this machine).
- *digests*: the morning digests for every seeker, prepared and sent to a local SMTP sink
  (``bench_remind.measure``: ``services.remind_batch.run_batch`` as ``nudge serve --accounts``
  runs it) against reading each seeker's agenda.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import NOW, NOW_TEXT, machine_lines, pg_admin_url, pg_database, table  # noqa: E402

TZ = "America/New_York"
MARK = "Bench Career Centre"
QUARTER = (date(2026, 7, 1), date(2026, 9, 30))
SEARCH_TABLES = (
    "users",
    "companies",
    "contacts",
    "opportunities",
    "opportunity_contacts",
    "events",
    "event_contacts",
    "nudges",
)

# --------------------------------------------------------------------------------------------
# The database


@contextmanager
def database(reuse: str | None) -> Iterator[str]:
    """The kept database ``reuse`` (made when missing), or a throwaway one."""
    if not reuse:
        with pg_database() as url:
            yield url
        return
    from sqlalchemy import create_engine, text

    admin_url = pg_admin_url()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": reuse})
            if not found:
                conn.execute(text(f'CREATE DATABASE "{reuse}"'))
    finally:
        admin.dispose()
    yield admin_url.set(database=reuse).render_as_string(hide_password=False)


def org_name(seekers: int, coaches: int, opportunities: int) -> str:
    return f"{MARK} {seekers}x{opportunities}/{coaches}"


def is_built(store: Any, name: str) -> bool:
    from sqlalchemy import select

    from jobnudge.store.org_tables import organisations

    with store.engine.connect() as conn:
        return (
            conn.scalar(select(organisations.c.id).where(organisations.c.name == name)) is not None
        )


def drop_indexes(conn: Any) -> list[str]:
    """Drop the plain indexes of the search tables (not those behind a constraint); returns
    their definitions, to make them again after the load."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY(:t) AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ),
        {"t": list(SEARCH_TABLES)},
    ).all()
    for name, _ in rows:
        conn.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _, definition in rows]


def build(store: Any, args: argparse.Namespace) -> dict[str, float]:
    """The organisation and its searches, in bulk, in one transaction; seconds per step."""
    from sqlalchemy import insert, text

    from bulkload import Builder, Writer, chunked, fix_sequences, replicate
    from datagen import make_search
    from jobnudge.store.engine import WRITE
    from jobnudge.store.org_tables import caseloads, org_members, organisations

    if args.seekers % args.distinct:
        raise SystemExit("--seekers must be a multiple of --distinct")
    steps: dict[str, float] = {}
    clock = time.perf_counter()
    rng = random.Random(2026)
    spans = [rng.randint(180, 420) for _ in range(args.distinct)]
    searches = (
        make_search(
            9000 + i,
            f"seeker{i:05d}",
            opportunities=args.opportunities,
            start=NOW - timedelta(days=spans[i]),
            span_days=spans[i] - 3,
            notes_per_opportunity=args.notes,
        )
        for i in range(args.distinct)
    )
    builder = Builder()
    with store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            definitions = drop_indexes(conn)
            before = dict(builder.counters)
            builder.add([conn], chunked(searches, 25))
            steps["generate, derive and COPY the distinct searches"] = time.perf_counter() - clock
            clock = time.perf_counter()
            replicate([conn], builder, before, args.seekers // args.distinct - 1)
            steps["copy them inside the database"] = time.perf_counter() - clock
            clock = time.perf_counter()
            seekers = list(range(1, builder.counters["users"] + 1))
            first_staff = builder.counters["users"] + 1
            staff = list(range(first_staff, first_staff + args.coaches + 1))  # coaches, admin
            Writer(conn).write(
                {
                    "users": [
                        {
                            "id": uid,
                            "name": f"coach{n:03d}" if n < args.coaches else "centre-admin",
                            "created_at": NOW - timedelta(days=400),
                            "settings": {},
                            "revision": 0,
                        }
                        for n, uid in enumerate(staff)
                    ]
                }
            )
            fix_sequences(conn)
            made = conn.execute(
                insert(organisations).values(
                    name=org_name(args.seekers, args.coaches, args.opportunities),
                    created_at=NOW - timedelta(days=400),
                )
            )
            org = int(made.inserted_primary_key[0])
            joined = NOW - timedelta(days=300)
            members = [
                {
                    "user_id": uid,
                    "org_id": org,
                    "role": "seeker",
                    "full_name": f"Job Seeker {n:05d}",
                    "email": f"seeker{n:05d}@seeker.example",
                    "active": True,
                    "joined_at": joined,
                }
                for n, uid in enumerate(seekers)
            ]
            members += [
                {
                    "user_id": uid,
                    "org_id": org,
                    "role": "coach" if n < args.coaches else "admin",
                    "full_name": f"Coach {n:03d}" if n < args.coaches else "Centre Admin",
                    "email": f"staff{n:03d}@centre.example",
                    "active": True,
                    "joined_at": joined,
                }
                for n, uid in enumerate(staff)
            ]
            conn.execute(insert(org_members), members)
            conn.execute(
                insert(caseloads),
                [
                    {
                        "coach_id": staff[n % args.coaches],
                        "seeker_id": uid,
                        "org_id": org,
                        "state": "consented",
                        "asked_at": joined,
                        "answered_at": joined + timedelta(days=1),
                    }
                    for n, uid in enumerate(seekers)
                ],
            )
            document = {
                "profile": {"name": "Bench User", "tz": TZ, "country": "US", "email": "EMAIL"},
                "remind": {"channels": ["email"], "hour": 8, "days": "every"},
            }
            conn.execute(
                text(
                    "UPDATE users SET settings = "
                    "replace(:doc, 'EMAIL', 'user' || id || '@seeker.example') WHERE id <= :last"
                ),
                {"doc": json.dumps(document), "last": seekers[-1]},
            )
            steps["organisation, members, caseloads, settings"] = time.perf_counter() - clock
            clock = time.perf_counter()
            for definition in definitions:
                conn.execute(text(definition))
            steps[f"make the {len(definitions)} indexes again"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with store.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.perf_counter() - clock
    totals = builder.totals
    print(
        f"- built: {totals.users:,} seekers, {totals.opportunities:,} opportunities, "
        f"{totals.events:,} events, {totals.nudges:,} nudges; {args.coaches} coaches"
    )
    return steps


def describe(store: Any) -> str:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        counts = {
            name: int(
                conn.scalar(
                    text(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{name}'")
                )
                or 0
            )
            for name in ("users", "opportunities", "events", "nudges", "caseloads")
        }
        size = conn.scalar(text("SELECT pg_size_pretty(pg_database_size(current_database()))"))
    return (
        f"{counts['users']:,} users, {counts['opportunities']:,} opportunities, "
        f"{counts['events']:,} events, {counts['nudges']:,} nudges, {counts['caseloads']:,} "
        f"caseload links (planner estimates); database {size}"
    )


def people(store: Any, name: str) -> tuple[int, list[int], list[int]]:
    """The organisation's administrator, coaches and seekers (by user id)."""
    from sqlalchemy import select

    from jobnudge.store.org_tables import org_members, organisations

    with store.engine.connect() as conn:
        org = conn.scalar(select(organisations.c.id).where(organisations.c.name == name))
        rows = conn.execute(
            select(org_members.c.user_id, org_members.c.role)
            .where(org_members.c.org_id == org)
            .order_by(org_members.c.user_id)
        ).all()
    admin = next(uid for uid, role in rows if role == "admin")
    return (
        admin,
        [uid for uid, role in rows if role == "coach"],
        [uid for uid, role in rows if role == "seeker"],
    )


# --------------------------------------------------------------------------------------------
# The web workers and the load


LUA = """
local cookies = {%(cookies)s}
local paths = {%(paths)s}
local unique = %(unique)s
local tag = "%(tag)s"
local n = 0
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end
request = function()
  n = n + 1
  local i = (n %% #cookies) + 1
  local path = paths[i]
  if unique then path = path .. "?fresh=" .. tag .. "-" .. id .. "-" .. n end
  return wrk.format("GET", path, {["Cookie"] = "nudge_session=" .. cookies[i]})
end
done = function(summary, latency, requests)
  local q = {}
  for p = 0.5, 99.5, 0.5 do q[#q + 1] = string.format("%%f", latency:percentile(p) / 1000) end
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, \\"errors\\": %%d, "
    .. "\\"non2xx\\": %%d, \\"q\\": [%%s]}\\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, table.concat(q, ",")))
end
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def web_workers(url: str, folder: Path, count: int = 2) -> Iterator[list[str]]:
    """``count`` real web workers (``nudge serve --accounts``) on loopback ports."""
    import httpx

    env = {**os.environ, "NUDGE_NOW": NOW_TEXT, "HOME": str(folder)}
    nudge = str(Path(sys.executable).with_name("nudge"))
    processes, bases = [], []
    try:
        for _ in range(count):
            port = free_port()
            command = [nudge, "--db", url, "serve", "--accounts", "--no-browser"]
            command += ["--no-mail-sync", "--host", "127.0.0.1", "--port", str(port)]
            log = (folder / f"web-{port}.log").open("w")
            processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base + "/signin", timeout=30).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the web worker at {base} did not start")
                time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def load(
    bases: Sequence[str], cookies: Sequence[str], paths: Sequence[str], unique: bool, seconds: int
) -> dict[str, float]:
    """One load: a ``wrk`` per web worker at once, each with half the users; latencies pooled
    from both (each one's 199 percentiles, weighted by its requests)."""
    half = len(cookies) // len(bases)
    scripts, procs = [], []
    try:
        for k, base in enumerate(bases):
            mine = cookies[k * half : (k + 1) * half]
            where = paths[k * half : (k + 1) * half]
            script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
            script.write(
                LUA
                % {
                    "cookies": ", ".join(f'"{c}"' for c in mine),
                    "paths": ", ".join(f'"{p}"' for p in where),
                    "unique": "true" if unique else "false",
                    "tag": f"{k}{secrets.token_hex(3)}",
                }
            )
            script.close()
            scripts.append(script.name)
            command = ["wrk", "-t1", f"-c{half}", f"-d{seconds}s", "--timeout", "30s"]
            procs.append(
                subprocess.Popen(
                    [*command, "-s", script.name, base],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        outs = [p.communicate(timeout=seconds + 120)[0] for p in procs]
    finally:
        for name in scripts:
            Path(name).unlink(missing_ok=True)
    results = []
    for out in outs:
        line = next(x for x in out.splitlines() if x.startswith("JSON "))
        results.append(json.loads(line[5:]))
    pooled: list[tuple[float, float]] = []
    for r in results:
        weight = r["requests"] / len(r["q"])
        pooled += [(v, weight) for v in r["q"]]
    pooled.sort()
    total_weight = sum(w for _, w in pooled) or 1.0

    def quantile(p: float) -> float:
        acc = 0.0
        for value, weight in pooled:
            acc += weight
            if acc >= p * total_weight:
                return value
        return pooled[-1][0] if pooled else 0.0

    requests = sum(r["requests"] for r in results)
    seconds_run = max(r["seconds"] for r in results)
    return {
        "requests": requests,
        "rps": requests / seconds_run if seconds_run else 0.0,
        "p50": quantile(0.5),
        "p95": quantile(0.95),
        "errors": sum(r["errors"] + r["non2xx"] for r in results),
    }


def check_pages(bases: Sequence[str], coach_cookie: str, seeker_cookie: str) -> None:
    """Each measured page answers 200 with its content to its user (not a sign-in redirect)."""
    import httpx

    for cookie, path, words in (
        (coach_cookie, "/caseload", "Job Seeker"),
        (coach_cookie, "/org", "Your caseload"),
        (seeker_cookie, "/?fresh=check", "</html>"),
        (seeker_cookie, "/pipeline?fresh=check", "</html>"),
    ):
        for base in bases:
            answer = httpx.get(
                base + path, cookies={"nudge_session": cookie}, timeout=120, follow_redirects=False
            )
            if answer.status_code != 200 or words not in answer.text:
                raise SystemExit(f"{path} answered {answer.status_code} at {base}")


def settle(bases: Sequence[str], cookie: str, limit: float = 180.0) -> float:
    """Wait until each web worker has finished the requests a load left behind (a client that
    gave up does not stop the render it asked for), so that they do not fall on the next load:
    until a small page answers within 2 s. Returns the seconds waited."""
    import httpx

    began = time.monotonic()
    for base in bases:
        while time.monotonic() - began < limit:
            start = time.monotonic()
            httpx.get(base + "/org", cookies={"nudge_session": cookie}, timeout=limit)
            if time.monotonic() - start < 2.0:
                break
    return time.monotonic() - began


def measure_web(
    store: Any, url: str, coaches: list[int], seekers: list[int], args: argparse.Namespace
) -> list[list[object]]:
    from jobnudge.services.accounts import create_session

    users = 32
    coach_ids = coaches[:users]
    step = max(1, len(seekers) // users)
    seeker_ids = seekers[::step][:users]
    coach_cookies = [create_session(store, uid, NOW) for uid in coach_ids]
    seeker_cookies = [create_session(store, uid, NOW) for uid in seeker_ids]
    variants = {
        "organisation page (baseline), 32 coaches": (coach_cookies, "/org", False),
        "caseload page, 32 coaches": (coach_cookies, "/caseload", False),
        "caseload page, 32 coaches, rendered each time": (coach_cookies, "/caseload", True),
        "Today, 32 job seekers, rendered each time": (seeker_cookies, "/", True),
        "Pipeline, 32 job seekers, rendered each time": (seeker_cookies, "/pipeline", True),
    }
    found: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    with (
        tempfile.TemporaryDirectory(prefix="jobnudge-centre-") as folder,
        web_workers(url, Path(folder)) as bases,
    ):
        check_pages(bases, coach_cookies[0], seeker_cookies[0])
        names = list(variants)
        for name in names:  # warm up: connections, templates, the planner's caches
            cookies, path, unique = variants[name]
            load(bases, cookies, [path] * len(cookies), unique, 3)
            settle(bases, coach_cookies[0])
        for run in range(args.runs):
            shift = run % len(names)
            for name in names[shift:] + names[:shift]:
                cookies, path, unique = variants[name]
                result = load(bases, cookies, [path] * len(cookies), unique, args.seconds)
                found[name].append(result)
                waited = settle(bases, coach_cookies[0])
                print(
                    f"- run {run + 1}, {name}: {result['rps']:.1f} req/s, "
                    f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
                    f"load {os.getloadavg()[0]:.1f}; {waited:.0f} s to settle",
                    flush=True,
                )
    base_rps = statistics.median(r["rps"] for r in found[names[0]])
    base_p50 = statistics.median(r["p50"] for r in found[names[0]])
    rows: list[list[object]] = []
    for name in names:
        runs = found[name]
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50"] for r in runs)
        p95 = statistics.median(r["p95"] for r in runs)
        rows.append(
            [
                name,
                f"{rps:.1f}",
                f"{p50:.0f}",
                f"{p95:.0f}",
                int(sum(r["errors"] for r in runs)),
                f"{rps / base_rps:.2f}",
                f"{p50 / base_p50:.1f}",
            ]
        )
    return rows


# --------------------------------------------------------------------------------------------
# Cohort numbers


def measure_cohort(
    store: Any, admin: int, coach: int, seekers: list[int], runs: int
) -> list[list[object]]:
    from sqlalchemy import text

    from jobnudge.services import cohort, cohort_csv

    first, last = QUARTER
    counted: list[int] = []

    def baseline() -> None:
        with store.engine.connect() as conn:
            counted.append(
                int(
                    conn.scalar(
                        text(
                            "SELECT count(*) FROM events e JOIN org_members m "
                            "ON m.user_id = e.owner_id WHERE m.org_id = (SELECT org_id FROM "
                            "org_members WHERE user_id = :admin) AND e.at >= :a AND e.at < :b"
                        ),
                        {"admin": admin, "a": first, "b": last + timedelta(days=1)},
                    )
                    or 0
                )
            )

    sizes: dict[str, int] = {}

    csv_seconds: list[float] = []

    def organisation() -> None:
        numbers = cohort.numbers(store, admin, "organisation", first, last, NOW, TZ)
        sizes["organisation"] = numbers.people
        start = time.perf_counter()
        sizes["csv"] = sum(len(cohort_csv.to_csv(numbers, name)) for name in cohort.TABLES)
        csv_seconds.append(time.perf_counter() - start)

    def caseload() -> None:
        numbers = cohort.numbers(store, coach, "caseload", first, last, NOW, TZ)
        sizes["caseload"] = numbers.people

    kept = KeptCohort(store, admin, first, last)
    funcs = {
        "count the organisation's events in the quarter, SQL (baseline)": baseline,
        "organisation's cohort numbers for the quarter, then its 5 CSV tables": organisation,
        "a coach's caseload numbers for the quarter": caseload,
        "the organisation's numbers computed and kept (the job `cohort`)": kept.compute,
        "the cohort page served from the kept numbers": kept.page,
        "its 5 CSV tables from the kept numbers": kept.csvs,
    }
    times: dict[str, list[float]] = {name: [] for name in funcs}
    cpu: dict[str, list[float]] = {name: [] for name in funcs}
    pg_cpu: dict[str, list[float]] = {name: [] for name in funcs}
    names = list(funcs)
    try:
        kept.compute()  # the page and the CSVs need kept numbers from the first run on
        for run in range(runs):
            shift = run % len(names)
            for name in names[shift:] + names[:shift]:
                backends = backend_cpu(store)
                start, used = time.perf_counter(), time.process_time()
                funcs[name]()
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - used)
                after = backend_cpu(store)
                pg_cpu[name].append(sum(v - backends.get(p, 0.0) for p, v in after.items()))
                print(f"- run {run + 1}, {name}: {times[name][-1]:.3f} s", flush=True)
    finally:
        kept.close()
    base = statistics.median(times[names[0]])
    print(
        f"- {counted[-1]:,} events in the quarter; {sizes['organisation']:,} seekers in the "
        f"organisation's numbers, {sizes['caseload']} in the caseload's; CSV {sizes['csv']:,} bytes"
    )
    print(f"- writing the 5 CSV tables from the numbers: {statistics.median(csv_seconds):.4f} s")
    print(
        f"- computations by the kept path: {kept.computed} (one per 'computed and kept' run and "
        f"one before; none for a page or a CSV)"
    )
    base_cpu = statistics.median(cpu[names[0]]) + statistics.median(pg_cpu[names[0]])
    return [
        [
            name,
            f"{statistics.median(times[name]):.3f}",
            f"{statistics.median(cpu[name]):.3f}",
            f"{statistics.median(pg_cpu[name]):.3f}",
            f"{statistics.median(times[name]) / base:.2f}",
            f"{(statistics.median(cpu[name]) + statistics.median(pg_cpu[name])) / base_cpu:.2f}",
        ]
        for name in names
    ]


def backend_cpu(store: Any) -> dict[int, float]:
    """CPU seconds (user + system) so far of each PostgreSQL backend on this database, from
    /proc (the server runs on this machine); a backend that ends within a step (a parallel
    worker) is not counted."""
    from sqlalchemy import text

    with store.engine.connect() as conn:
        pids = conn.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).all()
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(pid)] = (int(fields[11]) + int(fields[12])) / tick
    return found


class KeptCohort:
    """The kept path (``services.cohort_kept``): the job's computation, and the page and CSV
    downloads served from its result through the web app itself (an in-process client signed in
    as the administrator: routing, session, scoping, template; no network)."""

    def __init__(self, store: Any, admin: int, first: date, last: date) -> None:
        from starlette.testclient import TestClient

        from jobnudge.config import Settings
        from jobnudge.services.accounts import create_session
        from jobnudge.web import create_app

        os.environ["NUDGE_COHORT_INLINE_PEOPLE"] = "1000000"  # the compute step: in this thread
        self.store, self.admin = store, admin
        self.app = create_app(
            Settings(), store=store, accounts=True, now=lambda tz: NOW, mail_interval=0
        )
        self.tz = self.app.state.nudge.prefs.settings(admin).profile.tz
        self.client = TestClient(self.app, base_url="http://127.0.0.1")
        self.client.cookies.set("nudge_session", create_session(store, admin, NOW))
        self.query = f"scope=organisation&from={first.isoformat()}&to={last.isoformat()}"
        self.first, self.last = first, last
        self.computed = 0

    def compute(self) -> None:
        from jobnudge.services import cohort_kept

        before = cohort_kept.computations
        shown = cohort_kept.show(
            self.store,
            self.admin,
            "organisation",
            self.first,
            self.last,
            NOW,
            self.tz,
            recompute=True,
        )
        assert shown.state == "done" and shown.cohort is not None, shown.state
        self.computed += cohort_kept.computations - before

    def page(self) -> None:
        from jobnudge.services import cohort_kept

        before = cohort_kept.computations
        got = self.client.get(f"/cohort?{self.query}")
        assert got.status_code == 200 and "Computed" in got.text, got.text[:400]
        assert cohort_kept.computations == before

    def csvs(self) -> None:
        from jobnudge.services import cohort, cohort_kept

        before = cohort_kept.computations
        for name in cohort.TABLES:
            got = self.client.get(f"/cohort.csv?table={name}&{self.query}")
            assert got.status_code == 200 and got.text.count("\n") >= 2, got.text[:400]
        assert cohort_kept.computations == before

    def close(self) -> None:
        self.client.close()


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", metavar="NAME", help="keep (or reuse) the database NAME")
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--coaches", type=int, default=100)
    parser.add_argument("--opportunities", type=int, default=100, help="per seeker")
    parser.add_argument("--notes", type=float, default=4.0, help="notes per opportunity")
    parser.add_argument("--distinct", type=int, default=500, help="searches derived one by one")
    parser.add_argument("--only", default="web,cohort,digests", help="what to measure")
    parser.add_argument("--seconds", type=int, default=10, help="per web load")
    parser.add_argument("--runs", type=int, default=3, help="loads or runs per figure")
    parser.add_argument("--digest-runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=8, help="digest delivery threads")
    args = parser.parse_args()
    only = set(args.only.split(","))
    # A stopped run stops its web workers too (their ``finally`` runs on SIGTERM).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    from jobnudge.store import open_store

    print("# A career centre: 10,000 job seekers, 100 coaches\n")
    print(*machine_lines(with_pg=True), sep="\n")
    name = org_name(args.seekers, args.coaches, args.opportunities)
    with ExitStack() as stack:
        url = stack.enter_context(database(args.reuse))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jobnudge-")))
        store = open_store(url, data_dir=folder, now=NOW)
        stack.callback(store.close)
        if is_built(store, name):
            print(f"- reusing the database {args.reuse}")
        else:
            started = time.perf_counter()
            steps = build(store, args)
            print(f"- built in {time.perf_counter() - started:.0f} s:")
            for step, seconds in steps.items():
                print(f"  - {step}: {seconds:.0f} s")
        print(f"- {describe(store)}")
        admin, coaches, seekers = people(store, name)
        print(f"- caseload of the first coach: {len(seekers) // len(coaches)} seekers\n")
        if "web" in only:
            rows = measure_web(store, url, coaches, seekers, args)
            print(
                f"\n**Web**: 2 web workers (`nudge serve --accounts`), 32 connections (16 per "
                f"worker), {args.seconds} s per load, median of {args.runs} loads, wrk; "
                f"load average after: {os.getloadavg()[0]:.2f}\n"
            )
            print(
                table(
                    [
                        "page",
                        "req/s",
                        "p50 ms",
                        "p95 ms",
                        "errors",
                        "req/s of baseline",
                        "p50 × baseline",
                    ],
                    rows,
                )
            )
            print()
        if "cohort" in only:
            rows = measure_cohort(store, admin, coaches[0], seekers, args.runs)
            print(
                f"\n**Cohort numbers** {QUARTER[0]} to {QUARTER[1]}, median of {args.runs} runs; "
                f"load average after: {os.getloadavg()[0]:.2f}\n"
            )
            print(
                table(
                    [
                        "what",
                        "wall s",
                        "CPU s, this process",
                        "CPU s, PostgreSQL backends",
                        "× baseline (wall)",
                        "× baseline (CPU, both)",
                    ],
                    rows,
                )
            )
            print()
        if "digests" in only:
            from bench_remind import measure, result_table, sink

            with sink() as port:
                found = measure(store, seekers, port, args.digest_runs, args.workers)
            last = found.last
            print(
                f"\n**Morning digests**: {len(seekers):,} seekers; {found.due_items:,} items due "
                f"or overdue in all; a digest run: {last.prepared:,} stored, {last.delivered:,} "
                f"delivered, {last.failed} failed, {last.empty:,} with nothing new; "
                f"{args.workers} delivery threads; median of {args.digest_runs} runs; "
                f"load average after: {os.getloadavg()[0]:.2f}\n"
            )
            print(result_table(found, len(seekers)))


if __name__ == "__main__":
    main()
