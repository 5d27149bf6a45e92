"""Moves the wall clock of every Python process that starts with this folder on PYTHONPATH
(the test run, its xdist workers and every `nudge` command the tests start) to the instant in
NUDGE_MOVED_CLOCK, ticking from there: the README's "moved clock" run.

time-machine replaces what Python reads the time of day through (time.time, datetime.now,
date.today, localtime...) and leaves the monotonic clock alone, so timed waits (a Timer, a
subprocess timeout, a socket timeout) still end. Servers the tests start (PostgreSQL, Dovecot,
Chromium) keep the real clock, as servers elsewhere do.
"""

from __future__ import annotations

import os

_moved = os.environ.get("NUDGE_MOVED_CLOCK", "").strip()
if _moved:
    import time_machine

    _travel = time_machine.travel(_moved, tick=True)
    _travel.start()
