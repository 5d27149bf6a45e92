"""XLSX workbooks through openpyxl's read-only mode (rows stream from the archive).

Before openpyxl opens it, the archive is checked against the size limits (a zip bomb is
refused); openpyxl parses the XML through defusedxml, so entity tricks are refused too. The
first worksheet is read; its declared dimensions are ignored (they can claim a million rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from jobnudge.errors import BadFile
from jobnudge.tabular import safety
from jobnudge.tabular.table import Cell, Table

EXCEL_MAX_ROWS = 1_048_576
SAVE_AGAIN = "Open it in your spreadsheet program and save it again as .xlsx, or export it as CSV."


def damage(exc: Exception) -> str:
    """What is wrong with a workbook, in words for its owner rather than the reader's error
    class ("KeyError: There is no item named '[Content_Types].xml' in the archive")."""
    kind = type(exc).__name__
    if isinstance(exc, KeyError):
        return "a part every workbook has is missing from it"
    if "XML" in kind or "Parse" in kind or "Syntax" in kind:
        return "its contents are damaged: a part of it is not well-formed XML"
    if isinstance(exc, EOFError) or kind in ("error", "BadZipFile"):  # zlib.error
        return "its compressed contents are damaged or cut short"
    return "it is damaged or is no Excel workbook"


def read_xlsx(path: Path) -> Table:
    safety.check_size(path, safety.MAX_FILE_BYTES, "spreadsheet")
    safety.check_zip(path)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a dozen types for a broken workbook
        raise BadFile(
            f"{path}: cannot be read as an XLSX workbook ({damage(exc)}). {SAVE_AGAIN}"
        ) from None
    try:
        sheets = book.worksheets
        if not sheets:
            raise BadFile(f"{path}: the workbook has no worksheet.")
        sheet: Any = sheets[0]
        declared = sheet.max_row if isinstance(sheet.max_row, int) else None
        sheet.reset_dimensions()
        rows = _cells(path, sheet.iter_rows(values_only=True))
        headers = _header(path, rows)
    except BadFile:
        book.close()
        raise
    except Exception as exc:  # the sheet XML is parsed lazily, here
        book.close()
        raise BadFile(
            f"{path}: the first worksheet cannot be read ({damage(exc)}). {SAVE_AGAIN}"
        ) from None
    done = [0]

    def counted() -> Iterator[tuple[int, list[Cell]]]:
        count = 0
        for number, cells in rows:
            done[0] = number
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            count += 1
            if count > safety.MAX_ROWS:
                raise BadFile(
                    f"{path}: has more than {safety.MAX_ROWS:,} rows; split it into smaller "
                    "files. Nothing was imported."
                )
            yield number, cells

    member = str(getattr(sheet, "_worksheet_path", ""))  # openpyxl's name for the sheet's XML

    def precheck() -> None:
        from jobnudge.tabular.xlsx_count import data_rows

        if member and data_rows(path, member, safety.MAX_ROWS + 1) > safety.MAX_ROWS:
            raise BadFile(
                f"{path}: has more than {safety.MAX_ROWS:,} rows; split it into smaller "
                "files. Nothing was imported."
            )

    return Table(
        path=path,
        kind=f"XLSX (sheet '{sheets[0].title}')",
        headers=headers,
        rows=counted(),
        position=lambda: (done[0], declared),
        close=book.close,
        precheck=precheck,
    )


def _cells(path: Path, source: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[Cell]]]:
    number = 0
    while True:
        try:
            values = next(source)
        except StopIteration:
            return
        except BadFile:
            raise
        except Exception as exc:  # damaged XML deep in the sheet
            raise BadFile(
                f"{path}: row {number + 1} of the worksheet cannot be read ({damage(exc)}); "
                f"nothing was imported. {SAVE_AGAIN}"
            ) from None
        number += 1
        if number > EXCEL_MAX_ROWS:
            raise BadFile(f"{path}: the worksheet has more rows than Excel allows.")
        cells: list[Cell] = list(values)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        yield number, cells


def _header(path: Path, rows: Iterator[tuple[int, list[Cell]]]) -> list[str]:
    from jobnudge.tabular.table import text_of

    for _number, cells in islice(rows, 50):
        if sum(1 for c in cells if c is not None and text_of(c)) < 2:
            continue  # empty, or a title line above the header
        if len(cells) > safety.MAX_COLUMNS:
            raise BadFile(
                f"{path}: the header has {len(cells)} columns; at most {safety.MAX_COLUMNS} are "
                "read. Delete the columns you do not need."
            )
        return [text_of(c) for c in cells]
    raise BadFile(
        f"{path}: the first worksheet holds no header row (a row naming at least two columns)."
    )
