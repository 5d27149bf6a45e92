"""Import & export in the browser: a spreadsheet comes in through a dry run the user confirms,
a backup is restored into an empty search, and everything goes out as a workbook, one sheet as
CSV, the activity report, the address book or the full backup.

The work is done by the command line's services (``services.importing``, ``exporting`` and
``backup``); this module moves files. An upload is kept in a private temporary folder under a
random token bound to the user who sent it, so confirming the dry run they saw needs no second
upload; it is deleted after the import, on cancel, when the same user uploads another file, or
after an hour.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message

from jobnudge.bounds import is_digits
from jobnudge.errors import BadFile, Conflict, NudgeError
from jobnudge.timeparse import Tense
from jobnudge.web import forms, security
from jobnudge.web.context import Ctx, ReadOnly, call, context, page, redirect

if TYPE_CHECKING:
    from jobnudge.services.importing import ImportReport
    from jobnudge.services.session import Session
    from jobnudge.store import Store
    from jobnudge.tabular.mapping import ColumnMap

PAGE = "/import-export"

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
"""The largest file this page takes: a tracker of thousands of rows is well under a megabyte,
and the limit bounds what one user can park on the server's disk."""

UPLOAD_TTL = 3600
"""Seconds an upload waits for its confirmation before it is deleted."""

SHOWN = 200
"""Opportunities listed one by one in the dry run (the counts are always complete)."""

ENVELOPE = 64 * 1024
"""Room in a request for the multipart framing and the small fields around the file."""

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_META = ".upload.json"
_CLAIMED = ".claimed-"

FIELD_LABELS = {
    "company": "Company",
    "role": "Role",
    "applied_on": "Date applied",
    "status": "Status",
    "status_on": "Status date",
    "interview_on": "Interview date",
    "follow_up_on": "Follow-up date",
    "contact": "Contact",
    "recruiter": "Recruiter",
    "email": "Email",
    "phone": "Phone",
    "posting_url": "Posting link",
    "source": "Source",
    "notes": "Notes",
    "salary": "Salary",
    "location": "Location",
}
"""The fields a column can feed, in the words the page uses (``tabular.mapping.FIELDS``)."""

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
SETTINGS_SECTIONS = ("profile", "playbook", "checks", "mail", "templates")
SHARED_FIELDS = ("notes",)
"""Fields several columns may hold (``tabular.mapping.SHARED``): each notes column is kept."""
"""The parts of a backup's settings an account takes over on restore; anything else (saved
import mappings, a database URL) has no place in an account's settings."""

REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
"""The printable report carries its own inline stylesheet (so a saved copy prints the same);
it runs no script and loads nothing."""


class TooLarge(Exception):
    """The request body passed the upload limit; nothing was kept."""


# Holding an upload


@dataclass
class Choices:
    """How the user wants the file read: date order, a saved mapping, columns as corrected."""

    dates: str = ""
    mapping: str = ""
    columns: dict[int, str] | None = None  # column index → field ("" = not imported)


@dataclass
class Upload:
    token: str
    folder: Path
    name: str
    owner: int
    user: int
    created: float
    choices: Choices = field(default_factory=Choices)

    @property
    def path(self) -> Path:
        return self.folder / self.name

    def save_meta(self) -> None:
        meta = {
            "owner": self.owner,
            "user": self.user,
            "name": self.name,
            "created": self.created,
            "dates": self.choices.dates,
            "mapping": self.choices.mapping,
            "columns": None
            if self.choices.columns is None
            else {str(k): v for k, v in self.choices.columns.items()},
        }
        target = self.folder / _META
        staging = self.folder / f"{_META}.{secrets.token_hex(4)}"
        staging.write_text(json.dumps(meta), encoding="utf-8")
        staging.replace(target)


def uploads_root() -> Path:
    """A folder only this server's user may enter: the uploads are people's job searches."""
    owner = str(os.getuid()) if hasattr(os, "getuid") else "user"
    root = Path(tempfile.gettempdir()) / f"jobnudge-uploads-{owner}"
    root.mkdir(mode=0o700, exist_ok=True)
    info = root.lstat()
    foreign = hasattr(os, "getuid") and info.st_uid != os.getuid()
    if not stat.S_ISDIR(info.st_mode) or foreign or info.st_mode & 0o077:
        raise RuntimeError(f"{root} is not a private folder of this user; remove it and retry.")
    return root


