"""A spreadsheet as the importer sees it: a header and numbered rows, read lazily."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from jobnudge.errors import BadFile

Cell = str | int | float | bool | date | datetime | time | None


@dataclass
class Table:
    """Rows are ``(row number as a spreadsheet shows it, cells)``, blank rows skipped.

    ``position()`` gives ``(done, total)`` in some unit (bytes, rows) for a progress bar; total
    is None when unknown. ``close()`` releases the file. ``precheck()`` reads the whole file
    again by a quick pass that leaves ``rows`` alone, raising BadFile for a file over the row
    limit (and, for CSV, a record that cannot be read), so an import refuses it before it
    starts writing.
    """

    path: Path
    kind: str  # how the file was read, e.g. "CSV (cp1252, delimiter ';')"
    headers: list[str]
    rows: Iterator[tuple[int, list[Cell]]]
    position: Callable[[], tuple[int, int | None]]
    close: Callable[[], None] = field(default=lambda: None)
    precheck: Callable[[], None] = field(default=lambda: None)

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def text_of(value: Cell) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def open_table(path: Path, encoding: str | None = None) -> Table:
    """The spreadsheet at ``path``: XLSX by its zip signature, else CSV/TSV text (in
    ``encoding`` when the user named one).

    Refuses formats that only look like spreadsheets (an old .xls, an OpenDocument sheet, a
    PDF, a calendar file) with a message saying what to do.
    """
    from jobnudge.tabular import safety

    safety.check_size(path, safety.MAX_FILE_BYTES, "spreadsheet")
    with path.open("rb") as handle:
        start = handle.read(64)
    magic = start[:8]
    suffix = path.suffix.lower()
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise BadFile(
            f"{path}: is a calendar file, not a spreadsheet; for an interview invitation use "
            "`nudge import-invite FILE`, and export the tracker itself as CSV or XLSX."
        )
    if magic.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise BadFile(
            f"{path}: is an old Excel .xls workbook; open it and save it as .xlsx or CSV."
        )
    if suffix in (".ods", ".numbers"):
        raise BadFile(f"{path}: {suffix} sheets are not read; export the sheet as .xlsx or CSV.")
    if magic.startswith(b"%PDF"):
        raise BadFile(f"{path}: is a PDF, not a spreadsheet; export the tracker as CSV or XLSX.")
    if magic.startswith(b"PK") or suffix in (".xlsx", ".xlsm"):
        from jobnudge.tabular.xlsx_read import read_xlsx

        return read_xlsx(path)
    from jobnudge.tabular.csv_read import read_csv

    return read_csv(path, encoding)
