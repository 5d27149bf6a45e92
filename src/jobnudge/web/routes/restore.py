"""Restoring a backup from the import & export page: the file is kept in a private scratch
folder for the length of the request and restored into an empty search (``services.backup``);
with accounts the backup's settings are merged into the account's own and checked first.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.errors import BadFile, Conflict, NudgeError
from jobnudge.web import security, uploads
from jobnudge.web.context import Ctx, ReadOnly, call, context, redirect
from jobnudge.web.routes.transfer import PAGE, transfer_page
from jobnudge.web.upload_import import web_words

if TYPE_CHECKING:
    from jobnudge.services.session import Session

SETTINGS_SECTIONS = ("profile", "playbook", "checks", "mail", "templates")
"""The parts of a backup's settings an account takes over on restore; anything else (saved
import mappings, a database URL) has no place in an account's settings."""


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


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
    from jobnudge.services import restoring

    store, owner = ctx.app.store, ctx.owner
    if store.opportunities(owner) or store.contacts(owner) or store.companies(owner):
        raise Conflict(
            "Your search already holds records, so nothing was restored: a backup is restored "
            "only into an empty search (for example a new account)."
        )
    doc = restoring.load_document(path)
    session = ctx.session
    if ctx.app.accounts:
        doc["settings"], session = _restored_settings(ctx, doc.get("settings"), name)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    try:
        return restoring.restore(session, path)
    except Conflict:
        raise Conflict(
            "Your search already holds records, so nothing was restored: a backup is restored "
            "only into an empty search (for example a new account)."
        ) from None


async def restore(request: Request) -> Response:
    ctx = await context(request)
    try:
        form = await uploads.read_upload_form(request)
    except uploads.TooLarge:
        message = (
            f"That file is larger than {uploads.MAX_UPLOAD_BYTES // 1_048_576} MB, the most this "
            "page takes; restore it on the server with `nudge restore FILE` instead."
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
        name = uploads.clean_name(sent.filename)
        folder = uploads.scratch_folder(ctx.app.store)
        await sent.seek(0)
        await call(_copy, sent.file, folder / name)
        counts = await call(restore_backup, ctx, folder / name, name)
    except NudgeError as exc:
        message = web_words(exc.message, folder / name if folder else None, name)
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


ROUTES = [Route(PAGE + "/restore", restore, methods=["POST"])]