def uploads_for(store: Store) -> Path:
    """The folder for this database's uploads: user ids are per database, so two servers on
    one machine keep apart, while the workers of one server share it."""
    import hashlib

    url = store.engine.url.render_as_string(hide_password=True)
    folder = uploads_root() / hashlib.sha256(url.encode()).hexdigest()[:16]
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def clean_name(raw: str) -> str:
    """The uploaded file's own name, safe as a file name; the import's notes cite it."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w .()+,-]", "_", base).strip(" .")
    if len(base) > 80:
        stem, dot, suffix = base.rpartition(".")
        keeps_suffix = dot and 0 < len(suffix) <= 8
        base = f"{stem[: 79 - len(suffix)]}.{suffix}" if keeps_suffix else base[:80]
    return base or "spreadsheet"


def _load(folder: Path, token: str) -> Upload | None:
    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        columns = meta.get("columns")
        return Upload(
            token=token,
            folder=folder,
            name=str(meta["name"]),
            owner=int(meta["owner"]),
            user=int(meta["user"]),
            created=float(meta["created"]),
            choices=Choices(
                dates=str(meta.get("dates") or ""),
                mapping=str(meta.get("mapping") or ""),
                columns=None
                if columns is None
                else {int(k): str(v) for k, v in dict(columns).items()},
            ),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _sweep(root: Path, owner: int, user: int) -> None:
    """Delete expired uploads, and this user's earlier ones: one pending upload each."""
    now = time.time()
    for entry in root.iterdir():
        if entry.name.startswith(_CLAIMED):
            try:
                stale = now - entry.stat().st_mtime > UPLOAD_TTL
            except OSError:
                continue
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
            continue
        if not _TOKEN.fullmatch(entry.name):
            continue
        found = _load(entry, entry.name)
        if found is None:
            try:
                stale = now - entry.stat().st_mtime > UPLOAD_TTL
            except OSError:
                continue
            if stale:
                shutil.rmtree(entry, ignore_errors=True)
        elif now - found.created > UPLOAD_TTL or (found.owner, found.user) == (owner, user):
            shutil.rmtree(entry, ignore_errors=True)


