"""Cohort numbers (multi-user mode only): a coach's caseload or, for an administrator, the whole
organisation over a chosen period, as tables with SVG charts like the weekly review's, and each
table as a CSV download.

The numbers are kept (``services.cohort_kept``): the page shows the kept ones with when they
were computed, or says they are being computed and looks again every few seconds; each CSV is
cut from the kept numbers, never computed again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from zoneinfo import ZoneInfo

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from jobnudge.errors import Busy, NudgeError
from jobnudge.web import charts, forms
from jobnudge.web.context import Ctx, call, context, page, redirect
from jobnudge.web.format import hours, percent
from jobnudge.web.forms import web_words


def _both(draw: Callable[[bool], Markup]) -> Markup:
    return Markup(  # noqa: S704 - the charts escape every text they draw
        f'<div class="chart-wide">{draw(False)}</div><div class="chart-narrow">{draw(True)}</div>'
    )


REFRESH_SECONDS = 5
"""How often the page looks again while its numbers are being computed (a meta refresh)."""


def _asked(ctx: Ctx, params: Mapping[str, str]) -> tuple[str, date, date]:
    """The scope and period ``params`` ask for, or a NudgeError naming the field; 404 for
    anyone but a coach or an administrator."""
    from jobnudge.services import cohort, orgs

    scope = params.get("scope", "caseload")
    if scope not in ("caseload", "organisation"):
        scope = "caseload"
    if orgs.role_of(ctx.app.store, ctx.user_id) not in ("admin", "coach"):
        raise HTTPException(404)
    today = ctx.session.now.astimezone(ZoneInfo(ctx.tz)).date()

    def read(text: str, field: str) -> date:
        from jobnudge.timeparse import parse_day

        country = ctx.settings.profile.country
        return parse_day(text, field=field, tz=ctx.tz, base=ctx.session.now, country=country)

    first, last = cohort.period(params.get("from", "")[:40], params.get("to", "")[:40], today, read)
    return scope, first, last


def _query(scope: str, first: date, last: date) -> str:
    return f"scope={scope}&from={first.isoformat()}&to={last.isoformat()}"


def cohort_page(
    ctx: Ctx, *, recompute: bool = False, form: Mapping[str, str] | None = None
) -> Response:
    from jobnudge.services import cohort, cohort_kept, orgs

    role = orgs.role_of(ctx.app.store, ctx.user_id)
    params = form if form is not None else ctx.request.query_params
    try:
        scope, first, last = _asked(ctx, params)
        shown = cohort_kept.show(
            ctx.app.store,
            ctx.user_id,
            scope,
            first,
            last,
            ctx.session.now,
            ctx.tz,
            recompute=recompute,
        )
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        return page(
            ctx,
            "cohort.html",
            {"c": None, "error": web_words(exc.message), "role": role, "params": params},
            title="Cohort numbers",
            # Other periods' numbers being computed: said on the page; a POST answers 429.
            status=200 if isinstance(exc, Busy) and not recompute else exc.http_status,
        )
    if recompute:
        return redirect(ctx, f"/cohort?{_query(shown.scope, first, last)}")
    values: dict[str, object] = {
        "c": shown.cohort,
        "shown": shown,
        "role": role,
        "error": None,
        "params": params,
        "query": _query(shown.scope, first, last),
        "refresh": REFRESH_SECONDS if shown.busy else None,
        "min_people": cohort.MIN_PEOPLE,
    }
    numbers = shown.cohort
    if numbers is not None:

        def rate_chart(cells: list[cohort.Cell], label: str) -> Markup:
            rows = [
                (c.label, c.rate, f"{percent(c.rate)} of {c.count} · {hours(c.median_hours)}")
                for c in cells
                if not c.suppressed
            ]
            return _both(lambda narrow: charts.bars(rows, label, narrow=narrow))

        closure_rows = [
            (c.label, c.share, f"{percent(c.share)} · {c.count}")
            for c in numbers.closure
            if not c.suppressed
        ]
        values |= {
            "by_channel": rate_chart(numbers.by_channel, "Response rate by channel"),
            "by_stage": rate_chart(numbers.by_stage, "Response rate by stage"),
            "by_source": rate_chart(numbers.by_source, "Response rate by source"),
            "closure_chart": _both(
                lambda narrow: charts.bars(closure_rows, "How processes ended", narrow=narrow)
            ),
        }
    return page(ctx, "cohort.html", values, title="Cohort numbers")


async def show(request: Request) -> Response:
    if not request.app.state.nudge.accounts:
        raise HTTPException(404)
    ctx = await context(request)
    return await call(cohort_page, ctx)


async def recompute(request: Request) -> Response:
    """Ask for the numbers to be computed again (a small scope at once, else in the
    background), then show the page."""
    if not request.app.state.nudge.accounts:
        raise HTTPException(404)
    ctx = await context(request)
    form = await forms.read(ctx, allow_read_only=True)
    fields = {k: str(form.get(k, ""))[:40] for k in ("scope", "from", "to")}
    return await call(cohort_page, ctx, recompute=True, form=fields)


def _csv(ctx: Ctx) -> Response:
    """One table of the kept numbers (never computed here: the page computes them)."""
    from jobnudge.services import cohort, cohort_csv, cohort_kept

    name = ctx.request.query_params.get("table", "channel")
    scope, first, last = _asked(ctx, ctx.request.query_params)
    try:
        numbers = cohort_kept.kept_numbers(
            ctx.app.store, ctx.user_id, scope, first, last, ctx.tz, ctx.session.now
        )
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        return PlainTextResponse(web_words(exc.message), status_code=exc.http_status)
    if numbers is None:
        return PlainTextResponse(
            "These numbers are not computed yet: open Cohort numbers for this period, and "
            "download once they are shown.",
            status_code=409,
        )
    body = cohort_csv.to_csv(numbers, name if name in cohort.TABLES else "")
    filename = f"cohort-{numbers.scope}-{name}-{first.isoformat()}-{last.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


async def download(request: Request) -> Response:
    if not request.app.state.nudge.accounts:
        raise HTTPException(404)
    ctx = await context(request)
    return await call(_csv, ctx)


ROUTES = [
    Route("/cohort", show, methods=["GET"]),
    Route("/cohort.csv", download, methods=["GET"]),
    Route("/cohort/recompute", recompute, methods=["POST"]),
]
