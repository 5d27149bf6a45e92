"""The channels a digest travels by, each through a well-kept library: e-mail through the SMTP
account ``[mail]`` configures (``mail/smtp.py``), Apprise for the services people watch on
their phones (ntfy, Telegram, Slack, Matrix, ... and ``json://`` to any HTTP endpoint), and
``desktop-notifier`` for a notification on Linux, macOS and Windows.

Each channel's ``send`` raises :class:`DeliveryFailed` with a sentence a person can act on (no
token, no password); ``handing_over`` is called at the point after which a lost connection
cannot tell whether the message arrived (only e-mail has one).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Protocol

from jobnudge.errors import MailError, NudgeError
from jobnudge.remind.digest import Digest
from jobnudge.remind.secrets import redact

if TYPE_CHECKING:
    from jobnudge.mail.account import Account
    from jobnudge.mail.smtp import SmtpClient

APP_NAME = "jobnudge"


class DeliveryFailed(NudgeError):
    """A channel could not deliver a digest; it stays pending and is retried next run."""

    exit_code = 8
    http_status = 502


class Channel(Protocol):
    name: str

    def send(self, digest: Digest, handing_over: Callable[[], None]) -> str:
        """Deliver ``digest``; return what the other side said."""

    def close(self) -> None: ...


def _address(name: str, addr: str) -> Address:
    local, _, domain = addr.partition("@")
    return Address(display_name=name, username=local, domain=domain)


def email_message(
    digest: Digest, *, sender: str, to: str, message_id: str, date: datetime
) -> bytes:
    """The digest as a multipart/alternative message: plain text first, then HTML."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _address("jobnudge", sender)
    msg["To"] = _address("", to)
    msg["Subject"] = digest.subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office answers to it
    msg["MIME-Version"] = "1.0"
    msg.set_content(digest.text + "\n", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(
        f'<!doctype html><html><head><meta name="viewport" content="width=device-width, '
        f'initial-scale=1"></head><body>{digest.html}</body></html>\n',
        subtype="html",
        charset="utf-8",
        cte="quoted-printable",
    )
    return msg.as_bytes()


class EmailChannel:
    """The digest by e-mail through an SMTP account; one connection serves a whole batch."""

    name = "email"

    def __init__(self, account: Account, to: str, now: Callable[[], datetime]) -> None:
        self.account = account
        self.to = to
        self.now = now
        self._client: SmtpClient | None = None

    @property
    def sender(self) -> str:
        mail = self.account.settings
        return mail.from_address or mail.username

    def _connected(self) -> SmtpClient:
        if self._client is None or self._client._smtp is None:
            from jobnudge.mail.smtp import SmtpClient

            m = self.account.settings
            client = SmtpClient(m.smtp, m.username, self.account.password, m.timeout_seconds)
            client.connect()
            self._client = client
        return self._client

    def send(self, digest: Digest, handing_over: Callable[[], None]) -> str:
        return self.send_to(self.to, digest, handing_over)

    def send_to(self, to: str, digest: Digest, handing_over: Callable[[], None]) -> str:
        """Send to ``to`` over this channel's connection (a server's batch shares one)."""
        from jobnudge.mail.compose import make_message_id
        from jobnudge.mail.smtp import ACCEPTED

        raw = email_message(
            digest,
            sender=self.sender,
            to=to,
            message_id=make_message_id(self.sender),
            date=self.now(),
        )
        try:
            delivery = self._connected().deliver(raw, self.sender, [to], handing_over)
        except MailError as exc:
            raise DeliveryFailed(exc.message) from None
        if delivery.outcome != ACCEPTED:
            raise DeliveryFailed(
                f"the mail server did not take the digest for {to}: {delivery.reply}"
            )
        return delivery.reply

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


@contextlib.contextmanager
def _captured(name: str) -> Iterator[list[str]]:
    """The warnings a library logs while the block runs (it reports failures that way)."""
    lines: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = _Keep(logging.WARNING)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


class AppriseChannel:
    """The digest through Apprise to every URL the user gave (a phone app, a chat room...)."""

    name = "apprise"

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls

    def send(self, digest: Digest, handing_over: Callable[[], None]) -> str:
        import apprise

        notifier = apprise.Apprise()
        for url in self.urls:
            if not notifier.add(url):
                shown = redact(url, [url])
                raise DeliveryFailed(
                    f"Apprise does not know the URL {shown}: check its scheme and form "
                    "(https://github.com/caronc/apprise/wiki)."
                )
        with _captured("apprise") as said:
            ok = notifier.notify(
                title=digest.subject, body=digest.text, body_format=apprise.NotifyFormat.TEXT
            )
        if not ok:
            why = redact("; ".join(said[-2:]), self.urls) or "no reason given"
            raise DeliveryFailed(f"Apprise could not deliver to every URL ({why}).")
        return f"delivered to {len(self.urls)} Apprise URL(s)"

    def close(self) -> None:
        return None


def in_desktop_session(environ: Mapping[str, str] | None = None, platform: str = "") -> bool:
    """Whether a desktop notification can be shown: always on macOS and Windows; on Linux
    and the BSDs only with a D-Bus session bus (a cron job or a server has none)."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform in ("darwin", "win32"):
        return True
    return bool(env.get("DBUS_SESSION_BUS_ADDRESS"))


class DesktopChannel:
    """A notification on this computer's desktop (``desktop-notifier``)."""

    name = "desktop"

    def __init__(self, notifier: Any = None, environ: Mapping[str, str] | None = None) -> None:
        self._notifier = notifier
        self.environ = environ

    def _made(self) -> Any:
        if self._notifier is None:
            from desktop_notifier import DesktopNotifierSync

            self._notifier = DesktopNotifierSync(app_name=APP_NAME)
        return self._notifier

    def send(self, digest: Digest, handing_over: Callable[[], None]) -> str:
        if self._notifier is None and not in_desktop_session(self.environ):
            raise DeliveryFailed(
                "no desktop session here (no D-Bus session bus): a desktop notification "
                "needs `nudge remind` to run in your desktop session, e.g. from "
                "`nudge remind --install`."
            )
        notifier = self._made()
        with _captured("desktop_notifier") as said:
            try:
                if not notifier.has_authorisation():
                    raise DeliveryFailed(
                        "the desktop does not allow notifications from jobnudge, or no "
                        "notification service runs; allow them in the system settings."
                    )
                notifier.send(title=digest.subject, message=digest.short or digest.subject)
            except DeliveryFailed:
                raise
            except Exception as exc:  # the platform's own errors (D-Bus, WinRT, Cocoa)
                raise DeliveryFailed(
                    f"the desktop notification failed ({type(exc).__name__}: {exc})."
                ) from None
        if said:
            raise DeliveryFailed(f"the desktop notification failed ({said[-1]}).")
        return "shown on the desktop"

    def close(self) -> None:
        return None
