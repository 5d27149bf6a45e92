"""Real `nudge worker` processes for the tests of background work on the job queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from jobnudge.store import Store


def until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def scalar(store: Store, sql: str, **params: object) -> object:
    with store.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def start(url: str, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    # A worker keeps the database's clock (the queue compares the two); NUDGE_NOW still pins
    # what the jobs themselves take as now.
    env = {k: v for k, v in os.environ.items() if k != "NUDGE_MOVED_CLOCK"}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "jobnudge", "--db", url, "worker", "--heartbeat", "0.5",
             "--stalled", "3", *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for w in workers:
        if w.poll() is None:
            w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(20)
        except subprocess.TimeoutExpired:
            w.kill()
            w.wait(5)


@contextmanager
def running(
    url: str, folder: Path, count: int, *extra: str
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` workers on ``url`` for as long as the block lasts; their logs in ``folder``."""
    workers = [start(url, folder / f"worker{n}.log", *extra) for n in range(count)]
    try:
        yield workers
    finally:
        stop(workers)


def logs(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(folder.glob("worker*.log")))