def keep(ctx: Ctx, name: str, source: IO[bytes], choices: Choices) -> Upload:
    """Store an uploaded file for the dry run and its confirmation."""
    root = uploads_for(ctx.app.store)
    _sweep(root, ctx.owner, ctx.user_id)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir(mode=0o700)
    upload = Upload(token, folder, clean_name(name), ctx.owner, ctx.user_id, time.time(), choices)
    try:
        with upload.path.open("xb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        upload.save_meta()
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return upload


def pending(ctx: Ctx, token: str) -> Upload:
    """The user's upload ``token``; 404 for anyone else's, a used one or an expired one."""
    if not _TOKEN.fullmatch(token):
        raise HTTPException(404)
    folder = uploads_for(ctx.app.store) / token
    found = _load(folder, token) if folder.is_dir() else None
    if found is None or (found.owner, found.user) != (ctx.owner, ctx.user_id):
        raise HTTPException(404)
    if time.time() - found.created > UPLOAD_TTL:
        discard(found)
        raise HTTPException(404)
    return found


def claim(upload: Upload) -> Upload:
    """Take the upload for the import, atomically, so a double click imports it once."""
    target = upload.folder.with_name(f"{_CLAIMED}{upload.token}-{secrets.token_hex(4)}")
    try:
        upload.folder.rename(target)
    except OSError:
        raise HTTPException(404) from None
    return replace(upload, folder=target)


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


async def read_upload_form(request: Request) -> FormData:
    """The multipart form, refused with TooLarge as soon as the body passes the limit (the
    declared length is checked first, so a too-large file is not even read)."""
    limit = MAX_UPLOAD_BYTES + ENVELOPE
    declared = request.headers.get("content-length", "")
    if is_digits(declared) and int(declared) > limit:
        raise TooLarge()
    received = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise TooLarge()
        return message

    return await Request(request.scope, counted).form(max_files=1, max_fields=20)


def _too_large_message() -> str:
    return (
        f"That file is larger than {MAX_UPLOAD_BYTES // 1_048_576} MB, the most this page "
        "takes. Save only the sheet with your applications (as CSV or XLSX), or split it "
        "into smaller files."
    )


# The dry run


def _web_words(text: str, upload_path: Path | None = None, name: str = "") -> str:
    """A service's message as the page says it: the file by its own name, choices by theirs."""
    if upload_path is not None:
        text = text.replace(str(upload_path), name)
    return (
        text.replace("as you said (--dates)", "as you chose")
        .replace("(see --dates)", "(see “Dates” below)")
        .replace("--dates", "the Dates choice")
    )


def letter(index: int) -> str:
    """A column's spreadsheet letter: 0 → A, 26 → AA."""
    from jobnudge.tabular.mapping import letter as spreadsheet_letter

    return spreadsheet_letter(index)


def _headers(path: Path) -> list[str]:
    from jobnudge.tabular.table import open_table

    with open_table(path) as table:
        return list(table.headers)


def _base(session: Session, headers: list[str], mapping_name: str) -> ColumnMap:
    """The guessed columns, with the saved mapping chosen on top (as ``import_file`` does)."""
    from jobnudge.services.importing import saved_mappings
    from jobnudge.tabular import mapping

    columns = mapping.auto(headers)
    if mapping_name:
        saved = saved_mappings(session).get(mapping_name)
        if saved is None:
            raise forms.Invalid({"mapping": f"No saved column mapping is named '{mapping_name}'."})
        columns = mapping.apply(columns, saved, where="mapping", strict=False)
    return columns


def _column_key(headers: list[str], index: int) -> str:
    """How ``--map`` names a column: its header when that is unique, else its letter."""
    header = headers[index].strip()
    if header and sum(h.strip() == header for h in headers) == 1:
        return header
    return letter(index)


def corrections(headers: list[str], base: ColumnMap, wanted: dict[int, str] | None) -> list[str]:
    """``--map`` items turning ``base`` into the columns the user chose."""
    out: list[str] = []
    if wanted is None:
        return out
    from jobnudge.tabular.mapping import DATE_FIELDS

    for index in range(len(headers)):
        want = wanted.get(index, "") or "ignore"
        have = base.fields.get(index) or "ignore"
        if want != have or want in DATE_FIELDS:  # a date column chosen here stays one
            out.append(f"{_column_key(headers, index)}={want}")
    return out


@dataclass
class Preview:
    upload: Upload
    columns: list[dict[str, Any]]
    missing: list[str]
    report: ImportReport | None = None


def preview(session: Session, upload: Upload) -> Preview:
    """The dry run of an upload as the user chose to read it (nothing is written)."""
    from jobnudge.services.importing import import_file
    from jobnudge.tabular import mapping

    headers = _headers(upload.path)
    base = _base(session, headers, upload.choices.mapping)
    items = corrections(headers, base, upload.choices.columns)
    chosen = mapping.apply(base, mapping.parse_overrides(items))
    columns = [
        {
            "index": index,
            "letter": letter(index),
            "header": header,
            "field": "" if chosen.fields.get(index) in (None, "ignore") else chosen.fields[index],
            "how": "chosen" if index in chosen.corrected else "guessed",
        }
        for index, header in enumerate(headers)
    ]
    missing = chosen.missing()
    if missing:
        return Preview(upload, columns, missing)
    report = import_file(
        session,
        upload.path,
        dry_run=True,
        overrides=items,
        mapping_name=upload.choices.mapping or None,
        dates="dmy" if upload.choices.dates == "dmy" else "mdy" if upload.choices.dates else None,
    )
    for described in report.columns:  # a guessed date column read as notes shows as notes
        if described.get("how") == "demoted":
            entry = columns[int(str(described["column"])) - 1]
            entry["field"], entry["why"] = "notes", str(described.get("why", ""))
    return Preview(upload, columns, missing, report)


def run_import(session: Session, upload: Upload, save_as: str | None) -> ImportReport:
    """The import itself, in one transaction, read exactly as the dry run was."""
    from jobnudge.services.importing import import_file
    from jobnudge.tabular import mapping

    headers = _headers(upload.path)
    base = _base(session, headers, upload.choices.mapping)
    items = corrections(headers, base, upload.choices.columns)
    missing = mapping.apply(base, mapping.parse_overrides(items)).missing()
    if missing:
        need = " and the ".join(FIELD_LABELS[m].lower() for m in missing)
        raise forms.Invalid({"file": f"No column holds the {need}; nothing was imported."})
    return import_file(
        session,
        upload.path,
        overrides=items,
        mapping_name=upload.choices.mapping or None,
        save_as=save_as,
        dates="dmy" if upload.choices.dates == "dmy" else "mdy" if upload.choices.dates else None,
    )


def queue_large(session: Session, upload: Upload, save_as: str | None) -> int | None:
    """With the job queue on, a file over the row threshold goes to a worker (moved into the
    data dir under its owner); the run's id, or None to import here as always."""
    from jobnudge.services import import_runs, jobs
    from jobnudge.tabular import mapping

    if not jobs.queue_on(session.store):
        return None
    rows = import_runs.rows_over(upload.path, import_runs.threshold())
    if rows is None:
        return None
    headers = _headers(upload.path)
    base = _base(session, headers, upload.choices.mapping)
    items = corrections(headers, base, upload.choices.columns)
    missing = mapping.apply(base, mapping.parse_overrides(items)).missing()
    if missing:
        need = " and the ".join(FIELD_LABELS[m].lower() for m in missing)
        raise forms.Invalid({"file": f"No column holds the {need}; nothing was imported."})
    return import_runs.queue(
        session.store,
        session.owner,
        upload.path,
        upload.name,
        rows - 1,
        session.now,
        overrides=items,
        mapping_name=upload.choices.mapping or None,
        save_as=save_as,
        dates=upload.choices.dates or None,
    )


# Pages


def _today(ctx: Ctx) -> date:
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
    today = _today(ctx)
    shown = {
        "from": (today - timedelta(days=27)).isoformat(),
        "to": today.isoformat(),
        "format": "html",
        "sheet": "opportunities",
        "dates": "",
        "mapping": "",
    }
    shown.update(values or {})
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
            "sheets": SHEETS,
            "formats": REPORT_FORMATS,
            "max_mb": MAX_UPLOAD_BYTES // 1_048_576,
            "max_bytes": MAX_UPLOAD_BYTES,
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
        discard(upload)
        return transfer_page(
            ctx,
            errors={"file": _web_words(exc.message, upload.path, upload.name)},
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
            "rejected": [(n, _web_words(why)) for n, why in report.rejected] if report else [],
            "warnings": [(n, column, _web_words(what)) for n, column, what in report.warnings]
            if report
            else [],
            "unknown_statuses": [
                (status, rows, report.unknown_counts[status])
                for status, rows in report.unknown_statuses.items()
            ]
            if report
            else [],
            "status_column": report.status_column if report else "",
            "dates_read": {h: _web_words(w) for h, w in report.dates.items()} if report else {},
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
            "mappings": mapping_options(ctx),
            "errors": errors,
        },
        title="Check the import",
        status=status,
    )


