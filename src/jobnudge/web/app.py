"""The application factory: ``create_app(settings, ...)`` wires the store, the templates, the
routes and the error pages. Nothing happens at import time; each call builds an independent app.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from jobnudge import clock, config, eventwords, plural
from jobnudge.config import Settings
from jobnudge.errors import NudgeError
from jobnudge.services.accounts import shared_signin_runs
from jobnudge.text_safety import printable
from jobnudge.web import format as fmt
from jobnudge.web.context import ReadOnly, SignInRequired, redirect
from jobnudge.web.forms import web_words
from jobnudge.web.lastresort import LastResort
from jobnudge.web.pagecache import PageCache
from jobnudge.web.security import CsrfFailed, Guard
from jobnudge.web.signin_limits import SignInLimiter

if TYPE_CHECKING:
    from jinja2 import Environment

    from jobnudge.secretbox import KeyRing
    from jobnudge.store import Store
    from jobnudge.web.context import AppState
    from jobnudge.web.reminders import RemindWorker
    from jobnudge.webconfig import Web

HERE = Path(__file__).parent
log = logging.getLogger("jobnudge.web")


def environment() -> Environment:
    """Jinja2 with autoescaping on for every template: what users type is always text."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        finalize=_printable,
    )
    env.filters.update(
        when=fmt.when,
        day=fmt.day_of,
        for_contact=fmt.for_contact,
        iso=fmt.iso,
        percent=fmt.percent,
        hours=fmt.hours,
        channel=fmt.channel,
        rule_title=fmt.rule_title,
        event_title=eventwords.title,
        web_words=web_words,
        stage=fmt.stage,
        count=plural.count,
        noun=plural.noun,
        number=plural.number,
    )
    return env


