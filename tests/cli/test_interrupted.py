"""Ctrl-C during a command: a sentence and exit code 130, never a traceback, and the data as it
was (every change is one transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.transfer.bigfiles import write_csv

NUDGE = str(Path(sys.executable).parent / "nudge")
PATIENCE = 60.0


def test_an_import_interrupted_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "big.csv"
    write_csv(sheet, 30_000)
    env = {
        **os.environ,
        "NUDGE_DATA_DIR": str(tmp_path / "data"),
        "NUDGE_CONFIG": str(tmp_path / "config.toml"),
        "NUDGE_NOW": "2026-06-01 10:00",
        "NUDGE_FULL_PATH": "1",
    }
    running = subprocess.Popen(
        [NUDGE, "import", str(sheet)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    database = tmp_path / "data" / "jobnudge.sqlite"
    deadline = time.monotonic() + PATIENCE
    while not database.exists() and running.poll() is None:  # the command has opened the store
        assert time.monotonic() < deadline, "the import never opened its database"
        time.sleep(0.05)
    time.sleep(0.5)
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=PATIENCE)
    assert running.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert "Interrupted. Every change is saved whole or not at all" in err
    listed = subprocess.run(
        [NUDGE, "list"], env=env, capture_output=True, text=True, timeout=PATIENCE, check=True
    )
    assert "Employer" not in listed.stdout


DROPPED = """
import os, signal, sys, weakref
from jobnudge import interrupts
from jobnudge.store import open_store

interrupts.install()
store = open_store(sys.argv[1], data_dir=sys.argv[2])
owner = store.ensure_user("local")


class Thing:
    pass


def callback(_ref):
    # Ctrl-C while the interpreter runs a weakref callback: Python cannot raise it here.
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(100_000):
        pass


thing = Thing()
ref = weakref.ref(thing, callback)
try:
    with store.transaction() as tx:
        tx.add_company(owner, "Acme")
        del thing  # the interrupt lands in the callback and is dropped there
        print("went on after the interrupt", flush=True)
except KeyboardInterrupt:
    print("interrupted before the commit", flush=True)
print("companies:", len(store.companies(owner)), flush=True)
"""


def test_an_interrupt_dropped_in_a_callback_still_stops_the_commit(tmp_path: Path) -> None:
    """Ctrl-C that lands inside a weakref callback or a finaliser is dropped by Python
    ("Exception ignored in ..."); the transaction asks before it commits, so the work the
    user meant to stop is rolled back all the same, and no traceback is printed."""
    database = tmp_path / "dropped.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", DROPPED, f"sqlite:///{database}", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert done.stdout.splitlines() == [
        "went on after the interrupt",
        "interrupted before the commit",
        "companies: 0",
    ], (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