async def show(request: Request) -> Response:
    ctx = await context(request)
    return await call(transfer_page, ctx)


def _choices(ctx: Ctx, f: forms.Fields) -> Choices:
    """The date order and saved mapping a form chose; a bad one is a message on its field."""
    from jobnudge.services.importing import saved_mappings

    dates = f.raw("dates").strip()
    if dates not in {value for value, _ in DATE_ORDERS}:
        f.errors["dates"] = "Choose how dates are read: from the file, day first or month first."
        dates = ""
    chosen = f.raw("mapping").strip()
    if chosen and chosen not in saved_mappings(ctx.session):
        f.errors["mapping"] = f"No saved column mapping is named '{chosen[:60]}'."
        chosen = ""
    return Choices(dates=dates, mapping=chosen)


async def upload(request: Request) -> Response:
    """Take the file, check it opens as a spreadsheet, and show its dry run."""
    ctx = await context(request)
    try:
        form = await read_upload_form(request)
    except TooLarge:
        return await call(transfer_page, ctx, errors={"file": _too_large_message()}, status=413)
    try:
        security.check_csrf(request, form)
        if ctx.read_only:
            raise ReadOnly()
        f = forms.Fields(form)
        choices = await call(_choices, ctx, f)
        sent = form.get("file")
        values = {"dates": choices.dates, "mapping": choices.mapping}
        if not isinstance(sent, UploadFile) or not sent.filename:
            f.errors["file"] = "Choose a CSV or XLSX file to upload."
        elif (sent.size or 0) > MAX_UPLOAD_BYTES:
            return await call(
                transfer_page, ctx, errors={"file": _too_large_message()}, values=values, status=413
            )
        elif not sent.size:
            f.errors["file"] = (
                f"{clean_name(sent.filename)} is empty; choose the file your tracker is saved in."
            )
        if f.errors or not isinstance(sent, UploadFile):
            return await call(transfer_page, ctx, errors=f.errors, values=values, status=422)
        await sent.seek(0)
        kept = await call(keep, ctx, sent.filename or "", sent.file, choices)
    finally:
        await form.close()
    try:
        await call(_headers, kept.path)
    except NudgeError as exc:
        discard(kept)
        return await call(
            transfer_page,
            ctx,
            errors={"file": _web_words(exc.message, kept.path, kept.name)},
            values=values,
            status=exc.http_status,
        )
    return redirect(ctx, f"{PAGE}/uploads/{kept.token}")


