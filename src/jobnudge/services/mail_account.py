"""The user's mail account: opening it (settings plus password) and ``nudge mail test``, which
tries each step of both connections and says precisely which one failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobnudge.errors import ConfigError, MailError
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
    from jobnudge import clock

    return open_account(settings.mail, now=clock.now)


def sender(settings: Settings) -> Account:
    """The account of ``[mail]`` for sending only (a server's digests and invitations): no
    IMAP host needed."""
    from jobnudge import clock

    return open_account(settings.mail, now=clock.now, sending_only=True)


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
            client = SmtpClient(
                server, mail.username, acct.password, mail.timeout_seconds, acct.bearer
            )
        else:
            client = ImapClient(
                server, mail.username, acct.password, mail.timeout_seconds, acct.bearer
            )
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
        how = " with an OAuth token" if acct.bearer is not None else ""
        checks.append(Check(side, "login", True, f"logged in as {mail.username}{how}"))
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


@dataclass(frozen=True)
class SignedIn:
    username: str
    where: str  # where the refresh token is kept


def _oauth_mail(settings: Settings) -> None:
    from jobnudge.oauthconfig import check_ready

    mail = settings.mail
    if not mail.username:
        raise ConfigError(
            "mail.username: give your mailbox's address before signing in "
            '(e.g. preset = "outlook" and username = "you@outlook.com"; docs/mail.md).'
        )
    if mail.auth != "oauth":
        raise ConfigError(
            'mail.auth is "password", so there is nothing to sign in to: set mail.auth = '
            '"oauth" (the gmail and outlook presets do), or keep the password as docs/mail.md says.'
        )
    check_ready(mail.oauth)


def login(
    settings: Settings,
    *,
    flow: str | None,
    say: Callable[[str], None],
    open_browser: bool = True,
) -> SignedIn:
    """Run the sign-in the provider allows (or ``flow``) and keep the tokens."""
    from jobnudge import clock
    from jobnudge.mail.account import token_store
    from jobnudge.mail.oauth_login import browser_login, device_login

    _oauth_mail(settings)
    mail = settings.mail
    store = token_store(mail)
    chosen = flow or mail.oauth.flow
    if chosen == "device":
        if not mail.oauth.device_url:
            raise ConfigError(
                f"{mail.oauth.label} has no device-code sign-in for mail; use --browser."
            )
        tokens = device_login(mail.oauth, mail.username, clock.now, say, mail.timeout_seconds)
    else:
        if not mail.oauth.authorize_url:
            raise ConfigError("mail.oauth_authorize_url is empty: the browser sign-in needs it.")
        tokens = browser_login(
            mail.oauth,
            mail.username,
            clock.now,
            say,
            open_browser=open_browser,
            timeout=mail.timeout_seconds,
        )
    store.save(tokens)
    return SignedIn(mail.username, store.where)


def logout(settings: Settings) -> bool:
    """Forget the kept tokens; True when the provider confirmed it withdrew them."""
    from jobnudge import clock
    from jobnudge.mail.account import token_store
    from jobnudge.mail.oauth import Bearer

    _oauth_mail(settings)
    mail = settings.mail
    bearer = Bearer(mail.oauth, token_store(mail), mail.username, clock.now, mail.timeout_seconds)
    return bearer.revoke()
