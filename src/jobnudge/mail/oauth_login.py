"""Signing in to a mailbox's provider (``nudge mail login``, and the server's Settings page).

- Device code (RFC 8628; Microsoft): the user opens a short address on any device and types a
  code; jobnudge polls the token endpoint meanwhile. Nothing listens on this machine.
- Browser with a loopback redirect and PKCE (RFC 8252, RFC 7636; Google's "installed app"): a
  one-shot HTTP listener on 127.0.0.1 receives the code, which only this process can redeem.
- Web redirect (the server): :func:`authorization_url` and :func:`redeem` around the app's own
  callback page.
"""

from __future__ import annotations

import secrets
import time
import webbrowser
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jobnudge.errors import MailError
from jobnudge.mail.oauth import client, kept, unreachable
from jobnudge.oauthconfig import OAuth

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
BROWSER_WAIT = 300.0  # seconds the loopback listener waits for the browser


def _usable(token: dict[str, Any], oauth: OAuth) -> None:
    if not token.get("refresh_token"):
        raise MailError(
            f"{oauth.label} signed you in but gave no refresh token, so the sign-in would end "
            "within the hour; mail.oauth_scopes must include offline_access (Microsoft), and "
            "Google must be asked for offline access.",
            "login",
        )


def device_login(
    oauth: OAuth,
    username: str,
    now: Callable[[], datetime],
    say: Callable[[str], None],
    timeout: float = 30,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """The device-code flow; the tokens to keep (never printed)."""
    import httpx2
    from authlib.integrations.base_client import OAuthError

    try:
        with client(oauth, timeout) as http:
            answer = http.request(
                "POST",
                oauth.device_url,
                data={"client_id": oauth.client_id, "scope": oauth.scopes},
                withhold_token=True,
            )
            grant = answer.json()
            if not isinstance(grant, dict) or "device_code" not in grant:
                why = grant.get("error_description") or grant.get("error") if grant else None
                raise MailError(
                    f"{oauth.label} would not start a sign-in ({why or answer.status_code}); "
                    "check mail.oauth_client_id and mail.oauth_tenant.",
                    "login",
                )
            say(
                f"To sign in to {oauth.label} as {username}, open "
                f"{grant.get('verification_uri') or grant.get('verification_url')} "
                f"and enter the code {grant['user_code']}"
            )
            interval = float(grant.get("interval") or 5)
            deadline = time.monotonic() + float(grant.get("expires_in") or 900)
            while time.monotonic() < deadline:
                sleep(interval)
                try:
                    token = http.fetch_token(
                        oauth.token_url, grant_type=DEVICE_GRANT, device_code=grant["device_code"]
                    )
                except OAuthError as exc:
                    if exc.error == "authorization_pending":
                        continue
                    if exc.error == "slow_down":
                        interval += 5
                        continue
                    if exc.error in ("access_denied", "authorization_declined"):
                        raise MailError(
                            "The sign-in was declined; nothing was kept.", "login"
                        ) from None
                    raise MailError(
                        f"{oauth.label} ended the sign-in ({exc.error}: "
                        f"{exc.description or 'no reason given'}); run nudge mail login again.",
                        "login",
                    ) from None
                token = dict(token)
                _usable(token, oauth)
                return kept(token, username, now())
    except (httpx2.HTTPError, ValueError) as exc:
        raise unreachable(oauth, exc) from None
    raise MailError("The code was not entered in time; run nudge mail login again.", "login")


def authorization_url(
    oauth: OAuth, redirect_uri: str, verifier: str, username: str
) -> tuple[str, str]:
    """``(address to send the user to, state)`` for the code flow with PKCE (S256)."""
    extra: dict[str, str] = {"login_hint": username}
    if oauth.provider == "google":  # Google hands out a refresh token only when asked so
        extra.update(access_type="offline", prompt="consent")
    with client(oauth, 30, redirect_uri=redirect_uri, code_challenge_method="S256") as http:
        url, state = http.create_authorization_url(
            oauth.authorize_url, code_verifier=verifier, **extra
        )
    return str(url), str(state)


def redeem(
    oauth: OAuth,
    code: str,
    verifier: str,
    redirect_uri: str,
    username: str,
    now: datetime,
    timeout: float = 30,
) -> dict[str, Any]:
    """Exchange the authorization code (with the PKCE verifier) for the tokens to keep."""
    import httpx2
    from authlib.integrations.base_client import OAuthError

    try:
        with client(oauth, timeout, redirect_uri=redirect_uri) as http:
            token = dict(
                http.fetch_token(
                    oauth.token_url,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verifier,
                    redirect_uri=redirect_uri,
                )
            )
    except OAuthError as exc:
        raise MailError(
            f"{oauth.label} refused the sign-in ({exc.error}: "
            f"{exc.description or 'no reason given'}); try again.",
            "login",
        ) from None
    except (httpx2.HTTPError, ValueError) as exc:
        raise unreachable(oauth, exc) from None
    _usable(token, oauth)
    return kept(token, username, now)


class _Catcher(BaseHTTPRequestHandler):
    found: dict[str, str]

    def do_GET(self) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if "code" in query or "error" in query:
            type(self).found.update(query)
            text = "Signed in: you can close this tab and go back to jobnudge."
            if "error" in query:
                text = "The sign-in did not complete: go back to jobnudge to see why."
        else:
            text = "Waiting for the sign-in."
        body = f"<!doctype html><title>jobnudge</title><p>{text}</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def browser_login(
    oauth: OAuth,
    username: str,
    now: Callable[[], datetime],
    say: Callable[[str], None],
    *,
    open_browser: bool = True,
    timeout: float = 30,
    wait: float = BROWSER_WAIT,
) -> dict[str, Any]:
    """The loopback-redirect flow with PKCE; the tokens to keep."""
    found: dict[str, str] = {}
    catcher = type("Catcher", (_Catcher,), {"found": found})
    server = HTTPServer(("127.0.0.1", 0), catcher)
    server.timeout = 0.5
    try:
        redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/"
        verifier = secrets.token_urlsafe(64)
        url, state = authorization_url(oauth, redirect_uri, verifier, username)
        say(f"To sign in to {oauth.label} as {username}, open this address in your browser:\n{url}")
        if open_browser:
            webbrowser.open(url)
        deadline = time.monotonic() + wait
        while not found and time.monotonic() < deadline:
            server.handle_request()
    finally:
        server.server_close()
    if not found:
        raise MailError("The browser did not come back in time; run nudge mail login again.")
    if found.get("state") != state:
        raise MailError("The sign-in answer did not match this sign-in; nothing was kept.")
    if "error" in found:
        why = found.get("error_description") or found["error"]
        raise MailError(f"{oauth.label} did not sign you in ({why}).", "login")
    return redeem(oauth, found["code"], verifier, redirect_uri, username, now(), timeout)
