"""The periods of the queue's periodic jobs: whatever number of seconds is asked for, the cron
line fires at a steady step no shorter than asked (up to a day), so a tick never comes more
often than the administrator chose."""

from __future__ import annotations

import itertools
import math

import croniter
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.services.jobqueue import cron
from tests.pinned import PINNED_NOW


@given(st.floats(min_value=0.5, max_value=86_400, allow_nan=False))
def test_a_period_is_steady_and_never_shorter_than_asked(seconds: float) -> None:
    line = cron(seconds)
    fires = croniter.croniter(line, PINNED_NOW.timestamp())
    times = [fires.get_next(float) for _ in range(6)]
    steps = {round(b - a) for a, b in itertools.pairwise(times)}
    assert len(steps) == 1, (line, steps)  # the same step each time, within the hour or day
    (step,) = steps
    assert step >= min(math.ceil(seconds), 86_400), (seconds, line, step)
    assert step <= max(2 * seconds, 2), (seconds, line, step)  # rounded up, not far


def test_the_usual_periods() -> None:
    assert cron(1) == "* * * * * */1"
    assert cron(60) == "*/1 * * * *"
    assert cron(300) == "*/5 * * * *"
    assert cron(7 * 60) == "*/10 * * * *"
    assert cron(3600) == "0 */1 * * *"
    assert cron(86_400) == "0 0 * * *"
