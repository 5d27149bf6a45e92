"""Each account's own mailbox on a server with accounts (``nudge serve --accounts``).

The servers and the user name come from the account's settings document (``[mail]``); the
password or the OAuth tokens from the account's sealed secrets (``services.user_secrets``):
never the server's keyring, environment or files, which belong to whoever runs the server.
A secret is sealed for its owner, so one account can never open, or sign in with, another's.

OAuth here uses the code flow with PKCE through the web app's own callback page: the state
and verifier wait, sealed, as the account's secret :data:`PENDING` for :data:`PENDING_FOR`.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from jobnudge.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from jobnudge.config import Mail, Settings
    from jobnudge.mail.account import Account
    from jobnudge.secretbox import KeyRing
    from jobnudge.store import Store

PASSWORD = "mail.password"  # noqa: S105 - the secret's name
TOKENS = "mail.oauth.refresh_token"
PENDING = "mail.oauth.pending"
PENDING_FOR = timedelta(minutes=15)
RECONNECT = "Connect the mailbox again in Settings → Mail."
NAMES = (PASSWORD, TOKENS, PENDING)


class SecretTokens:
    """A :class:`~jobnudge.mail.tokenstore.TokenStore` in the account's sealed secrets."""

    where = "this server's database, sealed with the server key"

    def __init__(
        self, store: Store, keyring: KeyRing, owner: int, now: Callable[[], datetime]
    ) -> None:
        self.store, self.keyring, self.owner, self.now = store, keyring, owner, now

    def load(self) -> dict[str, Any] | None:
        from jobnudge.services import user_secrets

        text = user_secrets.get(self.store, self.keyring, self.owner, TOKENS)
        found = json.loads(text) if text else None
        return found if isinstance(found, dict) else None

    def save(self, tokens: dict[str, Any]) -> None:
        from jobnudge.services import user_secrets

        user_secrets.put(
            self.store, self.keyring, self.owner, TOKENS, json.dumps(tokens), self.now()
        )

    def clear(self) -> None:
        from jobnudge.services import user_secrets

        user_secrets.delete(self.store, self.owner, TOKENS)


OAUTH_HOSTS = {
    "microsoft": frozenset({"login.microsoftonline.com"}),
    "google": frozenset({"accounts.google.com", "oauth2.googleapis.com"}),
}
"""Where an account's own OAuth settings may send the server: the providers' sign-in hosts."""


def server_mail(mail: Mail, server: Mail | None) -> Mail:
    """The account's ``[mail]`` as the server uses it: tokens never in a file, the server's
    registered OAuth client for the same provider when the account names none, and nothing
    that would make the server connect to its own network on the account's behalf (OAuth
    addresses only at the provider or as the server's settings name them; mailbox hosts
    public, with TLS)."""
    from jobnudge import outbound

    oauth = mail.oauth
    if server is not None and not oauth.client_id and server.oauth.provider == oauth.provider:
        oauth = server.oauth
    if mail.auth == "oauth":
        allowed = set(OAUTH_HOSTS.get(oauth.provider, ()))
        if server is not None and server.oauth.provider == oauth.provider:
            allowed |= {_host(u) for u in _urls(server.oauth) if u}
        for url in _urls(oauth):
            if url and _host(url) not in allowed and not outbound.exempt(_host(url)):
                raise ConfigError(
                    "Settings → Mail: this server signs in only at Microsoft, Google or the "
                    f"provider its administrator set up, not at {_host(url) or url!r}."
                )
    for host, security, what in (
        (mail.imap.host, mail.imap.security, "incoming (IMAP)"),
        (mail.smtp.host, mail.smtp.security, "outgoing (SMTP)"),
    ):
        if host and outbound.exempt(host):
            continue  # a host the administrator lets users reach (NUDGE_PRIVATE_HOSTS)
        if host:
            outbound.check_host(host, f"Settings → Mail: the {what} server")
            if security == "none":
                raise ConfigError(
                    f"Settings → Mail: the {what} server must be reached with TLS or STARTTLS "
                    "on this server; choose one of those."
                )
    return replace(mail, oauth=replace(oauth, token_file=""))


