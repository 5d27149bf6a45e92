"""The weekday typed beside a date ("Thu 10 Dec", the way jobnudge prints days): the year it
says a year-less date is in, and what to say when it contradicts a full date.

One rule for the command line (``timeparse``) and the spreadsheet import (``tabular.dates``):
a year-less date with a weekday is the one day within a year of today, behind or ahead, that
has that month and day and falls on that weekday. There is never more than one: the same
month and day one and two years apart are 365 to 731 days apart, never a whole number of weeks
within that span. So "Thu 10 Dec" typed on 7 Dec 2026 is 10 Dec 2026, and typed in January
2027 it is still 10 Dec 2026, whatever the tense of what it dates.
"""

from __future__ import annotations

from datetime import date, timedelta

NEAR_DAYS = 366
"""How far from today the weekday's day may be: a year either way (a leap year's 366 days)."""


def name(weekday: int) -> str:
    """A weekday's English name, Monday 0."""
    return date(2001, 1, 1 + weekday).strftime("%A")  # 1 Jan 2001 was a Monday


def shown(day: date) -> str:
    """A day as jobnudge prints it with its year: "Thu 10 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def fitting(month: int, day: int, weekday: int, today: date) -> date | None:
    """The day with this month and day that falls on ``weekday`` within :data:`NEAR_DAYS` of
    ``today``; ``None`` when none does (the weekday or the day was mistyped)."""
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:  # 29 February outside a leap year, or beyond the calendar
            continue
        if found.weekday() == weekday and abs((found - today).days) <= NEAR_DAYS:
            return found
    return None


def none_fits(month: int, day: int, weekday: int) -> str:
    """Why a year-less date and its weekday give no day near today."""
    return f"no {day} {date(2001, month, 1):%b} within a year of today is a {name(weekday)}"


def nearest(day: date, weekday: int) -> date:
    """The day falling on ``weekday`` nearest to ``day`` (the other reading of a contradiction:
    the weekday right and the day of the month mistyped)."""
    ahead = (weekday - day.weekday()) % 7
    return day + timedelta(days=ahead if ahead <= 3 else ahead - 7)


def contradiction(day: date, weekday: int) -> str:
    """What a full date typed with a weekday it does not fall on reads as, both ways."""
    return (
        f"{day.day} {day:%b %Y} is a {day:%A}, not a {name(weekday)}: "
        f"either '{shown(day)}' or '{shown(nearest(day, weekday))}' was meant"
    )