async def review_upload(request: Request) -> Response:
    ctx = await context(request)
    found = await call(pending, ctx, str(request.path_params["upload"]))
    return await call(preview_page, ctx, found)


async def recheck(request: Request) -> Response:
    """Read the held file again with the columns and date order the user corrected."""
    ctx = await context(request)
    form = await forms.read(ctx)
    found = await call(pending, ctx, str(request.path_params["upload"]))
    f = forms.Fields(form)
    choices = await call(_choices, ctx, f)
    try:
        headers = await call(_headers, found.path)
    except NudgeError as exc:
        discard(found)
        return await call(
            transfer_page,
            ctx,
            errors={"file": _web_words(exc.message, found.path, found.name)},
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
    found = await call(pending, ctx, str(request.path_params["upload"]))
    f = forms.Fields(form)
    save_as = " ".join(f.text("save_as", "Name", max_length=60).split()) or None
    if f.errors:
        return await call(preview_page, ctx, found, errors=f.errors, status=422)
    taken = await call(claim, found)
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
            errors={"file": _web_words(exc.message, taken.path, taken.name)},
            status=exc.http_status,
        )
    finally:
        discard(taken)
    from jobnudge.services import import_runs

    message = import_runs.sentence(import_runs.summary(report), taken.name)
    return redirect(ctx, "/pipeline", message)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


async def cancel(request: Request) -> Response:
    ctx = await context(request)
    await forms.read(ctx)
    found = await call(pending, ctx, str(request.path_params["upload"]))
    discard(found)
    return redirect(ctx, PAGE, f"Nothing was imported; {found.name} is deleted from the server.")


# Restoring a backup


def _restored_settings(ctx: Ctx, settings: object, name: str) -> tuple[dict[str, Any], Session]:
    """An account's settings after the restore: its own, with the backup's profile, playbook,
    checker, mail and templates taken over, checked as the settings page would check them."""
    from jobnudge import config
    from jobnudge.errors import ConfigError, UsageError
    from jobnudge.services.preferences import TEMPLATES_KEY, check_template

    if not isinstance(settings, dict):
        raise BadFile(f"{name}: the settings in this backup are not an object.")
    merged = dict(ctx.app.prefs.document(ctx.owner))
    for key in SETTINGS_SECTIONS:
        if key in settings:
            merged[key] = settings[key]
    try:
        parsed = config.parse({k: v for k, v in merged.items() if k != TEMPLATES_KEY}, "backup")
        templates = merged.get(TEMPLATES_KEY, {})
        if not isinstance(templates, dict):
            raise UsageError("templates: must be an object of template names and texts.")
        for template, text in templates.items():
            check_template(str(template), str(text))
    except (ConfigError, UsageError) as exc:
        raise BadFile(f"{name}: its settings cannot be used ({exc.message}).") from None
    return merged, replace(ctx.session, settings=parsed)


def restore_backup(ctx: Ctx, path: Path, name: str) -> dict[str, int]:
    """Restore into this (empty) search; with accounts the settings merge as above."""
    from jobnudge.services import backup

    store, owner = ctx.app.store, ctx.owner
    if store.opportunities(owner) or store.contacts(owner) or store.companies(owner):
        raise Conflict(
            "Your search already holds records, so nothing was restored: a backup is restored "
            "only into an empty search (for example a new account)."
        )
    doc = backup.load_document(path)
    session = ctx.session
    if ctx.app.accounts:
        doc["settings"], session = _restored_settings(ctx, doc.get("settings"), name)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    try:
        return backup.restore(session, path)
    except Conflict:
        raise Conflict(
            "Your search already holds records, so nothing was restored: a backup is restored "
            "only into an empty search (for example a new account)."
        ) from None


