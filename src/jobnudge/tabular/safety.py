"""The limits every importer enforces, and the neutralising of cells on export.

The limits are constants, not settings: they protect the process (memory, time) from a file
that is broken or built to hurt, and no real job search comes near them. docs/import-export.md
lists them with their reasons.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from jobnudge.errors import BadFile

MAX_FILE_BYTES = 200 * 1024 * 1024
"""A CSV or XLSX file larger than this is refused before reading (a 100,000-row tracker with
long notes is about 30 MB)."""

MAX_ROWS = 200_000
"""Data rows in one spreadsheet. A longer file is refused as a whole (split it), never imported
in part."""

MAX_COLUMNS = 256
"""Columns in a spreadsheet's header or any row; trackers use 10 to 40."""

MAX_CELL_CHARS = 32_767
"""Characters in one cell: Excel's own limit, so a longer cell cannot come from a spreadsheet."""

MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
"""The sum of the uncompressed sizes an XLSX (a zip archive) declares; a zip bomb declares
gigabytes. Python's zipfile never inflates a member past its declared size."""

MAX_XLSX_RATIO = 200
"""The largest compression ratio accepted for an XLSX member bigger than 1 MiB: sheet XML
compresses about 10 to 30 times, a zip bomb thousands of times."""

MAX_XLSX_MEMBERS = 10_000
"""Members in an XLSX archive (a workbook has a few dozen)."""

MAX_ICS_BYTES = 2 * 1024 * 1024
"""An invitation .ics file (a real one is a few kilobytes)."""

MAX_VCARD_BYTES = 16 * 1024 * 1024
"""A .vcf address-book export (10,000 contacts with photos stripped is about 5 MB)."""

MAX_VCARDS = 20_000
"""Contacts in one .vcf file."""

MAX_BACKUP_BYTES = 64 * 1024 * 1024
"""A backup file; a decade of job searching is a few megabytes. A backup is parsed whole (its
records refer to each other), at about four times its size in memory."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet treat a text cell as a formula (OWASP's CSV injection list)."""


def neutralise(value: str) -> str:
    """A text cell a spreadsheet will show as text, never run: ``'`` before a formula start."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def check_size(path: Path, limit: int, what: str) -> int:
    """The file's size in bytes, or BadFile if it is missing, not a file or over ``limit``."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file; check the name and the folder.") from None
    except OSError as exc:
        raise BadFile(f"{path}: cannot be read ({exc.strerror}).") from None
    if not path.is_file():
        raise BadFile(f"{path}: is not a file.")
    if size > limit:
        raise BadFile(
            f"{path}: is {size / 1_048_576:.1f} MB; {what} files are read up to "
            f"{limit / 1_048_576:.0f} MB. Split it into smaller files."
        )
    return size


def check_zip(path: Path) -> None:
    """Refuse an XLSX archive that is not a zip, or whose members would inflate too far."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        with path.open("rb") as handle:
            if handle.read(2) == b"PK":  # a workbook's archive, cut short or damaged
                raise BadFile(
                    f"{path}: cannot be read as an XLSX workbook (the file is cut short or "
                    "damaged). Open it in your spreadsheet program and save it again, or "
                    "export it as CSV."
                ) from None
        raise BadFile(
            f"{path}: is not an XLSX workbook (it is not a zip archive). An old .xls file: "
            "open it and save it as .xlsx or CSV."
        ) from None
    except (OSError, ValueError, EOFError) as exc:
        raise BadFile(f"{path}: the workbook archive is damaged ({exc}).") from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise BadFile(f"{path}: the archive holds {len(members)} files; this is no workbook.")
    total = 0
    for member in members:
        total += member.file_size
        big = member.file_size > 1_048_576
        if big and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1):
            raise BadFile(
                f"{path}: '{member.filename}' would inflate {member.file_size // 1_048_576} MB "
                f"from {member.compress_size} bytes (a zip bomb?); the file was not read."
            )
    if total > MAX_XLSX_UNCOMPRESSED:
        raise BadFile(
            f"{path}: the workbook inflates to {total // 1_048_576} MB; workbooks are read up "
            f"to {MAX_XLSX_UNCOMPRESSED // 1_048_576} MB uncompressed. Save the tracker sheet "
            "alone, or as CSV."
        )
