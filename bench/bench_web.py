"""The web app under load: Today and Pipeline for a user with 1,000 opportunities and about
20,000 events, served to 32 concurrent clients on loopback, against a bare endpoint of the same
framework returning a page of the same size, in the same run; on SQLite and on PostgreSQL.

The server is the real app (``jobnudge.web.create_app``, local mode) under uvicorn, one worker,
in its own process, with its kept pages (``web.pagecache``) as shipped; the same pages are then
measured with kept pages off (every request renders), and Today once more while another process
writes every second, each write making the kept page stale. The load generator is ``wrk``
(``apt-get install wrk``) when present, with a Lua script reporting p50/p95/p99; otherwise a
Python asyncio + httpx generator. Every load is bounded (``--seconds``) and only talks to
127.0.0.1.

    .venv/bin/python bench/bench_web.py [--seconds 10] [--runs 3] [--backend sqlite|postgres|both]

Prints a Markdown table (the ``## Web`` section of docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import CONFIG_TOML, NOW, machine_lines, pg_database, table  # noqa: E402

OPPORTUNITIES = 1000
NOTES_PER_OPPORTUNITY = 14.2  # brings the generated history to about 20,000 events
CLIENTS = 32

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"seconds\\": %f, \\"errors\\": %d, "
    .. "\\"p50\\": %f, \\"p95\\": %f, \\"p99\\": %f, \\"non2xx\\": %d}\\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status))
end
"""


def build(url: str | None, folder: Path) -> tuple[str, int]:
    """A migrated database holding the user "local" with the generated search."""
    from sqlalchemy import func, select

    from bulkload import Builder
    from datagen import make_search
    from jobnudge.store import open_store
    from jobnudge.store.engine import WRITE
    from jobnudge.store.tables import events

    store = open_store(url, data_dir=folder)
    search = make_search(
        11,
        "local",
        opportunities=OPPORTUNITIES,
        start=NOW - timedelta(days=400),
        span_days=395,
        notes_per_opportunity=NOTES_PER_OPPORTUNITY,
    )
    with store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            Builder().add([conn], [[search]])
    with store.engine.connect() as conn:
        count = int(conn.scalar(select(func.count()).select_from(events)) or 0)
    found = store.url if url else f"sqlite:///{store.sqlite_path}"
    if url:
        found = url
    store.close()
    return found, count


