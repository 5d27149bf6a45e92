"""A server with accounts serves every account's mail from its own mailbox, against the real
Dovecot and SMTP servers (and the OAuth issuer): each account connects its mailbox from
Settings → Mail; one account's reply settles only its own follow-ups; a wrong password, a dead
server or a server that never answers holds up only its own account; the password is sealed:
not in the database file, not in a backup, not in the log."""

from __future__ import annotations

import logging
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from jobnudge import config
from jobnudge.domain import Role
from jobnudge.errors import ConfigError, UsageError
from jobnudge.secretbox import load_keyring, new_key
from jobnudge.services import backup, event_log, mail_approve, mail_server, records
from jobnudge.services.session import Session
from jobnudge.store import accounts
from jobnudge.web import create_app
from jobnudge.web.background import MailWorker
from tests.web.conftest import sign_up

from .issuer import CLIENT_ID, Issuer
from .oauth_smtp import OAuthSmtp
from .servers import PASSWORD, Dovecot, Smtp, free_port

INTERVAL = 0.5


class Silent:
    """Accepts connections and never says a word: a mail server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.held.append(conn)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def server(
    tmp_path: Path, pinned_now: datetime, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Starlette]:
    monkeypatch.setenv("NUDGE_PRIVATE_HOSTS", "127.0.0.1")  # the test mail servers' host
    keyring = load_keyring({"NUDGE_SERVER_KEY": new_key()}, None)
    app = create_app(
        config.Settings(),
        data_dir=tmp_path / "data",
        accounts=True,
        now=lambda tz: pinned_now,
        keyring=keyring,
        mail_interval=0,
    )
    yield app
    app.state.nudge.store.close()


def mail_doc(user: str, dovecot: Dovecot, smtp: Smtp, **extra: Any) -> dict[str, Any]:
    return {
        "username": user,
        "address": f"{user}@seeker.example",
        "imap_host": "127.0.0.1",
        "imap_port": dovecot.port,
        "imap_security": "none",
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_security": "none",
        "since_days": 3650,
        "timeout_seconds": 3,
        **extra,
    }


def owner_of(app: Starlette, name: str) -> int:
    found = accounts.credential(app.state.nudge.store, name)
    assert found is not None
    return found[0]


def job_search(app: Starlette, owner: int, employer: str, now: datetime) -> Session:
    """Acme — Data Analyst with Dana Lee, interviewed three hours ago: follow-ups pending."""
    settings = app.state.nudge.prefs.settings(owner)
    session = Session(app.state.nudge.store, settings, owner, now)
    records.add_opportunity(session, "Acme", "Data Analyst", applied=now - timedelta(days=10))
    records.add_contact(
        session, "Dana Lee", company="Acme", email=employer, roles=frozenset({Role.INTERVIEWER})
    )
    event_log.log_event(
        session, "acme", "interviewed", at=now - timedelta(hours=3), with_=["Dana Lee"]
    )
    return session


def pending(session: Session) -> set[str]:
    until = session.now + timedelta(days=365)
    return {n.rule for n in session.store.nudges(session.owner, until=until, now=session.now)}


def reply(dovecot: Dovecot, user: str, sender: str, now: datetime) -> None:
    raw = (
        f"From: Dana Lee <{sender}>\r\nTo: {user}@seeker.example\r\nSubject: Re: our interview\r\n"
        f"Message-ID: <{secrets.token_hex(6)}@acme.example>\r\n"
        "Date: " + now.strftime("%a, %d %b %Y %H:%M:%S +0000") + "\r\n\r\n"
        "Thanks Alex, we will get back to you by Friday.\r\n"
    ).encode()
    dovecot.append(user, "INBOX", raw, now - timedelta(minutes=1))


def test_each_account_reads_its_own_mailbox_and_keeps_its_secret_sealed(
    server: Starlette,
    dovecot: Dovecot,
    smtp: Smtp,
    pinned_now: datetime,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    employer = f"{dovecot.add_user(sent='')}@acme.example"
    users = {name: dovecot.add_user() for name in ("ann", "bob", "cat", "dan")}
    clients = {name: sign_up(server, name) for name in users}
    dead = free_port()  # nothing listens there
    for name, user in users.items():
        form = {**mail_doc(user, dovecot, smtp), "auth": "password", "password": PASSWORD}
        del form["since_days"], form["timeout_seconds"]
        if name == "cat":
            form["password"] = "not-her-password"
        if name == "dan":
            form["imap_port"] = form["smtp_port"] = dead
        answer = clients[name].send_form("/settings/mailbox", form)
        assert answer.status_code == 303, answer.text
        page = clients[name].get("/settings/mailbox").text
        assert "password kept" in page and PASSWORD not in page
    sessions = {
        name: job_search(server, owner_of(server, name), employer, pinned_now) for name in users
    }
    before = {name: pending(s) for name, s in sessions.items()}
    assert all(before.values())
    reply(dovecot, users["ann"], employer, pinned_now)  # only Ann's mailbox gets an answer
    reply(dovecot, users["cat"], employer, pinned_now)

    bob = sessions["bob"]  # Bob approved a thank-you: the server sends it from his mailbox
    due = bob.store.nudges(bob.owner, until=bob.now + timedelta(days=30), now=bob.now)
    thanks = next(n for n in due if n.rule == "interview.thank-you")
    text = tmp_path / "thanks.txt"
    text.write_text(
        "Subject: Thank you for today\n\nDear Dana,\n\nThank you for the interview today; "
        "I enjoyed hearing about the team.\n\nBest,\nBob\n",
        encoding="utf-8",
    )
    item = mail_approve.approve(
        bob, mail_approve.prepare(bob, thanks.id, file=text), send_after=bob.now, force=True
    )
    worker = MailWorker(server.state.nudge, INTERVAL, workers=2)
    with caplog.at_level(logging.INFO, logger="jobnudge.web.mail"):
        worker.run_pass()
        for name in users:  # stragglers end within their own timeouts
            deadline = time.monotonic() + 30
            while worker.status(owner_of(server, name)) is None and time.monotonic() < deadline:
                time.sleep(0.05)

    status = {name: worker.status(owner_of(server, name)) for name in users}
    assert status["ann"] is not None and status["ann"].error is None and status["ann"].logged == 1
    assert status["bob"] is not None and status["bob"].error is None and status["bob"].logged == 0
    assert status["bob"].sent == 1
    employer_user = employer.split("@", 1)[0]
    assert dovecot.count(employer_user, "INBOX", item.message_id) == 1
    assert (employer_user, users["bob"]) in smtp.behaviour.delivered  # signed in as Bob
    assert status["cat"] is not None and status["cat"].error is not None
    assert "refused the login" in status["cat"].error
    assert status["dan"] is not None and status["dan"].error is not None
    assert str(dead) in status["dan"].error
    after = {name: pending(s) for name, s in sessions.items()}
    assert after["ann"] < before["ann"]  # her reply settled her follow-ups
    assert after["bob"] == before["bob"] - {"interview.thank-you"}  # sent, nothing settled
    assert after["dan"] == before["dan"]
    assert after["cat"] == before["cat"]  # her reply waits: her password is wrong

    # The password is sealed: nowhere in the database file, a backup or the log.
    database = sorted((tmp_path / "data").glob("jobnudge.sqlite*"))
    assert database, list((tmp_path / "data").iterdir())
    held = b"".join(path.read_bytes() for path in database)
    assert f"{users['ann']}@seeker.example".encode() in held  # the grep sees the tables
    for path in database:
        assert PASSWORD.encode() not in path.read_bytes(), path
        assert b"not-her-password" not in path.read_bytes(), path
    for session in sessions.values():
        assert PASSWORD.encode() not in backup.backup_json(session)
    assert PASSWORD not in caplog.text and "not-her-password" not in caplog.text
    # and one account's sealed password never opens as another's
    store, keyring = server.state.nudge.store, server.state.nudge.keyring
    from jobnudge.secretbox import SecretError
    from jobnudge.store import user_secrets as secret_rows

    sealed = secret_rows.get(store, owner_of(server, "ann"), mail_server.PASSWORD)
    assert sealed is not None
    with pytest.raises(SecretError):
        keyring.open(sealed, f"user:{owner_of(server, 'bob')}:{mail_server.PASSWORD}")


def test_a_mailbox_that_never_answers_holds_up_only_its_own_account(
    server: Starlette, dovecot: Dovecot, smtp: Smtp, pinned_now: datetime
) -> None:
    silent = Silent()
    try:
        employer = f"{dovecot.add_user(sent='')}@acme.example"
        quick, slow = dovecot.add_user(), dovecot.add_user()
        prefs, store = server.state.nudge.prefs, server.state.nudge.store
        keyring = server.state.nudge.keyring
        sign_up(server, "quick")
        sign_up(server, "slow")
        for name, user, extra in (
            ("quick", quick, {}),
            ("slow", slow, {"imap_port": silent.port, "smtp_port": silent.port}),
        ):
            owner = owner_of(server, name)
            prefs.save(owner, {"mail": mail_doc(user, dovecot, smtp, **extra)})
            mail_server.save_password(store, keyring, owner, PASSWORD, pinned_now)
        session = job_search(server, owner_of(server, "quick"), employer, pinned_now)
        worker = MailWorker(server.state.nudge, INTERVAL, workers=2)
        started = time.monotonic()
        worker.run_pass()  # the silent server holds its thread for its 3 s timeout
        assert time.monotonic() - started < 2.5
        first = worker.status(owner_of(server, "quick"))
        assert first is not None and first.error is None
        assert worker.status(owner_of(server, "slow")) is None  # still waiting for a greeting
        reply(dovecot, quick, employer, pinned_now)
        worker.run_pass()  # the slow account is still busy: skipped, the quick one served
        second = worker.status(owner_of(server, "quick"))
        assert second is not None and second.logged == 1
        assert not pending(session) >= {"interview.status-check"}
        deadline = time.monotonic() + 20
        while worker.status(owner_of(server, "slow")) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        failed = worker.status(owner_of(server, "slow"))
        assert failed is not None and failed.error is not None
    finally:
        silent.stop()


def test_an_account_connects_its_mailbox_by_oauth_through_the_app(
    server: Starlette,
    oauth_dovecot: Dovecot,
    oauth_smtp: OAuthSmtp,
    issuer: Issuer,
    pinned_now: datetime,
    tmp_path: Path,
) -> None:
    user = oauth_dovecot.add_user()
    client = sign_up(server, "oona")
    owner = owner_of(server, "oona")
    oauth = {
        "auth": "oauth",
        "oauth_client_id": CLIENT_ID,
        "oauth_token_url": f"{issuer.url}/token",
        "oauth_authorize_url": f"{issuer.url}/authorize",
        "oauth_scopes": "offline_access mail",
        "oauth_flow": "browser",
    }
    server.state.nudge.prefs.save(
        owner, {"mail": mail_doc(user, oauth_dovecot, oauth_smtp, **oauth)}
    )
    issuer.state.consent_as = user
    answer = client.send_form("/settings/mailbox/connect", {})
    assert answer.status_code == 303
    to_provider = answer.headers["location"]
    assert to_provider.startswith(f"{issuer.url}/authorize?")
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%2Fsettings%2Fmailbox%2Fcallback" in to_provider
    consent = httpx.get(to_provider, follow_redirects=False, timeout=10)  # the user clicks Allow
    back = urlsplit(consent.headers["location"])
    assert back.path == "/settings/mailbox/callback"
    other = sign_up(server, "otto")  # another account cannot redeem Oona's answer
    stolen = other.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert stolen.status_code == 422 and "not for a sign-in started here" in stolen.text
    done = client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert done.status_code == 303, done.text
    assert "signed in" in client.get("/settings/mailbox").text
    refresh = issuer.live_refresh_tokens(user)
    assert len(refresh) == 1
    database = sorted((tmp_path / "data").glob("jobnudge.sqlite*"))
    assert database
    for path in database:
        assert refresh[0].encode() not in path.read_bytes()

    employer = f"{oauth_dovecot.add_user(sent='')}@acme.example"
    session = job_search(server, owner, employer, pinned_now)
    reply(oauth_dovecot, user, employer, pinned_now)
    worker = MailWorker(server.state.nudge, INTERVAL, workers=2)
    worker.run_pass()
    status = worker.status(owner)
    assert status is not None and status.error is None and status.logged == 1, status
    assert "interview.status-check" not in pending(session)
    issuer.revoke_user(user)
    issuer.state.lifetime = 3600
    later = server.state.nudge
    later.now = lambda tz: pinned_now + timedelta(hours=2)  # the kept access token ran out
    worker.run_pass()
    status = worker.status(owner)
    assert status is not None and status.error is not None
    assert "Connect the mailbox again in Settings → Mail" in status.error


def test_after_a_key_rotation_every_account_still_opens_its_mailbox(
    server: Starlette, dovecot: Dovecot, smtp: Smtp, pinned_now: datetime
) -> None:
    from jobnudge.secretbox import SecretError
    from jobnudge.services import user_secrets

    state = server.state.nudge
    user = dovecot.add_user()
    sign_up(server, "rita")
    owner = owner_of(server, "rita")
    state.prefs.save(owner, {"mail": mail_doc(user, dovecot, smtp)})
    mail_server.save_password(state.store, state.keyring, owner, PASSWORD, pinned_now)
    old = state.keyring
    new = new_key()
    both = load_keyring({"NUDGE_SERVER_KEY": f"{new},{old_key(old)}"}, None)
    assert user_secrets.reseal_all(state.store, both, pinned_now) == (1, 0)
    state.keyring = load_keyring({"NUDGE_SERVER_KEY": new}, None)  # the old key is dropped
    worker = MailWorker(state, INTERVAL, workers=2)
    worker.run_pass()
    status = worker.status(owner)
    assert status is not None and status.error is None, status
    with pytest.raises(SecretError):
        mail_server.account(state.store, old, owner, state.prefs.settings(owner), state.instant)


def old_key(keyring: Any) -> str:
    """The key text a KeyRing was loaded from (its first key), for building the rotation."""
    import base64

    return base64.urlsafe_b64encode(keyring.keys[0]).decode().rstrip("=")


def test_an_account_cannot_aim_the_server_at_its_own_network(
    server: Starlette, dovecot: Dovecot, smtp: Smtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the administrator's NUDGE_PRIVATE_HOSTS, a mailbox on the server's own network,
    a plain-text connection or an OAuth address outside the provider is refused."""
    from dataclasses import replace

    from jobnudge.services.mail_server import server_mail

    monkeypatch.delenv("NUDGE_PRIVATE_HOSTS")
    mail = config.parse({"mail": mail_doc("alex", dovecot, smtp)}).mail
    with pytest.raises(UsageError, match="not a public internet address"):
        server_mail(mail, None)
    for host in ("10.0.0.5", "169.254.169.254", "localhost", "[::1]"):
        with pytest.raises(UsageError, match="not a public"):
            server_mail(replace(mail, imap=replace(mail.imap, host=host)), None)
    oauth = config.parse(
        {
            "mail": {
                "preset": "outlook",
                "username": "alex@outlook.example",
                "oauth_client_id": "x",
                "oauth_token_url": "https://127.0.0.1@10.0.0.5:8080/token",
            }
        }
    ).mail
    with pytest.raises(ConfigError, match="signs in only at Microsoft"):
        server_mail(oauth, None)
