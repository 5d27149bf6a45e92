"""One user's working session: settings, the store, who they are and what time it is.

The command line and the web app build a ``Session`` and hand it to the use cases; nothing here
is global, so tests and a multi-user server can hold several at once.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jobnudge import clock, config
from jobnudge.config import Settings

if TYPE_CHECKING:
    from jobnudge.store import Store
    from jobnudge.store.waiting import Notice

LOCAL_USER = "local"


@dataclass
class Session:
    store: Store
    settings: Settings
    owner: int
    now: datetime

    @property
    def tz(self) -> str:
        return self.settings.profile.tz

    def close(self) -> None:
        self.store.close()


def resolve_now(text: str | None, settings: Settings) -> datetime:
    """``--now`` as typed (read in the user's zone), else the clock."""
    return clock.resolve(text, settings.profile.tz)


def database_url(db: str | None, settings: Settings) -> str | None:
    """``--db`` / ``NUDGE_DB``, else the config file's, else None (the default SQLite file)."""
    return db or settings.database


def open_session(
    db: str | None = None,
    now: str | None = None,
    *,
    settings: Settings | None = None,
    user: str = LOCAL_USER,
    data_dir: Path | None = None,
    notice: Notice | None = None,
) -> Session:
    """Open the store and find (or create) the user. ``notice`` is told when a write waits
    for another process's (the command line prints it; by default it is logged)."""
    from jobnudge.store import open_store
    from jobnudge.store.waiting import log_notice

    settings = settings or config.load()
    moment = resolve_now(now, settings)
    store = open_store(
        database_url(db, settings),
        data_dir=data_dir or config.data_dir(),
        notice=notice or log_notice,
    )
    owner = store.ensure_user(user)
    return Session(store=store, settings=settings, owner=owner, now=moment)


def reads_on_one_connection() -> AbstractContextManager[object]:
    """A block whose reads share one pooled connection on PostgreSQL (``store.lease``): the
    web app runs each piece of work it hands to a worker thread in one."""
    from jobnudge.store.lease import lease

    return lease()
