"""Reading the dates people put in spreadsheets: ISO, US and European numeric dates, month
names ("Mar 5, 2026", "5. März 2026"), Excel serial numbers and real date cells.

The one ambiguity is a numeric date like ``03/05/2026``: 3 May or 5 March? The rule:

1. ``yyyy-mm-dd`` (ISO, any separator) is always year, month, day.
2. Dots (``05.03.2026``) are always day, month, year: nobody writes month-first with dots
   (read by ``jobnudge.numeric_dates``, as a date typed at the command line is).
3. Otherwise the whole column decides: a value whose first number is over 12 (``25/03/2026``)
   shows the column is day-first, one whose second number is over 12 shows month-first; the
   larger count wins.
4. A column with no such value follows the file's other date columns (a file is written with
   one habit), by the same count.
5. A file with no such value at all follows the user's country (``profile.country``):
   month-first in the US and the few countries that write dates that way, day-first
   everywhere else.

``nudge import --dates dmy|mdy`` overrides rules 3 to 5. A value that contradicts its column's
order (``25/03/2026`` in a month-first column) is rejected with its row number.

A date without a year ("Oct 3", "3rd Nov", "11/1") follows the same rule as a date typed at
the command line (``jobnudge.timeparse.Tense``): in a column of things that happened it is the
most recent such day on or before the import's today, in a column of plans the next such day.
A numeric one (``11/1``) is read in its column's order. A weekday beside a date ("Thu 10 Dec")
is read by the command line's rule (``jobnudge.weekdays``); where that refuses, the cell keeps
a day (the tense's, or the full date as written) and is warned about.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from jobnudge import numeric_dates, weekdays
from jobnudge.bounds import is_digits
from jobnudge.tabular.date_times import strip_time
from jobnudge.tabular.date_words import BEFORE_NUMBERS, FILLER, MONTHS, WEEKDAYS
from jobnudge.timeparse import NEAR_DAYS, Tense
from jobnudge.timewords import Unreadable, YearLess

Order = Literal["dmy", "mdy"]

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01, counting Excel's phantom 29 Feb 1900


ISO_DATE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
DAY_MONTH = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\.?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{4,6}(?:\.\d+)?$")
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_WEEKDAY_FIRST = re.compile(r"^([^\W\d_]+)\.?,?\s*(\d.*)$")


class DateProblem(ValueError):
    """A value that is not a date; ``str()`` says why, for the rejected-rows report."""


@dataclass(frozen=True)
class YearLessOnWeekday(YearLess):
    """A month and day without a year and the weekday typed beside them (Monday 0)."""

    weekday: int


@dataclass(frozen=True)
class DateOnWeekday:
    """A full date and the weekday typed beside it (Monday 0), checked by :func:`read_date`."""

    day: date
    weekday: int


@dataclass(frozen=True)
class DayRead:
    """A cell's day (``None`` when empty) and what to warn about it."""

    day: date | None
    warning: str = ""


@dataclass(frozen=True)
class ColumnOrder:
    """How a column's numeric dates are read, and why (shown in the dry run)."""

    order: Order
    why: str


def is_date(value: object) -> bool:
    """Whether a cell reads as a date in either order (what decides if a column is dates).

    A real date cell always counts, even one outside the years taken (its row then warns),
    and so does a date without a year."""
    if isinstance(value, date):
        return True
    orders: tuple[Order, ...] = ("dmy", "mdy")
    for order in orders:
        try:
            if read_day(value, order) is not None:
                return True
        except DateProblem:
            continue
    return False


def year_for(spec: YearLess, today: date, tense: Tense, shown: str = "") -> date:
    """The day a year-less date means, as at the command line: for something that happened
    the most recent such day on or before ``today``, for a plan the next one on or after it
    (a 29 February looks back or ahead to a leap year)."""
    step = -1 if tense is Tense.PAST else 1
    year = today.year
    for _ in range(9):  # a 29 February is at most 8 years away
        try:
            day = date(year, spec.month, spec.day)
        except ValueError:
            year += step
            continue
        if (day <= today) if tense is Tense.PAST else (day >= today):
            return _checked(day.year, day.month, day.day, shown or f"{spec.month}/{spec.day}")
        year += step
    raise DateProblem(f"'{shown}' is not a day of the calendar")  # pragma: no cover


