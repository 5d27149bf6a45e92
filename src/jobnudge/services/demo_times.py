"""When the demo's events happen, wherever its user is: an interview inside the working hours of
the user and of everyone met, for the hour it lasts, on a working day of each; a message from
someone inside their own working day. Times are shown in both zones ("14:00 (09:00 for Dana)"),
so each must read as a real search would. Someone whose working day never meets the user's
(Denver seen from Tokyo) is moved to the user's zone and country for the demo: a search that
far across the world would not be interviewing there.

Pure functions of the moment, the zones and the playbook's hours: the tests try them in every
zone on any day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from jobnudge.playbook import calendar

MEETING = timedelta(hours=1)
"""How long an interview lasts: it ends inside the working day too."""
MESSAGE = timedelta(minutes=30)
"""A message is written by half an hour before the end of its sender's working day."""
SEARCH_DAYS = 10
"""Days tried from the one the story names, towards the past (or the future for an interview
still to come), for a moment that suits everyone."""
NEAR_DAYS = 3
"""Someone keeps their own zone when each of their interviews finds a moment within this many
days of the one the story names: further would change the story."""

Span = tuple[datetime, datetime]


class Place(NamedTuple):
    """Where someone is: the zone of their clock, the country of their public holidays."""

    tz: str
    country: str


def _starts(day: date, place: Place, hours: tuple[float, float], length: timedelta) -> Span | None:
    """When on ``day`` (their calendar) something ``length`` long can start inside working
    hours at ``place``; None on their weekend or a public holiday."""
    if not calendar.is_working_day(day, place.country):
        return None
    opens = calendar.at_local(day, calendar.hour_clock(hours[0]), place.tz)
    closes = calendar.at_local(day, calendar.hour_clock(hours[1]), place.tz) - length
    return (opens, closes) if opens <= closes else None


def _common(
    day: date, places: Sequence[Place], hours: tuple[float, float], length: timedelta
) -> list[Span]:
    """The starts on ``day`` of the first place's calendar that suit every place (the others'
    days around it, where their clocks show another date)."""
    first = _starts(day, places[0], hours, length)
    spans = [first] if first else []
    for place in places[1:]:
        theirs = [
            found
            for near in (day - timedelta(days=1), day, day + timedelta(days=1))
            if (found := _starts(near, place, hours, length)) is not None
        ]
        spans = [
            (max(a, c), min(b, d)) for a, b in spans for c, d in theirs if max(a, c) <= min(b, d)
        ]
    return spans


def moment(
    nominal: datetime,
    places: Sequence[Place],
    hours: tuple[float, float],
    length: timedelta,
    now: datetime,
    *,
    ahead: bool = False,
    days: int = SEARCH_DAYS,
) -> datetime | None:
    """The moment nearest ``nominal`` (the day the story names, at its hour) inside everyone's
    working hours at ``places``: before ``now`` (an event that happened), or after it when
    ``ahead`` (an interview to come), on the nominal day or the nearest day before (after)
    it. None when no such moment is within ``days`` days."""
    step = timedelta(days=1 if ahead else -1)
    first_day = calendar.local_day(nominal, places[0].tz)
    for count in range(days):
        wanted = nominal + step * count
        spans = _common(first_day + step * count, places, hours, length)
        if ahead:
            spans = [(max(a, now + timedelta(hours=1)), b) for a, b in spans]
        else:
            spans = [(a, min(b, now - timedelta(minutes=15))) for a, b in spans]
        chosen = [min(max(wanted, a), b) for a, b in spans if a <= b]
        if chosen:
            return min(chosen, key=lambda at: abs(at - wanted))
    return None


def settle(
    home: Place | None,
    user: Place,
    meetings: Sequence[tuple[datetime, bool]],
    hours: tuple[float, float],
    now: datetime,
) -> Place | None:
    """Where someone is for the demo: at ``home``, unless one of their ``meetings`` (nominal
    moment, whether still to come) with the user finds no moment in working hours of both
    within :data:`NEAR_DAYS` days; then in the user's zone and country. None (no zone of their
    own) stays None."""
    if home is None:
        return None
    for nominal, ahead in meetings:
        if moment(nominal, (user, home), hours, MEETING, now, ahead=ahead, days=NEAR_DAYS) is None:
            return user
    return home
