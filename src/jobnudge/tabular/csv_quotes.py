"""Finding the quote a CSV file forgot to close.

A cell that starts with ``"`` runs on, across line ends and delimiters, until the next lone
``"``. When that quote is missing, Python's reader either swallows the rest of the file into
the cell or stops at its size limit ("field larger than field limit"): neither says where the
mistake is. Scanning the lines again by the same rules finds the line where the cell opens.

A stray quote that a later cell's quote happens to close is worse: the reader takes the rows in
between as one cell and says nothing. A genuine multi-line note (Excel's Alt+Enter) holds few
delimiters on its lines, and a person writing prose puts a space after a comma or semicolon;
lines inside a cell that hold about as many delimiters as the header has columns, most of them
with no space after, are rows swallowed by the stray quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends a file opened with newline="" keeps


@dataclass(frozen=True)
class OpenQuote:
    """A quoted cell opening on ``line``; ``closed`` when a quote ends it, past the limit."""

    line: int
    closed: bool


def open_quote(
    lines: Iterable[str], delimiter: str, first_line: int, limit: int
) -> OpenQuote | None:
    """The quoted cell, in the records starting on ``first_line``, that is never closed or
    holds more than ``limit`` characters; ``None`` when every quoted cell closes in time.

    ``lines`` are the file's lines from ``first_line`` on, each with its line end, as a text
    file opened with ``newline=""`` gives them (the rules of ``csv.reader``'s default dialect:
    a quote opens a cell only at its start, and ``""`` inside is one quote).
    """
    quoted = False
    opened = size = 0
    at_start = True
    for number, line in enumerate(lines, start=first_line):
        index = 0
        while index < len(line):
            char = line[index]
            if quoted:
                if char == '"' and line[index + 1 : index + 2] == '"':
                    index += 1  # a doubled quote is one quote in the cell
                elif char == '"':
                    quoted = at_start = False
                elif size >= limit:
                    return OpenQuote(opened, closed=_closes(lines, line[index:]))
                size += 1
            elif char == '"' and at_start:
                quoted, opened, size = True, number, 0
            else:
                at_start = char in (delimiter, "\r", "\n")
            index += 1
    return OpenQuote(opened, closed=False) if quoted else None


def _closes(lines: Iterable[str], rest: str) -> bool:
    """Whether a quote follows, on the rest of this line or any later one."""
    return '"' in rest or any('"' in line for line in lines)


@dataclass(frozen=True)
class RunOn:
    """A quoted cell opening on ``line`` whose text runs on over lines ``first``-``last``."""

    line: int
    first: int
    last: int


def run_on(record: list[str], first_line: int, delimiter: str, width: int) -> RunOn | None:
    """The first cell of ``record`` (which starts on ``first_line``) that runs over a line
    holding at least ``width - 1`` delimiters (two at the least) outside quotes, mostly with no
    space after them, as a row of a table ``width`` columns wide does; ``None`` when no cell
    does."""
    needed = max(width - 1, 2)
    line = first_line
    for cell in record:
        parts = _BREAK.split(cell)
        if any(_row_like(part, delimiter, needed) for part in parts[1:]):
            return RunOn(line, line + 1, line + len(parts) - 1)
        line += len(parts) - 1
    return None


def header_width(record: list[str], delimiter: str) -> int:
    """How many columns the first line of a header record shows, counting the delimiters a
    cell that runs on over lines holds on that line (a stray quote in the header swallows the
    rest of its cells, then the rows after it)."""
    width = 0
    for cell in record:
        parts = _BREAK.split(cell)
        width += 1 + parts[0].count(delimiter)
        if len(parts) > 1:
            break
    return width


def _row_like(text: str, delimiter: str, needed: int) -> bool:
    """Whether a line holds at least ``needed`` delimiters outside quotes, fewer than half of
    them followed by a space: a row's cells follow their delimiter at once ("Acme,Analyst"),
    a sentence's words after a space ("Met Dana, Raj, Sam")."""
    found = spaced = 0
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            found += 1
            spaced += text[index + 1 : index + 2] in (" ", "\t")
    return found >= needed and spaced * 2 < found
