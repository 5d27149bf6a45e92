"""Shared by the benchmarks: the pinned moment and settings, the machine, timing, Markdown
tables and throwaway PostgreSQL databases. The data generator is in ``datagen.py``.

Nothing here is a benchmark; run the ``bench_*.py`` scripts (see ``bench/README.md``).
"""

from __future__ import annotations

import os
import platform
import secrets
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jobnudge.config import Profile, Settings

# --------------------------------------------------------------------------------------------
# The pinned moment and the user's settings

NOW = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
"""Every benchmark sees the world at this instant (a Tuesday, 09:30 in New York)."""
NOW_TEXT = "2026-11-24T14:30:00+00:00"
""":data:`NOW` as ``NUDGE_NOW`` spells it."""
USER_TZ = "America/New_York"
SETTINGS = Settings(profile=Profile(name="Bench User", tz=USER_TZ, country="US"))
CONFIG_TOML = f'[profile]\nname = "Bench User"\ntz = "{USER_TZ}"\ncountry = "US"\n'
"""The same settings as a config file, for the ``nudge`` command."""

PG_ADMIN_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
"""Override with ``NUDGE_BENCH_PG`` (any database the user may CREATE DATABASE from)."""

# --------------------------------------------------------------------------------------------
# The machine


def _run(args: Sequence[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "?"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def memory_total() -> str:
    for line in _run(["free", "-h"]).splitlines():
        if line.startswith("Mem:"):
            return line.split()[1]
    return "?"


def pg_version(url: str | None = None) -> str | None:
    try:
        engine = create_engine(pg_admin_url(url), connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                return str(conn.scalar(text("SHOW server_version")))
        finally:
            engine.dispose()
    except Exception:  # any failure to reach the server: reported as absent
        return None


def machine_lines(*, with_pg: bool = False) -> list[str]:
    """The machine as Markdown bullets: what every result table must be read against."""
    import sqlalchemy

    load1, load5, _ = os.getloadavg()
    lines = [
        f"- CPU: {cpu_model()}, `nproc` = {_run(['nproc'])}",
        f"- Memory (`free -h` total): {memory_total()}",
        f"- Python {platform.python_version()} ({sys.executable}), SQLite "
        f"{sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}",
        f"- Load average at start: {load1:.2f} (1 min), {load5:.2f} (5 min); "
        "a shared machine, other jobs were running",
    ]
    if with_pg:
        lines.append(f"- PostgreSQL server: {pg_version() or 'not reachable'}")
    return lines


# --------------------------------------------------------------------------------------------
# Timing


@dataclass(frozen=True)
class Stats:
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p90(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]

    @property
    def n(self) -> int:
        return len(self.samples)


def interleaved(
    funcs: Mapping[str, Callable[[], object]], runs: int, *, warmup: int = 3
) -> dict[str, Stats]:
    """Time each function ``runs`` times, round-robin (the order rotating every round), so that
    load from other processes falls on all of them alike. Seconds per call."""
    names = list(funcs)
    for _ in range(warmup):
        for name in names:
            funcs[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    clock = time.perf_counter
    for i in range(runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            fn = funcs[name]
            start = clock()
            fn()
            times[name].append(clock() - start)
    return {name: Stats(tuple(values)) for name, values in times.items()}


def ms(seconds: float, digits: int = 3) -> str:
    return f"{seconds * 1000:.{digits}f}"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table; numbers right-aligned."""
    body = [[str(c) for c in row] for row in rows]
    align = ["---:" if body and _numeric(body[0][i]) else "---" for i in range(len(header))]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(out)


def _numeric(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "").replace("×", "").replace("-", "").isdigit()


# --------------------------------------------------------------------------------------------
# Throwaway PostgreSQL databases


def pg_admin_url(url: str | None = None) -> Any:
    from jobnudge.store.engine import normalise_url

    return make_url(normalise_url(url or os.environ.get("NUDGE_BENCH_PG", PG_ADMIN_DEFAULT)))


@contextmanager
def pg_database(keep: str | None = None) -> Iterator[str]:
    """A new empty database ``jobnudge_bench_<hex>``, dropped (even if in use) afterwards; or,
    with ``keep``, the database of that name (created when missing), left in place so that a
    large build serves several runs (drop it with ``dropdb`` when done)."""
    admin_url = pg_admin_url()
    name = keep or f"jobnudge_bench_{secrets.token_hex(6)}"
    admin = create_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not (keep and found):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin_url.set(database=name).render_as_string(hide_password=False)
        finally:
            if not keep:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
