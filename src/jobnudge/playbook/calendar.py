"""Working days and wall-clock moments in someone else's time zone.

Due dates are reasoned about on the contact's calendar: their weekend, their public holidays
(the ``holidays`` package, by ISO country code), their working hours. Results are aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

    HolidaySource: TypeAlias = Callable[[str], Any]
    """A country code to its holidays: anything answering ``day in`` and ``.get(day)``."""


def _package_holidays(country: str) -> Any:
    import holidays

    try:
        return holidays.country_holidays(country.upper())
    except NotImplementedError:
        return {}  # a country the package does not know: weekends only


_source: HolidaySource = _package_holidays


def use_holiday_source(source: HolidaySource | None) -> None:
    """Where holidays come from (default: the ``holidays`` package, computed in memory). The
    command line passes a file-backed source (``jobnudge.holidaycache``), since building a
    calendar costs more than the rest of a short command; the dates are the same."""
    global _source
    _source = source or _package_holidays
    _holidays.cache_clear()
    _working.clear()
    _added.clear()
    _mornings.clear()


@lru_cache(maxsize=64)
def _holidays(country: str) -> Any:
    return _source(country)


def is_known_country(country: str) -> bool:
    import holidays

    return country.upper() in holidays.list_supported_countries()


REMEMBERED = 65_536
"""Answers each remembered lookup keeps (a few years of days in a few countries and zones);
past it, the memory starts again."""

_working: dict[tuple[date, str], bool] = {}
"""``is_working_day`` by (day, country): re-planning a search or importing a file asks about
the same few hundred days for every opportunity, and a holiday look-up costs microseconds."""


def is_working_day(day: date, country: str) -> bool:
    key = (day, country)
    found = _working.get(key)
    if found is None:
        found = day.weekday() < 5 and day not in _holidays(country)
        if len(_working) >= REMEMBERED:
            _working.clear()
        _working[key] = found
    return found


def holiday_name(day: date, country: str) -> str | None:
    name = _holidays(country).get(day)
    return str(name) if name else None


def next_working_day(day: date, country: str) -> date:
    """``day`` itself when it is a working day, else the first one after it."""
    while not is_working_day(day, country):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, country: str) -> date:
    """The last working day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day, country):
        day -= timedelta(days=1)
    return day


def add_working_days(day: date, count: int, country: str) -> date:
    key = (day, count, country)
    found = _added.get(key)
    if found is None:
        found = day
        while count > 0:
            found += timedelta(days=1)
            if is_working_day(found, country):
                count -= 1
        if len(_added) >= REMEMBERED:
            _added.clear()
        _added[key] = found
    return found


_added: dict[tuple[date, int, str], date] = {}
"""``add_working_days`` by (day, count, country): a status check counts the same few days
ahead from the same interview days for every opportunity of an imported file."""


@lru_cache(maxsize=REMEMBERED)
def at_local(day: date, clock: time, tz: str) -> datetime:
    """The instant a wall clock in ``tz`` shows ``clock`` on ``day``.

    In a spring-forward gap the wall time does not exist; it is read as the same moment one
    hour later on the new offset, as every calendar app does. Remembered: the rules ask for
    the same mornings and evenings of the same days over and over (the answer depends on the
    zone's rules alone, which do not change while the process runs).
    """
    zone = ZoneInfo(tz)
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != naive:  # inside a DST gap
        aware = (naive + timedelta(hours=1)).replace(tzinfo=zone)
    return aware.astimezone(UTC)


@lru_cache(maxsize=256)
def span(days: float = 0, hours: float = 0, minutes: float = 0) -> timedelta:
    """``timedelta(days=..., hours=..., minutes=...)``, remembered: the rules add the same few
    settings (a week, a day, the thank-you's hours) to every event of an import, and making a
    timedelta from keywords costs more than the addition."""
    return timedelta(days=days, hours=hours, minutes=minutes)


