"""Downloads from the import & export page: the whole search as a workbook, one sheet as CSV,
the activity report for a range (a printable page or CSV), the full backup and the address
book. The files are built by ``services.exporting`` and ``services.backup``.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.timeparse import Tense
from jobnudge.web import forms
from jobnudge.web.context import call, context
from jobnudge.web.routes.transfer import PAGE, REPORT_FORMATS, local_today, transfer_page

REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""The printable report carries its own inline stylesheet (so a saved copy prints the same);
it runs no script and loads nothing."""


def download(body: bytes, media_type: str, filename: str, *, inline: bool = False) -> Response:
    """A file to save: its type, its name, and no copy kept by any cache on the way."""
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        media_type=media_type,
        headers={
            "content-disposition": f'{disposition}; filename="{filename}"',
            "cache-control": "no-store",
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def workbook(request: Request) -> Response:
    from jobnudge.services import exporting

    ctx = await context(request)
    body = await call(exporting.workbook, ctx.session)
    return download(body, XLSX, f"jobnudge-{local_today(ctx).isoformat()}.xlsx")


async def sheet(request: Request) -> Response:
    from jobnudge.services import exporting

    ctx = await context(request)
    name = request.query_params.get("sheet", "opportunities")
    if name not in exporting.SHEETS:
        return await call(
            transfer_page,
            ctx,
            errors={"sheet": "Choose one of the sheets: opportunities, contacts, events, nudges."},
            values={"sheet": name[:40]},
            status=422,
        )
    body = await call(exporting.sheet_csv, ctx.session, name)
    return download(body, "text/csv; charset=utf-8", f"jobnudge-{name}-{local_today(ctx)}.csv")


async def report(request: Request) -> Response:
    """The activity report for a range: a printable page shown in the browser, or CSV."""
    from jobnudge.services import activity_report

    ctx = await context(request)
    query = request.query_params
    f = forms.Fields(query)
    today = local_today(ctx)
    past = Tense.PAST  # a report covers what happened: "Oct 3" is the latest Oct 3
    country = ctx.settings.profile.country
    end = f.day("to", "To", ctx.tz, ctx.session.now, tense=past, country=country) or today
    start = f.day(
        "from", "From", ctx.tz, ctx.session.now, tense=past, country=country
    ) or end - timedelta(days=27)
    chosen = f.raw("format").strip() or "html"
    if chosen not in {value for value, _ in REPORT_FORMATS}:
        f.errors["format"] = "Choose a printable page or CSV."
    if "from" not in f.errors and "to" not in f.errors and start > end:
        f.errors["from"] = f"From ({start.isoformat()}) is after To ({end.isoformat()})."
    if f.errors:
        values = {k: f.raw(k)[:60] for k in ("from", "to", "format")}
        return await call(transfer_page, ctx, errors=f.errors, values=values, status=422)
    stem = f"job-search-activity-{start.isoformat()}-to-{end.isoformat()}"
    if chosen == "csv":
        body = await call(activity_report.report_csv, ctx.session, start, end)
        return download(body, "text/csv; charset=utf-8", f"{stem}.csv")
    body = await call(activity_report.report_html, ctx.session, start, end)
    response = download(body, "text/html; charset=utf-8", f"{stem}.html", inline=True)
    response.headers["content-security-policy"] = REPORT_CSP
    return response


async def backup_file(request: Request) -> Response:
    from jobnudge.services.backup import backup_json

    ctx = await context(request)
    if ctx.read_only:
        raise HTTPException(
            403, "The full backup is for the search's owner; download the spreadsheet instead."
        )
    body = await call(backup_json, ctx.session)
    name = f"jobnudge-backup-{local_today(ctx).isoformat()}.json"
    return download(body, "application/json", name)


async def contacts_file(request: Request) -> Response:
    from jobnudge.services.exporting import contacts_vcf

    ctx = await context(request)
    body = await call(contacts_vcf, ctx.session, "3.0")
    return download(
        body, "text/vcard; charset=utf-8", f"jobnudge-contacts-{local_today(ctx).isoformat()}.vcf"
    )


ROUTES = [
    Route(PAGE + "/jobnudge.xlsx", workbook, methods=["GET"]),
    Route(PAGE + "/sheet.csv", sheet, methods=["GET"]),
    Route(PAGE + "/report", report, methods=["GET"]),
    Route(PAGE + "/backup.json", backup_file, methods=["GET"]),
    Route(PAGE + "/contacts.vcf", contacts_file, methods=["GET"]),
]
