"""Accounts (multi-user mode only): sign-up by invitation, sign-in with growing waits after
failures (``web.signin_limits``; failures are logged, never the password), sign-out. The
account page a signed-in user reaches is ``web.routes.account``.

In local mode these routes answer 404: there is nobody to sign in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge import zones
from jobnudge.config import system_zone
from jobnudge.errors import NudgeError
from jobnudge.plural import count
from jobnudge.services import validate
from jobnudge.web import forms, security
from jobnudge.web.context import call, redirect, state
from jobnudge.web.security import SESSION_COOKIE, cookie_header

if TYPE_CHECKING:
    from datetime import datetime

    from jobnudge.services.preferences import Preferences
    from jobnudge.store import Store

log = logging.getLogger("jobnudge.web.signin")


def accounts_only(request: Request) -> None:
    """Answer 404 in local mode, where there are no accounts."""
    if not state(request).accounts:
        raise HTTPException(404)


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


def anonymous_page(
    request: Request, template: str, values: dict[str, object], status: int = 200
) -> Response:
    from urllib.parse import unquote

    from starlette.responses import HTMLResponse

    from jobnudge.web.security import FLASH_COOKIE

    env = state(request).env
    flash = request.cookies.get(FLASH_COOKIE)
    body = env.get_template(template).render(
        ctx=None,
        request=request,
        csrf=security.csrf_token(request),
        path=request.url.path,
        flash=unquote(flash)[:300] if flash else None,
        **values,
    )
    response = HTMLResponse(body, status_code=status)
    if flash:
        secure = bool(request.scope["state"].get("secure"))
        response.headers.append(
            "set-cookie", cookie_header(FLASH_COOKIE, "", secure=secure, max_age=0)
        )
    return response


def zone_choices(selected: str) -> list[tuple[str, str]]:
    """Options for the sign-up's time-zone list, with ``selected`` among them."""
    names = zones.zone_names()
    if selected and selected not in names:
        names = tuple(sorted({*names, selected}))
    return [(n, n.replace("_", " ")) for n in names]


def _new_account(
    store: Store,
    prefs: Preferences,
    token: str,
    name: str,
    password: str,
    tz: str,
    now: datetime,
) -> int:
    """Create the account, then give it the zone the person signed up in (without one, the
    settings would fall back to the server's zone, wrong for anyone elsewhere)."""
    from jobnudge.services import accounts as service

    owner = service.sign_up(store, token, name, password, now)
    prefs.save(owner, {"profile": {"tz": tz}})
    return owner


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def signin_form(request: Request) -> Response:
    accounts_only(request)
    return anonymous_page(
        request,
        "signin.html",
        {
            "title": "Sign in",
            "next": _safe_next(request.query_params.get("next", "/")),
            "errors": {},
            "name": "",
        },
    )


