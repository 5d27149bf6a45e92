"""OAuth 2.0 access tokens for a mailbox (Authlib over httpx), and the SASL strings that carry
them to IMAP and SMTP: XOAUTH2 (Google's and Microsoft's) and OAUTHBEARER (RFC 7628).

A :class:`Bearer` hands out a valid access token: the kept one while it has more than
:data:`LEEWAY` left, else a fresh one from the refresh token (saved again, since providers
rotate refresh tokens). A refresh token the provider no longer honours (revoked, expired, the
password changed) becomes one :class:`MailError` that names the command which fixes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from jobnudge.errors import MailError

if TYPE_CHECKING:
    from authlib.integrations.httpx_client import OAuth2Client

    from jobnudge.mail.tokenstore import TokenStore
    from jobnudge.oauthconfig import OAuth

LEEWAY = timedelta(minutes=5)
"""An access token with less than this left is refreshed before it is used: a sync or a send
started on a token about to expire would fail half-way."""

SIGN_IN_AGAIN = "Sign in again: nudge mail login"
DEAD_GRANTS = ("invalid_grant", "invalid_token", "unauthorized_client", "interaction_required")


def xoauth2(username: str, token: str) -> str:
    """The XOAUTH2 initial response (before base64)."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(username: str, host: str, port: int, token: str) -> str:
    """The OAUTHBEARER (RFC 7628) initial response (before base64)."""
    user = username.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={user},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"


def mechanism(offered: set[str]) -> str | None:
    """The SASL mechanism to use among those a server offers: OAUTHBEARER, else XOAUTH2."""
    names = {name.upper().removeprefix("AUTH=") for name in offered}
    return next((m for m in ("OAUTHBEARER", "XOAUTH2") if m in names), None)


def sasl(chosen: str, username: str, host: str, port: int, token: str) -> tuple[str, str]:
    """``(initial response, answer to a refusal)`` for ``chosen``: after a refused token the
    server sends its reason as a challenge, answered ^A (OAUTHBEARER) or empty (XOAUTH2)."""
    if chosen == "OAUTHBEARER":
        return oauthbearer(username, host, port, token), "\x01"
    return xoauth2(username, token), ""


def client(oauth: OAuth, timeout: float, **kwargs: Any) -> OAuth2Client:
    from authlib.integrations.httpx_client import OAuth2Client

    return OAuth2Client(
        client_id=oauth.client_id,
        client_secret=oauth.client_secret or None,
        token_endpoint_auth_method="client_secret_post" if oauth.client_secret else "none",
        revocation_endpoint_auth_method="client_secret_post" if oauth.client_secret else "none",
        scope=oauth.scopes,
        timeout=timeout,
        trust_env=False,  # no proxy from the environment for tokens
        **kwargs,
    )


def unreachable(oauth: OAuth, exc: Exception) -> MailError:
    return MailError(
        f"{oauth.label[:1].upper()}{oauth.label[1:]}'s sign-in service could not be reached "
        f"({type(exc).__name__}: {exc}); "
        "check the network and try again.",
        "login",
    )


def kept(token: dict[str, Any], username: str, now: datetime, refresh: str = "") -> dict[str, Any]:
    """What a store keeps from a token response."""
    lifetime = token.get("expires_in")
    seconds = float(lifetime) if isinstance(lifetime, int | float | str) and lifetime else 3600
    return {
        "refresh_token": str(token.get("refresh_token") or refresh),
        "access_token": str(token.get("access_token", "")),
        "expires_at": (now + timedelta(seconds=seconds)).astimezone(UTC).isoformat(),
        "username": username,
    }


@dataclass
class Bearer:
    """Valid access tokens for one mailbox, refreshed before they run out."""

    oauth: OAuth
    store: TokenStore
    username: str
    now: Callable[[], datetime]
    timeout: float = 30
    fix: str = SIGN_IN_AGAIN
    refreshes: int = 0  # how many times this bearer asked for a new access token

    def _signed_out(self, why: str) -> MailError:
        return MailError(
            f"The sign-in to {self.oauth.label} for {self.username} {why}. {self.fix}", "login"
        )

    def _kept(self) -> dict[str, Any]:
        found = self.store.load()
        if not found or found.get("username") != self.username:
            raise self._signed_out("has not been made yet (or was for another mailbox)")
        return found

    def token(self, *, fresh: bool = False) -> str:
        """An access token with at least :data:`LEEWAY` left (a new one when ``fresh``)."""
        found = self._kept()
        try:
            expires = datetime.fromisoformat(str(found.get("expires_at")))
        except ValueError:
            expires = datetime.min.replace(tzinfo=UTC)
        if not fresh and found.get("access_token") and self.now() < expires - LEEWAY:
            return str(found["access_token"])
        return self._refresh(str(found["refresh_token"]))

    def _refresh(self, refresh_token: str) -> str:
        import httpx2
        from authlib.integrations.base_client import OAuthError

        self.refreshes += 1
        try:
            with client(self.oauth, self.timeout) as http:
                token = http.refresh_token(self.oauth.token_url, refresh_token=refresh_token)
        except OAuthError as exc:
            if exc.error in DEAD_GRANTS:
                raise self._signed_out(
                    "is no longer valid (it was revoked, expired or the password changed)"
                ) from None
            raise MailError(
                f"{self.oauth.label} refused to renew the sign-in for {self.username} "
                f"({exc.error}: {exc.description or 'no reason given'}). {self.fix}",
                "login",
            ) from None
        except (httpx2.HTTPError, ValueError) as exc:
            raise unreachable(self.oauth, exc) from None
        saved = kept(dict(token), self.username, self.now(), refresh_token)
        self.store.save(saved)
        return str(saved["access_token"])

    def revoke(self) -> bool:
        """Withdraw the refresh token at the provider (when it has an endpoint for that) and
        forget the tokens here. True when the provider confirmed."""
        import httpx2
        from authlib.integrations.base_client import OAuthError

        found = self.store.load()
        self.store.clear()
        if not found or not self.oauth.revoke_url:
            return False
        try:
            with client(self.oauth, self.timeout) as http:
                answer = http.revoke_token(
                    self.oauth.revoke_url,
                    token=str(found["refresh_token"]),
                    token_type_hint="refresh_token",  # noqa: S106 - a kind, not a token
                )
        except (OAuthError, httpx2.HTTPError):
            return False
        return bool(answer.status_code == 200)
