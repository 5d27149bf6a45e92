"""Mail while ``nudge serve`` runs: every ``mail.sync_minutes``, for each user with a mailbox set
up, read what is new (``nudge mail sync``) and then send what is due (``nudge mail flush``).

Why it is built this way:

- The mail services block (sockets, the database), so a pass runs on a thread of its own and
  never on the event loop. The next pass is scheduled only once the last one has ended, so two
  passes never overlap.
- Reading comes before sending: a reply that arrived since the last pass settles its follow-up
  first, so a queued message that is no longer due is cancelled rather than sent.
- A failure (server down, wrong password, a bad setting) concerns one user for one pass: it is
  logged once while it lasts, kept for the Settings page, and the next pass tries again.
- With accounts, each account's mailbox is served on a pool of :attr:`MailWorker.workers`
  threads, with its own settings and its own sealed secret (``services.mail_server``). A pass
  starts every account that is not still busy and waits for them at most one interval: a slow
  or dead mailbox holds one thread until its timeouts end and skips its own next turns, never
  anyone else's.
- Stopping is prompt: the loop stops waiting at once, and a pass in progress stops at the next
  step; a step already under way (one connection, bounded by ``mail.timeout_seconds``) ends on
  its thread. Each step is committed before the next, as for a sender killed outright.
- With the job queue on (``NUDGE_JOB_QUEUE``), the passes are jobs for ``nudge worker``
  processes (``services.background_jobs``): this loop does not start, and the status comes
  from the database, where the workers keep it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from jobnudge.services.mail_pass import Found, describe

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from jobnudge.config import Settings
    from jobnudge.web.context import AppState

log = logging.getLogger("jobnudge.web.mail")

STOP_GRACE = 1.0
"""Seconds the app's shutdown waits for a pass in progress before leaving it to end alone."""


@dataclass(frozen=True)
class MailStatus:
    """How the last pass went for one user, for the Settings page."""

    at: datetime  # when the pass ended
    error: str | None  # what went wrong, or None
    logged: int = 0  # messages the sync logged
    sent: int = 0  # messages the flush delivered
    ok_at: datetime | None = None  # when a pass last went without error


