"""Every route of the web app, one small module per page.

Record ids in paths use the ``id`` convertor: up to ten digits, and a number past the largest
id the database holds is read as 0, which no record has, so it answers 404 like any other
unknown id (Starlette's ``int`` takes any number of digits, and the database then overflows).
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute

from jobnudge.bounds import MAX_ID


class RecordId(Convertor[int]):
    regex = "[0-9]{1,10}"

    def convert(self, value: str) -> int:
        number = int(value)
        return number if number <= MAX_ID else 0

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", RecordId())

from jobnudge.web.routes import (  # noqa: E402 - the routes' paths use the convertor
    account,
    auth,
    calendar,
    caseload,
    cohort,
    contacts,
    deletions,
    downloads,
    drafts,
    events,
    import_runs,
    mailbox,
    opportunity,
    orgs,
    pipeline,
    pipeline_moves,
    posting_form,
    reminders,
    restore,
    review,
    settings,
    templates,
    today,
    transfer,
)

ROUTES: list[BaseRoute] = [
    *today.ROUTES,
    *drafts.ROUTES,
    *pipeline.ROUTES,
    *pipeline_moves.ROUTES,
    *posting_form.ROUTES,
    *opportunity.ROUTES,
    *events.ROUTES,
    *mailbox.ROUTES,
    *deletions.ROUTES,
    *contacts.ROUTES,
    *review.ROUTES,
    *settings.ROUTES,
    *templates.ROUTES,
    *reminders.ROUTES,
    *transfer.ROUTES,
    *restore.ROUTES,
    *downloads.ROUTES,
    *import_runs.ROUTES,
    *auth.ROUTES,
    *account.ROUTES,
    *calendar.ROUTES,
    *orgs.ROUTES,
    *caseload.ROUTES,
    *cohort.ROUTES,
]
