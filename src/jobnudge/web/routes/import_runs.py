"""A large import's own page: with the job queue on, a spreadsheet over the row threshold is
imported by a worker (``services.import_runs``); this page shows where it stands, waiting,
importing, done with what it imported, or failed with why, from the database."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.web.context import Ctx, call, context, page

PAGE = "/import-export/runs"


def run_page(ctx: Ctx, run_id: int) -> Response:
    from jobnudge.services import import_runs

    run = import_runs.outcome(ctx.app.store, ctx.owner, run_id)
    said = import_runs.sentence(run.report or {}, run.file_name) if run.state == "done" else ""
    return page(ctx, "import_run.html", {"run": run, "said": said}, title="Import")


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(run_page, ctx, int(request.path_params["run"]))


ROUTES = [Route(PAGE + "/{run:id}", show, methods=["GET"])]
