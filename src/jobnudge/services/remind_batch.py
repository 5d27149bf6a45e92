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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
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


def account_settings(
    store: Store, owners: list[int], chunk: int = 500
) -> Iterator[tuple[int, Settings | NudgeError]]:
    """Each account's settings, read many at a time (a setting that does not parse is
    returned as its error, for that account's status)."""
    from jobnudge import config
    from jobnudge.services.preferences import KEPT_KEYS, SERVER_KEYS
    from jobnudge.store import reminders

    for start in range(0, len(owners), chunk):
        part = owners[start : start + chunk]
        documents = reminders.settings_documents(store, part)
        for owner in part:
            doc = documents.get(owner, {})
            try:
                yield (
                    owner,
                    config.parse(
                        {k: v for k, v in doc.items() if k not in (*KEPT_KEYS, *SERVER_KEYS)},
                        "settings",
                    ),
                )
            except NudgeError as exc:
                yield owner, exc


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
    email: ServerEmail | None, apprise_urls: Callable[[int], list[str]], store: Store
) -> MakerFor:
    """The channels an account has on a server: e-mail through the server's account to the
    user's own address once its holder confirmed it (``services.remind_addresses``), Apprise
    to the URLs sealed for them; never a desktop notification (the server's desktop is
    nobody's)."""

    def maker_for(owner: int, settings: Settings) -> ChannelMaker:
        def make(name: str) -> Channel:
            from jobnudge.remind.channels import AppriseChannel

            if name == "email":
                if email is None:
                    raise ConfigError(
                        "This server sends no e-mail: whoever runs it has no [mail] account "
                        "set up. Choose another channel."
                    )
                from jobnudge.services.remind_addresses import require_confirmed

                address = email_address(settings)
                require_confirmed(store, owner, address)
                return email.to(address)
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


@dataclass
class _Ready:
    """One account's preparation: what it stored and what it took to deliver."""

    owner: int
    settings: Settings
    now: datetime
    prepared: int = 0
    empty: int = 0
    claimed: list[ReminderRow] = field(default_factory=list)
    due: bool = False  # today's digest was due (so, once delivered, the day is settled)
    quiet: bool = False
    error: str | None = None


def _prepare(
    store: Store,
    owner: int,
    settings: Settings,
    now: Callable[[str], datetime],
    web_url: str,
    skip: frozenset[str],
) -> _Ready:
    """One account's digest stored and claimed, in one transaction of its own."""
    moment_now = now(settings.profile.tz)
    ready = _Ready(owner, settings, moment_now)
    names = [c for c in settings.remind.channels if c not in skip]
    moment = schedule.decide(
        settings.remind, settings.profile.tz, settings.profile.country, moment_now
    )
    ready.due, ready.quiet = moment.slot is not None, moment.quiet
    if not names or moment.slot is None:  # before the hour, a day off or quiet: wait
        return ready
    try:
        with store.transaction(now=moment_now) as tx:
            prepared, ready.claimed = prepare(
                tx, owner, settings, names, moment.slot, moment_now, web_url
            )
    except NudgeError as exc:
        ready.error = exc.message
        return ready
    ready.prepared = sum(p.digest is not None for p in prepared)
    ready.empty = sum(p.digest is None for p in prepared)
    return ready


def run_batch(
    store: Store,
    accounts: Iterable[tuple[int, Settings]],
    now: Callable[[str], datetime],
    maker_for: MakerFor,
    *,
    workers: int = 8,
    preparers: int = 4,
    web_url: str = "",
    halt: threading.Event | None = None,
    skip: frozenset[str] = frozenset(),
) -> BatchReport:
    """Prepare and deliver the digest of every account in ``accounts`` that is due now.

    ``preparers`` threads store the digests (each account in a transaction of its own: the
    database's round trips overlap), ``workers`` threads deliver them as they are ready."""
    started = time.perf_counter()
    report = BatchReport()
    unsettled: set[int] = set()
    readies: list[_Ready] = []
    jobs: list[tuple[int, Future[Outcome]]] = []
    with (
        ThreadPoolExecutor(max(1, preparers), thread_name_prefix="jobnudge-prepare") as prep,
        ThreadPoolExecutor(max(1, workers), thread_name_prefix="jobnudge-deliver") as send,
    ):
        pending: list[Future[_Ready]] = []
        for owner, settings in accounts:
            if halt is not None and halt.is_set():
                break
            report.accounts += 1
            pending.append(prep.submit(_prepare, store, owner, settings, now, web_url, skip))
        for future in as_completed(pending):
            try:
                ready = future.result()
            except Exception as exc:  # the database itself: the next pass tries again
                report.errors[-1] = f"unexpected {type(exc).__name__}: {exc}"
                continue
            readies.append(ready)
            report.prepared += ready.prepared
            report.empty += ready.empty
            if ready.error is not None:
                report.errors[ready.owner] = ready.error
            if ready.claimed and not (halt is not None and halt.is_set()):
                make = maker_for(ready.owner, ready.settings)
                for row in ready.claimed:
                    job = send.submit(_deliver, store, ready.owner, row, make, ready.now)
                    jobs.append((ready.owner, job))
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
    for ready in readies:
        settled = ready.due and ready.error is None and ready.owner not in unsettled
        report.next_look[ready.owner] = next_look(ready.settings, ready.now, settled)
    report.seconds = time.perf_counter() - started
    return report
