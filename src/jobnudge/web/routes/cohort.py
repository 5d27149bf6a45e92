"""Cohort numbers (multi-user mode only): a coach's caseload or, for an administrator, the whole
organisation over a chosen period, as tables with SVG charts like the weekly review's, and each
table as a CSV download."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.errors import NudgeError
from jobnudge.web import charts
from jobnudge.web.context import Ctx, call, context, page
from jobnudge.web.format import hours, percent
from jobnudge.web.forms import web_words


def _both(draw: Callable[[bool], Markup]) -> Markup:
    return Markup(  # noqa: S704 - the charts escape every text they draw
        f'<div class="chart-wide">{draw(False)}</div><div class="chart-narrow">{draw(True)}</div>'
    )


def _read(ctx: Ctx) -> tuple[object, str]:
    """The numbers the query asks for (scope, from, to), or a NudgeError naming the field."""
    from jobnudge.services import cohort, orgs

    params = ctx.request.query_params
    scope = params.get("scope", "caseload")
    if scope not in ("caseload", "organisation"):
        scope = "caseload"
    if orgs.role_of(ctx.app.store, ctx.user_id) not in ("admin", "coach"):
        raise HTTPException(404)
    today = ctx.session.now.astimezone(ZoneInfo(ctx.tz)).date()

    def read(text: str, field: str) -> date:
        from jobnudge.timeparse import parse_day

        return parse_day(text, field=field, tz=ctx.tz, base=ctx.session.now)

    first, last = cohort.period(params.get("from", "")[:40], params.get("to", "")[:40], today, read)
    found = cohort.numbers(ctx.app.store, ctx.user_id, scope, first, last, ctx.session.now, ctx.tz)
    return found, scope


def cohort_page(ctx: Ctx) -> Response:
    from jobnudge.services import cohort, orgs

    role = orgs.role_of(ctx.app.store, ctx.user_id)
    try:
        numbers, scope = _read(ctx)
    except NudgeError as exc:
        if exc.http_status == 404:
            raise
        return page(
            ctx,
            "cohort.html",
            {
                "c": None,
                "error": web_words(exc.message),
                "role": role,
                "params": ctx.request.query_params,
            },
            title="Cohort numbers",
            status=exc.http_status,
        )
    assert isinstance(numbers, cohort.Cohort)

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
    query = f"scope={scope}&from={numbers.start.isoformat()}&to={numbers.end.isoformat()}"
    return page(
        ctx,
        "cohort.html",
        {
            "c": numbers,
            "role": role,
            "error": None,
            "query": query,
            "min_people": cohort.MIN_PEOPLE,
            "by_channel": rate_chart(numbers.by_channel, "Response rate by channel"),
            "by_stage": rate_chart(numbers.by_stage, "Response rate by stage"),
            "by_source": rate_chart(numbers.by_source, "Response rate by source"),
            "closure_chart": _both(
                lambda narrow: charts.bars(closure_rows, "How processes ended", narrow=narrow)
            ),
        },
        title="Cohort numbers",
    )


async def show(request: Request) -> Response:
    if not request.app.state.nudge.accounts:
        raise HTTPException(404)
    ctx = await context(request)
    return await call(cohort_page, ctx)


def _csv(ctx: Ctx) -> Response:
    from jobnudge.services import cohort

    name = ctx.request.query_params.get("table", "channel")
    numbers, scope = _read(ctx)
    assert isinstance(numbers, cohort.Cohort)
    body = cohort.to_csv(numbers, name if name in cohort.TABLES else "")
    filename = f"cohort-{scope}-{name}-{numbers.start.isoformat()}-{numbers.end.isoformat()}.csv"
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
]
