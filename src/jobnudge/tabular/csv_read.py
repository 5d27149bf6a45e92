"""CSV and TSV in any common encoding and delimiter, streamed row by row.

Encoding: the one the user names (``--encoding``); else a byte-order mark decides (Excel's
"Unicode Text" is UTF-16 with one, "CSV UTF-8" UTF-8 with one); else the whole file is checked
as UTF-8; else a file of two-byte units (NUL bytes between the letters) is read as the UTF-16
charset-normalizer finds. Anything else (Windows-1252, Latin-1, Mac Roman...) cannot be told
apart for sure: a guess would store "Sociķtķ" for "Société" without a word, so the file is
refused, naming it and the fix (save it as UTF-8, or name its encoding).
Delimiter: among ``, ; TAB |``, the one the header line and the rows agree on: it splits the
header into at least two fields and as many as most rows of the first 64 KB hold (the
header's own count decides ties). A ``.tsv``/``.tab`` file is tab-separated unless another
delimiter fits its rows better. ``csv.Sniffer`` was fooled by a ';' inside a notes cell of a
tab-separated file.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Protocol

from jobnudge.errors import BadFile, UsageError
from jobnudge.plural import count
from jobnudge.tabular import safety
from jobnudge.tabular.csv_quotes import OpenQuote, header_width, open_quote, run_on
from jobnudge.tabular.encodings import BOMS as _BOMS
from jobnudge.tabular.table import Cell, Table

_DELIMITERS = ",;\t|"


class _Reader(Protocol):
    """What ``csv.reader`` gives: records, and the number of lines read so far."""

    line_num: int

    def __next__(self) -> list[str]: ...


_CHUNK = 1 << 20
HEADER_SEARCH = 50  # rows searched for the header
_SAMPLE = 64 * 1024


def _decodes(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes strictly in ``encoding`` (read in 1 MB chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


SAVE_AS_UTF8 = 'save it again as UTF-8 (in Excel: Save As, "CSV UTF-8")'
NAME_IT = "or, importing with the nudge command, name its encoding: --encoding cp1252"


def detect_encoding(
    path: Path, head: bytes, *, given: str | None = None, fix: str = SAVE_AS_UTF8
) -> str:
    """The file's text encoding, by the rule in this module's docstring; BadFile naming the
    file and ``fix`` when it cannot be told for sure."""
    if given:
        return _named(path, given)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" not in head:
        if _decodes(path, "utf-8"):
            return "utf-8"
        raise _unsure(path, fix)
    from charset_normalizer import from_bytes

    best = from_bytes(head[: 4 * _SAMPLE]).best()
    if (
        best is not None
        and str(best.encoding).startswith("utf_16")
        and _decodes(path, best.encoding)
    ):
        return str(best.encoding)
    raise _binary(path)


def _named(path: Path, given: str) -> str:
    """The encoding the user named, checked to exist and to read the whole file."""
    try:
        name = codecs.lookup(given.strip()).name
    except LookupError:
        raise UsageError(
            f"--encoding: '{given}' is not an encoding Python knows; try utf-8, cp1252, "
            "latin-1, utf-16 or mac-roman."
        ) from None
    if not _decodes(path, name):
        raise BadFile(
            f"{path}: is not valid {name} text; check the encoding the file was saved in. "
            "Nothing was imported."
        )
    return "utf-8-sig" if name == "utf-8" else name  # a BOM is no part of the first header


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unsure(path: Path, fix: str) -> BadFile:
    number, line = _first_not_utf8(path)
    shown = " ".join(line.decode("cp1252", errors="replace").split())[:60]
    where = f"line {number}" if number else "the first line that is not UTF-8"
    return BadFile(
        f"{path}: is not UTF-8 and has no byte-order mark, so its encoding cannot be told for "
        f"sure (read as Windows-1252, {where} says '{shown}'); {fix}. Nothing was imported."
    )


def _first_not_utf8(path: Path) -> tuple[int, bytes]:
    """The number and bytes of the file's first line that is not UTF-8, wherever it is (a
    sheet typed in UTF-8 for months may take one cell pasted from elsewhere near its end);
    ``(0, b"")`` if every line is. Read line by line: only a refused file gets here."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not _is_utf8(line):
                return number, line
    return 0, b""


