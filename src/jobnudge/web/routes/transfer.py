"""Import & export in the browser, the page and its import: a spreadsheet comes in through a
dry run the user confirms, with the columns, the date order and the text encoding chosen on
the page.

The work is done by the command line's services (``services.importing``); the upload is held by
``web/uploads.py`` and read as the user chose by ``web/upload_import.py``. Restoring a backup
(``routes/restore.py``) and the downloads (``routes/downloads.py``) share this page.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.errors import NudgeError
from jobnudge.web import forms, security, upload_import, uploads
from jobnudge.web.context import Ctx, ReadOnly, call, context, page, redirect
from jobnudge.web.upload_import import (
    ENCODINGS,
    FIELD_LABELS,
    column_headers,
    is_workbook,
    letter,
    preview,
    queue_large,
    run_import,
    web_words,
)
from jobnudge.web.uploads import Choices, Upload

PAGE = "/import-export"

SHOWN = 200
"""Opportunities listed one by one in the dry run (the counts are always complete)."""

DATE_ORDERS = (
    ("", "Decide from the file"),
    ("dmy", "Day first (25/03/2026)"),
    ("mdy", "Month first (03/25/2026)"),
)
SHEETS = (
    ("opportunities", "Opportunities"),
    ("contacts", "Contacts"),
    ("events", "Events (the whole history)"),
    ("nudges", "Pending follow-ups"),
)
REPORT_FORMATS = (("html", "Printable page"), ("csv", "CSV"))
SHARED_FIELDS = ("notes",)
"""Fields several columns may hold (``tabular.mapping.SHARED``): each notes column is kept."""


def local_today(ctx: Ctx) -> date:
    """Today in the user's zone: the default report range and the download's file name."""
    return ctx.session.now.astimezone(ZoneInfo(ctx.tz)).date()


def mapping_options(ctx: Ctx) -> list[tuple[str, str]]:
    """The saved column mappings to start from (the command line's ``--save-mapping``)."""
    from jobnudge.services.importing import saved_mappings

    saved = sorted(saved_mappings(ctx.session))
    return [("", "As recognised from the headers"), *((n, f"Saved: {n}") for n in saved)]


def transfer_page(
    ctx: Ctx,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    store, owner = ctx.app.store, ctx.owner
    held = {
        "opportunities": len(store.opportunities(owner)),
        "contacts": len(store.contacts(owner)),
        "companies": len(store.companies(owner)),
    }
    today = local_today(ctx)
    shown = {
        "from": (today - timedelta(days=27)).isoformat(),
        "to": today.isoformat(),
        "format": "html",
        "sheet": "opportunities",
        "dates": "",
        "mapping": "",
        "encoding": "",
    }
    shown.update(values or {})
    file_error = (errors or {}).get("file", "")
    return page(
        ctx,
        "transfer.html",
        {
            "held": held,
            "empty": not any(held.values()),
            "mappings": mapping_options(ctx),
            "values": shown,
            "errors": errors or {},
            "date_orders": DATE_ORDERS,
            "encodings": ENCODINGS,
            "ask_encoding": "“Encoding”" in file_error,
            "beside": upload_import.beside_main(ctx.read_only),
            "sheets": SHEETS,
            "formats": REPORT_FORMATS,
            "max_mb": uploads.MAX_UPLOAD_BYTES // 1_048_576,
            "max_bytes": uploads.MAX_UPLOAD_BYTES,
        },
        title="Import & export",
        status=status,
    )


def preview_page(
    ctx: Ctx,
    upload: Upload,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The dry run; a file that turns out unreadable is dropped and the main page says why."""
    try:
        found = preview(ctx.session, upload)
    except forms.Invalid as exc:
        found = None
        errors = {**exc.errors, **(errors or {})}
    except NudgeError as exc:
        uploads.discard(upload)
        return transfer_page(
            ctx,
            errors={"file": web_words(exc.message, upload.path, upload.name)},
            status=exc.http_status,
        )
    errors = dict(errors or {})
    if found is not None and found.missing and not errors:
        need = " and the ".join(FIELD_LABELS[m].lower() for m in found.missing)
        errors[""] = f"No column holds the {need}: choose the column below, then check again."
    report = found.report if found else None
    no_rows = report is not None and report.rows == 0
    if no_rows and not errors:
        errors[""] = (
            f"{upload.name} has column headers but no rows under them, so there is nothing to "
            "import. Save the sheet with your applications in it, then upload it again."
        )
    if errors and status < 400:
        status = 422  # the file cannot be imported as it is read
    new = report.new if report else []
    with_events = [line for line in report.existing if line.events] if report else []
    return page(
        ctx,
        "transfer_preview.html",
        {
            "upload": upload,
            "p": found,
            "r": report,
            "rejected": [(n, web_words(why)) for n, why in report.rejected] if report else [],
            "warnings": [(n, column, web_words(what)) for n, column, what in report.warnings]
            if report
            else [],
            "unknown_statuses": [
                (status, rows, report.unknown_counts[status])
                for status, rows in report.unknown_statuses.items()
            ]
            if report
            else [],
            "status_column": report.status_column if report else "",
            "firms_line": report.firms_line() if report else "",
            "dates_read": {h: web_words(w) for h, w in report.dates.items()} if report else {},
            "new": new[:SHOWN],
            "more_new": (report.counts["opportunities_new"] - min(len(new), SHOWN))
            if report
            else 0,
            "with_events": with_events[:SHOWN],
            "changes": bool(
                report
                and (
                    report.counts["opportunities_new"]
                    or report.counts["events_new"]
                    or report.counts["events_dated"]
                    or report.counts["contacts_new"]
                    or report.counts["contacts_updated"]
                )
            ),
            "no_rows": no_rows,
            "labels": FIELD_LABELS,
            "date_orders": DATE_ORDERS,
            "encodings": ENCODINGS,
            "text_file": not is_workbook(upload) or bool(errors.get("encoding")),
            "mappings": mapping_options(ctx),
            "errors": errors,
            "beside": upload_import.beside_preview(found),
        },
        title="Check the import",
        status=status,
    )


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(transfer_page, ctx)


def _encoding(f: forms.Fields) -> str:
    """The text encoding a form chose ("" = automatic); a bad one is a message on its field."""
    chosen = f.raw("encoding").strip().lower()
    if chosen not in {value for value, _ in ENCODINGS}:
        f.errors["encoding"] = (
            f"Encoding: '{chosen[:40]}' is not one this page offers; choose Automatic, "
            "Windows (cp1252), Mac Roman, Latin-1, UTF-8 or UTF-16."
        )
        return ""
    return chosen


def _choices(ctx: Ctx, f: forms.Fields) -> Choices:
    """The date order, saved mapping and encoding a form chose; a bad one is a message on its
    field."""
    from jobnudge.services.importing import saved_mappings

    dates = f.raw("dates").strip()
    if dates not in {value for value, _ in DATE_ORDERS}:
        f.errors["dates"] = "Choose how dates are read: from the file, day first or month first."
        dates = ""
    chosen = f.raw("mapping").strip()
    if chosen and chosen not in saved_mappings(ctx.session):
        f.errors["mapping"] = f"No saved column mapping is named '{chosen[:60]}'."
        chosen = ""
    return Choices(dates=dates, mapping=chosen, encoding=_encoding(f))


async def upload(request: Request) -> Response:
    """Take the file, check it opens as a spreadsheet, and show its dry run."""
    ctx = await context(request)
    try:
        form = await uploads.read_upload_form(request)
    except uploads.TooLarge:
        return await call(
            transfer_page, ctx, errors={"file": uploads.too_large_message()}, status=413
        )
    try:
        security.check_csrf(request, form)
        if ctx.read_only:
            raise ReadOnly()
        f = forms.Fields(form)
        choices = await call(_choices, ctx, f)
        sent = form.get("file")
        values = {"dates": choices.dates, "mapping": choices.mapping, "encoding": choices.encoding}
        if not isinstance(sent, UploadFile) or not sent.filename:
            f.errors["file"] = "Choose a CSV or XLSX file to upload."
        elif (sent.size or 0) > uploads.MAX_UPLOAD_BYTES:
            return await call(
                transfer_page,
                ctx,
                errors={"file": uploads.too_large_message()},
                values=values,
                status=413,
            )
        elif not sent.size:
            f.errors["file"] = (
                f"{uploads.clean_name(sent.filename)} is empty; "
                "choose the file your tracker is saved in."
            )
        if f.errors or not isinstance(sent, UploadFile):
            return await call(transfer_page, ctx, errors=f.errors, values=values, status=422)
        await sent.seek(0)
        kept = await call(uploads.keep, ctx, sent.filename or "", sent.file, choices)
    finally:
        await form.close()
    try:
        await call(column_headers, kept.path, choices.encoding)
    except NudgeError as exc:
        uploads.discard(kept)
        return await call(
            transfer_page,
            ctx,
            errors={"file": web_words(exc.message, kept.path, kept.name)},
            values=values,
            status=exc.http_status,
        )
    return redirect(ctx, f"{PAGE}/uploads/{kept.token}")


async def review_upload(request: Request) -> Response:
    ctx = await context(request)
    found = await call(uploads.pending, ctx, str(request.path_params["upload"]))
    return await call(preview_page, ctx, found)


async def recheck(request: Request) -> Response:
    """Read the held file again with the columns and date order the user corrected."""
    ctx = await context(request)
    form = await forms.read(ctx)
    found = await call(uploads.pending, ctx, str(request.path_params["upload"]))
    f = forms.Fields(form)
    choices = await call(_choices, ctx, f)
    if "encoding" in f.errors or "encoding" not in form:
        choices.encoding = found.choices.encoding  # an XLSX's page has no such choice
    try:
        headers = await call(column_headers, found.path, choices.encoding)
    except NudgeError as exc:
        if choices.encoding != found.choices.encoding:  # the file reads as it did before
            said = web_words(exc.message, found.path, found.name)
            return await call(preview_page, ctx, found, errors={"encoding": said}, status=422)
        uploads.discard(found)
        return await call(
            transfer_page,
            ctx,
            errors={"file": web_words(exc.message, found.path, found.name)},
            status=exc.http_status,
        )
    columns: dict[int, str] = {}
    first: dict[str, int] = {}
    for index in range(len(headers)):
        name = f"col-{index}"
        value = f.raw(name).strip()
        if value == "ignore":
            value = ""
        if value and value not in FIELD_LABELS:
            f.errors[name] = f"Column {letter(index)}: '{value[:40]}' is not a field to import."
            continue
        if value and value in first and value not in SHARED_FIELDS:
            f.errors[name] = (
                f"Column {letter(index)}: {FIELD_LABELS[value]} is already read from column "
                f"{letter(first[value])}; choose one column for it."
            )
            continue
        if value:
            first[value] = index
        columns[index] = value
    sent_columns = any(key.startswith("col-") for key in form)
    if choices.mapping != found.choices.mapping or not sent_columns:
        choices.columns = None  # a newly chosen saved mapping decides the columns
    else:
        choices.columns = columns
    if f.errors:
        return await call(preview_page, ctx, found, errors=f.errors, status=422)
    missing = [m for m in ("company", "role") if choices.columns is not None and m not in first]
    found.choices = choices
    if missing:
        need = " and the ".join(FIELD_LABELS[m].lower() for m in missing)
        message = f"No column holds the {need}: choose the column below."
        return await call(preview_page, ctx, found, errors={"": message}, status=422)
    await call(found.save_meta)
    return redirect(ctx, f"{PAGE}/uploads/{found.token}")


async def confirm(request: Request) -> Response:
    """Import the held file as its dry run showed, then delete it."""
    ctx = await context(request)
    form = await forms.read(ctx)
    found = await call(uploads.pending, ctx, str(request.path_params["upload"]))
    f = forms.Fields(form)
    save_as = " ".join(f.text("save_as", "Name", max_length=60).split()) or None
    if f.errors:
        return await call(preview_page, ctx, found, errors=f.errors, status=422)
    taken = await call(uploads.claim, found)
    try:
        queued = await call(queue_large, ctx.session, taken, save_as)
        if queued is not None:
            return redirect(ctx, f"{PAGE}/runs/{queued}")
        report = await call(run_import, ctx.session, taken, save_as)
    except forms.Invalid as exc:
        return await call(transfer_page, ctx, errors=exc.errors, status=exc.status)
    except NudgeError as exc:
        return await call(
            transfer_page,
            ctx,
            errors={"file": web_words(exc.message, taken.path, taken.name)},
            status=exc.http_status,
        )
    finally:
        uploads.discard(taken)
    from jobnudge.services import import_runs

    message = import_runs.sentence(import_runs.summary(report), taken.name)
    return redirect(ctx, "/pipeline", message)


async def cancel(request: Request) -> Response:
    ctx = await context(request)
    await forms.read(ctx)
    found = await call(uploads.pending, ctx, str(request.path_params["upload"]))
    uploads.discard(found)
    return redirect(ctx, PAGE, f"Nothing was imported; {found.name} is deleted from the server.")


ROUTES = [
    Route(PAGE, show, methods=["GET"]),
    Route(PAGE, upload, methods=["POST"]),
    Route(PAGE + "/uploads/{upload:str}", review_upload, methods=["GET"]),
    Route(PAGE + "/uploads/{upload:str}/preview", recheck, methods=["POST"]),
    Route(PAGE + "/uploads/{upload:str}/import", confirm, methods=["POST"]),
    Route(PAGE + "/uploads/{upload:str}/cancel", cancel, methods=["POST"]),
]
