"""The account page (multi-user mode only): invitations, sharing the search read-only with a
coach and viewing one shared with you, the password, the calendar feed link. Apart from
signing in and up (web.routes.auth), which a visitor reaches before having an account."""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.bounds import record_id
from jobnudge.errors import NudgeError
from jobnudge.web import forms
from jobnudge.web.context import Ctx, call, context, page, redirect
from jobnudge.web.routes.auth import accounts_only


def account_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    invite_link: str | None = None,
    feed_link: str | None = None,
    status: int = 200,
) -> Response:
    from jobnudge.services import accounts

    store = ctx.app.store
    return page(
        ctx,
        "account.html",
        {
            "coaches": accounts.coaches(store, ctx.user_id),
            "shared": accounts.shared_with(store, ctx.user_id),
            "invitations": accounts.pending_invitations(store, ctx.user_id, ctx.app.instant()),
            "invite_link": invite_link,
            "feed_link": feed_link,
            "has_feed": accounts.has_feed_token(store, ctx.user_id),
            "errors": errors or {},
        },
        title="Account",
        status=status,
    )


async def account(request: Request) -> Response:
    accounts_only(request)
    ctx = await context(request)
    return await call(account_page, ctx)


async def invite(request: Request) -> Response:
    from jobnudge.services import accounts

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx)
    note = str(form.get("note", "")).strip()[:200]
    token = await call(
        accounts.create_invitation, ctx.app.store, ctx.user_id, note, ctx.app.instant()
    )
    link = f"{ctx.app.public_url(request)}signup?invite={quote(token)}"
    return await call(account_page, ctx, invite_link=link)


async def share(request: Request) -> Response:
    from jobnudge.services import accounts

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx)
    coach = str(form.get("coach", "")).strip().lower()[:100]
    if not coach:
        return await call(
            account_page, ctx, errors={"coach": "Type your coach's user name."}, status=422
        )
    try:
        await call(accounts.share, ctx.app.store, ctx.user_id, coach, ctx.app.instant())
    except NudgeError as exc:
        field, message = forms.split_message(exc.message)
        return await call(
            account_page,
            ctx,
            errors={field or "coach": message},
            status=exc.http_status if exc.http_status != 404 else 422,
        )
    return redirect(ctx, "/account", f"{coach} can now read your search (and change nothing).")


async def unshare(request: Request) -> Response:
    from jobnudge.services import accounts

    accounts_only(request)
    ctx = await context(request)
    await forms.read(ctx)
    coach = int(request.path_params["coach"])
    known = {cid for cid, _ in await call(accounts.coaches, ctx.app.store, ctx.user_id)}
    if coach not in known:
        raise HTTPException(404)
    await call(accounts.unshare, ctx.app.store, ctx.user_id, coach)
    return redirect(ctx, "/account", "Sharing stopped.")


async def view(request: Request) -> Response:
    """A coach switches to a search shared with them (read-only), or back to their own."""
    from jobnudge.services import accounts

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    target = str(form.get("owner", "mine"))
    assert ctx.token is not None
    if target == "mine":
        await call(accounts.set_viewing, ctx.app.store, ctx.token, None)
        return redirect(ctx, "/", "Back to your own search.")
    owner = record_id(target)
    if owner is None or not await call(accounts.may_view, ctx.app.store, ctx.user_id, owner):
        raise HTTPException(404)
    await call(accounts.set_viewing, ctx.app.store, ctx.token, owner)
    return redirect(ctx, "/", "You are viewing a shared search (read-only).")


async def password(request: Request) -> Response:
    from jobnudge.services import accounts as service

    accounts_only(request)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    new = str(form.get("new", ""))
    if new != str(form.get("confirm", "")):
        return await call(
            account_page, ctx, errors={"confirm": "The two new passwords differ."}, status=422
        )
    try:
        await call(
            service.change_password,
            ctx.app.store,
            ctx.user_id,
            ctx.user_name,
            str(form.get("current", "")),
            new,
            ctx.app.instant(),
        )
    except NudgeError as exc:
        field, message = forms.split_message(exc.message)
        if field == "password":
            field = "new"
        return await call(account_page, ctx, errors={field: message}, status=exc.http_status)
    return redirect(ctx, "/signin", "Password changed: sign in again on every device.")


async def feed(request: Request) -> Response:
    from jobnudge.services import accounts

    accounts_only(request)
    ctx = await context(request)
    await forms.read(ctx, allow_read_only=True)
    token = await call(accounts.new_feed_token, ctx.app.store, ctx.user_id, ctx.app.instant())
    link = f"{ctx.app.public_url(request)}calendar.ics?token={quote(token)}"
    return await call(account_page, ctx, feed_link=link)


ROUTES = [
    Route("/account", account, methods=["GET"]),
    Route("/account/invitations", invite, methods=["POST"]),
    Route("/account/shares", share, methods=["POST"]),
    Route("/account/shares/{coach:id}/revoke", unshare, methods=["POST"]),
    Route("/account/view", view, methods=["POST"]),
    Route("/account/password", password, methods=["POST"]),
    Route("/account/feed", feed, methods=["POST"]),
]
