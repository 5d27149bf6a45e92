"""CSRF tokens and security headers (sign-in limits are in ``signin_limits``).

CSRF: every visitor gets a random token in an HttpOnly, SameSite=Strict cookie; every form
carries the same token in a hidden field (scripts send it in ``X-CSRF-Token``), and a POST whose
two copies differ is refused. A page on another site can neither read the cookie nor send it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobnudge.errors import UsageError

CSRF_COOKIE = "nudge_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "nudge_session"
FLASH_COOKIE = "nudge_flash"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


class RefuseNulInAddress:
    """A 400 with a message for an address whose path or query holds a NUL (``%00``): no page
    reads one, and passed on it would reach the database, which refuses it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            b"%00" in scope.get("query_string", b"")
            or b"\x00" in scope.get("query_string", b"")
            or "\x00" in scope.get("path", "")
        ):
            from starlette.responses import PlainTextResponse

            response = PlainTextResponse(
                "The address holds a NUL character (%00), which no page reads; remove it.",
                status_code=400,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class CsrfFailed(Exception):
    """A form arrived without the visitor's CSRF token."""


def cookie_header(
    name: str,
    value: str,
    *,
    secure: bool,
    max_age: int | None = None,
    same_site: str = "Lax",
) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", f"SameSite={same_site}"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def is_https(scope: Scope) -> bool:
    return scope.get("scheme") == "https"


class Guard:
    """ASGI middleware: the CSRF cookie and the security headers on every response."""

    def __init__(self, app: ASGIApp, *, secure: bool | None = None) -> None:
        self.app = app
        self.secure = secure  # None: Secure cookies exactly when the request came over TLS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _cookie(scope, CSRF_COOKIE)
        fresh = token is None or len(token) < 32 or len(token) > 64
        if str(scope.get("path", "")).startswith("/static/"):
            # Assets load in parallel with the page on a first visit: were they to hand out
            # tokens too, the last cookie set would not match the one in the page's forms.
            fresh = False
        if fresh or token is None:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = token
        secure = is_https(scope) if self.secure is None else self.secure
        scope["state"]["secure"] = secure

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if fresh:
                    headers.append(
                        "set-cookie",
                        cookie_header(CSRF_COOKIE, str(token), secure=secure, same_site="Strict"),
                    )
                headers.setdefault("content-security-policy", CSP)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                headers.setdefault("x-frame-options", "DENY")
                if headers.get("content-type", "").startswith("text/html"):
                    # Pages show live state: a browser asks again (Back included) rather than
                    # show a copy from before the last action, with a message about an action
                    # since answered ("Asked sam to join…" once Sam agreed). Back uses a page
                    # kept as "no-cache" without asking; only "no-store" keeps it from being
                    # kept. A form's answer stays "no-cache", so that Back to it shows it
                    # again rather than offering to send the form a second time.
                    kept = "no-cache" if scope.get("method") == "POST" else "no-store"
                    headers.setdefault("cache-control", kept)
                if secure:
                    headers.setdefault("strict-transport-security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: S112 - a malformed cookie header is ignored
                continue
            if name in jar:
                return jar[name].value
    return None


def csrf_token(request: Request) -> str:
    return str(request.scope["state"]["csrf"])


def check_csrf(request: Request, form: Mapping[str, object]) -> None:
    """Raise CsrfFailed unless the form (or the header) carries the visitor's token."""
    expected = csrf_token(request)
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfFailed()
    if not same_origin(request):
        raise CsrfFailed()
    refuse_nul(form)


def refuse_nul(values: Mapping[str, object]) -> None:
    """Refuse a NUL character in any text field: no text may hold one (PostgreSQL refuses it
    outright), and a form that sends one was not typed by a person."""
    multi = getattr(values, "multi_items", None)
    for name, value in multi() if multi is not None else values.items():
        if isinstance(value, str) and "\x00" in value:
            label = name.replace("_", " ").strip().capitalize() or "A field"
            raise UsageError(f"{label} holds a NUL character (\\0); remove it and send again.")


def same_origin(request: Request) -> bool:
    """Whether the page that sent a form is one of this app's own: the browser's ``Origin``
    (or, without it, ``Referer``) must name the host and port the request was made to.

    The token alone is not enough on a shared host name: cookies do not tell ports apart,
    so a page served from another port of 127.0.0.1 could plant the cookie and post a
    matching token. A request that names no origin at all (a script, an old browser) is
    judged by the token alone."""
    from urllib.parse import urlsplit

    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return True
    try:
        netloc = urlsplit(claimed).netloc.lower()
    except ValueError:
        return False
    return bool(netloc) and netloc == request.headers.get("host", "").lower()