def year_less(
    spec: YearLess, today: date, tense: Tense, shown: str, *, either_way: bool = False
) -> DayRead:
    """A date without a year in a column: the tense's day, as at the command line, and a
    warning where the command line asks back (``timeparse.NEAR_DAYS``): a day that happened
    whose day this year is only days ahead is far likelier a slip than a year-old event. A
    column whose days may be behind or ahead of today (an interview held or to come, a
    follow-up planned or overdue: ``either_way``) takes the nearest such day instead, the
    tense's on a tie, since a day a year away is a likelier slip than either."""
    picked = year_for(spec, today, tense, shown)
    other = year_for(spec, today, Tense.FUTURE if tense is Tense.PAST else Tense.PAST, shown)
    distance = abs((picked - today).days), abs((other - today).days)
    if either_way:
        return DayRead(other if distance[1] < distance[0] else picked)
    if picked == other or distance[1] > NEAR_DAYS:
        return DayRead(picked)
    if tense is Tense.PAST:
        said = (
            f"{weekdays.shown(other)} has not come yet, so it is read as {weekdays.shown(picked)}"
        )
    else:
        said = f"{weekdays.shown(other)} has passed, so it is read as {weekdays.shown(picked)}"
    return DayRead(picked, f"'{shown}': {said}, a year away; write the year if that is wrong")


def happened(day: date, today: date) -> bool:
    """Whether a day can be the day something already happened: not after ``today`` (the
    user's local day). An application or an outcome dated in the future is a typo, kept as
    a note by the importer rather than stored as a date to come."""
    return day <= today


