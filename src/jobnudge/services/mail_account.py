"""The user's mail account: opening it (settings plus password) and ``nudge mail test``, which
tries each step of both connections and says precisely which one failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobnudge.errors import MailError
from jobnudge.mail.account import Account, open_account
from jobnudge.plural import count

if TYPE_CHECKING:
    from jobnudge.config import Settings


@dataclass(frozen=True)
class Check:
    side: str  # "smtp" or "imap"
    step: str  # "dns", "connect", "tls", "login", "mailbox"
    ok: bool
    detail: str


def account(settings: Settings) -> Account:
    """The account of ``[mail]`` with its password, or a ConfigError saying what is missing."""
    return open_account(settings.mail)


def test(settings: Settings) -> list[Check]:
    """Every step of both connections, in order, each with what it found or why it failed."""
    from jobnudge.mail import net
    from jobnudge.mail.imap import ImapClient
    from jobnudge.mail.smtp import SmtpClient

    acct = account(settings)
    mail = acct.settings
    checks: list[Check] = []
    for side, server in (("smtp", mail.smtp), ("imap", mail.imap)):
        try:
            addresses = net.resolve(side, server)
        except MailError as exc:
            checks.append(Check(side, exc.stage, False, exc.message))
            continue
        checks.append(Check(side, "dns", True, f"{server.host} is {', '.join(addresses[:3])}"))
        client: SmtpClient | ImapClient
        if side == "smtp":
            client = SmtpClient(server, mail.username, acct.password, mail.timeout_seconds)
        else:
            client = ImapClient(server, mail.username, acct.password, mail.timeout_seconds)
        try:
            client.connect()
        except MailError as exc:
            steps = ("connect", "tls", "login")
            for step in steps[: steps.index(exc.stage) if exc.stage in steps else 0]:
                checks.append(Check(side, step, True, "ok"))
            checks.append(Check(side, exc.stage, False, exc.message))
            continue
        security = {
            "tls": "TLS from the first byte",
            "starttls": "STARTTLS",
            "none": "none (plain text: only for a server on this machine)",
        }[server.security]
        checks.append(Check(side, "connect", True, f"{server.host}:{server.port}"))
        checks.append(Check(side, "tls", True, security))
        checks.append(Check(side, "login", True, f"logged in as {mail.username}"))
        try:
            if isinstance(client, ImapClient):
                for name in (mail.inbox, mail.sent):
                    try:
                        status = client.examine(name)
                    except MailError as exc:
                        checks.append(Check(side, "mailbox", False, exc.message))
                    else:
                        held = count(status.exists, "message")
                        checks.append(Check(side, "mailbox", True, f"{name}: {held}"))
        finally:
            client.close()
    return checks
