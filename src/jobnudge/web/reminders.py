"""Reminders while ``nudge serve`` runs: every minute, each account whose moment has come gets
its morning digest (``services/remind_batch.py``), at its own local hour and through its own
channels.

Why it is built this way:

- A pass runs on a thread of its own, never on the event loop; the next starts a minute after
  the last ended, so passes never overlap.
- An account is looked at again only when something can have changed for it: its next morning
  once today's digest is settled, a few minutes after a failure, and at least hourly (a changed
  setting is seen within the hour; saving the Reminders settings forgets the wait at once).
  A pass over 10,000 accounts therefore touches only the few whose hour has come.
- Local mode sends exactly what ``nudge remind`` would, with links into this app. With
  accounts, e-mail goes out through the server's own mail account to each user's address, and
  Apprise URLs are each user's own, sealed with the server key.
- With the job queue on (``NUDGE_JOB_QUEUE``) and accounts, the digests are jobs for the
  ``nudge worker`` processes (``services.background_jobs``): this loop does not start, and the
  status shown in Settings comes from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.errors import NudgeError
from jobnudge.plural import count

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from jobnudge.config import Settings
    from jobnudge.secretbox import KeyRing
    from jobnudge.services.remind_batch import BatchReport, MakerFor, ServerEmail
    from jobnudge.services.reminding import ChannelMaker
    from jobnudge.web.context import AppState

log = logging.getLogger("jobnudge.web.remind")

STOP_GRACE = 1.0
DESKTOP_ONLY = frozenset({"desktop"})


@dataclass(frozen=True)
class RemindStatus:
    at: datetime
    error: str | None
    delivered: int = 0


class RemindWorker:
    """The periodic reminder loop of one running app (started and stopped by its lifespan)."""

    def __init__(
        self,
        app: AppState,
        interval: float,
        server_settings: Settings,
        *,
        web_url: str = "",
        workers: int = 8,
        apprise_urls: Callable[[int], list[str]] | None = None,
        keyring: KeyRing | None = None,
        queued: bool = False,
    ) -> None:
        self.app = app
        self.queued = queued  # the job queue's workers send the digests: status from the database
        self.interval = interval
        self.server_settings = server_settings
        self.web_url = web_url
        self.workers = workers
        self.apprise_urls = apprise_urls
        self.keyring = keyring  # the server key, to seal the Apprise URLs users save
        self.passes = 0
        self._next: dict[int, datetime] = {}
        self._status: dict[int, RemindStatus] = {}
        self._halt = threading.Event()
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def status(self, owner: int) -> RemindStatus | None:
        if self.queued:
            from jobnudge.services import background_jobs

            kept = background_jobs.status(self.app.store, owner, background_jobs.REMIND)
            return None if kept is None else RemindStatus(kept.at, kept.error, kept.sent)
        return self._status.get(owner)

    def forget(self, owner: int) -> None:
        """Look at ``owner`` at the next pass (their settings changed)."""
        if self.queued:
            from jobnudge.services import background_jobs

            background_jobs.forget(self.app.store, owner, background_jobs.REMIND)
            return
        self._next.pop(owner, None)

    def start(self) -> None:
        if self._task is not None or self.queued:
            return
        self._halt.clear()
        self._stop = asyncio.Event()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="jobnudge-remind-pass")
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="jobnudge-remind")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._halt.set()
        if self._stop is not None:
            self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), STOP_GRACE)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    async def _loop(self) -> None:
        assert self._stop is not None
        loop = asyncio.get_running_loop()
        while not self._halt.is_set():
            await loop.run_in_executor(self._executor, self.run_pass)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval)

    def _owners(self) -> list[int]:
        if self.app.local_owner is not None:
            return [self.app.local_owner]
        return self.app.store.owners()

    def _accounts(self, owners: list[int], now: datetime) -> list[tuple[int, Settings]]:
        from jobnudge.services.remind_batch import account_settings

        due = [o for o in owners if self._next.get(o, now) <= now]
        chosen = []
        if self.app.local_owner is not None:  # the settings file, as the command line reads it
            found: list[tuple[int, Settings | NudgeError]] = []
            for owner in due:
                try:
                    found.append((owner, self.app.prefs.settings(owner)))
                except NudgeError as exc:
                    found.append((owner, exc))
        else:
            found = list(account_settings(self.app.store, due))
        for owner, settings in found:
            if isinstance(settings, NudgeError):
                self._status[owner] = RemindStatus(now, settings.message)
                self._next[owner] = now + timedelta(hours=1)
            elif settings.remind.channels:
                chosen.append((owner, settings))
            else:
                self._next[owner] = now + timedelta(hours=1)
        return chosen

    def maker(self, owner: int, settings: Settings) -> tuple[ChannelMaker, Callable[[], None]]:
        """One user's channels as this server sends them (for "send a test"), and what closes
        them afterwards."""
        maker_for, close = self._maker_for()
        return maker_for(owner, settings), close

    def _maker_for(self) -> tuple[MakerFor, Callable[[], None]]:
        from jobnudge.services import mail_account
        from jobnudge.services.remind_batch import ServerEmail, server_channels
        from jobnudge.services.reminding import local_channels
        from jobnudge.services.session import Session

        if self.app.local_owner is not None:

            def local(owner: int, settings: Settings) -> ChannelMaker:
                session = Session(
                    self.app.store, settings, owner, self.app.now(settings.profile.tz)
                )
                return local_channels(session)

            return local, lambda: None
        email = None
        if self.server_settings.mail.sends:
            try:
                email = ServerEmail(mail_account.sender(self.server_settings), self.app.instant)
            except NudgeError as exc:
                log.warning("reminders: no e-mail from this server: %s", exc.message)

        def no_urls(owner: int) -> list[str]:
            from jobnudge.errors import ConfigError

            raise ConfigError(
                "Apprise URLs on this server need the server key (nudge serve "
                "--server-key-file); ask whoever runs it."
            )

        maker = server_channels(email, self.apprise_urls or no_urls, self.app.store)
        return maker, (email.close if email is not None else lambda: None)

    def server_email(self) -> ServerEmail | None:
        """The server's own mail account for one message, or None when it has none (the
        caller closes it)."""
        from jobnudge.services import mail_account
        from jobnudge.services.remind_batch import ServerEmail

        if not self.server_settings.mail.sends:
            return None
        return ServerEmail(mail_account.sender(self.server_settings), self.app.instant)

    def run_pass(self) -> BatchReport | None:
        """One pass (blocking: the loop runs it on its thread). Never raises."""
        from jobnudge.services.remind_batch import run_batch

        try:
            now = self.app.instant()
            accounts = self._accounts(self._owners(), now)
            if not accounts:
                return None
            maker_for, close = self._maker_for()
            try:
                report = run_batch(
                    self.app.store,
                    accounts,
                    self.app.now,
                    maker_for,
                    workers=self.workers,
                    web_url=self.web_url,
                    halt=self._halt,
                    # a server's desktop is nobody's: accounts get e-mail and Apprise only
                    skip=frozenset() if self.app.local_owner is not None else DESKTOP_ONLY,
                )
            finally:
                close()
            self._next.update(report.next_look)
            for owner, _settings in accounts:
                error = report.errors.get(owner)
                sent = sum(o.state == "delivered" for who, o in report.outcomes if who == owner)
                self._status[owner] = RemindStatus(now, error, sent)
                if error:
                    log.warning("reminders for user #%s: %s", owner, error)
            if report.delivered:
                log.info("reminders: %s delivered", count(report.delivered, "digest"))
            return report
        except Exception as exc:  # the database itself: say so, try again next time
            log.warning("reminders: no pass this time: %s: %s", type(exc).__name__, exc)
            return None
        finally:
            self.passes += 1


def reminder_worker_of(app: Starlette) -> RemindWorker | None:
    found = getattr(app.state, "remind_worker", None)
    return found if isinstance(found, RemindWorker) else None
