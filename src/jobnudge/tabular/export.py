"""Sheets to files: XLSX formatted for reading (bold frozen header, filter, column widths, real
dates) and CSV (UTF-8 with a byte-order mark, so Excel reads accents right).

Every text cell passes :func:`jobnudge.tabular.safety.neutralise` first, so a company called
``=HYPERLINK(...)`` is shown, never run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jobnudge.tabular.safety import neutralise

Value = str | int | float | bool | date | datetime | None

# Characters XML 1.0 forbids (openpyxl refuses them); they never belong in a tracker.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Sheet:
    """A named table: headers, rows of plain values (naive local datetimes and dates)."""

    name: str
    headers: list[str]
    rows: list[list[Value]] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)  # column index → fixed width


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV bytes (comma-separated, UTF-8 with BOM, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _width(sheet: Sheet, index: int) -> float:
    if index in sheet.widths:
        return sheet.widths[index]
    longest = len(sheet.headers[index])
    for row in sheet.rows[:2000]:
        value = row[index] if index < len(row) else None
        if isinstance(value, datetime):
            size = 16
        elif isinstance(value, date):
            size = 10
        else:
            text = _text(value)
            size = max((len(line) for line in text.splitlines()), default=0)
        longest = max(longest, size)
    return min(max(longest + 2, 6), 60)


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet, written in openpyxl's streaming mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE5F0")
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        ws.freeze_panes = "A2"
        for index in range(len(sheet.headers)):
            ws.column_dimensions[get_column_letter(index + 1)].width = _width(sheet, index)
        if sheet.headers:
            last = get_column_letter(len(sheet.headers))
            ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
        header = []
        for name in sheet.headers:
            cell = WriteOnlyCell(ws, value=_clean(neutralise(name)))
            cell.font = bold
            cell.fill = fill
            header.append(cell)
        ws.append(header)
        wrap = Alignment(wrap_text=False, vertical="top")
        for row in sheet.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=_xlsx_value(value))
                if isinstance(value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cell.alignment = wrap
                cells.append(cell)
            ws.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def _xlsx_value(value: Value) -> Any:  # openpyxl takes dates too; its stubs say datetime
    if isinstance(value, str):
        return _clean(neutralise(value))
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value
