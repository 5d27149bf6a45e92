"""Handing a message to the SMTP server (``smtplib``), step by step so the caller can record
the moment of hand-over before the message's last byte leaves.

``deliver`` tells four outcomes apart: accepted (250 after the data), refused (5xx: do not
retry blindly), deferred (4xx: try again later) and unknown (the connection was lost after the
message was handed over: only the Sent mailbox can tell whether it went).
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from jobnudge.config import MailServer
from jobnudge.errors import MailError
from jobnudge.mail import net

if TYPE_CHECKING:
    from jobnudge.mail.oauth import Bearer

ACCEPTED, REFUSED, DEFERRED, UNKNOWN = "accepted", "refused", "deferred", "unknown"


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: str  # ACCEPTED, REFUSED, DEFERRED or UNKNOWN
    reply: str  # the server's words, e.g. "550 5.1.1 <x@y>: Recipient address rejected"
    handed_over: bool  # the message's data was sent (the caller's hook ran)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}".strip()


class SmtpClient:
    """One authenticated SMTP session; use as a context manager."""

    def __init__(
        self,
        server: MailServer,
        username: str,
        password: str,
        timeout: float,
        bearer: Bearer | None = None,
    ) -> None:
        self.server = server
        self.username = username
        self._password = password
        self.bearer = bearer  # OAuth: a token over OAUTHBEARER or XOAUTH2 instead of a password
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def connect(self) -> None:
        """Resolve, connect, secure and log in, or raise a MailError naming the step."""
        server, side = self.server, "smtp"
        net.resolve(side, server)
        try:
            if server.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=self.timeout, context=net.context()
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
            smtp.ehlo()
        except smtplib.SMTPException as exc:
            raise MailError(
                f"{net.where(side, server)} did not greet as an SMTP server ({exc}).", "connect"
            ) from None
        except OSError as exc:
            raise net.explain(side, server, exc, self.timeout) from None
        self._smtp = smtp
        if server.security == "starttls":
            if not smtp.has_extn("starttls"):
                self.close()
                raise MailError(
                    f"{net.where(side, server)} does not offer STARTTLS, so the password would "
                    'travel in clear; use its TLS port (mail.smtp_security = "tls").',
                    "tls",
                )
            try:
                smtp.starttls(context=net.context())
                smtp.ehlo()
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise net.explain(side, server, exc, self.timeout) from None
        self._login(smtp)

    def _login(self, smtp: smtplib.SMTP) -> None:
        here = net.where("smtp", self.server)
        if self.bearer is not None:
            self._token_login(smtp, self.bearer, here)
            return
        try:
            smtp.login(self.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            answer = _reply(exc.smtp_code, exc.smtp_error)
            raise MailError(
                f"{here} refused the login for {self.username!r}: {answer}. "
                "Check the password and mail.username (for Gmail and Outlook, "
                'mail.auth = "oauth").',
                "login",
            ) from None
        except smtplib.SMTPNotSupportedError:
            self.close()
            raise MailError(
                f"{here} offers no login (AUTH); it may need STARTTLS or TLS first "
                "(mail.smtp_security).",
                "login",
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailError(f"{here}: the login failed ({exc}).", "login") from None

    def _token_login(self, smtp: smtplib.SMTP, bearer: Bearer, here: str) -> None:
        """AUTH OAUTHBEARER when offered, else XOAUTH2; a refused token is renewed once."""
        from jobnudge.mail.oauth import mechanism, sasl

        chosen = mechanism(set(smtp.esmtp_features.get("auth", "").split()))
        if chosen is None:
            self.close()
            raise MailError(
                f"{here} does not offer OAuth sign-in (XOAUTH2 or OAUTHBEARER); it may need "
                "STARTTLS or TLS first (mail.smtp_security), or a password (mail.auth).",
                "login",
            )
        last = "no reason given"
        for fresh in (False, True):
            try:
                token = bearer.token(fresh=fresh)
            except MailError:
                self.close()
                raise
            first, refusal = sasl(chosen, self.username, self.server.host, self.server.port, token)

            def answer(
                challenge: bytes | None = None, first: str = first, no: str = refusal
            ) -> str:
                return first if challenge is None else no

            try:
                smtp.auth(chosen, answer, initial_response_ok=True)
                return
            except smtplib.SMTPAuthenticationError as exc:
                last = _reply(exc.smtp_code, exc.smtp_error)
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise MailError(f"{here}: the login failed ({exc}).", "login") from None
        self.close()
        raise MailError(
            f"{here} refused the sign-in token for {self.username!r}: {last}. "
            f"Check mail.username; if it persists: {bearer.fix}",
            "login",
        )

    def deliver(
        self, raw: bytes, sender: str, recipients: Sequence[str], handing_over: Callable[[], None]
    ) -> Delivery:
        """Send one message. ``handing_over`` runs after the server said "go ahead" (354) and
        before any of the message is sent: from then on a lost connection means "unknown".
        A connection problem before that raises MailError: nothing was handed over."""
        smtp = self._smtp
        if smtp is None:
            raise RuntimeError("connect() first")
        try:
            code, text = smtp.mail(sender)
            if code != 250:
                return self._refusal(code, text, f"MAIL FROM:<{sender}>")
            for rcpt in recipients:
                code, text = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    return self._refusal(code, text, f"RCPT TO:<{rcpt}>")
            code, text = smtp.docmd("DATA")
            if code != 354:
                return self._refusal(code, text, "DATA")
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailError(
                f"{net.where('smtp', self.server)}: the connection failed before the message "
                f"was handed over ({exc}); it is still queued.",
                "send",
            ) from None
        handing_over()
        data = re.sub(rb"(?m)^\.", b"..", raw)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        try:
            smtp.send(data + b".\r\n")
            code, text = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            return Delivery(
                UNKNOWN,
                f"the connection was lost after the message was handed over ({exc or 'closed'})",
                True,
            )
        if code == 250:
            return Delivery(ACCEPTED, _reply(code, text), True)
        return Delivery(DEFERRED if 400 <= code < 500 else REFUSED, _reply(code, text), True)

    def _refusal(self, code: int, text: bytes, step: str) -> Delivery:
        smtp = self._smtp
        try:
            if smtp is not None:
                smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.close()
        outcome = DEFERRED if 400 <= code < 500 else REFUSED
        return Delivery(outcome, f"{step}: {_reply(code, text)}", False)

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def __enter__(self) -> SmtpClient:
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