def serve(url: str, port: int, folder: str, keep_pages: bool = True) -> None:
    """The server process: the real app plus ``/bare/{size}``, under uvicorn."""
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response
    from starlette.routing import Route

    from jobnudge.config import parse
    from jobnudge.web import create_app

    settings_path = Path(folder) / "config.toml"
    settings_path.write_text(CONFIG_TOML, encoding="utf-8")
    import tomllib

    settings = parse(tomllib.loads(CONFIG_TOML))
    app = create_app(
        settings,
        db=url,
        data_dir=Path(folder),
        settings_path=settings_path,
        now=lambda tz: NOW,
        keep_pages=keep_pages,
        mail_interval=0,
    )
    bodies: dict[int, str] = {}

    async def bare(request: Request) -> Response:
        size = int(request.path_params["size"])
        if size not in bodies:
            bodies[size] = "<!doctype html><p>" + "x" * max(0, size - 18)
        return HTMLResponse(bodies[size])

    app.router.routes.insert(0, Route("/bare/{size:int}", bare))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(url: str, folder: Path, keep_pages: bool = True) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, __file__, "--serve", url, str(port), str(folder)]
    process = subprocess.Popen(
        [*command, "keep" if keep_pages else "render"], stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/", timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def with_wrk(target: str, seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CLIENTS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                target,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    line = next(x for x in result.stdout.splitlines() if x.startswith("JSON "))
    data = json.loads(line[5:])
    data["rps"] = data["requests"] / data["seconds"]
    return data


def with_httpx(target: str, seconds: int) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    errors = 0

    async def client(stop: float, http: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            start = time.perf_counter()
            response = await http.get(target)
            latencies.append((time.perf_counter() - start) * 1000)
            errors += response.status_code != 200

    async def main() -> float:
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        async with httpx.AsyncClient(limits=limits, timeout=30) as http:
            began = time.perf_counter()
            stop = began + seconds
            await asyncio.gather(*(client(stop, http) for _ in range(CLIENTS)))
            return time.perf_counter() - began

    elapsed = asyncio.run(main())
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "errors": errors,
        "non2xx": errors,
    }


@contextmanager
def churn(url: str, folder: Path, every: float) -> Iterator[list[int]]:
    """Another process's writes (a note on an opportunity, one transaction each ``every``
    seconds) while the load runs: each one makes the kept pages stale."""
    import threading

    from jobnudge.store import open_store

    store = open_store(url, data_dir=folder)
    owner = store.ensure_user("local")
    target = store.opportunities(owner)[0][0].id
    stop = threading.Event()
    done: list[int] = []

    def write() -> None:
        while not stop.wait(every):
            with store.transaction(now=NOW) as tx:
                tx.update_opportunity(owner, target, notes=f"note {len(done)}")
            done.append(1)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield done
    finally:
        stop.set()
        thread.join(10)
        store.close()


RUNS = 3


def median_load(target: str, seconds: int) -> dict[str, float]:
    """``RUNS`` loads of ``target``; the median of each figure (errors are added up)."""
    load = with_wrk if shutil.which("wrk") else with_httpx
    results = [load(target, seconds) for _ in range(RUNS)]
    out = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p95", "p99")}
    out["errors"] = sum(r.get("errors", 0) + r.get("non2xx", 0) for r in results)
    return out


def _row(label: str, result: dict[str, float]) -> list[object]:
    return [
        label,
        f"{result['rps']:.0f}",
        f"{result['p50']:.1f}",
        f"{result['p95']:.1f}",
        f"{result['p99']:.1f}",
        int(result.get("errors", 0)),
    ]


def measure(base: str, seconds: int, url: str, folder: Path) -> list[list[object]]:
    """Today and Pipeline (kept pages), Today while another process writes every second, and
    the bare endpoint of each page's size; ratios against the bare endpoint."""
    import httpx

    load = with_wrk if shutil.which("wrk") else with_httpx
    rows: list[list[object]] = []
    for path, name in (("/", "Today"), ("/pipeline", "Pipeline")):
        size = len(httpx.get(base + path, timeout=30).content)
        load(base + path, 2)  # warm up
        page = median_load(base + path, seconds)
        load(f"{base}/bare/{size}", 2)
        bare = median_load(f"{base}/bare/{size}", seconds)
        rows.append([*_row(name, page), f"{page['rps'] / bare['rps']:.0%}"])
        if path == "/":
            with churn(url, folder, 1.0) as writes:
                busy = median_load(base + path, seconds)
            label = f"Today, a write every second ({len(writes)} writes in {RUNS} loads)"
            rows.append([*_row(label, busy), f"{busy['rps'] / bare['rps']:.0%}"])
        rows.append([*_row(f"bare, {size:,} bytes", bare), ""])
    return rows


def measure_cold(base: str, seconds: int) -> list[list[object]]:
    """Every request rendered (kept pages off): what one view costs after each change."""
    load = with_wrk if shutil.which("wrk") else with_httpx
    rows: list[list[object]] = []
    for path, name in (("/", "Today, rendered each time"), ("/pipeline", "Pipeline, rendered")):
        load(base + path, 2)
        rows.append([*_row(name, median_load(base + path, seconds)), ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3, help="loads per figure (median)")
    parser.add_argument("--serve", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global RUNS
    RUNS = args.runs
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2], args.serve[3] == "keep")
        return
    generator = "wrk (2 threads)" if shutil.which("wrk") else "Python asyncio + httpx"
    print("\n".join(machine_lines(with_pg=args.backend != "sqlite")))
    print(
        f"- load: {CLIENTS} concurrent clients, {args.seconds} s per load, median of {RUNS} "
        f"loads per figure, {generator}; "
        "server: uvicorn, 1 worker, same machine\n"
    )
    header = ["endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "of bare"]
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        with tempfile.TemporaryDirectory() as folder:
            if backend == "sqlite":
                url, count = build(f"sqlite:///{folder}/bench.sqlite", Path(folder))
                rows = _run(url, Path(folder), args.seconds)
            else:
                with pg_database() as pg:
                    url, count = build(pg, Path(folder))
                    rows = _run(url, Path(folder), args.seconds)
        print(f"**{backend}** ({OPPORTUNITIES:,} opportunities, {count:,} events)\n")
        print(table(header, rows))
        print()


def _run(url: str, folder: Path, seconds: int) -> list[list[object]]:
    with server(url, folder) as base:
        rows = measure(base, seconds, url, folder)
    with server(url, folder, keep_pages=False) as base:
        rows += measure_cold(base, seconds)
    return rows


if __name__ == "__main__":
    main()