def _binary(path: Path) -> BadFile:
    return BadFile(
        f"{path}: is not a text spreadsheet (it holds binary data); export the tracker as CSV "
        "or XLSX."
    )


_TAB_SUFFIXES = (".tsv", ".tab")


def _fit(records: list[list[str]]) -> tuple[float, int]:
    """How well a split fits: the share of non-blank records (title lines above the header
    count against it) with the header's number of fields, and that number (0 when the split
    gives no header of two filled cells)."""
    width = agree = total = 0
    for record in records:
        cells = [c.strip() for c in record]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        total += 1
        if not width:
            if sum(1 for c in cells if c) >= 2:
                width = len(cells)
                agree += 1
            continue
        agree += len(cells) == width or len(record) == width
    return (agree / total, width) if width else (0.0, 0)


def _parsed(sample: str, delimiter: str) -> list[list[str]]:
    """The sample's records split by ``delimiter``; the last one dropped when it may be cut
    short by the sample's end."""
    try:
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    except csv.Error:
        return []
    return records[:-1] if len(records) > 2 else records


def sniff_delimiter(sample: str, suffix: str = "") -> str:
    """The field delimiter of a CSV sample (the start of the file); ``suffix`` is the file's
    extension, ``.tsv`` and ``.tab`` meaning TAB unless another delimiter fits the rows better."""
    fits = {d: _fit(_parsed(sample, d)) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: fits[d])  # ties: the earlier in _DELIMITERS
    tab = fits["\t"]
    if suffix.lower() in _TAB_SUFFIXES and tab[1] and tab[0] >= fits[best][0]:
        return "\t"
    return best if fits[best][1] else ","


def read_csv(path: Path, encoding: str | None = None) -> Table:
    """The CSV at ``path`` as a Table whose rows stream from disk; ``encoding`` as the user
    named it, else told from the file (see the module docstring)."""
    size = safety.check_size(path, safety.MAX_FILE_BYTES, "spreadsheet")
    with path.open("rb") as handle:
        head = handle.read(4 * _SAMPLE)
    if not head.strip():
        raise BadFile(f"{path}: is empty; there is nothing to import.")
    encoding = detect_encoding(path, head, given=encoding, fix=f"{SAVE_AS_UTF8}, {NAME_IT}")
    sample = codecs.getincrementaldecoder(encoding)("replace").decode(head[:_SAMPLE])
    delimiter = sniff_delimiter(sample, path.suffix)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    quotes = _Quotes(path, encoding, delimiter)
    records = _records(path, reader, quotes)
    try:
        headers = _header(path, records)
    except BaseException:
        text.close()
        raise
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}[delimiter]
    label = encoding.replace("_", "-").lower()

    def precheck() -> None:
        with path.open("rb") as again:
            wrapper = io.TextIOWrapper(again, encoding=encoding, errors="strict", newline="")
            records_again = _records(path, csv.reader(wrapper, delimiter=delimiter), quotes)
            _header(path, records_again)
            for _row in _rows(path, records_again):
                pass

    def position() -> tuple[int, int | None]:
        return (raw.tell() if not raw.closed else size), size

    return Table(
        path=path,
        kind=f"CSV ({label}, {shown}-separated)",
        headers=headers,
        rows=_rows(path, records),
        position=position,
        close=text.close,
        precheck=precheck,
    )


