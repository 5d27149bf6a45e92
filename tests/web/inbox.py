"""A real SMTP server (aiosmtpd) on a free loopback port that wants a login (user "centre",
password "smtp secret") and keeps what it is given: the server's own mail account in web
tests (invitations, reminder addresses)."""

from __future__ import annotations

import os
import socket
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest

LOGIN = ("centre", "smtp secret")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """A real SMTP server (aiosmtpd) on a free loopback port that wants a login and keeps
    what it is given."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.messages: list[tuple[list[str], Message]] = []
        self._controller: Any = None

    def __enter__(self) -> Inbox:
        try:
            from aiosmtpd.controller import Controller
            from aiosmtpd.smtp import AuthResult, LoginPassword
        except ImportError:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail("aiosmtpd is missing")
            pytest.skip("aiosmtpd is missing")
        inbox = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                raw = envelope.original_content or envelope.content
                inbox.messages.append((list(envelope.rcpt_tos), message_from_bytes(raw)))
                return "250 2.0.0 OK: queued"

        def authenticator(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
                LOGIN[0].encode(),
                LOGIN[1].encode(),
            )
            return AuthResult(success=ok, handled=False)

        self._controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=False,
            ready_timeout=10,
        )
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
