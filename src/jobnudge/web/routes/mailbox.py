"""Settings → Mail on a server with accounts: each user connects their own mailbox, with a
password (sealed in the database with the server key) or by signing in with Microsoft or
Google (OAuth 2.0, the code flow with PKCE, the provider sending the user back to
``/settings/mailbox/callback``). The server's background work then syncs and sends for them.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from jobnudge.bounds import is_digits
from jobnudge.errors import NotFound, NudgeError
from jobnudge.web import forms
from jobnudge.web.background import worker_of
from jobnudge.web.context import Ctx, ReadOnly, call, context, page, redirect

FIELDS = (  # (form and [mail] key, label)
    ("username", "Mailbox user name"),
    ("address", "From address"),
    ("imap_host", "IMAP server"),
    ("imap_port", "IMAP port"),
    ("smtp_host", "SMTP server"),
    ("smtp_port", "SMTP port"),
    ("sent", "Sent mailbox"),
)
PRESETS = (("", "Another provider (servers below)"), ("outlook", "Outlook.com / Microsoft 365"),
           ("gmail", "Gmail / Google Workspace"))  # fmt: skip
AUTHS = (("oauth", "Sign in with the provider (OAuth)"), ("password", "Password"))
SECURITY = (("tls", "TLS"), ("starttls", "STARTTLS"), ("none", "None (same machine only)"))
CHOICES = ("preset", "auth", "imap_security", "smtp_security")
CALLBACK = "/settings/mailbox/callback"


def _owner_ctx(ctx: Ctx) -> Ctx:
    if not ctx.app.accounts:
        raise NotFound("Mail is set up in the settings file on this machine (docs/mail.md).")
    if ctx.read_only:
        raise ReadOnly()
    return ctx


def mailbox_page(
    ctx: Ctx, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:  # fmt: skip
    from jobnudge.services import mail_server

    mail = dict(ctx.app.prefs.document(ctx.owner).get("mail", {}))
    shown = {key: str(mail.get(key, "")) for key, _label in FIELDS}
    shown["preset"] = str(mail.get("preset", ""))
    for key in ("imap_security", "smtp_security"):
        shown[key] = str(mail.get(key, ""))
    shown["auth"] = str(mail.get("auth", "oauth" if shown["preset"] else "password"))
    if values:
        shown.update(values)
    worker = worker_of(ctx.request.app)
    return page(
        ctx,
        "mailbox.html",
        {
            "values": shown,
            "errors": errors or {},
            "fields": FIELDS,
            "presets": PRESETS,
            "auths": AUTHS,
            "security": SECURITY,
            "kept": mail_server.connected(ctx.app.store, ctx.owner),
            "has_key": ctx.app.keyring is not None,
            "status": worker.status(ctx.owner) if worker is not None else None,
        },
        title="Mail",
        status=status,
    )


async def show(request: Request) -> Response:
    ctx = _owner_ctx(await context(request))
    return await call(mailbox_page, ctx)


def _save(ctx: Ctx, mail: dict[str, Any], password: str) -> None:
    from jobnudge.secretbox import require
    from jobnudge.services import mail_server

    document = ctx.app.prefs.document(ctx.owner)
    kept = {k: v for k, v in dict(document.get("mail", {})).items() if k.startswith("oauth_")}
    document["mail"] = {**kept, **mail}
    ctx.app.prefs.save(ctx.owner, document)
    if password:
        keyring = require(ctx.app.keyring)
        mail_server.save_password(ctx.app.store, keyring, ctx.owner, password, ctx.session.now)


async def save(request: Request) -> Response:
    ctx = _owner_ctx(await context(request))
    form = await forms.read(ctx)
    f = forms.Fields(form)
    mail: dict[str, Any] = {}
    for key, label in FIELDS:
        value = f.text(key, label, max_length=300)
        if value and key.endswith("_port"):
            mail[key] = f.check(key, partial(_port, value, label), 0)
        elif value:
            mail[key] = value
    for key in ("preset", "imap_security", "smtp_security"):
        if f.raw(key).strip():
            mail[key] = f.raw(key).strip()
    mail["auth"] = f.raw("auth").strip() or "password"
    password = f.raw("password")
    values = {k: f.raw(k) for k in (*dict(FIELDS), *CHOICES)}
    try:
        f.done()
        await call(_save, ctx, mail, password)
    except forms.Invalid as exc:
        return await call(mailbox_page, ctx, exc.errors, values, exc.status)
    except NudgeError as exc:
        invalid = forms.from_error(exc)
        return await call(mailbox_page, ctx, invalid.errors, values, invalid.status)
    if mail["auth"] == "oauth" and "mail.oauth.refresh_token" not in await call(_kept, ctx):
        return redirect(ctx, "/settings/mailbox", "Saved. Now sign in with your provider.")
    return redirect(ctx, "/settings/mailbox", "Mailbox saved.")


def _kept(ctx: Ctx) -> set[str]:
    from jobnudge.services import mail_server

    return mail_server.connected(ctx.app.store, ctx.owner)


def _port(text: str, label: str) -> int:
    from jobnudge.errors import UsageError

    if not is_digits(text) or not 1 <= int(text) <= 65535:
        raise UsageError(f"{label}: give a port number from 1 to 65535.")
    return int(text)


def _callback_url(request: Request) -> str:
    return str(request.url.replace(path=CALLBACK, query="", fragment=""))


async def connect(request: Request) -> Response:
    """Send the user to their provider's sign-in page."""
    from jobnudge.secretbox import require
    from jobnudge.services import mail_server

    ctx = _owner_ctx(await context(request))
    await forms.read(ctx)
    url = await call(
        mail_server.start_oauth,
        ctx.app.store,
        require(ctx.app.keyring),
        ctx.owner,
        ctx.settings,
        _callback_url(request),
        ctx.session.now,
        ctx.app.server_mail,
    )
    return RedirectResponse(url, status_code=303)


async def callback(request: Request) -> Response:
    """Where the provider sends the user back, with a code only this account can redeem."""
    from jobnudge.secretbox import require
    from jobnudge.services import mail_server

    ctx = _owner_ctx(await context(request))
    query = {k: v for k, v in request.query_params.items() if len(v) < 4096}
    who = await call(
        mail_server.finish_oauth,
        ctx.app.store,
        require(ctx.app.keyring),
        ctx.owner,
        ctx.settings,
        query,
        ctx.session.now,
        ctx.app.server_mail,
    )
    return redirect(ctx, "/settings/mailbox", f"Signed in as {who}: your mail is read and sent.")


async def disconnect(request: Request) -> Response:
    from jobnudge.services import mail_server

    ctx = _owner_ctx(await context(request))
    await forms.read(ctx)
    await call(mail_server.disconnect, ctx.app.store, ctx.owner)
    return redirect(ctx, "/settings/mailbox", "The mailbox password and sign-in are removed.")


ROUTES = [
    Route("/settings/mailbox", show, methods=["GET"]),
    Route("/settings/mailbox", save, methods=["POST"]),
    Route("/settings/mailbox/connect", connect, methods=["POST"]),
    Route(CALLBACK, callback, methods=["GET"]),
    Route("/settings/mailbox/disconnect", disconnect, methods=["POST"]),
]
