"""The ``nudge`` console script: the agenda from the fast path when it can answer
(``cli/quick.py``, standard library only), every other command from the full command line
(``cli/main.py``: Typer, Click, Rich), decided before any of those is imported."""

from __future__ import annotations

import os
import sys


def run() -> None:
    if os.environ.get("NUDGE_FULL_PATH") != "1":  # "1": always the full command (tests, bench)
        from jobnudge.cli import quick

        if quick.run(sys.argv[1:]):
            return
    from jobnudge.cli.main import run as full

    full()
