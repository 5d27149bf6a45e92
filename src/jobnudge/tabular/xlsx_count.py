"""Counting a worksheet's data rows without openpyxl, so an import refuses a workbook over the
row limit in seconds, before it starts writing (openpyxl takes minutes to read 200,000 rows).

The sheet's XML is inflated in chunks and cut at ``</row>``; each row's cells are found by
regular expression and a row counts when one of its cells holds something other than blanks,
as openpyxl's values would: a number, a boolean, an error, a date, or text that is not all
spaces (shared strings are looked up in the workbook's table). The header is the first row of
the first 50 with two such cells, as the reader finds it; the rows after it are counted.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from jobnudge.errors import BadFile

_CHUNK = 1 << 20
_NS = rb"(?:\w{1,16}:)?"
_ROW_END = re.compile(rb"</" + _NS + rb"row>|<" + _NS + rb"row\b[^>]*/>")
_CELL = re.compile(rb"<" + _NS + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _NS + rb"c>)", re.S)
_TYPE = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_VALUE = re.compile(rb"<" + _NS + rb"v\b[^>]*>(.*?)</" + _NS + rb"v>", re.S)
_INLINE = re.compile(rb"<" + _NS + rb"is\b[^>]*>(.*?)</" + _NS + rb"is>", re.S)
_SI_START = re.compile(rb"<" + _NS + rb"si\b")
_SI_END = re.compile(rb"</" + _NS + rb"si>|<" + _NS + rb"si\s*/>")
_TAG = re.compile(rb"<[^>]*>")
_PLAIN_VALUE = re.compile(rb"<" + _NS + rb"v>\s*([^<\s])|<" + _NS + rb"t(?:\s[^>]*)?>\s*([^<\s])")
"""A value or a text run whose first character is not a space: enough to count a row when no
shared string is blank (the usual case), without looking at each cell."""


def _blank_text(xml: bytes) -> bool:
    """Whether text markup (``<t>`` runs) holds only spaces once its tags are removed, as
    Python's ``str.strip`` sees spaces (no-break spaces and the like included)."""
    from html import unescape

    return not unescape(_TAG.sub(b"", xml).decode("utf-8", "replace")).strip()


def _pieces(stream: IO[bytes], end: re.Pattern[bytes]) -> Iterator[bytes]:
    """The stream cut after each match of ``end`` (the last piece may be unterminated)."""
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        buffer = tail + chunk
        start = 0
        for match in end.finditer(buffer):
            yield buffer[start : match.end()]
            start = match.end()
        tail = buffer[start:]
        if not chunk:
            if tail.strip():
                yield tail
            return


def _blank_shared(archive: zipfile.ZipFile) -> bytearray:
    """For each shared string, 1 when it holds only spaces."""
    flags = bytearray()
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return flags
    with stream:
        for piece in _pieces(stream, _SI_END):
            starts = [m.start() for m in _SI_START.finditer(piece)]
            if starts and _SI_END.search(piece):
                flags.append(1 if _blank_text(piece[starts[-1] :]) else 0)
    return flags


def _filled(row: bytes, blank_shared: bytearray) -> int:
    """How many of a row's cells hold a value openpyxl would not read as blank."""
    filled = 0
    for match in _CELL.finditer(row):
        attributes, content = match.group(1), match.group(2) or b""
        kind = _TYPE.search(attributes)
        cell_type = kind.group(1) if kind else b"n"
        if cell_type == b"inlineStr":
            found = _INLINE.search(content)
            filled += found is not None and not _blank_text(found.group(1))
            continue
        value = _VALUE.search(content)
        if value is None:
            continue
        text = value.group(1)
        if cell_type == b"s":
            try:
                filled += not blank_shared[int(text)]
            except (ValueError, IndexError):
                filled += 1  # openpyxl would fail on it; the reader reports that row
        elif cell_type == b"str":
            filled += not _blank_text(text)
        else:
            filled += bool(text.strip())
    return filled


def data_rows(path: Path, member: str, stop: int, header_search: int = 50) -> int:
    """The data rows of the worksheet ``member`` (its XML's name in the archive), counting
    up to ``stop`` (one past the limit is enough to refuse)."""
    try:
        with zipfile.ZipFile(path) as archive:
            blank_shared = _blank_shared(archive)
            with archive.open(member) as xml:
                seen = 0
                header = False
                count = 0
                quick = not any(blank_shared)
                for row in _pieces(xml, _ROW_END):
                    plain = _PLAIN_VALUE.search(row) if header and quick else None
                    first = (plain.group(1) or plain.group(2)) if plain is not None else b""
                    if b"\x20" < first < b"\x80" and first != b"&":
                        filled = 1  # a printable ASCII character: not blank, no need to look on
                    else:
                        filled = _filled(row, blank_shared)
                    if not header:
                        seen += 1
                        header = filled >= 2
                        if not header and seen >= header_search:
                            return 0
                        continue
                    if filled:
                        count += 1
                        if count >= stop:
                            return count
                return count
    except (KeyError, OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        from jobnudge.tabular.xlsx_read import SAVE_AGAIN, damage

        raise BadFile(
            f"{path}: the worksheet cannot be read ({damage(exc)}); nothing was imported. "
            + SAVE_AGAIN
        ) from None
