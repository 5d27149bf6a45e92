"""Waiting for another writer: as long as it takes, saying what is waited for.

A write waits for the writer before it (on SQLite any writer, on PostgreSQL one writing for the
same user). That is usually a few milliseconds; behind an import it can be minutes, and giving
up would lose the user's command. So a writer waits without a time limit, and once it has
waited :data:`NOTICE_AFTER` seconds it says so once, through the store's ``notice`` (the
command line prints it on stderr; the default logs it). SQLite's busy timeout is that long
(``store.engine``); on PostgreSQL a timer thread says it (:func:`announced`), started only when
the lock is not free at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Notice = Callable[[str], None]
"""Receives the sentence telling the user that a write is waiting, and for what."""

NOTICE_AFTER = 2.0
"""Seconds a writer waits before saying so: short waits behind other writers pass silently."""

log = logging.getLogger("jobnudge.store")


def log_notice(message: str) -> None:
    """The default :data:`Notice`: a warning on the ``jobnudge.store`` logger."""
    log.warning("%s", message)


def waiting_message(where: str) -> str:
    return (
        f"Waiting for another jobnudge process that is writing to {where} (an import?); "
        "this command goes on as soon as it is done."
    )


@contextmanager
def announced(notice: Notice, message: str) -> Iterator[None]:
    """Run the block (a wait for a lock); if it is still running after :data:`NOTICE_AFTER`
    seconds, pass ``message`` to ``notice`` once, from a timer thread, while the wait goes on."""
    timer = threading.Timer(NOTICE_AFTER, notice, (message,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
