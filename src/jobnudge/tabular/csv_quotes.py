"""Finding the quote a CSV file forgot to close.

A cell that starts with ``"`` runs on, across line ends and delimiters, until the next lone
``"``. When that quote is missing, Python's reader either swallows the rest of the file into
the cell or stops at its size limit ("field larger than field limit"): neither says where the
mistake is. Scanning the lines again by the same rules finds the line where the cell opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
