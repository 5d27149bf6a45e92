"""Reading the dates and times people type: ISO 8601, and forms like "tomorrow 3pm".

Naive values are read in the zone given (the user's, or the contact's); results are aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jobnudge import bounds
from jobnudge.errors import UsageError

MAX_DURATION_DAYS = 365
"""The longest stated response time taken (``--responds-within``): a year."""

_EXAMPLES = "use ISO 8601 like '2026-03-05 14:30' or a phrase like 'tomorrow 3pm' or 'next friday'"


def _natural(text: str, zone: ZoneInfo, base: datetime) -> tuple[datetime, bool] | None:
    """``parsedatetime``'s reading of a phrase, and whether it carried a time of day."""
    import parsedatetime

    calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
    local_base = base.astimezone(zone).replace(tzinfo=None)
    try:
        parsed, context = calendar.parseDT(text, sourceTime=local_base)
    except (OverflowError, ValueError):  # "in 99999999 days" leaves the calendar
        return None
    if not context.hasDateOrTime:
        return None
    return parsed.replace(tzinfo=zone), bool(context.hasTime)


def parse_when(text: str, *, field: str, tz: str, base: datetime) -> datetime:
    """An instant from what the user typed, as aware UTC; ``base`` anchors relative phrases.

    A date alone means 09:00 local time, a sensible moment for "it happened that day".
    """
    zone = ZoneInfo(tz)
    cleaned = text.strip()
    if not cleaned:
        raise UsageError(f"{field}: no date given; {_EXAMPLES}.")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        natural = _natural(cleaned, zone, base)
        if natural is None:
            raise UsageError(f"{field}: cannot read '{text}' as a date; {_EXAMPLES}.") from None
        value, has_time = natural
        if not has_time:
            value = datetime.combine(value.date(), time(9), zone)
    else:
        if len(cleaned) == 10:  # a bare date: the morning of that day
            value = datetime.combine(value.date(), time(9))
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone)
    return bounds.instant(value, field).astimezone(UTC)


def parse_day(text: str, *, field: str, tz: str, base: datetime) -> date:
    """A calendar day (for stated deadlines like "we decide by Friday")."""
    cleaned = text.strip()
    try:
        return bounds.day(date.fromisoformat(cleaned), field)
    except ValueError:
        pass
    natural = _natural(cleaned, ZoneInfo(tz), base) if cleaned else None
    if natural is None:
        raise UsageError(f"{field}: cannot read '{text}' as a day; {_EXAMPLES}.")
    return bounds.day(natural[0].date(), field)


def parse_duration_days(text: str, *, field: str) -> int:
    """A whole number of days, as in ``--responds-within 14`` or ``2w``."""
    cleaned = text.strip().lower()
    factor = 7 if cleaned.endswith("w") else 1
    number = cleaned.rstrip("wd")
    if not number.isascii() or not number.isdigit():
        raise UsageError(f"{field}: '{text}' is not a number of days; write e.g. '10' or '2w'.")
    days = int(number[-10:]) * factor if len(number.lstrip("0")) <= 10 else MAX_DURATION_DAYS + 1
    if days > MAX_DURATION_DAYS:
        raise UsageError(f"{field}: give at most {MAX_DURATION_DAYS} days (a year).")
    return days


def local(instant: datetime, tz: str) -> datetime:
    """``instant`` seen on a wall clock in ``tz``."""
    return instant.astimezone(ZoneInfo(tz))


def utc_midnight_after(day: date, tz: str) -> datetime:
    """The first instant after ``day`` ends in ``tz``."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz)).astimezone(UTC)
