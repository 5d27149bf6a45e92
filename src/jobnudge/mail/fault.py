"""A test hook: ``NUDGE_MAIL_FAULT=STEP`` makes the sender kill itself (SIGKILL) at that step.

The fault-injection tests run the sender in a child process with this variable set to a step of
the send path (``claimed``, ``connected``, ``handing-over``, ``accepted``, ``copied``,
``recorded``), optionally ``STEP@N`` for the N-th time the step is reached. SIGKILL runs no
clean-up at all, exactly like a power cut or the OOM killer. Unset, :func:`point` does nothing.
"""

from __future__ import annotations

import os
import signal

from jobnudge.bounds import is_digits

FAULT_ENV = "NUDGE_MAIL_FAULT"
STEPS = ("claimed", "connected", "handing-over", "accepted", "copied", "recorded")

_reached: dict[str, int] = {}


def point(step: str) -> None:
    """Die here if the environment asks for it."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition("@")
    if name != step:
        return
    _reached[step] = _reached.get(step, 0) + 1
    if _reached[step] >= (int(nth) if is_digits(nth) else 1):
        os.kill(os.getpid(), signal.SIGKILL)
