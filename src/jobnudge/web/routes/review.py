"""The weekly review: what you did, what is due, pipeline health, closure and response rates."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Stage
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
    activity = charts.columns(
        [(f"{d.day} {d:%b}", n) for d, n in data.weekly], "Things you did, week by week"
    )
    stages = charts.stacked(
        [(name, data.stages.get(stage, 0), css) for stage, name, css in STAGE_PARTS],
        "Opportunities by stage",
    )

    def rate_chart(rates: list[review.Rate], label: str) -> object:
        return charts.bars(
            [
                (
                    r.label,
                    r.rate,
                    f"{percent(r.rate)} of {r.asked} · {hours(r.median_hours)}",
                )
                for r in rates
            ],
            label,
        )

    this_week = review.week_of(ctx.session.now.date())
    return page(
        ctx,
        "review.html",
        {
            "r": data,
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
