"""`nudge serve` keeps mail moving by itself: the real app, served by uvicorn on 127.0.0.1 in a
thread, runs a mail pass every fraction of a second against the real Dovecot and SMTP servers.
An approved message goes out once with no command typed; an employer's reply is logged and the
status check it answers disappears; a wrong password is reported once, on the Settings page too,
while the loop and the pages go on; and stopping the app does not wait for the next pass, nor
for a server that does not answer."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from jobnudge import config
from jobnudge.domain import EventType
from jobnudge.errors import ConfigError
from jobnudge.services import mail_approve
from jobnudge.store import mail as mailstore
from jobnudge.web import create_app
from jobnudge.web.background import MailWorker, worker_of

from .conftest import MailWorld
from .helpers import interviewed, nudge, rules
from .servers import PASSWORD

T = TypeVar("T")
INTERVAL = 0.3  # seconds between passes
WAIT = 45.0  # the longest any condition is waited for
WRONG = "not-the-password-42"


def until(condition: Callable[[], T | None], what: str, timeout: float = WAIT) -> T:
    """``condition()`` once it is truthy; fails naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(0.05)


def mail_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("jobnudge-mail")]


@dataclass
class Served:
    app: Starlette
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def worker(self) -> MailWorker:
        found = worker_of(self.app)
        assert found is not None and found.running
        return found

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10)

    def stop(self) -> float:
        """Stop the server as Ctrl-C does; the seconds it took."""
        started = time.monotonic()
        self.server.should_exit = True
        self.thread.join(timeout=WAIT)
        assert not self.thread.is_alive(), "uvicorn did not stop"
        return time.monotonic() - started


