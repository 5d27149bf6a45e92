"""The suite passes on any day: every test runs at the pinned moment (``tests.pinned``), and no
test reads the machine's clock for the data it builds. `.ci/run` proves it by running the suite
again with the clock moved years ahead (``tests/movedclock``)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from jobnudge import clock
from tests.pinned import PINNED_NOW, as_env

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src" / "jobnudge"

# The machine's clock, as a test might read it: (module, class or None, function).
WALL_CLOCK = {
    ("datetime", "datetime", "now"),
    ("datetime", "datetime", "utcnow"),
    ("datetime", "datetime", "today"),
    ("datetime", "date", "today"),
    ("time", None, "time"),
    ("time", None, "time_ns"),
    ("time", None, "localtime"),
    ("time", None, "gmtime"),
    ("time", None, "ctime"),
    ("jobnudge.clock", None, "now"),
}

# Files allowed to read it, each with the reason. (Durations use time.monotonic, never listed.)
ALLOWED = {
    "test_clock.py": "checks the clock itself",
    "test_timeparse.py": "checks that clock.now() reads the pin (NUDGE_NOW, set) strictly",
}
SRC_ALLOWED = {
    "clock.py": "the one place the product reads the time",
    "web/uploads.py": "an upload's age, against its files' modification times",
}


def wall_clock_reads(
    source: str, reads: set[tuple[str, str | None, str]] = WALL_CLOCK
) -> list[str]:
    """``line: call`` for each read of the machine's clock (or of ``jobnudge.clock``, which tests
    leave to the pin) and each removal of the pin, whatever name the module is imported as."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local name -> module
    members: dict[str, tuple[str, str | None]] = {}  # local name -> (module, class or None)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "jobnudge" and alias.name == "clock":
                    modules[local] = "jobnudge.clock"
                elif node.module in ("datetime", "time", "jobnudge.clock"):
                    members[local] = (node.module, alias.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called: tuple[str, str | None, str] | None = None
        if isinstance(func, ast.Name) and func.id in members:
            module, name = members[func.id]
            called = (module, None, name)
        elif isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id in modules:
                called = (modules[owner.id], None, func.attr)
            elif isinstance(owner, ast.Name) and owner.id in members:
                called = (*members[owner.id], func.attr)
            elif (
                isinstance(owner, ast.Attribute)
                and isinstance(owner.value, ast.Name)
                and owner.value.id in modules
            ):
                called = (modules[owner.value.id], owner.attr, func.attr)
            if func.attr in ("delenv", "pop") and any(
                isinstance(a, ast.Constant) and a.value == "NUDGE_NOW" for a in node.args
            ):
                found.append(f"{node.lineno}: removes NUDGE_NOW, the suite's pinned moment")
        if called in reads:
            found.append(f"{node.lineno}: {ast.unparse(func)}()")
    return found


def test_no_test_reads_the_machines_clock() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        relative = path.relative_to(TESTS).as_posix()
        if relative in ALLOWED:
            continue
        for hit in wall_clock_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"tests/{relative}:{hit}")
    assert not offenders, (
        "tests take now from the pinned clock (the pinned_now fixture or tests.pinned), never "
        "from the machine's:\n" + "\n".join(offenders)
    )


def test_only_the_clock_module_reads_the_time_in_the_product() -> None:
    """Everything else takes ``now``, so the app's pinned moment (``--now``) reaches it."""
    machine = {read for read in WALL_CLOCK if read[0] != "jobnudge.clock"}
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative not in SRC_ALLOWED:
            hits = wall_clock_reads(path.read_text(encoding="utf-8"), machine)
            offenders += [f"src/jobnudge/{relative}:{hit}" for hit in hits]
    assert not offenders, "only jobnudge/clock.py reads the time:\n" + "\n".join(offenders)


def test_the_web_app_reads_only_its_own_clock() -> None:
    """Pages, sign-ins, invitations and the mail status take the app's ``now`` (pinned by
    ``nudge --now ... serve`` and the tests), never ``jobnudge.clock`` behind its back."""
    offenders = []
    for path in sorted((SRC / "web").rglob("*.py")):
        hits = wall_clock_reads(path.read_text(encoding="utf-8"), {("jobnudge.clock", None, "now")})
        offenders += [f"src/jobnudge/{path.relative_to(SRC).as_posix()}:{hit}" for hit in hits]
    assert not offenders, "the web app reads AppState.now / instant():\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import datetime\nx = datetime.now()",  # clock-ok: a sample to catch
        "from datetime import datetime as dt, UTC\nx = dt.now(UTC)",
        "import datetime\nx = datetime.datetime.now()",  # clock-ok
        "import datetime as d\nx = d.date.today()",  # clock-ok
        "from datetime import date\nx = date.today()",  # clock-ok
        "import time\nx = time.time()",
        "from time import time\nx = time()",
        "from jobnudge import clock\nx = clock.now()",
        "from jobnudge.clock import now\nx = now()",
        "import os\nos.environ.pop('NUDGE_NOW', None)",
        "def f(monkeypatch):\n    monkeypatch.delenv('NUDGE_NOW')",
    ],
)
def test_the_guard_catches_each_way_of_reading_the_clock(source: str) -> None:
    assert wall_clock_reads(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import time\nstart = time.monotonic()",
        "from datetime import datetime, UTC\nx = datetime(2026, 3, 5, tzinfo=UTC)",
        "from datetime import datetime\nx = datetime.fromisoformat('2026-03-05')",
        "session.now = now",
        "env['NUDGE_NOW'] = '2026-03-05 10:00'",
    ],
)
def test_the_guard_lets_fixed_dates_and_durations_through(source: str) -> None:
    assert not wall_clock_reads(source), source


def test_every_test_runs_at_the_pinned_moment(pinned_now: datetime) -> None:
    assert pinned_now == PINNED_NOW and pinned_now.utcoffset() is not None
    assert os.environ["NUDGE_NOW"] == as_env(pinned_now)
    assert clock.now() == pinned_now
    assert clock.now("America/New_York") == pinned_now
    shown = subprocess.run(
        [sys.executable, "-c", "from jobnudge import clock; print(clock.now().isoformat())"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert datetime.fromisoformat(shown) == pinned_now  # and every command a test starts