class MailWorker:
    """The periodic mail loop of one running app (created and stopped by its lifespan)."""

    def __init__(
        self, app: AppState, interval: float, workers: int = 4, *, queued: bool = False
    ) -> None:
        self.app = app
        self.queued = queued  # the job queue's workers make the passes: status from the database
        self.interval = interval  # seconds between the end of a pass and the next
        self.workers = max(1, workers)  # accounts served at once (accounts mode)
        self._busy: dict[int, Future[None]] = {}  # accounts whose turn is still running
        self._pool: ThreadPoolExecutor | None = None
        self.passes = 0  # passes completed (what a test waits on)
        self._status: dict[int, MailStatus] = {}
        self._said: dict[int, frozenset[str]] = {}  # lines logged by the last pass, per user
        self._halt = threading.Event()  # read by the pass's thread between steps
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._executor: ThreadPoolExecutor | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def status(self, owner: int) -> MailStatus | None:
        if self.queued:
            from jobnudge.services import background_jobs

            kept = background_jobs.status(self.app.store, owner, "mail")
            if kept is None:
                return None
            return MailStatus(kept.at, kept.error, kept.logged, kept.sent, kept.ok_at)
        return self._status.get(owner)

    def owners(self) -> list[int]:
        """Whose mail a pass looks at: the local user (skipped without a mailbox set up), or
        with accounts every account naming a mailbox, when the server has a key to keep their
        secrets with (without one nobody's: the server's own secrets are never lent)."""
        if self.app.local_owner is not None:
            return [self.app.local_owner]
        if self.app.keyring is None:
            return []
        from jobnudge.services import mail_server

        return mail_server.owners(self.app.store)

    def _settings(self, owner: int) -> Settings | None:
        """The user's settings when they have a mailbox set up (raises when they are bad)."""
        settings = self.app.prefs.settings(owner)
        return settings if settings.mail.configured else None

    def _anyone(self) -> bool:
        """Whether a pass would have anyone to serve. Settings that cannot be read count as
        yes: the passes then say what is wrong, where a silent loop would not."""
        try:
            return any(self._settings(owner) is not None for owner in self.owners())
        except Exception:
            return True

    def start(self) -> bool:
        """Start the loop on the running event loop when a user has a mailbox set up; with
        none, nothing runs (a mailbox set up later is picked up at the next start)."""
        if self._task is not None:
            return True
        if self.queued:
            log.info("mail passes run on the job queue's workers, not in this process")
            return False
        serving_accounts = self.app.local_owner is None and self.app.keyring is not None
        if not serving_accounts and not self._anyone():
            log.info("no mailbox is set up: mail is not synced while the app runs")
            return False
        self._halt.clear()
        self._stop = asyncio.Event()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="jobnudge-mail")
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="jobnudge-mail")
        return True

    async def stop(self) -> None:
        """Stop the loop; a pass in progress gets :data:`STOP_GRACE` to end, then ends alone."""
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
            log.info("mail: the step in progress ends on its own")
        if self._executor is not None:
            self._executor.shutdown(wait=False)  # its thread exits once the pass is done
            self._executor = None
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self._busy.clear()

    async def _loop(self) -> None:
        assert self._stop is not None
        loop = asyncio.get_running_loop()
        while not self._halt.is_set():
            await loop.run_in_executor(self._executor, self.run_pass)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval)

    def run_pass(self) -> None:
        """One pass over every user (blocking: the loop runs it on its thread). Never raises."""
        try:
            owners = self.owners()
            if self.app.local_owner is not None:
                for owner in owners:
                    if self._halt.is_set():
                        return
                    self._serve(owner)
            else:
                self._serve_all(owners)
        except Exception as exc:  # the database itself: say so once, try again next time
            self._say(-1, [(logging.WARNING, f"mail: no pass this time: {describe(exc)}")])
        else:
            self._say(-1, [])
        self.passes += 1

    def _serve_all(self, owners: list[int]) -> None:
        """Start every account not still busy from an earlier pass; wait for this pass's at
        most one interval (the stragglers go on alone and skip their next turns)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="jobnudge-mailbox")
        started = []
        for owner in owners:
            if self._halt.is_set():
                break
            running = self._busy.get(owner)
            if running is not None and not running.done():
                continue
            self._busy[owner] = future = self._pool.submit(self._serve, owner)
            started.append(future)
        wait_for(started, timeout=max(self.interval, 1.0))

    def _serve(self, owner: int) -> None:
        """Sync, then flush, for one user; every problem ends up in their status."""
        from jobnudge.services import mail_pass

        def settings_of(who: int) -> Settings:
            return self.app.prefs.settings(who)

        found = mail_pass.serve(
            self.app.store,
            owner,
            settings_of,
            self.app.now,
            self.app.instant,
            keyring=self.app.keyring,
            server_mail=self.app.server_mail,
            accounts=self.app.local_owner is None,
            halt=self._halt,
        )
        if found is None:
            self._status.pop(owner, None)
            self._said.pop(owner, None)
            return
        self._finish(owner, found.who, found)

    def _finish(self, owner: int, who: str, found: Found) -> None:
        now = self.app.instant()
        error = found.error
        before = self._status.get(owner)
        ok_at = now if error is None else (before.ok_at if before else None)
        self._status[owner] = MailStatus(now, error, found.logged, found.sent, ok_at)
        lines = [(level, f"mail for {who}: {found.clean(text)}") for level, text in found.notes]
        if error is not None:
            lines.append((logging.WARNING, f"mail for {who} failed: {error}"))
        elif before is not None and before.error is not None:
            lines.append((logging.INFO, f"mail for {who} works again"))
        self._say(owner, lines)

    def _say(self, key: int, lines: list[tuple[int, str]]) -> None:
        """Log each line the previous pass did not already log for ``key``: an error is said
        once while it lasts, and again only after it went away."""
        said = self._said.get(key, frozenset())
        for level, text in lines:
            if text not in said:
                log.log(level, "%s", text)
        self._said[key] = frozenset(text for _level, text in lines)


def worker_of(app: Starlette) -> MailWorker | None:
    """The app's mail loop, while its lifespan runs (None when it has none)."""
    found = getattr(app.state, "mail_worker", None)
    return found if isinstance(found, MailWorker) else None
