"""Every route of the web app, one small module per page."""

from __future__ import annotations

from starlette.routing import BaseRoute

from jobnudge.web.routes import (
    auth,
    calendar,
    contacts,
    deletions,
    drafts,
    events,
    opportunity,
    pipeline,
    review,
    settings,
    today,
    transfer,
)

ROUTES: list[BaseRoute] = [
    *today.ROUTES,
    *drafts.ROUTES,
    *pipeline.ROUTES,
    *opportunity.ROUTES,
    *events.ROUTES,
    *deletions.ROUTES,
    *contacts.ROUTES,
    *review.ROUTES,
    *settings.ROUTES,
    *transfer.ROUTES,
    *auth.ROUTES,
    *calendar.ROUTES,
]
