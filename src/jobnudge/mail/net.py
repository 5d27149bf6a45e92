"""What went wrong on the way to a mail server, in words a person can act on: DNS, connect,
TLS, login. Shared by the SMTP and IMAP adapters."""

from __future__ import annotations

import socket
import ssl

from jobnudge.config import MailServer
from jobnudge.errors import MailError


def where(side: str, server: MailServer) -> str:
    return f"{side.upper()} server {server.host}:{server.port}"


def resolve(side: str, server: MailServer) -> list[str]:
    """The server's addresses, or a MailError(stage="dns")."""
    try:
        found = socket.getaddrinfo(server.host, server.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise MailError(
            f"{where(side, server)}: the name {server.host!r} does not resolve ({reason}); "
            f"check mail.{side}_host and your network.",
            "dns",
        ) from None
    return sorted({str(info[4][0]) for info in found})


def context() -> ssl.SSLContext:
    """Certificate and host name checked, TLS 1.2 at least."""
    ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def explain(side: str, server: MailServer, exc: BaseException, timeout: float) -> MailError:
    """A connection-level failure as a MailError with its stage."""
    here = where(side, server)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return MailError(
            f"{here}: its TLS certificate cannot be trusted ({exc.verify_message}); check "
            f"mail.{side}_host is the provider's own name.",
            "tls",
        )
    if isinstance(exc, ssl.SSLError):
        hint = (
            f' If this port speaks plain text first, set mail.{side}_security = "starttls" '
            "(or use the provider's TLS port)."
            if server.security == "tls"
            else ""
        )
        return MailError(f"{here}: the TLS handshake failed ({exc.reason or exc}).{hint}", "tls")
    if isinstance(exc, ConnectionRefusedError):
        return MailError(
            f"{here} refused the connection; check mail.{side}_port and that the server runs.",
            "connect",
        )
    if isinstance(exc, TimeoutError):
        hint = (
            f' It may expect TLS from the first byte: mail.{side}_security = "tls".'
            if server.security != "tls"
            else ""
        )
        return MailError(f"{here} did not answer within {timeout:g} s.{hint}", "connect")
    if isinstance(exc, OSError):
        return MailError(f"{here}: cannot connect ({exc.strerror or exc}).", "connect")
    return MailError(f"{here}: {exc}", "connect")
