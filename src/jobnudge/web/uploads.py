"""Uploads held between a dry run and its confirmation: a private temporary folder per upload
under a random token bound to the user who sent it, so confirming the dry run they saw needs no
second upload. An upload is deleted after the import, on cancel, when the same user uploads
another file, or after an hour; the request body is refused as soon as it passes the limit.
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
from pathlib import Path
from typing import IO, TYPE_CHECKING

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message

from jobnudge.bounds import is_digits

if TYPE_CHECKING:
    from jobnudge.store import Store
    from jobnudge.web.context import Ctx

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
"""The largest file this page takes: a tracker of thousands of rows is well under a megabyte,
and the limit bounds what one user can park on the server's disk."""

UPLOAD_TTL = 3600
"""Seconds an upload waits for its confirmation before it is deleted."""

ENVELOPE = 64 * 1024
"""Room in a request for the multipart framing and the small fields around the file."""

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_META = ".upload.json"
_CLAIMED = ".claimed-"


class TooLarge(Exception):
    """The request body passed the upload limit; nothing was kept."""


@dataclass
class Choices:
    """How the user wants the file read: date order, a saved mapping, columns as corrected,
    and the text encoding of a CSV that cannot be told from the file ("" = automatic)."""

    dates: str = ""
    mapping: str = ""
    columns: dict[int, str] | None = None  # column index → field ("" = not imported)
    encoding: str = ""


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
            "encoding": self.choices.encoding,
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
                encoding=str(meta.get("encoding") or ""),
            ),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _drop_if_stale(entry: Path, now: float) -> None:
    """Delete a folder whose files are older than the time an upload waits."""
    try:
        stale = now - entry.stat().st_mtime > UPLOAD_TTL
    except OSError:
        return
    if stale:
        shutil.rmtree(entry, ignore_errors=True)


def _sweep(root: Path, owner: int, user: int) -> None:
    """Delete expired uploads, and this user's earlier ones: one pending upload each."""
    now = time.time()
    for entry in root.iterdir():
        if entry.name.startswith(_CLAIMED):
            _drop_if_stale(entry, now)
            continue
        if not _TOKEN.fullmatch(entry.name):
            continue
        found = _load(entry, entry.name)
        if found is None:
            _drop_if_stale(entry, now)
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


def scratch_folder(store: Store) -> Path:
    """A private folder for a file used once (a backup to restore); named like a claimed
    upload, so one left behind by a crash is swept an hour later."""
    return Path(tempfile.mkdtemp(prefix=f"{_CLAIMED}restore-", dir=uploads_for(store)))


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


def too_large_message() -> str:
    return (
        f"That file is larger than {MAX_UPLOAD_BYTES // 1_048_576} MB, the most this page "
        "takes. Save only the sheet with your applications (as CSV or XLSX), or split it "
        "into smaller files."
    )
