"""Sign-in limits that cannot be turned against users: a wait that grows per account and per
client address (never over a minute), the owner's own address unaffected by others' failures,
Retry-After on every refusal, failures logged without the password, and forwarded headers
believed only from the proxies named in ``web.trusted_proxies``.

Every limiter runs on a pinned clock (``Clock``), so each wait is exact."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from jobnudge.cli.web import SERVER_OPTIONS
from jobnudge.web import create_app
from jobnudge.web.signin_limits import LONGEST_WAIT, SignInLimiter
from jobnudge.webconfig import Web

from .conftest import NOW, PASSWORD, SETTINGS, Client, sign_up


@dataclass
class Clock:
    """Seconds on a clock that moves only when told."""

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def pinned(app: Starlette) -> Clock:
    clock = Clock()
    app.state.nudge.limiter = SignInLimiter(clock)
    return clock


# The limiter alone: each scenario runs on the runs kept in memory here, and again on the
# database's (tests/store/test_signin_runs.py), which several web workers share.

Make = Callable[[Clock], SignInLimiter]


@pytest.fixture
def make() -> Make:
    return lambda clock: SignInLimiter(clock)


def test_the_wait_grows_after_two_free_failures_up_to_a_minute(make: Make) -> None:
    clock = Clock()
    limits = make(clock)
    waits = []
    for _ in range(12):
        assert limits.retry_after("dana", "203.0.113.5") == 0
        limits.failed("dana", "203.0.113.5")
        wait = limits.retry_after("dana", "203.0.113.5")
        waits.append(wait)
        clock.advance(wait)
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60]


def test_a_run_of_failures_is_forgotten_after_15_minutes(make: Make) -> None:
    clock = Clock()
    limits = make(clock)
    for _ in range(6):
        limits.failed("dana", "203.0.113.5")
    assert limits.retry_after("dana", "203.0.113.5") == 8
    clock.advance(15 * 60)
    assert limits.retry_after("dana", "203.0.113.5") == 0
    limits.failed("dana", "203.0.113.5")
    assert limits.retry_after("dana", "203.0.113.5") == 0  # a fresh run: one free failure


def test_someone_elses_failures_do_not_keep_the_owner_out(make: Make) -> None:
    clock = Clock()
    limits = make(clock)
    limits.succeeded("dana", "198.51.100.7")  # Dana's own browser
    for _ in range(30):
        clock.advance(limits.retry_after("dana", "203.0.113.66"))
        limits.failed("dana", "203.0.113.66")  # a stranger guessing her password
    assert limits.retry_after("dana", "203.0.113.66") == 60
    assert limits.retry_after("dana", "198.51.100.7") == 0
    assert limits.retry_after("dana", "192.0.2.1") == 60  # a new place waits like the stranger


def test_one_address_trying_many_accounts_waits_too(make: Make) -> None:
    limits = make(Clock())
    for name in ("a", "b", "c", "d"):
        limits.failed(name, "203.0.113.66")
    assert limits.retry_after("e", "203.0.113.66") == 2
    assert limits.retry_after("e", "198.51.100.7") == 0
    limits.succeeded("x", "203.0.113.66")  # the sprayer's own account resets nothing
    assert limits.retry_after("e", "203.0.113.66") == 2


_EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["dana", "sam", "lee"]),
        st.sampled_from(["198.51.100.7", "203.0.113.66", "192.0.2.1"]),
        st.booleans(),
        st.floats(0, 120),
    ),
    max_size=60,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_EVENTS)
def test_no_sequence_of_attempts_makes_anyone_wait_over_a_minute(
    make: Make,
    events: list[tuple[str, str, bool, float]],
) -> None:
    """Whatever others do, a wait never passes a minute, and an address an account signed in
    from stays unaffected by failures from elsewhere."""
    clock = Clock()
    limits = make(clock)
    limits.succeeded("dana", "198.51.100.7")
    for account, address, right, pause in events:
        clock.advance(pause)
        wait = limits.retry_after(account, address)
        assert 0 <= wait <= LONGEST_WAIT
        if wait:
            continue  # refused: counts for nothing
        if right:
            limits.succeeded(account, address)
        elif not (account == "dana" and address == "198.51.100.7"):
            limits.failed(account, address)
    others_only = all(a != "198.51.100.7" for _, a, ok, _ in events if not ok)
    if others_only:
        assert limits.retry_after("dana", "198.51.100.7") == 0


# Through the sign-in form.


def test_a_refusal_says_how_long_and_sends_retry_after(accounts_app: Starlette) -> None:
    sign_up(accounts_app, "alex")
    clock = pinned(accounts_app)
    client = Client(accounts_app)
    for _ in range(3):
        assert client.send_form("/signin", {"name": "alex", "password": "guess"}).status_code == 401
    refused = client.send_form("/signin", {"name": "alex", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "Try again in 1 second." in refused.text
    clock.advance(1)
    assert client.send_form("/signin", {"name": "alex", "password": PASSWORD}).status_code == 303


def test_failed_sign_ins_are_logged_without_the_password(
    accounts_app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    sign_up(accounts_app, "alex")
    pinned(accounts_app)
    client = Client(accounts_app)
    caplog.set_level(logging.INFO, logger="jobnudge.web.signin")
    secrets = [f"hunter{n}-secret" for n in range(5)]
    for secret in [*secrets, PASSWORD]:
        client.send_form("/signin", {"name": "alex\nFAKE LINE", "password": secret})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "failed sign-in as 'alex\\nfake line' from testclient (1 in a row" in logged
    assert "refused: wait" in logged
    for secret in [*secrets, PASSWORD]:
        assert secret not in logged
        assert all(secret not in str(r.args) for r in caplog.records)
    assert "\nfake line" not in logged  # the name is quoted, so it cannot forge a log line


# Forwarded headers, through uvicorn configured as `nudge serve` configures it.


@contextmanager
def served(app: Starlette) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="on", log_config=None, **SERVER_OPTIONS)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def _spray(url: str, forwarded: Callable[[int], dict[str, str]]) -> list[int]:
    """Six wrong passwords for six accounts, from 127.0.0.1, each with its own headers."""
    with httpx.Client(base_url=url, timeout=10) as http:
        http.get("/signin")
        token = http.cookies["nudge_csrf"]
        codes = []
        for n in range(6):
            response = http.post(
                "/signin",
                data={"name": f"user{n}", "password": "guess", "csrf_token": token},
                headers=forwarded(n),
            )
            codes.append(response.status_code)
        return codes


def _rotating(n: int) -> dict[str, str]:
    return {"x-forwarded-for": f"203.0.113.{n + 1}", "x-forwarded-proto": "https"}


@contextmanager
def accounts_server(tmp_path: Path, web: Web) -> Iterator[tuple[Starlette, str]]:
    """An accounts app with ``web`` settings, on a pinned limiter clock, served by uvicorn."""
    app = create_app(
        replace(SETTINGS, web=web),
        db=f"sqlite:///{tmp_path / 'served.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: NOW,
        accounts=True,
    )
    pinned(app)
    try:
        with served(app) as url:
            yield app, url
    finally:
        app.state.nudge.store.close()


def test_forwarded_headers_are_ignored_unless_from_a_trusted_proxy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jobnudge.web.signin")
    with accounts_server(tmp_path, Web()) as (_, url):
        codes = _spray(url, _rotating)
    assert codes == [401, 401, 401, 429, 429, 429]  # one address, whatever the header says
    assert "203.0.113" not in caplog.text and "from 127.0.0.1" in caplog.text


def test_a_trusted_proxy_names_the_client(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="jobnudge.web.signin")
    with accounts_server(tmp_path, Web(trusted_proxies=("127.0.0.1",))) as (_, url):
        codes = _spray(url, _rotating)
        with httpx.Client(base_url=url, timeout=10) as http:
            cookie = http.get("/signin", headers=_rotating(9)).headers["set-cookie"]
    assert codes == [401] * 6  # six clients, one failure each
    assert "from 203.0.113.6" in caplog.text
    assert "Secure" in cookie  # X-Forwarded-Proto: https, from the proxy, is believed