@contextmanager
def serving(world: MailWorld, interval: float = INTERVAL, **mail: Any) -> Iterator[Served]:
    """The app as `nudge serve` runs it, on a free port of 127.0.0.1, with ``mail`` settings."""
    path = world.home / "serve" / "config.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(world.toml(**mail), encoding="utf-8")
    app = create_app(
        world.settings(**mail),
        data_dir=world.data_dir,
        settings_path=path,
        mail_interval=interval,
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="on", log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    served = Served(app, f"http://127.0.0.1:{port}", server, thread)
    thread.start()
    try:
        until(lambda: server.started or not thread.is_alive(), "uvicorn starts", 15)
        assert server.started, "the app did not start"
        yield served
    finally:
        if thread.is_alive():
            served.stop()
        sock.close()
        until(lambda: not mail_threads(), "the mail pass ends", WAIT)  # before tmp is removed


def outbox_state(world: MailWorld, item: int) -> str:
    session = world.session()
    return mailstore.outbox_item(session.store, session.owner, item).state


def test_an_approved_message_is_sent_once_with_no_command(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    thanks = nudge(session, opp.id, "interview.thank-you")
    item = mail_approve.approve(
        session, mail_approve.prepare(session, thanks.id), send_after=session.now
    )

    with serving(world) as served:
        until(lambda: outbox_state(world, item.id) == "sent", "the background flush sends it")
        worker = served.worker
        done = worker.passes
        until(lambda: worker.passes >= done + 2, "two passes more")
        status = worker.status(session.owner)
        page = served.get("/settings")

    assert len(world.dovecot.messages(world.employer)) == 1
    assert world.dovecot.count(world.user, "Sent", item.message_id) == 1
    assert "interview.thank-you" not in rules(session, opp.id)
    events = session.store.events(session.owner, opp.id)
    assert [e.type for e in events].count(EventType.SENT) == 1
    assert status is not None and status.error is None and status.ok_at is not None
    assert page.status_code == 200 and "Last mail sync" in page.text


def test_an_employers_reply_is_logged_and_the_status_check_goes(world: MailWorld) -> None:
    session = world.session()
    opp = interviewed(world, session)
    assert "interview.status-check" in rules(session, opp.id)

    with serving(world) as served:
        worker = served.worker
        until(lambda: worker.passes >= 1, "the first pass")
        assert "interview.status-check" in rules(session, opp.id)  # nothing to read yet
        world.employer_writes(
            "Next steps", "Hi Alex, thanks for your time on Tuesday. We will decide by Friday."
        )
        until(
            lambda: "interview.status-check" not in rules(session, opp.id),
            "the background sync logs the reply and the status check disappears",
        )
        shown = served.get(f"/opportunities/{opp.id}")

    received = [
        e for e in session.store.events(session.owner, opp.id) if e.type is EventType.RECEIVED
    ]
    assert len(received) == 1
    assert shown.status_code == 200 and "Next steps" in shown.text


def test_a_wrong_password_is_reported_once_and_the_loop_goes_on(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jobnudge.web.mail")
    session = world.session()
    interviewed(world, session)
    monkeypatch.setenv("NUDGE_MAIL_PASSWORD", WRONG)
    # Dovecot delays logins from an address that just failed one by a few seconds.
    with serving(world, timeout_seconds=30) as served:
        worker = served.worker

        def failed() -> str | None:
            status = worker.status(session.owner)
            return status.error if status is not None else None

        error = until(failed, "the first pass fails")
        assert "refused the login" in error and WRONG not in error
        done = worker.passes
        until(lambda: worker.passes >= done + 2, "two passes more")
        assert failed() == error
        settings_page = served.get("/settings")
        today = served.get("/")

        monkeypatch.setenv("NUDGE_MAIL_PASSWORD", PASSWORD)
        until(lambda: failed() is None, "the next pass works with the right password")

    failures = [r for r in caplog.records if "refused the login" in r.getMessage()]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    assert failures[0].levelno == logging.WARNING
    assert any("works again" in r.getMessage() for r in caplog.records)
    assert settings_page.status_code == 200 and today.status_code == 200
    assert "Last mail sync failed" in settings_page.text
    assert "refused the login" in settings_page.text
    for text in (caplog.text, settings_page.text):
        assert WRONG not in text and PASSWORD not in text


def test_stopping_does_not_wait_for_the_next_pass(world: MailWorld) -> None:
    with serving(world, interval=3600) as served:
        worker = served.worker
        until(lambda: worker.passes >= 1, "the first pass")
        took = served.stop()
        assert not worker.running
    assert took < 3, f"stopping took {took:.1f} s"


def test_stopping_does_not_wait_for_a_server_that_never_answers(world: MailWorld) -> None:
    silent = socket.socket()  # accepts the connection (the kernel does) and never greets
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    silent.settimeout(WAIT)
    session = world.session()
    try:
        with serving(world, imap_port=silent.getsockname()[1], timeout_seconds=5) as served:
            worker = served.worker
            conn, _ = silent.accept()  # the pass is now waiting for a greeting
            took = served.stop()
            assert took < 3, f"stopping took {took:.1f} s"
            status = until(lambda: worker.status(session.owner), "the pass ends on its own", 20)
            assert status.error is not None and "did not answer within 5 s" in status.error
            conn.close()
    finally:
        silent.close()


def test_sync_minutes_is_a_whole_number_of_minutes_up_to_a_day() -> None:
    assert config.parse_mail({}).sync_minutes == 5
    assert config.parse_mail({"sync_minutes": 0}).sync_minutes == 0
    for bad in (-1, 1441, 2.5, True, "5"):
        with pytest.raises(ConfigError, match=r"mail\.sync_minutes"):
            config.parse_mail({"sync_minutes": bad})


def test_nothing_runs_without_a_mailbox_or_when_switched_off(tmp_path: Path) -> None:
    mail = {
        "username": "alex@example.org",
        "smtp_host": "127.0.0.1",
        "imap_host": "127.0.0.1",
        "smtp_port": 9,  # never connected to: nothing runs
        "imap_port": 9,
        "smtp_security": "none",
        "imap_security": "none",
    }
    for settings, interval, running in (
        (config.Settings(), None, False),
        (config.Settings(mail=config.parse_mail(mail)), 0, None),
        (config.Settings(mail=config.parse_mail({**mail, "sync_minutes": 0})), None, None),
    ):
        app = create_app(
            settings,
            db=f"sqlite:///{tmp_path / 'off.sqlite'}",
            data_dir=tmp_path,
            settings_path=tmp_path / "absent.toml",
            mail_interval=interval,
        )
        with TestClient(app, base_url="http://127.0.0.1") as client:  # local mode
            worker = worker_of(app)
            assert (worker.running if worker is not None else None) is running
            assert not mail_threads()
            page = client.get("/settings")
            assert page.status_code == 200
            assert ("Not checked by this app" in page.text) is bool(settings.mail.configured)
        app.state.nudge.store.close()