@dataclass(frozen=True)
class _Quotes:
    """How to look for a quote left open: the file read again from a line on."""

    path: Path
    encoding: str
    delimiter: str

    def trouble(self, first_line: int) -> BadFile | None:
        """The refusal naming the line where a quoted cell opens that never closes (or runs
        past the reader's limit), in the records from ``first_line`` on; None if none does."""
        found = self._open(first_line)
        return None if found is None else self._refusal(found)

    def swallowed(self, record: list[str], first_line: int, width: int) -> BadFile | None:
        """The refusal naming the line of a quoted cell in ``record`` (starting on
        ``first_line``) that runs over lines looking like rows of a ``width``-column table:
        a stray quote that a later quote closed. None when its lines look like a note."""
        runs = run_on(record, first_line, self.delimiter, width)
        if runs is None:
            return None
        found = self._open(runs.line)
        if found is not None and found.line == runs.line:  # never closed after all
            return self._refusal(found)
        over = (
            f"line {runs.first}, which looks like a row of its own"
            if runs.first == runs.last
            else f"lines {runs.first}-{runs.last}, which look like rows of their own"
        )
        return BadFile(
            f'{self.path}: a cell starting with " on line {runs.line} runs on over {over}; '
            f"close the quote on line {runs.line} or remove it. Nothing was imported."
        )

    def _open(self, first_line: int) -> OpenQuote | None:
        with self.path.open("r", encoding=self.encoding, errors="replace", newline="") as text:
            return open_quote(
                islice(text, first_line - 1, None), self.delimiter, first_line, self.limit
            )

    @property
    def limit(self) -> int:
        return csv.field_size_limit()

    def _refusal(self, found: OpenQuote) -> BadFile:
        said = (
            f"runs on for more than {count(self.limit, 'character')}: its closing quote is missing"
            if found.closed
            else "is never closed"
        )
        return BadFile(
            f'{self.path}: a cell starting with " on line {found.line} {said}; close it or '
            "remove the quote. Nothing was imported."
        )


def _records(path: Path, reader: _Reader, quotes: _Quotes) -> Iterator[tuple[int, list[str]]]:
    """Every record with its number (as a spreadsheet shows it), errors as BadFile; a quoted
    cell left open, or closed only after rows of the file, is refused naming the line it
    opens on."""
    number = width = 0  # width: the header's, once it is read
    first_line = last_start = 1  # the lines the next record and the last one start on
    while True:
        try:
            record = next(reader)
        except StopIteration:
            if number and reader.line_num > last_start:  # the last record spans lines
                trouble = quotes.trouble(last_start)
                if trouble is not None:
                    raise trouble from None
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                trouble = quotes.trouble(first_line)
                if trouble is not None:
                    raise trouble from None
                raise BadFile(
                    f"{path}: row {number + 1} cannot be read as CSV: a cell on line "
                    f"{first_line} holds more than "
                    f"{count(csv.field_size_limit(), 'character')}; nothing was imported."
                ) from None
            raise BadFile(
                f"{path}: row {number + 1} cannot be read as CSV ({exc}); nothing was imported."
            ) from None
        except UnicodeDecodeError:
            raise BadFile(
                f"{path}: row {number + 1} is not valid text in the file's encoding; save the "
                "file again as UTF-8. Nothing was imported."
            ) from None
        number += 1
        if width and reader.line_num > first_line:
            swallowed = quotes.swallowed(record, first_line, width)
            if swallowed is not None:
                raise swallowed
        elif not width and number <= HEADER_SEARCH and _filled(record) >= 2:
            if reader.line_num > first_line:  # a header cell over lines: a stray quote?
                swallowed = quotes.swallowed(
                    record, first_line, header_width(record, quotes.delimiter)
                )
                if swallowed is not None:
                    raise swallowed
            width = len(_trimmed(record))
        last_start, first_line = first_line, reader.line_num + 1
        yield number, record


def _trimmed(record: list[str]) -> list[str]:
    """The record's cells stripped, blank ones at its end dropped."""
    cells = [c.strip() for c in record]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _filled(record: list[str]) -> int:
    return sum(1 for c in record if c.strip())


def _header(path: Path, records: Iterator[tuple[int, list[str]]]) -> list[str]:
    """The first row with at least two filled cells (a title line above it is skipped)."""
    for _number, record in islice(records, HEADER_SEARCH):
        cells = _trimmed(record)
        if _filled(cells) < 2:
            continue
        if len(cells) > safety.MAX_COLUMNS:
            raise BadFile(
                f"{path}: the header has {len(cells)} columns; at most {safety.MAX_COLUMNS} are "
                "read. Delete the columns you do not need, or check the delimiter."
            )
        return [c.lstrip("\ufeff") for c in cells]
    raise BadFile(
        f"{path}: holds no header row (a row naming at least two columns) in its first lines."
    )


def _rows(path: Path, records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[Cell]]]:
    count = 0
    for number, record in records:
        if not any(c.strip() for c in record):
            continue
        count += 1
        if count > safety.MAX_ROWS:
            raise BadFile(
                f"{path}: has more than {safety.MAX_ROWS:,} rows; split it into smaller files. "
                "Nothing was imported."
            )
        yield number, list(record)
