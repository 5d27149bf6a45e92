"""The only place that reads the time.

Everything else takes ``now`` as an argument. ``NUDGE_NOW`` (or ``--now``) pins the clock so the
agenda can be seen as it will be on another day, and so tests are repeatable.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now(tz: str = "UTC") -> datetime:
    """The current instant, aware, in UTC; ``NUDGE_NOW`` overrides it.

    ``tz`` is the zone a pinned value without an offset is read in (the user's own).
    """
    real = datetime.now(UTC)
    pinned = os.environ.get("NUDGE_NOW")
    if pinned:
        from jobnudge.timeparse import parse_when

        return parse_when(pinned, field="NUDGE_NOW", tz=tz, base=real)
    return real
