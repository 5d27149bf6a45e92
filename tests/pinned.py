"""The one clock the tests read.

Every test runs at :data:`PINNED_NOW`: the root ``conftest`` sets ``NUDGE_NOW`` to it, so
``jobnudge.clock`` (the only place the product reads the time) and every ``nudge`` command a
test starts answer this instant, whatever day the suite runs on. Tests that build domain data
take their ``now`` from the ``pinned_now`` fixture, from this constant, or from a fixed
datetime of their own; never from the machine's clock (``tests/test_clock.py`` checks).
"""

from __future__ import annotations

from datetime import UTC, datetime

PINNED_NOW = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # a Tuesday, 10:30 in New York


def as_env(moment: datetime) -> str:
    """``moment`` as ``NUDGE_NOW`` / ``--now`` take it: ISO 8601 with its offset."""
    if moment.tzinfo is None:
        raise ValueError("a pinned moment needs its offset")
    return moment.isoformat()
