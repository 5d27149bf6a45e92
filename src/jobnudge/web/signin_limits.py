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
failure and extends nothing. The runs live in this process: with several workers each keeps
its own, so the rates above multiply by the number of workers. Behind a reverse proxy the
client address is the proxy's unless ``web.trusted_proxies`` names it (docs/security.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 2  # failures in a row before any wait
FIRST_WAIT = 1.0  # seconds after the first failure past those
LONGEST_WAIT = 60.0
FORGET_AFTER = 15 * 60.0  # seconds without a failure that end a run
KNOWN_ADDRESSES = 8  # addresses remembered per account after a successful sign-in
MAX_RUNS = 50_000  # runs kept at most; the oldest go first


@dataclass(slots=True)
class _Run:
    failures: int
    last: float


class SignInLimiter:
    """Failed sign-ins per account, per client address and per both, in this process.

    ``clock`` returns seconds from any fixed point (default ``time.monotonic``); tests pass
    their own so that waits are exact.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        free: int = FREE_FAILURES,
        first: float = FIRST_WAIT,
        longest: float = LONGEST_WAIT,
        forget: float = FORGET_AFTER,
    ) -> None:
        self.clock = clock
        self.free = free
        self.first = first
        self.longest = longest
        self.forget = forget
        self._runs: dict[tuple[str, str], _Run] = {}
        self._known: dict[str, deque[str]] = {}
        self._lock = threading.Lock()

    def wait_after(self, failures: int) -> float:
        """Seconds the attempt after ``failures`` failures in a row must wait."""
        beyond = failures - self.free
        if beyond <= 0:
            return 0.0
        return min(self.first * 2.0 ** min(beyond - 1, 32), self.longest)

    def _keys(self, account: str, address: str) -> list[tuple[str, str]]:
        mine = address in self._known.get(account, ())
        return [
            ("address", address),
            ("pair", f"{account}\n{address}") if mine else ("account", account),
        ]

    def _left(self, key: tuple[str, str], now: float) -> float:
        run = self._runs.get(key)
        if run is None:
            return 0.0
        if now - run.last >= self.forget:
            del self._runs[key]
            return 0.0
        return max(0.0, run.last + self.wait_after(run.failures) - now)

    def retry_after(self, account: str, address: str) -> int:
        """Whole seconds until ``address`` may try to sign in as ``account`` (0: now)."""
        with self._lock:
            now = self.clock()
            left = max(self._left(key, now) for key in self._keys(account, address))
        return math.ceil(left)

    def failed(self, account: str, address: str) -> int:
        """Count a wrong password; the number of failures in a row for ``account``."""
        with self._lock:
            now = self.clock()
            counted = 0
            for key in (
                ("account", account),
                ("address", address),
                ("pair", account + "\n" + address),
            ):
                run = self._runs.get(key)
                if run is None or now - run.last >= self.forget:
                    run = self._runs[key] = _Run(0, now)
                run.failures += 1
                run.last = now
                if key[0] == "account":
                    counted = run.failures
            if len(self._runs) > MAX_RUNS:
                self._prune(now)
        return counted

    def succeeded(self, account: str, address: str) -> None:
        """The right password: the account's runs end and ``address`` becomes one of its own."""
        with self._lock:
            self._runs.pop(("account", account), None)
            self._runs.pop(("pair", account + "\n" + address), None)
            known = self._known.setdefault(account, deque(maxlen=KNOWN_ADDRESSES))
            if address in known:
                known.remove(address)
            known.append(address)

    def _prune(self, now: float) -> None:
        """Forget ended runs; if too many are still going, the ones idle longest."""
        for key in [k for k, run in self._runs.items() if now - run.last >= self.forget]:
            del self._runs[key]
        if len(self._runs) > MAX_RUNS:
            by_age = sorted(self._runs, key=lambda k: self._runs[k].last)
            for key in by_age[: len(self._runs) - MAX_RUNS // 2]:
                del self._runs[key]
