"""What every request needs: the app's state, who is asking, whose search they see, and helpers
to render a page or redirect with a flash message.

Local mode acts as the user "local" with no sign-in. With accounts, the session cookie names the
signed-in user; a coach looking at a search shared with them sees that search read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from urllib.parse import quote, unquote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from jobnudge.bounds import is_digits
from jobnudge.config import Settings
from jobnudge.errors import NudgeError
from jobnudge.services.session import LOCAL_USER, Session
from jobnudge.web import security
from jobnudge.web.pagecache import TOKEN_SLOT, Kept, PageCache, next_minute
from jobnudge.web.security import FLASH_COOKIE, SESSION_COOKIE, cookie_header

if TYPE_CHECKING:
    from jinja2 import Environment

    from jobnudge.config import Mail
    from jobnudge.secretbox import KeyRing
    from jobnudge.services.preferences import Preferences
    from jobnudge.store import Store
    from jobnudge.web.signin_limits import SignInLimiter


P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class AppState:
    store: Store
    prefs: Preferences
    env: Environment
    accounts: bool
    limiter: SignInLimiter
    now: Callable[[str], datetime]  # the current instant, given the user's zone
    local_owner: int | None = None
    feeds: bool = False  # whether the calendar feed exists (jobnudge.ics)
    pages: PageCache | None = None  # rendered pages kept per revision (None: always render)
    keyring: KeyRing | None = None  # the server key sealing accounts' secrets (accounts mode)
    server_mail: Mail | None = None  # the server's own [mail]: its registered OAuth clients
    server: Settings | None = None  # the server's own settings (its SMTP for invitations)

    def public_url(self, request: Request) -> str:
        """Where links sent by e-mail point: the server's configured ``remind.web_url`` when
        set (its public address behind the proxy), else the address this request came to. A
        request's Host header is the client's to choose: a mailed link must not follow it when
        the server knows its own address."""
        configured = self.server.remind.web_url.strip() if self.server is not None else ""
        return (configured.rstrip("/") + "/") if configured else str(request.base_url)

    def instant(self) -> datetime:
        """The app's clock in UTC. Sign-ins, invitations and shares are timed by it like the
        agenda, so a pinned ``now`` (``--now``, ``NUDGE_NOW``, tests) pins them too."""
        return self.now("UTC").astimezone(UTC)


class SignInRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class ReadOnly(Exception):
    """A coach tried to change a search shared with them."""


@dataclass
class Ctx:
    request: Request
    app: AppState
    session: Session  # for the search shown (a coach's is the shared one)
    user_id: int  # who is signed in (local mode: the local user)
    user_name: str
    read_only: bool = False
    viewing_name: str | None = None
    token: str | None = None
    flash: str | None = None
    extra_cookies: list[str] = field(default_factory=list)
    changes_at: datetime | None = None  # set by a page: when the clock alone would change it
    token_slot: bool = False  # render TOKEN_SLOT for the CSRF token (a page to be kept)
    org_role: str | None = None  # "admin", "coach" or "seeker" in an organisation; None: none

    @property
    def tz(self) -> str:
        return self.session.tz

    @property
    def owner(self) -> int:
        return self.session.owner

    @property
    def settings(self) -> Settings:
        return self.session.settings

    @property
    def undo_deletion(self) -> int | None:
        """The deletion the page's message offers to undo: only with the message itself (a
        reload shows no Undo), never to a coach. The undo route checks whose it is."""
        if not self.flash or self.read_only:
            return None
        value = self.request.query_params.get("deleted", "")
        return int(value) if is_digits(value) and len(value) < 12 else None

    @property
    def csrf(self) -> str:
        return TOKEN_SLOT if self.token_slot else security.csrf_token(self.request)

    @property
    def secure(self) -> bool:
        return bool(self.request.scope["state"].get("secure"))

    def templates_dir(self) -> Path | None:
        return self.app.prefs.templates_dir(self.owner)


def state(request: Request) -> AppState:
    found: AppState = request.app.state.nudge
    return found


def _now(app: AppState, settings: Settings) -> datetime:
    return app.now(settings.profile.tz)


def _load(request: Request) -> Ctx:
    """Build the request's context (blocking: runs in the thread pool)."""
    app = state(request)
    flash = request.cookies.get(FLASH_COOKIE)
    flash = unquote(flash)[:300] if flash else None
    if not app.accounts:
        assert app.local_owner is not None
        settings = app.prefs.settings(app.local_owner)
        session = Session(
            store=app.store, settings=settings, owner=app.local_owner, now=_now(app, settings)
        )
        return Ctx(request, app, session, app.local_owner, LOCAL_USER, flash=flash)
    from jobnudge.services import accounts, orgs

    token = request.cookies.get(SESSION_COOKIE)
    now = app.instant()
    found = accounts.session(app.store, token, now) if token else None
    if found is None or token is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    owner, read_only, viewing_name = found.owner, False, None
    if found.viewing is not None and found.viewing != found.owner:
        if accounts.may_view(app.store, found.owner, found.viewing):
            owner, read_only = found.viewing, True
            viewing_name = accounts.user_name(app.store, owner)
        else:
            accounts.set_viewing(app.store, token, None)
    settings = app.prefs.settings(owner)
    session = Session(store=app.store, settings=settings, owner=owner, now=_now(app, settings))
    return Ctx(
        request,
        app,
        session,
        found.owner,
        found.name,
        read_only=read_only,
        viewing_name=viewing_name,
        token=token,
        flash=flash,
        org_role=orgs.role_of(app.store, found.owner),
    )


