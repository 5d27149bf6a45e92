"""Reading the dates and times people type: ISO 8601, and forms like "tomorrow 3pm".

Naive values are read in the zone given (the user's, or the contact's); results are aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jobnudge.errors import UsageError

_EXAMPLES = "use ISO 8601 like '2026-03-05 14:30' or a phrase like 'tomorrow 3pm' or 'next friday'"


def _natural(text: str, zone: ZoneInfo, base: datetime) -> tuple[datetime, bool] | None:
    """``parsedatetime``'s reading of a phrase, and whether it carried a time of day."""
    import parsedatetime

    calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
    local_base = base.astimezone(zone).replace(tzinfo=None)
    parsed, context = calendar.parseDT(text, sourceTime=local_base)
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
    return value.astimezone(UTC)


def parse_day(text: str, *, field: str, tz: str, base: datetime) -> date:
    """A calendar day (for stated deadlines like "we decide by Friday")."""
    cleaned = text.strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    natural = _natural(cleaned, ZoneInfo(tz), base) if cleaned else None
    if natural is None:
        raise UsageError(f"{field}: cannot read '{text}' as a day; {_EXAMPLES}.")
    return natural[0].date()


def parse_duration_days(text: str, *, field: str) -> int:
    """A whole number of days, as in ``--responds-within 14`` or ``2w``."""
    cleaned = text.strip().lower()
    factor = 7 if cleaned.endswith("w") else 1
    number = cleaned.rstrip("wd")
    if not number.isdigit():
        raise UsageError(f"{field}: '{text}' is not a number of days; write e.g. '10' or '2w'.")
    return int(number) * factor


def local(instant: datetime, tz: str) -> datetime:
    """``instant`` seen on a wall clock in ``tz``."""
    return instant.astimezone(ZoneInfo(tz))


def utc_midnight_after(day: date, tz: str) -> datetime:
    """The first instant after ``day`` ends in ``tz``."""
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz)).astimezone(UTC)
