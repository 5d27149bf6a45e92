"""Organisations (multi-user mode only): the organisation page (members, bulk invitations,
deactivating and deleting; a job seeker's consent to a coach). A coach's caseload, its
requests and a seeker's page are ``web.routes.caseload``.

Every route parses, calls one service and renders; the services check the acting user's role,
and anything outside it answers 404 like an unknown id.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.bounds import is_digits
from jobnudge.errors import NudgeError, UsageError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, page, redirect, state

MAX_UPLOAD = 2_000_000


def accounts_only(request: Request) -> None:
    """Answer 404 in local mode, where there are no organisations."""
    if not state(request).accounts:
        raise HTTPException(404)


FIELDS = frozenset(
    {"organisation", "name", "email", "file", "coach", "seeker", "member", "confirm", "note"}
    | {"text", "comment", "due_on", "opportunity", "choice"}
)


def form_error(exc: NudgeError) -> tuple[dict[str, str], int]:
    """The service's message on the field it names (the form's own fields only)."""
    found = re.match(r"^([a-z_]+): ", exc.message)
    if found and found.group(1) in FIELDS:
        field, message = found.group(1), exc.message[found.end() :]
    else:
        field, message = "", exc.message
    return {field: message[:1].upper() + message[1:]}, exc.http_status


def org_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    report: Any = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    from jobnudge.services import orgs

    store, me = ctx.app.store, orgs.membership(ctx.app.store, ctx.user_id)
    data: dict[str, Any] = {
        "me": me,
        "errors": errors or {},
        "report": report,
        "values": values or {},
        "role_words": orgs.ROLE_WORDS,
    }
    if me is not None and me.role == "admin":
        now = ctx.app.instant()
        params = ctx.request.query_params
        wanted = params.get("page", "1")
        shown = orgs.members_page(
            store,
            ctx.user_id,
            params.get("q", "")[:100],
            int(wanted) if is_digits(wanted) and len(wanted) < 7 else 1,
        )
        data.update(
            members=shown.members,
            shown=shown,
            pending=orgs.pending_invitations(store, ctx.user_id, now),
            links=orgs.links(store, ctx.user_id, [p.user_id for p in shown.members]),
        )
    if me is not None:
        # Every role: a seeker made a coach or an administrator keeps the links they agreed to.
        data["requests"] = orgs.requests_for(store, ctx.user_id)
    return page(ctx, "org.html", data, title="Organisation", status=status)


async def show(request: Request) -> Response:
    accounts_only(request)
    ctx = await context(request)
    return await call(org_page, ctx)


async def start(request: Request) -> Response:
    from jobnudge.services import orgs

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    values = {k: str(form.get(k, ""))[:300] for k in ("organisation", "full_name", "email")}
    try:
        await call(
            orgs.start,
            ctx.app.store,
            ctx.user_id,
            values["organisation"],
            values["full_name"],
            values["email"],
            ctx.app.instant(),
        )
    except NudgeError as exc:
        errors, status = form_error(exc)
        if "name" in errors:
            errors["full_name"] = errors.pop("name")
        return await call(org_page, ctx, errors=errors, values=values, status=status)
    return redirect(ctx, "/org", f"{values['organisation'].strip()} is ready: invite its people.")


async def invite(request: Request) -> Response:
    from jobnudge.services import org_invites, orgs

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    await call(orgs.admin_of, ctx.app.store, ctx.user_id)
    upload = form.get("file")
    data = b""
    if upload is not None and not isinstance(upload, str):
        data = await upload.read(MAX_UPLOAD + 1)
    pasted = str(form.get("people", "")).strip()
    if not data and pasted:
        data = pasted.encode()
    try:
        if not data:
            raise UsageError(
                "file: choose a CSV file of names and e-mail addresses, or paste the list."
            )
        people = org_invites.parse(data)
        report = await call(
            org_invites.invite,
            ctx.app.store,
            ctx.app.server,
            ctx.user_id,
            people,
            ctx.app.public_url(request),
            ctx.app.instant(),
            resend=bool(form.get("resend")),
        )
    except NudgeError as exc:
        errors, status = form_error(exc)
        return await call(org_page, ctx, errors=errors, status=status)
    return await call(org_page, ctx, report=report)


async def member_action(request: Request, action: str) -> Response:
    from jobnudge.services import orgs

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    member = int(request.path_params["member"])
    store = ctx.app.store
    await call(orgs.admin_of, store, ctx.user_id)
    try:
        if action == "deactivate":
            done = await call(orgs.deactivate, store, ctx.user_id, member)
            said = f"{done.name} is deactivated: signed out, history kept. Reactivate any time."
        elif action == "reactivate":
            done = await call(orgs.reactivate, store, ctx.user_id, member)
            said = f"{done.name} can sign in again."
        else:
            confirm = str(form.get("confirm", ""))[:100]
            done = await call(orgs.delete, store, ctx.user_id, member, confirm)
            said = f"{done.name} and everything they recorded are deleted."
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        errors, status = form_error(exc)
        return await call(org_page, ctx, errors=errors, status=status)
    return redirect(ctx, "/org", said)


async def answer(request: Request, choice: str) -> Response:
    from jobnudge.services import orgs

    accounts_only(request)
    ctx = await context(request)
    await forms.read(ctx, allow_read_only=True)
    coach = int(request.path_params["coach"])
    await call(orgs.answer, ctx.app.store, ctx.user_id, coach, choice, ctx.app.instant())
    said = {
        "consent": "Your coach can now read your search (and change nothing).",
        "decline": "Declined: your coach sees nothing of your search.",
        "withdraw": "Withdrawn: your coach no longer sees your search.",
    }[choice]
    return redirect(ctx, "/org", said)


def _bound(endpoint: Any, word: str) -> Any:
    async def bound(request: Request) -> Response:
        return await endpoint(request, word)  # type: ignore[no-any-return]

    bound.__name__ = f"{endpoint.__name__}_{word}"
    return bound


ROUTES = [
    Route("/org", show, methods=["GET"]),
    Route("/org", start, methods=["POST"]),
    Route("/org/invitations", invite, methods=["POST"]),
    *(
        Route(
            f"/org/members/{{member:id}}/{action}", _bound(member_action, action), methods=["POST"]
        )
        for action in ("deactivate", "reactivate", "delete")
    ),
    *(
        Route(f"/org/coaches/{{coach:id}}/{choice}", _bound(answer, choice), methods=["POST"])
        for choice in ("consent", "decline", "withdraw")
    ),
]
