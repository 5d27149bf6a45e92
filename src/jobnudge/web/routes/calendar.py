"""``/calendar.ics``: the user's interviews and follow-ups as a calendar feed
(``services.calendar_feed.ics_feed``).

Local mode serves the local user's feed. With accounts, calendar apps cannot sign in, so the
feed is reached with a per-user token (made on the Account page, stored hashed); a signed-in
browser may also fetch its own feed without one.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.services.session import Session
from jobnudge.web.context import call, context, state


def _feed(request: Request, owner: int) -> bytes:
    from jobnudge.services.calendar_feed import ics_feed

    app = state(request)
    settings = app.prefs.settings(owner)
    session = Session(
        store=app.store, settings=settings, owner=owner, now=app.now(settings.profile.tz)
    )
    return ics_feed(session)


async def feed(request: Request) -> Response:
    from jobnudge.services import accounts

    app = state(request)
    token = request.query_params.get("token", "")
    if app.accounts and token:
        owner = await call(accounts.feed_owner, app.store, token)
        if owner is None:
            raise HTTPException(404)
    else:
        ctx = await context(request)
        owner = ctx.owner
    body = await call(_feed, request, owner)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"cache-control": "private, max-age=300"},
    )


ROUTES = [Route("/calendar.ics", feed, methods=["GET"])]
