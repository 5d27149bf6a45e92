"""Digests for many accounts at once: ``nudge serve --accounts`` (each user at their own
morning hour) and the benchmark.

Each account's digest is prepared in a transaction of its own (content and items together, as
``nudge remind`` does), on the calling thread; the deliveries go to a pool of threads, so one
slow channel (a chat service that does not answer, a mail server that greets slowly) holds one
thread until its time-out while the others keep delivering. E-mail goes through the server's
own mail account, one connection per delivery thread, reused for every message it sends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.errors import ConfigError, NudgeError
from jobnudge.playbook import calendar
from jobnudge.remind import schedule
from jobnudge.remind.channels import Channel, EmailChannel
from jobnudge.remind.digest import Digest
from jobnudge.services.reminding import (
    ChannelMaker,
    Outcome,
    claim_pending,
    deliver,
    email_address,
    prepare,
)

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.mail.account import Account
    from jobnudge.store import Store
    from jobnudge.store.reminders import ReminderRow

MakerFor = Callable[[int, "Settings"], ChannelMaker]
"""The channels of one account, given its id and settings."""

RETRY = timedelta(minutes=5)
AT_MOST = timedelta(hours=1)
"""How long an account is left alone at most: a changed setting is seen within the hour."""


@dataclass
class BatchReport:
    accounts: int = 0  # accounts looked at
    prepared: int = 0  # digests stored (with something to say)
    empty: int = 0  # digests with nothing new to say
    delivered: int = 0
    failed: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # per account: what went wrong
    next_look: dict[int, datetime] = field(default_factory=dict)  # when to look again
    outcomes: list[tuple[int, Outcome]] = field(default_factory=list)
    seconds: float = 0.0


def next_look(settings: Settings, now: datetime, settled: bool) -> datetime:
    """When an account needs looking at again: its next morning once today's digest is
    settled, else soon (a retry, or the hour not reached yet), never later than an hour."""
    remind, tz, country = settings.remind, settings.profile.tz, settings.profile.country
    if settled:
        tomorrow = calendar.local_day(now, tz) + timedelta(days=1)
        start = calendar.at_local(tomorrow, calendar.hour_clock(0), tz)
        return min(schedule.next_send(remind, tz, country, start), now + AT_MOST)
    upcoming = schedule.next_send(remind, tz, country, now)
    return min(max(upcoming, now + RETRY), now + AT_MOST)


class ServerEmail:
    """E-mail digests through the server's own mail account: one SMTP connection per thread."""

    def __init__(self, account: Account, now: Callable[[], datetime]) -> None:
        self.account = account
        self.now = now
        self._local = threading.local()
        self._all: list[EmailChannel] = []
        self._lock = threading.Lock()

    def to(self, address: str) -> Channel:
        channel = getattr(self._local, "channel", None)
        if channel is None:
            channel = EmailChannel(self.account, "", self.now)
            self._local.channel = channel
            with self._lock:
                self._all.append(channel)
        return _Addressed(channel, address)

    def close(self) -> None:
        with self._lock:
            for channel in self._all:
                channel.close()
            self._all.clear()
        self._local = threading.local()


class _Addressed:
    name = "email"

    def __init__(self, channel: EmailChannel, to: str) -> None:
        self.channel, self.address = channel, to

    def send(self, digest: Digest, handing_over: Callable[[], None]) -> str:
        return self.channel.send_to(self.address, digest, handing_over)

    def close(self) -> None:
        return None  # the connection serves the thread's next message


def server_channels(
    email: ServerEmail | None, apprise_urls: Callable[[int], list[str]]
) -> MakerFor:
    """The channels an account has on a server: e-mail through the server's account to the
    user's own address, Apprise to the URLs sealed for them; never a desktop notification
    (the server's desktop is nobody's)."""

    def maker_for(owner: int, settings: Settings) -> ChannelMaker:
        def make(name: str) -> Channel:
            from jobnudge.remind.channels import AppriseChannel

            if name == "email":
                if email is None:
                    raise ConfigError(
                        "This server sends no e-mail: whoever runs it has no [mail] account "
                        "set up. Choose another channel."
                    )
                return email.to(email_address(settings))
            if name == "apprise":
                return AppriseChannel(apprise_urls(owner))
            raise ConfigError(
                "Desktop notifications show on your own computer: run `nudge remind "
                "--install` there; the server cannot show them."
            )

        return make

    return maker_for


def _deliver(
    store: Store, owner: int, row: ReminderRow, make: ChannelMaker, now: datetime
) -> Outcome:
    try:
        channel = make(row.channel)
    except NudgeError as exc:
        return deliver(store, owner, row, None, now, exc.message)
    try:
        return deliver(store, owner, row, channel, now)
    finally:
        channel.close()


def run_batch(
    store: Store,
    accounts: Iterable[tuple[int, Settings]],
    now: Callable[[str], datetime],
    maker_for: MakerFor,
    *,
    workers: int = 8,
    web_url: str = "",
    halt: threading.Event | None = None,
    skip: frozenset[str] = frozenset(),
) -> BatchReport:
    """Prepare and deliver the digest of every account in ``accounts`` that is due now."""
    started = time.perf_counter()
    report = BatchReport()
    jobs: list[tuple[int, Future[Outcome]]] = []
    unsettled: set[int] = set()
    looked: dict[int, tuple[Settings, datetime]] = {}
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="jobnudge-remind") as pool:
        for owner, settings in accounts:
            if halt is not None and halt.is_set():
                break
            report.accounts += 1
            moment_now = now(settings.profile.tz)
            looked[owner] = (settings, moment_now)
            names = [c for c in settings.remind.channels if c not in skip]
            if not names:
                continue
            moment = schedule.decide(
                settings.remind, settings.profile.tz, settings.profile.country, moment_now
            )
            if moment.quiet:
                unsettled.add(owner)
                continue
            try:
                with store.transaction(now=moment_now) as tx:
                    if moment.slot is not None:
                        for p in prepare(
                            tx, owner, settings, names, moment.slot, moment_now, web_url
                        ):
                            if p.digest is None:
                                report.empty += 1
                            else:
                                report.prepared += 1
                    claimed = claim_pending(tx, owner, names, moment_now)
            except NudgeError as exc:
                report.errors[owner] = exc.message
                unsettled.add(owner)
                continue
            if claimed:
                make = maker_for(owner, settings)
                for row in claimed:
                    jobs.append((owner, pool.submit(_deliver, store, owner, row, make, moment_now)))
        for owner, job in jobs:
            try:
                outcome = job.result()
            except Exception as exc:  # the database itself: the next pass tries again
                report.errors[owner] = f"unexpected {type(exc).__name__}: {exc}"
                unsettled.add(owner)
                continue
            report.outcomes.append((owner, outcome))
            if outcome.state == "failed":
                report.failed += 1
                report.errors[owner] = outcome.detail
                unsettled.add(owner)
            else:
                report.delivered += 1
    for owner, (settings, moment_now) in looked.items():
        due = schedule.decide(
            settings.remind, settings.profile.tz, settings.profile.country, moment_now
        )
        settled = due.slot is not None and owner not in unsettled
        report.next_look[owner] = next_look(settings, moment_now, settled)
    report.seconds = time.perf_counter() - started
    return report