def _printable(value: Any) -> Any:
    """Every ``{{ value }}`` of every page through ``text_safety.printable``: a control
    character stored in a name shows as a visible symbol (``␛``), as on the terminal."""
    if isinstance(value, str):
        from markupsafe import Markup

        cleaned = printable(value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned  # noqa: S704 - was Markup
    return value


def _error_page(
    request: Request, status: int, heading: str, message: str, env: Environment
) -> HTMLResponse:
    body = env.get_template("error.html").render(
        ctx=None,
        request=request,
        status=status,
        heading=heading,
        message=message,
        title=heading,
        path=request.url.path,
    )
    return HTMLResponse(body, status_code=status)


def network_guards(web: Web, *, accounts: bool, hosts: Sequence[str] = ()) -> list[Middleware]:
    """What stands between the network and the routes, outermost first.

    Forwarded headers (client address, scheme) are believed only from ``web.trusted_proxies``:
    from anyone else, a rotating X-Forwarded-For would dodge the sign-in limits per address.
    Then the Host header: local mode has no sign-in, so a page elsewhere that rebinds its own
    name to 127.0.0.1 could read everything; it answers only the loopback names, the ones it was
    started for and ``web.allowed_hosts``. With accounts, ``web.allowed_hosts`` when given
    (plus the loopback names, for checks on the machine itself), else any host.
    """
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from jobnudge.web.security import RefuseNulInAddress
    from jobnudge.webconfig import LOOPBACK_HOSTS, host_name

    guards = [Middleware(RefuseNulInAddress)]
    if web.trusted_proxies:
        guards.append(Middleware(ProxyHeadersMiddleware, trusted_hosts=list(web.trusted_proxies)))
    if not accounts or web.allowed_hosts:
        names = {*LOOPBACK_HOSTS, *web.allowed_hosts}
        everywhere = ("", "0.0.0.0", "::")  # noqa: S104 - listening everywhere names no host
        names.update(host_name(h) for h in hosts if h not in everywhere)
        guards.append(
            Middleware(TrustedHostMiddleware, allowed_hosts=sorted(names), www_redirect=False)
        )
    return guards


def _reminders(
    app: Starlette,
    nudge: AppState,
    settings: Settings,
    interval: float | None,
    queued: bool = False,
) -> RemindWorker | None:
    """Start the reminder loop (``web.reminders``) unless ``interval`` is 0; ``queued``: the
    job queue's workers send the digests, and the loop only answers for Settings."""
    from jobnudge.services import remind_secrets
    from jobnudge.web.reminders import RemindWorker

    every = 60.0 if interval is None else interval
    if queued:  # the workers' ticks, whatever this process was told: Settings shows them
        every = 60.0
    if every <= 0:
        app.state.remind_worker = None
        return None
    keyring = None
    if nudge.accounts:
        try:
            keyring = remind_secrets.server_keyring(settings)
        except NudgeError as exc:
            log.warning("reminders: Apprise URLs cannot be kept: %s", exc.message)

    def apprise_urls(owner: int) -> list[str]:
        return remind_secrets.apprise_urls(nudge.store, keyring, owner)

    worker = RemindWorker(
        nudge,
        every,
        settings,
        web_url=str(getattr(app.state, "web_url", "") or ""),
        apprise_urls=apprise_urls,
        keyring=keyring,
        queued=queued,
    )
    app.state.remind_worker = worker
    worker.start()
    return worker


def create_app(
    settings: Settings | None = None,
    *,
    db: str | None = None,
    data_dir: Path | None = None,
    accounts: bool = False,
    now: str | Callable[[str], datetime] | None = None,
    secure_cookies: bool | None = None,
    settings_path: Path | None = None,
    store: Store | None = None,
    keep_pages: bool = True,
    mail_interval: float | None = None,
    hosts: Sequence[str] = (),
    keyring: KeyRing | None = None,
    mail_workers: int = 4,
    remind_interval: float | None = None,
) -> Starlette:
    """The web app over the database ``db`` (default: the settings' URL, else the SQLite file
    in ``data_dir``).

    ``accounts`` switches on sign-in (multi-user); otherwise every page acts as the user
    "local", like the command line. ``now`` pins the clock (a phrase like ``--now`` takes, or a
    function of the user's zone). ``secure_cookies`` forces the Secure flag on or off (default:
    on exactly for requests that arrived over TLS, directly or through a proxy named in
    ``web.trusted_proxies``).
    ``keep_pages`` keeps rendered Today and Pipeline pages until the search changes (see
    ``jobnudge.web.pagecache``); off, every request renders.
    ``mail_interval`` is the number of seconds between two mail passes (sync, then send what
    is due) while the app runs, for every user with a mailbox set up (``web.background``);
    None takes ``mail.sync_minutes`` from ``settings``, 0 switches them off. With no mailbox
    set up at start-up nothing runs.
    ``keyring`` seals the accounts' own mail secrets (default: ``NUDGE_SERVER_KEY`` or
    ``web.server_key_file``; without one no account's mail is served); ``mail_workers``
    accounts are served at once.
    ``remind_interval`` is the number of seconds between two reminder passes (default 60; 0
    switches them off): each user's morning digest goes out at their hour (``web.reminders``).
    With accounts and the job queue on (``NUDGE_JOB_QUEUE=on``, PostgreSQL), neither loop
    starts: ``nudge worker`` processes run the digests and mail passes as jobs
    (``services.background_jobs``) and Settings reads their outcome from the database.
    ``hosts`` are the names the app was started for (the address it listens on): local mode
    answers only them, the loopback names and ``web.allowed_hosts`` (see ``network_guards``).
    """
    from jobnudge.services.preferences import FilePreferences, Preferences, StoredPreferences
    from jobnudge.services.session import LOCAL_USER, database_url, resolve_now
    from jobnudge.store import open_store
    from jobnudge.web.context import AppState
    from jobnudge.web.routes import ROUTES

    settings = settings or config.load(settings_path)
    folder = data_dir or config.data_dir()
    opened = store or open_store(database_url(db, settings), data_dir=folder)
    prefs: Preferences
    if accounts:
        prefs = StoredPreferences(opened, folder / "web-templates")
    else:
        prefs = FilePreferences(settings_path or config.config_path(), settings)

    if callable(now):
        moment = now
    elif now:
        text = now

        def moment(tz: str) -> datetime:
            return resolve_now(text, Settings(profile=config.Profile(tz=tz)))
    else:
        moment = clock.now

    try:
        import jobnudge.ics  # noqa: F401

        feeds = True
    except ImportError:
        feeds = False
    env = environment()
    env.globals.update(accounts=accounts, feeds=feeds)
    nudge = AppState(
        store=opened,
        prefs=prefs,
        env=env,
        accounts=accounts,
        limiter=SignInLimiter(runs=shared_signin_runs(opened)) if accounts else SignInLimiter(),
        now=moment,
        local_owner=None if accounts else opened.ensure_user(LOCAL_USER),
        feeds=feeds,
        pages=PageCache() if keep_pages else None,
        server=settings,
    )
    if accounts:
        from jobnudge.secretbox import load_keyring

        nudge.keyring = keyring or load_keyring(os.environ, settings.web.server_key_file or None)
        nudge.server_mail = settings.mail

    async def not_found(request: Request, exc: Exception) -> Response:
        message = "That page does not exist, or it belongs to someone else's search."
        if isinstance(exc, NudgeError) and exc.http_status == 404:
            message = "Nothing here: it may have been done already, or the link is wrong."
        return _error_page(request, 404, "Not found", message, env)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return await not_found(request, exc)
        return _error_page(request, exc.status_code, "Something is off", str(exc.detail), env)

    async def nudge_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NudgeError)
        if exc.http_status == 404:
            return await not_found(request, exc)
        return _error_page(request, exc.http_status, "That did not work", exc.message, env)

    async def sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        from urllib.parse import quote

        if request.method != "GET":
            return _error_page(request, 401, "Please sign in", "Your session has ended.", env)
        return redirect(request, f"/signin?next={quote(exc.next_path, safe='')}")

    async def csrf(request: Request, exc: Exception) -> Response:
        return _error_page(
            request,
            403,
            "Please try again",
            "This form expired or came from another site, so nothing was changed. Reload the "
            "page and submit it again.",
            env,
        )

    async def read_only(request: Request, exc: Exception) -> Response:
        return _error_page(
            request,
            403,
            "Read-only view",
            "You are looking at a search someone shared with you; only they can change it.",
            env,
        )

    async def error_page(request: Request, exc: Exception) -> Response:
        return _error_page(
            request,
            500,
            "Something went wrong",
            "jobnudge hit an unexpected problem and nothing was changed. Try again; if it keeps "
            "happening, the server log has the details.",
            env,
        )

    async def server_error(request: Request, exc: Exception) -> Response:
        log.error("error serving %s %s", request.method, request.url.path, exc_info=exc)
        return await error_page(request, exc)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from jobnudge.services import jobs
        from jobnudge.web.background import MailWorker

        queued = accounts and jobs.queue_on(opened)  # digests and mail passes are jobs
        if queued:
            log.info("digests and mail passes run on the job queue's workers")
        every = settings.mail.sync_minutes * 60 if mail_interval is None else mail_interval
        if queued:  # `--no-mail-sync` or not, the workers' passes are shown in Settings
            every = settings.mail.sync_minutes * 60
        worker = MailWorker(nudge, every, mail_workers, queued=queued) if every > 0 else None
        app.state.mail_worker = worker
        if worker is not None:
            worker.start()
        reminders = _reminders(app, nudge, settings, remind_interval, queued)
        try:
            yield
        finally:
            if reminders is not None:
                await reminders.stop()
            if worker is not None:
                await worker.stop()
            if store is None:
                opened.close()

    handlers: dict[Any, Any] = {
        404: not_found,
        HTTPException: http_error,
        NudgeError: nudge_error,
        SignInRequired: sign_in,
        CsrfFailed: csrf,
        ReadOnly: read_only,
        500: server_error,
    }
    app = Starlette(
        routes=[
            *ROUTES,
            Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        middleware=[
            Middleware(LastResort, render=error_page),
            *network_guards(settings.web, accounts=accounts, hosts=hosts),
            Middleware(Guard, secure=secure_cookies),
        ],
        exception_handlers=handlers,
        lifespan=lifespan,
    )
    app.state.nudge = nudge
    return app