def _checked(year: int, month: int, day: int, shown: str) -> date:
    if year < 100:  # two digits: 00-68 are 2000-2068, 69-99 are 1969-1999 (as strptime reads them)
        year += 2000 if year < 69 else 1900
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateProblem(f"'{shown}': the year {year} is outside {EARLIEST_YEAR}–{LATEST_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem(f"'{shown}' is not a day of the calendar") from None


def from_serial(serial: float, shown: str = "") -> date:
    """An Excel serial day number (1900 system) as a date."""
    if serial != serial or serial < 1 or serial > 2_958_465:  # NaN, or outside Excel's range
        raise DateProblem(f"'{shown or serial}' is not an Excel date number")
    day = _EXCEL_EPOCH + timedelta(days=int(serial))
    return _checked(day.year, day.month, day.day, shown or str(serial))


def parse_date(
    value: object, order: Order, today: date | None = None, tense: Tense = Tense.PAST
) -> date | None:
    """The date in a cell, ``None`` for an empty cell; DateProblem when it is no date.

    A date without a year takes the year ``tense`` gives it, looking from ``today``, or the
    one its weekday says (see :func:`read_date`); without ``today`` it is refused."""
    return read_date(value, order, today, tense).day


def read_date(
    value: object,
    order: Order,
    today: date | None = None,
    tense: Tense = Tense.PAST,
    *,
    either_way: bool = False,
) -> DayRead:
    """:func:`parse_date` with the warning for a weekday that does not fit its date, or for a
    year-less date the command line would ask back about (:func:`year_less`); ``either_way``
    reads a year-less date as the nearest such day (:func:`year_less`)."""
    found = read_day(value, order)
    shown = " ".join(str(value).split())
    if isinstance(found, DateOnWeekday):
        if found.day.weekday() == found.weekday:
            return DayRead(found.day)
        said = weekdays.contradiction(found.day, found.weekday)
        return DayRead(found.day, f"'{_short(shown)}': {said}; read as {found.day.isoformat()}")
    if not isinstance(found, YearLess):
        return DayRead(found)
    if today is None:
        raise DateProblem(f"'{shown}' has no year")
    if not isinstance(found, YearLessOnWeekday):
        return year_less(found, today, tense, _short(shown), either_way=either_way)
    fitting = weekdays.fitting(found.month, found.day, found.weekday, today)
    if fitting is not None:
        return DayRead(_checked(fitting.year, fitting.month, fitting.day, shown))
    picked = year_for(found, today, tense, shown)
    tense_word = "was" if picked <= today else "is"
    return DayRead(
        picked,
        f"'{_short(shown)}': {picked.day} {picked:%b %Y} {tense_word} a {picked:%A}, and "
        f"{weekdays.none_fits(found.month, found.day, found.weekday)}; "
        f"read as {picked.isoformat()}",
    )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def read_day(value: object, order: Order) -> date | DateOnWeekday | YearLess | None:
    """What a cell says: a date, a month and day without a year, or ``None`` when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, bool):
        raise DateProblem(f"'{value}' is not a date")
    if isinstance(value, int | float):
        return from_serial(float(value), str(value))
    text = " ".join(str(value).split())
    if not text:
        return None
    return _parse_text(text, order)


def _month_day(month: int, day: int, shown: str) -> YearLess:
    if not 1 <= month <= 12:
        raise DateProblem(f"'{shown}' has no month {month}")
    if not 1 <= day <= (29 if month == 2 else monthrange(2001, month)[1]):
        raise DateProblem(f"'{shown}' is not a day of the calendar")
    return YearLess(month, day)


def numbers_after_weekday(text: str) -> tuple[str, int | None]:
    """A numeric date with the weekday written before it ("Mo 23.11.", "Mon, 11/23",
    "Tue 2026-11-24", as Excel's "ddd dd.mm." formats print it) as the date alone and the
    weekday (Monday 0); the text unchanged and ``None`` when it starts with no weekday."""
    match = _WEEKDAY_FIRST.match(text)
    if match is None:
        return text, None
    weekday = BEFORE_NUMBERS.get(match.group(1).casefold())
    return (match.group(2), weekday) if weekday is not None else (text, None)


@lru_cache(maxsize=8192)
def _parse_text(text: str, order: Order) -> date | DateOnWeekday | YearLess:
    """A date written as text; cached, since a tracker repeats the same few hundred days."""
    shown = _short(text)
    day_text, weekday = numbers_after_weekday(strip_time(text))
    if ISO_DATE.match(day_text) or NUMERIC_DATE.match(day_text) or DAY_MONTH.match(day_text):
        found = _numeric(day_text, order, shown)
        if weekday is None:
            return found
        if isinstance(found, YearLess):
            return YearLessOnWeekday(found.month, found.day, weekday)
        return DateOnWeekday(found, weekday)
    day_text = strip_time(text)  # a weekday before words ("Mon 23 Nov") is read with them
    if match := _COMPACT.match(day_text):
        return _checked(int(match.group(1)), int(match.group(2)), int(match.group(3)), shown)
    if _SERIAL.match(day_text):
        return from_serial(float(day_text), shown)
    return _named(day_text, shown)


def _numeric(day_text: str, order: Order, shown: str) -> date | YearLess:
    """An ISO date, or a numeric one read in ``order``; dots are day first whatever the order,
    read as the command line reads them (``numeric_dates.dotted``)."""
    if match := ISO_DATE.match(day_text):
        return _checked(int(match.group(1)), int(match.group(3)), int(match.group(4)), shown)
    match = NUMERIC_DATE.match(day_text) or DAY_MONTH.match(day_text)
    if match is None:
        raise DateProblem(f"'{shown}' is not a date I can read")  # pragma: no cover
    year = match.group(4) if match.re is NUMERIC_DATE else None
    if match.group(2) == ".":
        return _dotted(match.group(1), match.group(3), year, shown)
    first, second = int(match.group(1)), int(match.group(3))
    if order == "dmy":
        if second > 12:
            raise DateProblem(
                f"'{shown}' has no month {second}: the column reads day first (see --dates)"
            )
        day, month = first, second
    else:
        if first > 12:
            raise DateProblem(
                f"'{shown}' has no month {first}: the column reads month first (see --dates)"
            )
        month, day = first, second
    if year is None:
        return _month_day(month, day, shown)
    return _checked(int(year), month, day, shown)


def _dotted(first: str, second: str, year: str | None, shown: str) -> date | YearLess:
    try:
        found = numeric_dates.dotted(first, second, year, short_years=True)
    except Unreadable as exc:
        raise DateProblem(f"'{shown}': {exc.reason}") from None
    if isinstance(found, date):  # checked again against the years an import takes
        return _checked(found.year, found.month, found.day, shown)
    assert isinstance(found, YearLess)
    return found


def _named(text: str, shown: str) -> date | DateOnWeekday | YearLess:
    """Dates written with a month name, in English, German, French, Spanish or Portuguese;
    "Oct 3" and "3rd Nov" without a year."""
    month: int | None = None
    numbers: list[str] = []
    named: set[int] = set()
    for token in _TOKEN.findall(text.casefold()):
        if is_digits(token):
            numbers.append(token)
            continue
        if token in WEEKDAYS:
            named.add(WEEKDAYS[token])
            continue
        if token in FILLER or token in ("st", "nd", "rd", "th", "er"):
            continue
        found = MONTHS.get(token) or (MONTHS.get(token[:3]) if len(token) > 3 else None)
        if found is None or month is not None:
            raise DateProblem(f"'{shown}' is not a date I can read")
        month = found
    if month is not None and len(numbers) == 1 and len(numbers[0]) <= 2:
        month_day = _month_day(month, int(numbers[0]), shown)
        if len(named) == 1:  # two different weekdays say nothing
            return YearLessOnWeekday(month_day.month, month_day.day, named.pop())
        return month_day
    if month is None or len(numbers) != 2:
        raise DateProblem(f"'{shown}' is not a date I can read")
    first, second = numbers
    if len(first) == 4 and len(second) <= 2:  # "2026 Mar 5"
        year, day = int(first), int(second)
    else:  # "Mar 5, 2026", "5 Mar 2026", "05-Mar-26"
        day, year = int(first), int(second)
    if len(numbers[1]) not in (2, 4) and len(first) != 4:
        raise DateProblem(f"'{shown}': the year must have 2 or 4 digits")
    full = _checked(year, month, day, shown)
    return DateOnWeekday(full, named.pop()) if len(named) == 1 else full
