"""Sign-in limits: a wait that grows with each failed sign-in, never a lockout.

Three runs of failures are kept. Two failures in a row cost nothing (a typo, then another);
after that each makes the next attempt wait 1 s, then 2, 4, 8... up to a minute. A run is
forgotten 15 minutes after its last failure. The runs:

- per account, so guessing one password is slow from any number of addresses;
- per client address, so trying one password on many accounts is slow too (a success does not
  reset it: an attacker's own account would);
- per account and address, which replaces the account's run for an address the account has
  signed in from before: someone else failing on your account slows them, not you.

Nobody can be kept out for longer than a minute by someone else's failures, and the right
password never works during a wait (so a wait cannot be probed). A refused attempt is not a
failure and extends nothing. Where the runs live is the ``Runs`` given: this process's memory
(local mode), or the database (``store.signin_runs``, with accounts), so that several web
workers, on one machine or several, count the same failures. Behind a reverse proxy the
client address is the proxy's unless ``web.trusted_proxies`` names it (docs/security.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

FREE_FAILURES = 2  # failures in a row before any wait
FIRST_WAIT = 1.0  # seconds after the first failure past those
LONGEST_WAIT = 60.0
FORGET_AFTER = 15 * 60.0  # seconds without a failure that end a run
KNOWN_ADDRESSES = 8  # addresses remembered per account after a successful sign-in
MAX_RUNS = 50_000  # runs kept at most; the oldest go first

Key = tuple[str, str]  # ("account" | "address" | "pair", what it counts)


class RunView(Protocol):
    """The runs, within one ``Runs.open()``: no other worker changes them meanwhile. A run is
    (failures in a row, time of the last one)."""

    def get(self, key: Key) -> tuple[int, float] | None: ...
    def put(self, key: Key, failures: int, last: float) -> None: ...
    def drop(self, key: Key) -> None: ...
    def is_known(self, account: str, address: str) -> bool: ...
    def remember(self, account: str, address: str, now: float, keep: int) -> None: ...
    def prune(self, before: float) -> None: ...


class Runs(Protocol):
    def open(self) -> AbstractContextManager[RunView]: ...


class MemoryRuns:
    """The runs in this process, for a single-process server (local mode, tests)."""

    def __init__(self) -> None:
        self._runs: dict[Key, tuple[int, float]] = {}
        self._known: dict[str, deque[str]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def open(self) -> Iterator[RunView]:
        with self._lock:
            yield self

    def get(self, key: Key) -> tuple[int, float] | None:
        return self._runs.get(key)

    def put(self, key: Key, failures: int, last: float) -> None:
        self._runs[key] = (failures, last)
        if len(self._runs) > MAX_RUNS:
            by_age = sorted(self._runs, key=lambda k: self._runs[k][1])
            for old in by_age[: len(self._runs) - MAX_RUNS // 2]:
                del self._runs[old]

    def drop(self, key: Key) -> None:
        self._runs.pop(key, None)

    def is_known(self, account: str, address: str) -> bool:
        return address in self._known.get(account, ())

    def remember(self, account: str, address: str, now: float, keep: int) -> None:
        known = self._known.setdefault(account, deque(maxlen=keep))
        if address in known:
            known.remove(address)
        known.append(address)

    def prune(self, before: float) -> None:
        if len(self._runs) > MAX_RUNS // 2:
            for key in [k for k, run in self._runs.items() if run[1] < before]:
                del self._runs[key]


class SignInLimiter:
    """Failed sign-ins per account, per client address and per both.

    ``clock`` returns seconds from a fixed point (default ``time.time``, which every worker
    shares); tests pass their own so that waits are exact. ``runs`` is where they are kept.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.time,  # clock-ok: waits between real attempts
        runs: Runs | None = None,
        *,
        free: int = FREE_FAILURES,
        first: float = FIRST_WAIT,
        longest: float = LONGEST_WAIT,
        forget: float = FORGET_AFTER,
    ) -> None:
        self.clock = clock
        self.runs: Runs = runs if runs is not None else MemoryRuns()
        self.free = free
        self.first = first
        self.longest = longest
        self.forget = forget

    def wait_after(self, failures: int) -> float:
        """Seconds the attempt after ``failures`` failures in a row must wait."""
        beyond = failures - self.free
        if beyond <= 0:
            return 0.0
        return min(self.first * 2.0 ** min(beyond - 1, 32), self.longest)

    def _left(self, view: RunView, key: Key, now: float) -> float:
        run = view.get(key)
        if run is None or now - run[1] >= self.forget:
            return 0.0
        failures, last = run
        return max(0.0, last + self.wait_after(failures) - now)

    def retry_after(self, account: str, address: str) -> int:
        """Whole seconds until ``address`` may try to sign in as ``account`` (0: now)."""
        now = self.clock()
        with self.runs.open() as view:
            mine = view.is_known(account, address)
            keys: list[Key] = [
                ("address", address),
                ("pair", f"{account}\n{address}") if mine else ("account", account),
            ]
            left = max(self._left(view, key, now) for key in keys)
        return math.ceil(left)

    def failed(self, account: str, address: str) -> int:
        """Count a wrong password; the number of failures in a row for ``account``."""
        now = self.clock()
        counted = 0
        with self.runs.open() as view:
            view.prune(now - self.forget)
            for key in (
                ("account", account),
                ("address", address),
                ("pair", account + "\n" + address),
            ):
                run = view.get(key)
                failures = 0 if run is None or now - run[1] >= self.forget else run[0]
                view.put(key, failures + 1, now)
                if key[0] == "account":
                    counted = failures + 1
        return counted

    def succeeded(self, account: str, address: str) -> None:
        """The right password: the account's runs end and ``address`` becomes one of its own."""
        now = self.clock()
        with self.runs.open() as view:
            view.drop(("account", account))
            view.drop(("pair", account + "\n" + address))
            view.remember(account, address, now, KNOWN_ADDRESSES)
