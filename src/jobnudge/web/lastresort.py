"""The last resort for an error nobody foresaw (a bug, never bad input: that is a 4xx).

Starlette's own handler for it sends the error page and then raises the exception again, so
the server logs it a second time and closes the connection: the browser's next request on
that connection is reset. This middleware logs the error once, with its traceback, answers
with the error page and keeps the connection usable.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("jobnudge.web")

Render = Callable[[Request, Exception], Awaitable[Response]]


class LastResort:
    def __init__(self, app: ASGIApp, render: Render) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:  # part of a response went out: only the server can end it
                raise
            request = Request(scope)
            log.error("error serving %s %s", request.method, request.url.path, exc_info=exc)
            response = await self.render(request, exc)
            await response(scope, receive, send)
