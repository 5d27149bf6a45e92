"""An aiosmtpd server that accepts OAuth 2.0 sign-in (SASL XOAUTH2 only, as Outlook's SMTP
offers), asking the test issuer whether each bearer token is live, and delivers like
:class:`~tests.mail.servers.Smtp`."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from .issuer import Issuer
from .servers import Dovecot, Smtp, _Handler


class _OAuthHandler(_Handler):
    def __init__(self, dovecot: Dovecot, smtp: OAuthSmtp) -> None:
        super().__init__(dovecot, smtp.behaviour)
        self.issuer = smtp.issuer

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> Any:
        from aiosmtpd.smtp import MISSING, AuthResult

        if len(args) > 1:
            blob: Any = base64.b64decode(args[1])
        else:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        fields = dict(part.split("=", 1) for part in blob.decode().split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        owner = await asyncio.get_running_loop().run_in_executor(None, self.issuer.check, token)
        if owner is not None and owner == fields.get("user"):
            return AuthResult(success=True, auth_data=owner)
        # XOAUTH2: the reason comes as a challenge; the client answers empty, then 535.
        await server.challenge_auth('{"status":"401","schemes":"bearer"}')
        return AuthResult(
            success=False, handled=False, message="535 5.7.8 Authentication unsuccessful"
        )


class OAuthSmtp(Smtp):
    def __init__(self, dovecot: Dovecot, issuer: Issuer) -> None:
        super().__init__(dovecot)
        self.issuer = issuer

    def start(self) -> OAuthSmtp:
        from aiosmtpd.controller import Controller

        self._controller = Controller(
            _OAuthHandler(self.dovecot, self),
            hostname="127.0.0.1",
            port=self.port,
            auth_required=True,
            auth_require_tls=False,
            auth_exclude_mechanism=["LOGIN", "PLAIN"],
            ready_timeout=10,
        )
        self._controller.start()
        return self
