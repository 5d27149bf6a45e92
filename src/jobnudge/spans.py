"""Spans of days: a response time typed (``--responds-within 14``, ``2w``, ``2 weeks``, ``a
month``) and one a posting states ("within two weeks"), read into days by one rule, so that the
same words mean the same number of days wherever they are written."""

from __future__ import annotations

import math
import re

from jobnudge.bounds import is_digits
from jobnudge.errors import UsageError

MAX_DAYS = 365
"""The longest stated response time taken (``--responds-within``): a year."""

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "couple of": 2,
}
"""Counts written as words, in postings and typed alike."""

_UNITS = {
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mos": "month",
}
_WORDS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_TYPED = re.compile(
    rf"(?P<n>[0-9]+|{_WORDS})? ?(?:(?P<kind>working|business|calendar) )?"
    rf"(?P<unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))})?"
)


def span_days(n: int, kind: str | None, unit: str) -> int:
    """Calendar days for ``n`` of ``unit`` (day, week, fortnight, month: 30 days); working or
    business days count five to a week."""
    unit = unit.casefold()
    if unit.startswith("fortnight"):
        return 14 * n
    if unit.startswith(("week", "wk")) or unit == "w":
        return 7 * n
    if unit.startswith("mo"):
        return 30 * n
    if kind and kind.casefold() in ("working", "business"):
        return math.ceil(n * 7 / 5)
    return n


def count(word: str) -> int:
    """A count written in digits or as a word ("two", "a couple of")."""
    word = " ".join(word.casefold().split())
    return int(word) if is_digits(word) else NUMBER_WORDS[word]


def parse_days(text: str, *, field: str) -> int:
    """A whole number of days as typed: ``14``, ``14d``, ``2w``, ``2 weeks``, ``a week``,
    ``10 working days``, ``1 month`` (30 days); at most :data:`MAX_DAYS`."""
    cleaned = " ".join(text.casefold().replace("-", " ").split())
    found = _TYPED.fullmatch(cleaned)
    if not cleaned or found is None or not (found["n"] or found["unit"]):
        raise UsageError(
            f"{field}: '{text[:60]}' is not a number of days; write e.g. '10', '2w' or '2 weeks'."
        )
    number = found["n"] or "1"  # "week" alone is a week
    if not found["unit"] and not is_digits(number):
        raise UsageError(
            f"{field}: '{text[:60]}' needs its unit; write e.g. 'two weeks' or '10 days'."
        )
    if is_digits(number) and len(number.lstrip("0")) > 4:
        raise UsageError(f"{field}: give at most {MAX_DAYS} days (a year).")
    unit = _UNITS[found["unit"]] if found["unit"] else "day"
    if found["kind"] and unit != "day":
        raise UsageError(
            f"{field}: '{text[:60]}' counts working days in {unit}s; write the days, e.g. "
            "'10 working days'."
        )
    days = span_days(count(number), found["kind"], unit)
    if days > MAX_DAYS:
        raise UsageError(f"{field}: give at most {MAX_DAYS} days (a year).")
    return days
