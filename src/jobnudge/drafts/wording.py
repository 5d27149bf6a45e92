"""Dates, times and lists as a person would write them in a short note.

Everything is relative to the ``today`` passed in; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

_MONTH_FIRST = frozenset({"US", "CA", "PH"})
"""Countries that write "November 3" rather than "3 November"."""


def day_text(day: date, *, today: date, country: str = "US") -> str:
    """ "Tuesday, November 3" (or "Tuesday 3 November"); the year only when it differs."""
    weekday = f"{day:%A}"
    if country.upper() in _MONTH_FIRST:
        text = f"{weekday}, {day:%B} {day.day}"
        return f"{text}, {day.year}" if day.year != today.year else text
    text = f"{weekday} {day.day} {day:%B}"
    return f"{text} {day.year}" if day.year != today.year else text


def relative_day(day: date, *, today: date, country: str = "US") -> str:
    """ "today", "yesterday", "tomorrow", else "on Tuesday, November 3".

    Never a weekday alone: a draft is often sent a few days after it is made, and "on
    Thursday" written on a Monday about the Thursday before reads as the coming one by then.
    """
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    return f"on {day_text(day, today=today, country=country)}"


def time_text(moment: time | datetime) -> str:
    """ "2 pm", "2:30 pm", "12 pm": the way people say times in a message."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.minute:
        return f"{hour}:{moment.minute:02d} {suffix}"
    return f"{hour} {suffix}"


def join(items: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def ordinal(n: int) -> str:
    """1 → "first" … 5 → "fifth", then "6th"."""
    words = ("first", "second", "third", "fourth", "fifth")
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
