"""The ``nudge`` console script: the agenda and ``nudge check`` from their fast paths when
they can answer (``cli/quick.py``, ``cli/quickcheck.py``: no Typer, Click, Rich or
SQLAlchemy), every other command from the full command line (``cli/main.py``), decided
before any of those is imported."""

from __future__ import annotations

import os
import sys

GC_THRESHOLD = (10_000, 10, 10)
"""The cyclic garbage collector's thresholds on the full path. With Python's default (700
allocations between collections of the youngest generation) importing SQLAlchemy, Typer and
Rich sets off enough full collections of a growing heap to cost ~25 ms of every command's
start-up; cycles are still collected, after 10,000 allocations instead of 700. The objects
alive once the command line is imported (modules, classes, functions: they live as long as
the process) are then frozen (``gc.freeze``), so later collections no longer walk them."""


INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT)."""

INTERRUPTED_MESSAGE = (
    "Interrupted. Every change is saved whole or not at all, so what was under way (an "
    "import, a re-plan) was not saved and the data is as it was; run the command again."
)


def run() -> None:
    """Ctrl-C ends any command with a sentence and code 130, never a traceback (the command
    line's own handling, in ``cli/main.py``, covers the time a command runs)."""
    from jobnudge import interrupts

    interrupts.install()
    try:
        try:
            _run()
        except SystemExit as ended:
            if ended.code == INTERRUPTED or not interrupts.requested():
                raise
        # Pressed, and dropped where Python could not raise it: a write transaction refused
        # to commit, and a command that only read ends as any interrupted one does.
        interrupts.raise_if_requested()
    except KeyboardInterrupt:
        print(INTERRUPTED_MESSAGE, file=sys.stderr)
        raise SystemExit(INTERRUPTED) from None


def _run() -> None:
    if os.environ.get("NUDGE_FULL_PATH") != "1":  # "1": always the full command (tests, bench)
        from jobnudge.cli import quick

        if quick.run(sys.argv[1:]):
            return
        if "check" in sys.argv[1:]:
            from jobnudge.cli import quickcheck

            if quickcheck.run(sys.argv[1:]):
                return
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    from jobnudge.cli.main import run as full

    gc.freeze()
    full()
