"""A coach's caseload (multi-user mode only): asking a job seeker to join it, the list of
seekers, one seeker's page with the coach's private notes, and the comments a coach leaves on
a seeker's Today (which the seeker puts away). Apart from running the organisation
(web.routes.orgs), which only an administrator does."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.bounds import is_digits
from jobnudge.errors import NudgeError, UsageError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, kept_page, page, redirect
from jobnudge.web.routes.orgs import accounts_only, form_error, org_page

if TYPE_CHECKING:
    from jobnudge.services import caseload


async def ask(request: Request) -> Response:
    from jobnudge.services import orgs

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    store = ctx.app.store
    me = await call(orgs.coach_of, store, ctx.user_id)
    seeker = str(form.get("seeker", ""))[:100]
    coach = str(form.get("coach", ""))[:100]
    back = "/org" if coach else "/caseload"
    try:
        coach_name, seeker_name = await call(
            orgs.ask, store, ctx.user_id, seeker, ctx.app.instant(), coach_name=coach
        )
    except NudgeError as exc:
        errors, status = form_error(exc)
        if back == "/org" and me.role == "admin":
            return await call(org_page, ctx, errors=errors, status=status)
        return await call(caseload_page, ctx, errors=errors, status=status)
    return redirect(
        ctx,
        back,
        f"Asked {seeker_name} to join {coach_name}'s caseload; nothing is shared until they agree.",
    )


def caseload_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    view: caseload.View | None = None,
) -> Response:
    """The caseload; ``view`` is the one the kept page's key was read from, if any (read
    again otherwise)."""
    from jobnudge.services import caseload

    store = ctx.app.store
    if view is None:
        view = caseload.view_of(store, ctx.user_id)
    params = ctx.request.query_params
    show = params.get("show", "all")
    show = show if show in caseload.FILTERS else "all"
    search = params.get("q", "")[:100]
    every = caseload.rows_of(store, view.people, ctx.session.now, ctx.tz)
    return page(
        ctx,
        "caseload.html",
        {
            "me": view.me,
            "rows": caseload.pick(every, show, search),
            "total": len(every),
            "show": show,
            "q": search,
            "filters": caseload.FILTERS,
            "asked": view.asked,
            "errors": errors or {},
        },
        title="Caseload",
        status=status,
    )


async def caseload_view(request: Request) -> Response:
    from jobnudge.services import caseload

    accounts_only(request)
    read: list[caseload.View] = []  # the view the key is read from, rendered from too

    def built_from(ctx: Ctx) -> Hashable:
        read.append(caseload.view_of(ctx.app.store, ctx.user_id))
        return read[-1].built_from(ctx.app.store)

    def render(ctx: Ctx) -> Response:
        return caseload_page(ctx, view=read[-1] if read else None)

    return await kept_page(request, render, also=built_from)


def seeker_page(
    ctx: Ctx, seeker: int, *, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    from jobnudge.services import caseload

    store = ctx.app.store
    sid, name, full_name = caseload.seeker_of(store, ctx.user_id, seeker)
    rows = caseload.rows_of(store, [(sid, name, full_name)], ctx.session.now, ctx.tz)
    return page(
        ctx,
        "caseload_seeker.html",
        {
            "seeker": sid,
            "name": name,
            "full_name": full_name,
            "row": rows[0] if rows else None,
            "opportunities": caseload.opportunities(store, ctx.user_id, sid),
            "recent": caseload.recent(store, ctx.user_id, sid),
            "notes": caseload.notes(store, ctx.user_id, sid),
            "comments": caseload.comments_left(store, ctx.user_id, sid),
            "errors": errors or {},
        },
        title=f"{full_name or name}",
        status=status,
    )


async def seeker_view(request: Request) -> Response:
    accounts_only(request)
    ctx = await context(request)
    return await call(seeker_page, ctx, int(request.path_params["seeker"]))


async def note(request: Request) -> Response:
    from jobnudge.services import caseload

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    seeker = int(request.path_params["seeker"])
    await call(caseload.seeker_of, ctx.app.store, ctx.user_id, seeker)
    try:
        await call(
            caseload.add_note,
            ctx.app.store,
            ctx.user_id,
            seeker,
            str(form.get("text", "")),
            ctx.app.instant(),
        )
    except NudgeError as exc:
        errors, status = form_error(exc)
        return await call(seeker_page, ctx, seeker, errors=errors, status=status)
    return redirect(ctx, f"/caseload/{seeker}", "Note kept (only you see it).")


async def comment(request: Request) -> Response:
    from jobnudge.services import caseload

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    seeker = int(request.path_params["seeker"])
    await call(caseload.seeker_of, ctx.app.store, ctx.user_id, seeker)
    due_text = str(form.get("due_on", "")).strip()[:10]
    opp_text = str(form.get("opportunity", "")).strip()[:10]
    try:
        due = None
        if due_text:
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                raise UsageError("due_on: write the day as YYYY-MM-DD, e.g. 2026-09-01.") from None
        opp = int(opp_text) if is_digits(opp_text) else None
        await call(
            caseload.comment,
            ctx.app.store,
            ctx.user_id,
            seeker,
            str(form.get("comment", "")),
            ctx.app.instant(),
            opportunity_id=opp,
            due_on=due,
        )
    except NudgeError as exc:
        errors, status = form_error(exc)
        return await call(seeker_page, ctx, seeker, errors=errors, status=status)
    return redirect(ctx, f"/caseload/{seeker}", "Sent: they see it on their Today page.")


async def put_away(request: Request) -> Response:
    """The job seeker puts a coach's comment away (from Today)."""
    from jobnudge.services import caseload

    accounts_only(request)
    ctx = await context(request)
    await forms.read(ctx)
    await call(
        caseload.put_away,
        ctx.app.store,
        ctx.owner,
        int(request.path_params["comment"]),
        ctx.app.instant(),
    )
    return redirect(ctx, "/", "Put away.")


ROUTES = [
    Route("/caseload", caseload_view, methods=["GET"]),
    Route("/caseload/requests", ask, methods=["POST"]),
    Route("/caseload/{seeker:id}", seeker_view, methods=["GET"]),
    Route("/caseload/{seeker:id}/notes", note, methods=["POST"]),
    Route("/caseload/{seeker:id}/comments", comment, methods=["POST"]),
    Route("/comments/{comment:id}/put-away", put_away, methods=["POST"]),
]
