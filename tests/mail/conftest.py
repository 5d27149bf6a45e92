"""Fixtures for the mail tests: a real Dovecot and a real SMTP server on 127.0.0.1 for the whole
session (each xdist worker has its own pair), and per test a fresh pair of mail accounts, a
settings document pointing at them and a SQLite store.

Without dovecot (or aiosmtpd) the tests are skipped, except under CI (``CI=true``), where that
is a failure: `.ci/run` installs dovecot-imapd.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tomllib
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from jobnudge import config
from jobnudge.mail.account import Account
from jobnudge.services.session import Session, open_session

from .issuer import Issuer
from .oauth_smtp import OAuthSmtp
from .servers import PASSWORD, Dovecot, Smtp


def _missing(what: str) -> None:
    message = f"{what} is not available; `.ci/run` installs it (apt-get install dovecot-imapd)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if shutil.which("dovecot") is None:
        _missing("dovecot")
    server = Dovecot().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def smtp(dovecot: Dovecot) -> Iterator[Smtp]:
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        _missing("aiosmtpd")
    server = Smtp(dovecot).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def issuer() -> Iterator[Issuer]:
    server = Issuer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oauth_dovecot(issuer: Issuer) -> Iterator[Dovecot]:
    if shutil.which("dovecot") is None:
        _missing("dovecot")
    server = Dovecot(introspection_url=f"{issuer.url}/introspect").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oauth_smtp(oauth_dovecot: Dovecot, issuer: Issuer) -> Iterator[OAuthSmtp]:
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        _missing("aiosmtpd")
    server = OAuthSmtp(oauth_dovecot, issuer).start()
    try:
        yield server
    finally:
        server.stop()


class MailWorld:
    """Two fresh mailboxes (the job seeker and an employer) and a jobnudge set up for them,
    at the suite's pinned moment ``now``."""

    def __init__(self, dovecot: Dovecot, smtp: Smtp, home: Path, now: datetime) -> None:
        self.dovecot, self.smtp, self.home, self.now = dovecot, smtp, home, now
        self.user = dovecot.add_user()
        self.employer = dovecot.add_user(sent="")
        self.address = f"{self.user}@seeker.example"
        self.employer_address = f"{self.employer}@acme.example"
        self.data_dir = home / "data"
        self.mail: dict[str, Any] = {
            "username": self.user,
            "address": self.address,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_security": "none",
            "imap_host": "127.0.0.1",
            "imap_port": dovecot.port,
            "imap_security": "none",
            "sent": "Sent",
            "append_sent": True,
            "password_source": "env",
            "timeout_seconds": 5,
            "since_days": 3650,
        }
        self._session: Session | None = None

    def toml(self, **mail: Any) -> str:
        values = {**self.mail, **mail}
        lines = [
            "[profile]",
            'name = "Alex Morgan"',
            f'email = "{self.address}"',
            'tz = "America/New_York"',
            'country = "US"',
            "",
            "[mail]",
        ]
        for key, value in values.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int | float):
                lines.append(f"{key} = {value}")
            else:
                lines.append(f'{key} = "{value}"')
        return "\n".join(lines) + "\n"

    def settings(self, **mail: Any) -> config.Settings:
        return config.parse(tomllib.loads(self.toml(**mail)))

    def configure(self, **mail: Any) -> None:
        """Change the mail settings for the sessions opened from now on."""
        self.mail.update(mail)
        if self._session is not None:
            self._session.settings = self.settings()

    def session(self, now: datetime | None = None) -> Session:
        """The job seeker's session, at ``now`` (default: the pinned moment)."""
        if self._session is None:
            self._session = open_session(None, settings=self.settings(), data_dir=self.data_dir)
        self._session.now = now if now is not None else self.now
        return self._session

    def account(self, password: str = PASSWORD, **mail: Any) -> Account:
        return Account(self.settings(**mail).mail, password)

    def employer_writes(
        self,
        subject: str,
        body: str,
        *,
        sender: str | None = None,
        name: str = "Dana Lee",
        in_reply_to: str | None = None,
        headers: dict[str, str] | None = None,
        when: datetime | None = None,
        message_id: str | None = None,
    ) -> str:
        """Drop a message into the job seeker's INBOX, written and received ``when`` (default: a
        minute before the pinned moment)."""
        mid = message_id or f"<{secrets.token_hex(8)}@acme.example>"
        when = when or self.now - timedelta(minutes=1)
        lines = [
            f"From: {name} <{sender or self.employer_address}>",
            f"To: Alex Morgan <{self.address}>",
            f"Subject: {subject}",
            f"Date: {format_datetime(when)}",
            f"Message-ID: {mid}",
        ]
        if in_reply_to:
            lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
        for key, value in (headers or {}).items():
            lines.append(f"{key}: {value}")
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body, ""]
        self.dovecot.append(self.user, "INBOX", "\r\n".join(lines).encode(), when)
        return mid

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


@pytest.fixture
def world(
    dovecot: Dovecot,
    smtp: Smtp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pinned_now: datetime,
) -> Iterator[MailWorld]:
    monkeypatch.setenv("NUDGE_MAIL_PASSWORD", PASSWORD)
    made = MailWorld(dovecot, smtp, tmp_path, pinned_now)
    (tmp_path / "nudge-home").mkdir(exist_ok=True)
    (tmp_path / "nudge-home" / "config.toml").write_text(made.toml(), encoding="utf-8")
    saved = (set(smtp.behaviour.refused), set(smtp.behaviour.server_copies))
    try:
        yield made
    finally:
        made.close()
        smtp.behaviour.refused, smtp.behaviour.server_copies = saved
        smtp.behaviour.drop_after_data = False