async def restore(request: Request) -> Response:
    ctx = await context(request)
    try:
        form = await read_upload_form(request)
    except TooLarge:
        message = (
            f"That file is larger than {MAX_UPLOAD_BYTES // 1_048_576} MB, the most this page "
            "takes; restore it on the server with `nudge restore FILE` instead."
        )
        return await call(transfer_page, ctx, errors={"backup": message}, status=413)
    folder: Path | None = None
    name = ""
    try:
        security.check_csrf(request, form)
        if ctx.read_only:
            raise ReadOnly()
        sent = form.get("backup")
        if not isinstance(sent, UploadFile) or not sent.filename:
            message = "Choose the backup file (.json) to restore."
            return await call(transfer_page, ctx, errors={"backup": message}, status=422)
        name = clean_name(sent.filename)
        folder = Path(
            tempfile.mkdtemp(prefix=f"{_CLAIMED}restore-", dir=uploads_for(ctx.app.store))
        )
        await sent.seek(0)
        await call(_copy, sent.file, folder / name)
        counts = await call(restore_backup, ctx, folder / name, name)
    except NudgeError as exc:
        message = _web_words(exc.message, folder / name if folder else None, name)
        return await call(transfer_page, ctx, errors={"backup": message}, status=exc.http_status)
    finally:
        await form.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return redirect(
        ctx,
        "/pipeline",
        f"Restored {_count(counts['opportunities'], 'opportunity', 'opportunities')}, "
        f"{_count(counts['contacts'], 'contact', 'contacts')}, "
        f"{_count(counts['companies'], 'company', 'companies')} and "
        f"{_count(counts['events'], 'event', 'events')} from {name}.",
    )


def _copy(source: IO[bytes], target: Path) -> None:
    with target.open("xb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)


# Downloads


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
    return download(body, XLSX, f"jobnudge-{_today(ctx).isoformat()}.xlsx")


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
    return download(body, "text/csv; charset=utf-8", f"jobnudge-{name}-{_today(ctx)}.csv")


async def report(request: Request) -> Response:
    """The activity report for a range: a printable page shown in the browser, or CSV."""
    from jobnudge.services import exporting

    ctx = await context(request)
    query = request.query_params
    f = forms.Fields(query)
    today = _today(ctx)
    past = Tense.PAST  # a report covers what happened: "Oct 3" is the latest Oct 3
    end = f.day("to", "To", ctx.tz, ctx.session.now, tense=past) or today
    start = f.day("from", "From", ctx.tz, ctx.session.now, tense=past) or end - timedelta(days=27)
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
        body = await call(exporting.report_csv, ctx.session, start, end)
        return download(body, "text/csv; charset=utf-8", f"{stem}.csv")
    body = await call(exporting.report_html, ctx.session, start, end)
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
    return download(body, "application/json", f"jobnudge-backup-{_today(ctx).isoformat()}.json")


async def contacts_file(request: Request) -> Response:
    from jobnudge.services.exporting import contacts_vcf

    ctx = await context(request)
    body = await call(contacts_vcf, ctx.session, "3.0")
    return download(
        body, "text/vcard; charset=utf-8", f"jobnudge-contacts-{_today(ctx).isoformat()}.vcf"
    )


ROUTES = [
    Route(PAGE, show, methods=["GET"]),
    Route(PAGE, upload, methods=["POST"]),
    Route(PAGE + "/uploads/{upload:str}", review_upload, methods=["GET"]),
    Route(PAGE + "/uploads/{upload:str}/preview", recheck, methods=["POST"]),
    Route(PAGE + "/uploads/{upload:str}/import", confirm, methods=["POST"]),
    Route(PAGE + "/uploads/{upload:str}/cancel", cancel, methods=["POST"]),
    Route(PAGE + "/restore", restore, methods=["POST"]),
    Route(PAGE + "/jobnudge.xlsx", workbook, methods=["GET"]),
    Route(PAGE + "/sheet.csv", sheet, methods=["GET"]),
    Route(PAGE + "/report", report, methods=["GET"]),
    Route(PAGE + "/backup.json", backup_file, methods=["GET"]),
    Route(PAGE + "/contacts.vcf", contacts_file, methods=["GET"]),
]