def _urls(oauth: Any) -> tuple[str, ...]:
    return (oauth.authorize_url, oauth.token_url, oauth.device_url, oauth.revoke_url)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def account(
    store: Store,
    keyring: KeyRing,
    owner: int,
    settings: Settings,
    now: Callable[[], datetime],
    server: Mail | None = None,
) -> Account:
    """``owner``'s mail account with its own secret, or a ConfigError saying what is missing."""
    from jobnudge.mail.account import Account
    from jobnudge.services import user_secrets

    mail = server_mail(settings.mail, server)
    if not mail.configured:
        raise ConfigError("Mail is not set up for this account: fill in Settings → Mail.")
    if not mail.from_address:
        raise ConfigError("Settings → Mail: give the address your messages come from.")
    if mail.auth == "oauth":
        from jobnudge.mail.oauth import Bearer
        from jobnudge.oauthconfig import check_ready

        check_ready(mail.oauth)
        tokens = SecretTokens(store, keyring, owner, now)
        bearer = Bearer(mail.oauth, tokens, mail.username, now, mail.timeout_seconds, RECONNECT)
        return Account(mail, "", bearer)
    password = user_secrets.get(store, keyring, owner, PASSWORD)
    if not password:
        raise ConfigError("No mailbox password is kept for this account: enter it in Settings.")
    return Account(mail, password)


def save_password(store: Store, keyring: KeyRing, owner: int, password: str, now: datetime) -> None:
    from jobnudge.services import user_secrets

    if not password or len(password) > 1000:
        raise UsageError("password: enter the mailbox password (or app password).")
    user_secrets.put(store, keyring, owner, PASSWORD, password, now)
    user_secrets.delete(store, owner, TOKENS)


def start_oauth(
    store: Store,
    keyring: KeyRing,
    owner: int,
    settings: Settings,
    redirect_uri: str,
    now: datetime,
    server: Mail | None = None,
) -> str:
    """The provider's address to send the user to; the state and PKCE verifier wait sealed."""
    from jobnudge.mail.oauth_login import authorization_url
    from jobnudge.oauthconfig import check_ready
    from jobnudge.services import user_secrets

    mail = server_mail(settings.mail, server)
    if mail.auth != "oauth" or not mail.username:
        raise ConfigError("Settings → Mail: choose OAuth sign-in and give the address first.")
    check_ready(replace(mail.oauth, flow="browser"), "Settings → Mail: mail")
    verifier = secrets.token_urlsafe(64)
    url, state = authorization_url(mail.oauth, redirect_uri, verifier, mail.username)
    waiting = {"state": state, "verifier": verifier, "redirect_uri": redirect_uri}
    waiting["at"] = now.isoformat()
    user_secrets.put(store, keyring, owner, PENDING, json.dumps(waiting), now)
    return url


def finish_oauth(
    store: Store,
    keyring: KeyRing,
    owner: int,
    settings: Settings,
    query: dict[str, str],
    now: datetime,
    server: Mail | None = None,
) -> str:
    """Redeem the code the provider sent back to this account's callback; the user name."""
    from jobnudge.errors import MailError
    from jobnudge.mail.oauth_login import redeem
    from jobnudge.services import user_secrets

    text = user_secrets.get(store, keyring, owner, PENDING)
    waiting = json.loads(text) if text else {}
    if not waiting or not hmac.compare_digest(str(waiting["state"]), query.get("state", "")):
        # Left waiting: a link another site makes the browser open must not cancel it.
        raise UsageError("This sign-in answer is not for a sign-in started here; start again.")
    user_secrets.delete(store, owner, PENDING)  # the state is used once
    if now - datetime.fromisoformat(waiting["at"]) > PENDING_FOR:
        raise UsageError("The sign-in took too long; start it again from Settings → Mail.")
    mail = server_mail(settings.mail, server)
    if "error" in query:
        why = query.get("error_description") or query["error"]
        raise MailError(f"{mail.oauth.label} did not sign you in ({why}).", "login")
    tokens = redeem(
        mail.oauth,
        query.get("code", ""),
        waiting["verifier"],
        waiting["redirect_uri"],
        mail.username,
        now,
        mail.timeout_seconds,
    )
    user_secrets.put(store, keyring, owner, TOKENS, json.dumps(tokens), now)
    user_secrets.delete(store, owner, PASSWORD)
    return mail.username


def connected(store: Store, owner: int) -> set[str]:
    """Which mail secrets the account keeps (names only)."""
    from jobnudge.services import user_secrets

    return set(user_secrets.names(store, owner)) & set(NAMES)


def disconnect(store: Store, owner: int) -> None:
    from jobnudge.services import user_secrets

    for name in NAMES:
        user_secrets.delete(store, owner, name)


def owners(store: Store) -> list[int]:
    """The accounts with a mailbox named in their settings."""
    from jobnudge.store import accounts

    return accounts.mail_owners(store)