async def context(request: Request) -> Ctx:
    return await run_in_threadpool(_leased, partial(_load, request))


async def kept_page(
    request: Request,
    render: Callable[[Ctx], Response],
    *,
    also: Callable[[Ctx], Hashable] | None = None,
) -> Response:
    """A GET page, served as kept while the search, the viewer and the minute are unchanged.

    Pages carrying a flash message or setting cookies are always rendered. The revision is
    read before the page's data, so a write landing in between can only make the kept copy
    look older than it is, never newer: the next request renders again. In local mode the
    look-up needs no query but the revision (a few microseconds on a kept connection), so a
    hit is answered here without the hop to a worker thread.

    ``also`` adds what else the page is built from (a coach's caseload: the seekers' own
    revisions), read before the page's data like the revision.
    """
    app = state(request)
    if app.pages is not None and not app.accounts and also is None:
        ctx = _load(request)
        key, stamp = _key(ctx)
        kept = app.pages.get(key, stamp, ctx.session.now) if key else None
        if kept is not None:
            return HTMLResponse(kept.fill(security.csrf_token(request)))
    return await run_in_threadpool(_leased, partial(_kept_page, request, render, also))


Key = tuple[Any, ...]
MAX_KEPT_QUERY = 256
"""Longest query string (bytes) of a page that is kept: a flood of long made-up addresses
would otherwise fill the cache with keys it does not count."""


def _key(ctx: Ctx, also: Callable[[Ctx], Hashable] | None = None) -> tuple[Key, Key]:
    """Which kept page fits this request, and what it must have been built from."""
    if ctx.app.pages is None or ctx.flash or ctx.extra_cookies:
        return (), ()
    scope = ctx.request.scope
    if len(scope["query_string"]) > MAX_KEPT_QUERY:
        return (), ()  # no page has options that long: not kept, so keys stay small
    key = (scope["path"], scope["query_string"], ctx.owner, ctx.user_id, ctx.read_only)
    stamp = (ctx.session.store.revision(ctx.owner), ctx.settings)
    return key, stamp if also is None else (*stamp, also(ctx))


def _kept_page(
    request: Request,
    render: Callable[[Ctx], Response],
    also: Callable[[Ctx], Hashable] | None = None,
) -> Response:
    ctx = _load(request)
    key, stamp = _key(ctx, also)
    pages = ctx.app.pages
    if pages is None or not key:
        return render(ctx)
    now = ctx.session.now
    status: list[int] = [200]

    def build() -> tuple[Kept, bool]:
        ctx.token_slot = True
        rendered = render(ctx)
        until = next_minute(now)
        if ctx.changes_at is not None and now < ctx.changes_at < until:
            until = ctx.changes_at
        status[0] = rendered.status_code
        keep = rendered.status_code == 200 and not rendered.headers.getlist("set-cookie")
        return Kept.of(bytes(rendered.body), stamp, until), keep

    kept, _ = pages.obtain(key, stamp, now, build)
    return HTMLResponse(kept.fill(security.csrf_token(request)), status[0])


def page(
    ctx: Ctx,
    template: str,
    values: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    title: str = "",
) -> HTMLResponse:
    """Render ``template`` with the request's context and ``values``; the title carries the
    count of follow-ups due now ("(3) jobnudge"), so a pinned tab says when to look."""
    from jobnudge.services.reminding import due_now_count

    body = ctx.app.env.get_template(template).render(
        ctx=ctx,
        request=ctx.request,
        title=title,
        due_now=due_now_count(ctx.session),
        now=ctx.session.now,
        tz=ctx.tz,
        path=ctx.request.url.path,
        **(values or {}),
    )
    response = HTMLResponse(body, status_code=status)
    if ctx.flash:
        response.headers.append(
            "set-cookie", cookie_header(FLASH_COOKIE, "", secure=ctx.secure, max_age=0)
        )
    for cookie in ctx.extra_cookies:
        response.headers.append("set-cookie", cookie)
    return response


def redirect(ctx: Ctx | Request, to: str, flash: str | None = None) -> Response:
    """303 to ``to`` (a path on this site), carrying a flash message for the next page."""
    request = ctx.request if isinstance(ctx, Ctx) else ctx
    if not to.startswith("/") or to.startswith("//"):
        to = "/"
    response = RedirectResponse(to, status_code=303)
    if flash:
        secure = bool(request.scope["state"].get("secure"))
        response.headers.append(
            "set-cookie", cookie_header(FLASH_COOKIE, quote(flash[:300]), secure=secure)
        )
    if isinstance(ctx, Ctx):
        for cookie in ctx.extra_cookies:
            response.headers.append("set-cookie", cookie)
    return response


async def call(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a blocking service call in the thread pool."""
    return await run_in_threadpool(_leased, partial(function, *args, **kwargs))


def _leased(work: Callable[[], T]) -> T:
    """``work`` with its reads on one connection (``store.lease``), given back when it
    returns: never held while the request waits for its body or a slow client."""
    from jobnudge.services.session import reads_on_one_connection

    with reads_on_one_connection():
        return work()


def error_status(exc: NudgeError) -> int:
    return exc.http_status
