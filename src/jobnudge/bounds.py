"""The ranges every value is checked against where it comes in: ids, whole numbers and dates.

Python's integers and dates have no useful limits of their own: an id of 30 digits overflows
the database's integer column, and a date in the year 9999 overflows the calendar as soon as a
rule adds a week to it. So the command line, the pages, restore and the store check values
against these ranges first, and answer with a message naming the field.
"""

from __future__ import annotations

from datetime import date, datetime

from jobnudge.errors import UsageError

MAX_ID = 2**31 - 1
"""The largest record id (and whole number) the integer columns hold on both databases
(PostgreSQL's ``integer`` is 32 bits; SQLite's is 64)."""

MAX_ROUND = 20
"""Interview rounds counted (``--round``); hiring processes have up to about eight."""

FIRST_YEAR = 1970
LAST_YEAR = 2100
"""Dates outside these years are typing mistakes in a job search; inside them, every rule can
add months to a date without leaving the calendar."""


def is_digits(text: str) -> bool:
    """Whether ``text`` is a whole number written in the digits 0-9: ``str.isdigit`` is also
    true of "²" and "①", which ``int`` refuses, so a check with it lets a crash through."""
    return text.isascii() and text.isdigit()


def whole(value: int, field: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """``value`` if ``minimum <= value <= maximum``, else a UsageError naming ``field``."""
    if not minimum <= value <= maximum:
        shown = f"{value}" if len(str(value)) <= 20 else f"a number of {len(str(value))} digits"
        raise UsageError(f"{field}: must be between {minimum} and {maximum}, not {shown}.")
    return value


def known_id(value: int) -> bool:
    """Whether ``value`` can be a record's id at all: a lookup of any other answers "not
    found" without asking the database, which would overflow."""
    return 0 < value <= MAX_ID


def record_id(text: str) -> int | None:
    """The id ``text`` names (digits, optionally after ``#``), or None when it cannot be one:
    not digits, or beyond any id the database can hold, so a lookup answers "not found"."""
    digits = text.strip().removeprefix("#")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 10:
        return None
    number = int(digits)
    return number if 0 < number <= MAX_ID else None


def instant(value: datetime, field: str) -> datetime:
    """``value`` if it falls within the years jobnudge accepts, else a UsageError."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise UsageError(_out_of_span(field, value.year))
    return value


def day(value: date, field: str) -> date:
    """``value`` if its year is within the years jobnudge accepts, else a UsageError."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise UsageError(_out_of_span(field, value.year))
    return value


def _out_of_span(field: str, year: int) -> str:
    return (
        f"{field}: the year {year} is out of range; give a date between {FIRST_YEAR} and "
        f"{LAST_YEAR}."
    )
