"""Reading the dates and times people type: ISO 8601, and forms like "tomorrow 3pm".

Naive values are read in the zone given (the user's, or the contact's); results are aware UTC.
What a date means can hang on what it dates: "Oct 3" or "friday" typed for something that
happened is the most recent such day, for something planned the next one (``Tense``); a
weekday typed beside it ("Thu 10 Dec") decides instead, as in an import (``jobnudge.weekdays``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from jobnudge import timewords, weekdays
from jobnudge.errors import UsageError
from jobnudge.timewords import Reading, Shift, Unreadable, Weekday, YearLess

_EXAMPLES = "use ISO 8601 like '2026-03-05 14:30' or a phrase like 'tomorrow 3pm' or 'next friday'"
MORNING = time(9)
"""A date alone means 09:00 local time, a sensible moment for "it happened that day"."""


class Tense(Enum):
    """What the typed moment dates, which decides the day a year-less date or weekday means."""

    PAST = "past"  # something that happened: the most recent such day, and never the future
    FUTURE = "future"  # something planned: the next such day
    ANY = "any"  # a moment to look from (--now): the next such day, as for plans
    LATER = "later"  # a day stated as still ahead ("we decide by Friday"): after today, so
    # "Friday" said on a Friday is next week's


NEAR_DAYS = 14
"""A year-less date for something that happened which is this close ahead ("Dec 18" typed on
7 Dec) is refused, not read as last year's: a mistyped day is likelier than a year-old event.
The same for something planned whose day this year passed this recently ("12/3" typed on 7 Dec
for an interview): a slip is likelier than a plan a year ahead."""


def _shown(moment: datetime, tz: str) -> str:
    """A moment as the user reads it: on their own clock, naming the zone."""
    wall = moment.astimezone(ZoneInfo(tz))
    return f"{wall:%a} {wall.day} {wall:%b %Y %H:%M} ({tz})"


def happened(
    when: datetime | date, *, field: str, now: datetime, tz: str, advice: str = ""
) -> None:
    """Refuse a moment (or day) after ``now`` for something that happened, in the user's words.

    The one rule for every way a happened event comes in: typed dates (``parse_when`` with
    ``Tense.PAST``), the services that log events, and imported rows. A day is in the future
    when it is after today in ``tz``.
    """
    if isinstance(when, datetime):
        if when <= now:
            return
        shown = _shown(when, tz)
    else:
        if when <= now.astimezone(ZoneInfo(tz)).date():
            return
        shown = f"{when:%a} {when.day} {when:%b %Y}"
    raise UsageError(
        f"{field}: {shown} is in the future; give when it happened"
        + (f" ({advice})." if advice else ".")
    )


def _local(day: date, clock: time, zone: ZoneInfo, field: str, text: str) -> datetime:
    """``day`` at ``clock`` on the wall in ``zone``; a time the clocks skip is refused."""
    moment = datetime.combine(day, clock, zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise UsageError(
            f"{field}: '{text}' does not exist in {zone.key}, where the clocks skip that hour "
            "that day; give a time an hour later or earlier."
        )
    return moment


def _add_months(day: date, months: int) -> date:
    from calendar import monthrange

    index = day.year * 12 + day.month - 1 + months
    y, m = divmod(index, 12)
    if not timewords.MIN_YEAR <= y <= timewords.MAX_YEAR:
        raise Unreadable(f"that is outside the years {timewords.MIN_YEAR} to {timewords.MAX_YEAR}")
    return date(y, m + 1, min(day.day, monthrange(y, m + 1)[1]))


def _candidates(spec: timewords.DaySpec | None, today: date, tense: Tense) -> list[date]:
    """The days ``spec`` may mean, earliest first; several when the tense must choose."""
    if isinstance(spec, date):
        return [spec]
    if isinstance(spec, Shift):
        try:
            return [_add_months(today, spec.months) + timedelta(days=spec.days)]
        except OverflowError:
            raise Unreadable("that is too far away") from None
    if spec is None:  # a time of day alone: today, or the day before or after
        if tense is Tense.ANY:
            return [today]
        return [today + timedelta(days=n) for n in (-1, 0, 1)]
    if isinstance(spec, Weekday):
        ahead = (spec.number - today.weekday()) % 7
        if spec.mode == "this":
            return [today - timedelta(days=today.weekday() - spec.number)]
        if spec.mode == "next":
            return [today + timedelta(days=7 - today.weekday() + spec.number)]
        if spec.mode == "last":
            return [today - timedelta(days=(today.weekday() - spec.number - 1) % 7 + 1)]
        return [today + timedelta(days=ahead + 7 * n) for n in (-1, 0, 1)]
    assert isinstance(spec, YearLess)
    return [
        date(y, spec.month, spec.day)
        for y in range(today.year - 8, today.year + 9)
        if spec.month != 2 or spec.day != 29 or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    ]


class _Weekday(Unreadable):
    """A weekday that does not fit the date beside it: the reason is the whole message."""


def _on_weekday(day: timewords.DaySpec | None, weekday: int | None, today: date) -> date | None:
    """The day a year-less date with a weekday beside it means (``weekdays.fitting``), whatever
    the tense; ``None`` when no weekday stands beside a year-less date."""
    if weekday is None or not isinstance(day, YearLess):
        return None
    found = weekdays.fitting(day.month, day.day, weekday, today)
    if found is None:
        said = weekdays.none_fits(day.month, day.day, weekday)
        raise _Weekday(said + "; write the year too, or the date alone")
    return found


def _agrees(day: date, weekday: int | None) -> None:
    """Refuse a weekday typed beside a date that falls on another weekday: one of them is a
    typing mistake, and which one only the user knows."""
    if weekday is not None and day.weekday() != weekday:
        raise _Weekday(
            weekdays.contradiction(day, weekday) + "; write the one you meant, or the date alone"
        )


def _not_just_ahead(days: list[date], chosen: date, today: date, text: str, field: str) -> None:
    """Refuse a year-less date for something that happened when its day this year is only
    :data:`NEAR_DAYS` ahead: "Dec 18" typed on 16 Dec for an application is far likelier a
    slip than one sent a year ago, so the message gives both ways to write it."""
    ahead = [d for d in days if d > today]
    if not ahead or (ahead[0] - today).days > NEAR_DAYS:
        return
    raise _Weekday(
        f"{weekdays.shown(ahead[0])} has not come yet, and a year back is "
        f"{weekdays.shown(chosen)}; for a year ago write '{chosen.isoformat()}', else give "
        f"the day it happened, e.g. 'today' or '{today:%b} {today.day}'"
    )


def _not_just_behind(days: list[date], chosen: date, today: date) -> None:
    """Refuse a year-less date for something planned when its day this year passed only
    :data:`NEAR_DAYS` ago: "12/3" typed on 7 Dec for an interview is far likelier a slip than
    one a year ahead, so the message gives both ways to write it."""
    behind = [d for d in days if d < today]
    if not behind or (today - behind[-1]).days > NEAR_DAYS:
        return
    raise _Weekday(
        f"{weekdays.shown(behind[-1])} has passed, and the next is {weekdays.shown(chosen)}; "
        f"for next year write '{chosen.isoformat()}', else give the day it is planned for, "
        "e.g. 'tomorrow' or 'next Friday'"
    )


def _resolve(
    reading: Reading, *, text: str, field: str, zone: ZoneInfo, base: datetime, tense: Tense
) -> datetime:
    """The moment ``reading`` means, looking from ``base``."""
    if reading.delta is not None:
        return base + reading.delta
    today = base.astimezone(zone).date()
    by_weekday = _on_weekday(reading.day, reading.weekday, today)
    days = [by_weekday] if by_weekday is not None else _candidates(reading.day, today, tense)
    if reading.offset is not None:
        assert reading.clock is not None
        _agrees(days[0], reading.weekday)
        return datetime.combine(days[0], reading.clock, reading.offset)
    clock = reading.clock or MORNING

    def moment(day: date) -> datetime:
        return _local(day, clock, zone, field, text)

    if len(days) > 1:
        if tense is Tense.LATER:
            future = [d for d in days if d > today]
            past = []
        elif reading.clock is None:  # a day alone is compared with today, not with the hour
            past = [d for d in days if d <= today]
            future = [d for d in days if d >= today]
        else:
            past = [d for d in days if moment(d) <= base]
            future = [d for d in days if moment(d) >= base]
        if tense is Tense.PAST and isinstance(reading.day, YearLess):
            _not_just_ahead(days, past[-1], today, text, field)
        if tense is Tense.FUTURE and isinstance(reading.day, YearLess) and future:
            _not_just_behind(days, future[0], today)
        days = [past[-1] if tense is Tense.PAST else future[0]]
    _agrees(days[0], reading.weekday)
    chosen = moment(days[0])
    if tense is Tense.PAST and reading.clock is None and days[0] == today:
        return min(chosen, base)  # "today" for what happened: this morning, or now if earlier
    return chosen


def month_first(country: str) -> bool | None:
    """Whether a numeric date like 12/3 is month first in ``country`` (the import's rule,
    ``tabular.date_orders.country_order``); ``None`` for no country, so that it is refused."""
    if not country:
        return None
    from jobnudge.tabular.date_orders import country_order

    return country_order(country) == "mdy"


def read_when(
    text: str, *, field: str, tz: str, base: datetime, tense: Tense, country: str = ""
) -> datetime:
    """The instant ``text`` means, as aware UTC, without refusing a past or future one;
    ``country`` (the profile's) orders a numeric day and month like 12/3."""
    cleaned = text.strip()
    if not cleaned:
        raise UsageError(f"{field}: no date given; {_EXAMPLES}.")
    zone = ZoneInfo(tz)
    try:
        order = month_first(country) if "/" in cleaned else None
        value = _resolve(
            timewords.read(cleaned, month_first=order),
            text=cleaned,
            field=field,
            zone=zone,
            base=base,
            tense=tense,
        )
        if not timewords.MIN_YEAR <= value.astimezone(UTC).year <= timewords.MAX_YEAR:
            raise Unreadable(
                f"that is outside the years {timewords.MIN_YEAR} to {timewords.MAX_YEAR}"
            )
    except Unreadable as exc:
        shown = cleaned if len(cleaned) <= 60 else cleaned[:57] + "..."
        if isinstance(exc, _Weekday | timewords.Ambiguous):
            raise UsageError(f"{field}: '{shown}': {exc.reason}.") from None
        if exc.reason:
            raise UsageError(
                f"{field}: '{shown}' is not a real date and time: {exc.reason}; {_EXAMPLES}."
            ) from None
        raise UsageError(
            f"{field}: cannot read '{shown}' as a date{_hour_hint(cleaned)}; {_EXAMPLES}."
        ) from None
    except OverflowError:
        raise UsageError(f"{field}: '{cleaned[:60]}' is too far away; {_EXAMPLES}.") from None
    return value.astimezone(UTC)


_BARE_NUMBER = re.compile(r"(?<![\d:/.-])\b\d{1,2}\b(?![\d:/.]| ?[ap]m\b)")


def _hour_hint(text: str) -> str:
    """What to type when a number in the text may have been meant as an hour."""
    found = _BARE_NUMBER.search(text.lower())
    if not found or not timewords.MONTHS_OR_WEEKDAYS.search(text.lower()):
        return ""
    hour = found.group()
    return f" (for a time, write 'at {hour}am', 'at {hour}pm' or '{hour}:00' on a 24-hour clock)"


def parse_when(
    text: str,
    *,
    field: str,
    tz: str,
    base: datetime,
    tense: Tense = Tense.ANY,
    country: str = "",
) -> datetime:
    """An instant from what the user typed, as aware UTC; ``base`` anchors relative phrases.

    ``Tense.PAST`` also refuses an instant after ``base`` (see ``happened``).
    """
    value = read_when(text, field=field, tz=tz, base=base, tense=tense, country=country)
    if tense is Tense.PAST:
        happened(value, field=field, now=base, tz=tz)
    return value


def parse_day(
    text: str,
    *,
    field: str,
    tz: str,
    base: datetime,
    tense: Tense = Tense.ANY,
    country: str = "",
) -> date:
    """A calendar day (stated deadlines like "we decide by Friday", a report's range).

    The tense only chooses the day a year-less date or weekday means; a day is not refused
    for being past or future (a report may end after today), so callers dating something that
    happened use ``happened``.
    """
    value = read_when(text, field=field, tz=tz, base=base, tense=tense, country=country)
    return value.astimezone(ZoneInfo(tz)).date()


def local(instant: datetime, tz: str) -> datetime:
    """``instant`` seen on a wall clock in ``tz``."""
    return instant.astimezone(ZoneInfo(tz))


def utc_midnight_after(day: date, tz: str) -> datetime:
    """The first instant after ``day`` ends in ``tz``."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz)).astimezone(UTC)
