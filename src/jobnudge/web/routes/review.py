"""The weekly review: what you did, what is due, pipeline health, closure and response rates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Stage
from jobnudge.domain.enums import EVENT_TITLES
from jobnudge.web import charts
from jobnudge.web.context import Ctx, call, context, page
from jobnudge.web.format import hours, percent

STAGE_PARTS = (
    (Stage.LEAD, "Leads", "lead"),
    (Stage.APPLIED, "Applied", "applied"),
    (Stage.INTERVIEWING, "Interviewing", "interviewing"),
    (Stage.OFFER, "Offer", "offer"),
    (Stage.REJECTED, "Rejected", "closed"),
    (Stage.WITHDRAWN, "Withdrawn", "closed2"),
    (Stage.NO_RESPONSE, "No response", "closed3"),
)


def review_page(ctx: Ctx, week: str | None) -> Response:
    from jobnudge.services import review

    chosen: date | None = None
    if week:
        try:
            chosen = date.fromisoformat(week[:10])
        except ValueError:
            chosen = None
    data = review.weekly(ctx.session, chosen)
    weeks = [(f"{d.day} {d:%b}", n) for d, n in data.weekly]
    parts = [(name, data.stages.get(stage, 0), css) for stage, name, css in STAGE_PARTS]

    def both(draw: Callable[[bool], Markup]) -> Markup:
        """The chart twice, wide and narrow; the stylesheet shows the one fitting the screen."""
        return Markup(  # noqa: S704 - the charts escape every text they draw
            f'<div class="chart-wide">{draw(False)}</div>'
            f'<div class="chart-narrow">{draw(True)}</div>'
        )

    activity = both(
        lambda narrow: charts.columns(weeks, "Things you did, week by week", narrow=narrow)
    )
    stages = both(lambda narrow: charts.stacked(parts, "Opportunities by stage", narrow=narrow))

    def rate_chart(rates: list[review.Rate], label: str) -> Markup:
        rows = [
            (r.label, r.rate, f"{percent(r.rate)} of {r.asked} · {hours(r.median_hours)}")
            for r in rates
        ]
        return both(lambda narrow: charts.bars(rows, label, narrow=narrow))

    this_week = review.week_of(ctx.session.now.date())
    return page(
        ctx,
        "review.html",
        {
            "r": data,
            "event_titles": EVENT_TITLES,
            "activity": activity,
            "stages": stages,
            "by_channel": rate_chart(data.by_channel, "Response rate by channel"),
            "by_stage": rate_chart(data.by_stage, "Response rate by stage"),
            "by_source": rate_chart(data.by_source, "Response rate by source"),
            "previous": (data.week_start - timedelta(days=7)).isoformat(),
            "next": (data.week_start + timedelta(days=7)).isoformat()
            if data.week_start < this_week
            else None,
        },
        title="Weekly review",
    )


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(review_page, ctx, request.query_params.get("week"))


ROUTES = [Route("/review", show, methods=["GET"])]