def local_day(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


def offset(instant: datetime, tz: str) -> timedelta | None:
    """How far ``tz``'s clock is from UTC at ``instant``: equal offsets read the same hour."""
    return instant.astimezone(ZoneInfo(tz)).utcoffset()


def local_clock(instant: datetime, tz: str) -> time:
    return instant.astimezone(ZoneInfo(tz)).time()


def hour_clock(hour: float) -> time:
    """A settings hour (which may carry a fraction, 17.5 = 17:30) as a wall-clock time."""
    minutes = round(hour * 60) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def working_day_at(day: date, clock: time, tz: str, country: str) -> datetime:
    """``clock`` on the first working day on or after ``day`` (guard.working-days)."""
    return at_local(next_working_day(day, country), clock, tz)


def end_of_day(day: date, tz: str) -> datetime:
    """23:59 on ``day`` in ``tz``: the latest moment a "by that day" deadline allows."""
    return at_local(day, time(23, 59), tz)


def working_morning(instant: datetime, days: int, hour: float, tz: str, country: str) -> datetime:
    """``hour`` on the first working day in ``country`` on or after the day ``days`` calendar
    days after ``instant``'s day in ``tz`` (guard.working-days)."""
    if instant.tzinfo is not UTC:  # only UTC instants are remembered (see ``_mornings``)
        day = local_day(instant, tz) + timedelta(days=days)
        return working_day_at(day, hour_clock(hour), tz, country)
    key = (instant, days, hour, tz, country)
    found = _mornings.get(key)
    if found is None:
        day = local_day(instant, tz) + timedelta(days=days)
        found = working_day_at(day, hour_clock(hour), tz, country)
        if len(_mornings) >= REMEMBERED:
            _mornings.clear()
        _mornings[key] = found
    return found


_mornings: dict[tuple[datetime, int, float, str, str], datetime] = {}
"""``working_morning`` by everything it reads. Keyed by UTC instants alone: in one zone two
wall times a fold apart compare (and hash) equal while being different instants."""


def end_of_day_after(instant: datetime, days: int, tz: str) -> datetime:
    """23:59 in ``tz`` on the day ``days`` calendar days after ``instant``'s day there."""
    if instant.tzinfo is not UTC:
        return end_of_day(local_day(instant, tz) + timedelta(days=days), tz)
    key = (instant, days, tz)
    found = _evenings.get(key)
    if found is None:
        found = end_of_day(local_day(instant, tz) + timedelta(days=days), tz)
        if len(_evenings) >= REMEMBERED:
            _evenings.clear()
        _evenings[key] = found
    return found


_evenings: dict[tuple[datetime, int, str], datetime] = {}
"""``end_of_day_after`` by (UTC instant, days, zone): zone rules alone set it."""


def same_day_at(instant: datetime, hour: float, tz: str) -> datetime:
    """``hour`` on ``instant``'s day in ``tz``."""
    if instant.tzinfo is not UTC:
        return at_local(local_day(instant, tz), hour_clock(hour), tz)
    key = (instant, hour, tz)
    found = _hours.get(key)
    if found is None:
        found = at_local(local_day(instant, tz), hour_clock(hour), tz)
        if len(_hours) >= REMEMBERED:
            _hours.clear()
        _hours[key] = found
    return found


_hours: dict[tuple[datetime, float, str], datetime] = {}
"""``same_day_at`` by (UTC instant, hour, zone): zone rules alone set it."""


def next_inside(
    instant: datetime,
    hours: tuple[time, time],
    tz: str,
    country: str | None = None,
) -> datetime:
    """The first moment from ``instant`` on whose wall clock in ``tz`` reads inside ``hours``
    (start included, end excluded), on a working day of ``country`` when one is given: a call
    inside call hours, a message inside someone's daytime rather than their night."""
    start, end = hours
    day = local_day(instant, tz)
    for _ in range(32):  # a month of holidays and weekends at the very most
        if country is None or is_working_day(day, country):
            opens, closes = at_local(day, start, tz), at_local(day, end, tz)
            if instant < closes:
                return max(instant, opens)
        day += timedelta(days=1)
    return instant  # no such moment within a month (hours set empty): as it is


def voice_hours(
    call: tuple[time, time], work: tuple[time, time], voicemail: bool
) -> tuple[tuple[time, time], ...]:
    """The part of the call hours a phone follow-up prefers (guard.call-hours): within the
    working day for a live call, when someone is there to pick up; outside it for a voicemail,
    which then waits for them instead of interrupting. The whole call hours when that part is
    empty (working hours set outside them)."""
    (call_start, call_end), (work_start, work_end) = call, work
    spans: tuple[tuple[time, time], ...]
    if voicemail:
        spans = ((call_start, min(call_end, work_start)), (max(call_start, work_end), call_end))
    else:
        spans = ((max(call_start, work_start), min(call_end, work_end)),)
    kept = tuple(span for span in spans if span[0] < span[1])
    return kept or (call,)


def next_preferred(
    instant: datetime,
    call: tuple[time, time],
    preferred: tuple[tuple[time, time], ...],
    tz: str,
    country: str | None = None,
) -> datetime:
    """The first moment from ``instant`` inside the ``preferred`` part of the call hours when
    that is on the same day as the first moment inside the call hours; else that first moment:
    a preference, never a reason to wait a day."""
    first = next_inside(instant, call, tz, country)
    best = min(next_inside(instant, span, tz, country) for span in preferred)
    return best if local_day(best, tz) == local_day(first, tz) else first
