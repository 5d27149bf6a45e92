"""Ctrl-C that Python could not deliver. A SIGINT lands wherever the main thread is: when
that is a weakref callback or a finaliser (SQLAlchemy and the GC run them at any moment),
the KeyboardInterrupt raised there is printed as "Exception ignored in ..." and dropped, and
the command would go on to commit what the user meant to stop. The command line's handler
notes each SIGINT here; a write transaction asks before it commits, and the command asks
when it ends."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any

_requested = threading.Event()


def install() -> None:
    """Note every SIGINT, then raise KeyboardInterrupt as Python's own handler does; an
    interrupt dropped inside a callback prints nothing (it is noted, and acted on later)."""
    signal.signal(signal.SIGINT, _on_sigint)
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            return
        previous(unraisable)

    sys.unraisablehook = hook


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _requested.set()
    raise KeyboardInterrupt


def requested() -> bool:
    """Whether Ctrl-C was pressed since :func:`install` (delivered or not)."""
    return _requested.is_set()


def raise_if_requested() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed, even if the first one was dropped."""
    if _requested.is_set():
        raise KeyboardInterrupt
