"""Dates written in numbers alone, as typed and as kept in spreadsheets: a day and a month with
a slash (``12/3``), whose order hangs on the writer's country, and with dots (``4.1.2027``,
``30.12.``), which are day first wherever they are written so (Germany, Austria, Switzerland,
Poland, Czechia, Russia, Finland, Norway, Denmark, Turkey, ...).

The command line's reader (``timewords``) and the spreadsheet import (``tabular.dates``) both
read dots here, so a date the import takes is one the command line and the web forms take.
"""

from __future__ import annotations

from datetime import date

from jobnudge.timewords import DaySpec, Unreadable, month_day, real_date, year


def _number(digits: str) -> int:
    if len(digits) > 6:
        raise Unreadable(f"{digits} is not a day or a month")
    return int(digits)


def _month_name(month: int) -> str:
    return f"{date(2001, month, 1):%B}"


def dotted(first: str, second: str, third: str | None, *, short_years: bool = False) -> DaySpec:
    """A date written with dots: day, month, then the year if there is one (``4.1.2027``,
    ``30.12.``), or year first as ISO writes it with dots (``2027.01.04``). A two-digit year
    (``4.1.27``) is read as the 2000s up to 68, as spreadsheets do, when ``short_years``; a
    person typing one is asked for the year in full."""
    if third is not None and len(first) == 4:  # 2027.01.04
        return real_date(year(first), _number(second), _number(third))
    day, month = _number(first), _number(second)
    if not 1 <= month <= 12:
        time_hint = (
            f"; for a time, write {day}:{second}"
            if third is None and len(second) == 2 and day <= 23 and month <= 59
            else ""
        )
        raise Unreadable(f"dates with dots are day first, and there is no month {month}{time_hint}")
    if third is None:
        return month_day(month, day)
    if len(third) == 2 and short_years:
        full = int(third) + (2000 if int(third) < 69 else 1900)
        return real_date(year(str(full)), month, day)
    if len(third) != 4:
        raise Unreadable(f"write the year in full, e.g. {day}.{month}.2027")
    return real_date(year(third), month, day)


def slash(a: str, b: str, y: str | None, month_first: bool | None) -> DaySpec:
    """03/05 is 3 May in most of the world and March 5 in the US: read by the user's country
    (``month_first``, as the import does), else only when one of the numbers is above 12 (or
    both are equal), never by guessing."""
    first, second = _number(a), _number(b)
    if 0 in (first, second) or min(first, second) > 12:
        raise Unreadable(f"{a}/{b} is not a day and a month: the month is 1 to 12, the day 1 to 31")
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first or first == second or month_first:
        month, day = first, second
    elif month_first is False:
        day, month = first, second
    else:
        raise Unreadable(
            f"{a}/{b} could be {first} {_month_name(second)} or {_month_name(first)} {second}; "
            f"write the month as a word, e.g. '{_month_name(second)[:3]} {first}'"
        )
    if y is None:
        return month_day(month, day)
    if len(y) != 4:
        raise Unreadable(f"write the year in full, e.g. {a}/{b}/2026")
    return real_date(year(y), month, day)