async def signin(request: Request) -> Response:
    from jobnudge.services import accounts as service

    accounts_only(request)
    app = state(request)
    form = await request.form()
    security.check_csrf(request, form)
    name = str(form.get("name", "")).strip().lower()[:100]
    password = str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "/")))
    address = _client(request)
    values = {"title": "Sign in", "next": target, "name": name}
    wait = app.limiter.retry_after(name, address)
    if wait:
        log.info("sign-in as %r from %s refused: wait %d s after failures", name, address, wait)
        refused = anonymous_page(
            request,
            "signin.html",
            {
                **values,
                "errors": {"": f"Too many failed sign-ins. Try again in {count(wait, 'second')}."},
            },
            status=429,
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    now = app.instant()
    owner = await call(service.verify, app.store, name, password, now)
    if owner is None:
        failures = app.limiter.failed(name, address)
        log.warning(
            "failed sign-in as %r from %s (%d in a row for this name)", name, address, failures
        )
        return anonymous_page(
            request,
            "signin.html",
            {**values, "errors": {"password": "That user name and password do not match."}},
            status=401,
        )
    app.limiter.succeeded(name, address)
    if await call(service.deactivated, app.store, owner):
        log.info("sign-in as %r from %s refused: account deactivated", name, address)
        return anonymous_page(
            request,
            "signin.html",
            {
                **values,
                "errors": {
                    "": "Your organisation has deactivated this account; ask its "
                    "administrator to reactivate it."
                },
            },
            status=403,
        )
    token = await call(service.create_session, app.store, owner, now)
    response = redirect(request, target, "Welcome back.")
    response.headers.append(
        "set-cookie",
        cookie_header(
            SESSION_COOKIE,
            token,
            secure=bool(request.scope["state"].get("secure")),
            max_age=int(service.SESSION_LIFETIME.total_seconds()),
        ),
    )
    return response


async def signout(request: Request) -> Response:
    from jobnudge.services import accounts as service

    accounts_only(request)
    form = await request.form()
    security.check_csrf(request, form)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await call(service.end_session, state(request).store, token)
    response = redirect(request, "/signin", "Signed out.")
    response.headers.append(
        "set-cookie",
        cookie_header(
            SESSION_COOKIE, "", secure=bool(request.scope["state"].get("secure")), max_age=0
        ),
    )
    return response


async def signup_form(request: Request) -> Response:
    from jobnudge.services import accounts as service

    accounts_only(request)
    token = request.query_params.get("invite", "")
    app = state(request)
    found = (
        await call(service.invitation_is_open, app.store, token, app.instant()) if token else False
    )
    zone = system_zone()
    return anonymous_page(
        request,
        "signup.html",
        {
            "title": "Create your account",
            "invite": token,
            "valid": found,
            "errors": {},
            "name": "",
            "tz": zone,
            "zones": zone_choices(zone),
        },
        status=200 if found else 404,
    )


async def signup(request: Request) -> Response:
    from jobnudge.services import accounts as service

    accounts_only(request)
    app = state(request)
    form = await request.form()
    security.check_csrf(request, form)
    token = str(form.get("invite", ""))
    name = str(form.get("name", ""))[:100]
    password = str(form.get("password", ""))
    errors: dict[str, str] = {}
    if password != str(form.get("confirm", "")):
        errors["confirm"] = "The two passwords differ; type the same one twice."
    for field, value in (("name", name), ("password", password)):
        try:
            if field == "name":
                service.check_name(value)
            else:
                service.check_password(value, name)
        except NudgeError as exc:
            found, message = forms.split_message(exc.message)
            errors.setdefault(found or field, message[:1].upper() + message[1:])
    tz = str(form.get("tz", "")).strip()[:100] or system_zone()
    try:
        validate.zone(tz, "Time zone")
    except NudgeError as exc:
        errors["tz"] = exc.message
    values = {
        "title": "Create your account",
        "invite": token,
        "valid": True,
        "name": name,
        "tz": system_zone() if "tz" in errors else tz,
        "zones": zone_choices(system_zone() if "tz" in errors else tz),
    }
    if not errors:
        try:
            await call(_new_account, app.store, app.prefs, token, name, password, tz, app.instant())
        except NudgeError as exc:
            field, message = forms.split_message(exc.message)
            errors[field] = message[:1].upper() + message[1:]
            if exc.http_status == 404:
                values["valid"] = False
            return anonymous_page(
                request, "signup.html", {**values, "errors": errors}, status=exc.http_status
            )
        return redirect(request, "/signin", "Your account is ready: sign in.")
    return anonymous_page(request, "signup.html", {**values, "errors": errors}, status=422)


ROUTES = [
    Route("/signin", signin_form, methods=["GET"]),
    Route("/signin", signin, methods=["POST"]),
    Route("/signout", signout, methods=["POST"]),
    Route("/signup", signup_form, methods=["GET"]),
    Route("/signup", signup, methods=["POST"]),
]
