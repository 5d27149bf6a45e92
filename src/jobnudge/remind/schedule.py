"""When a digest may go out: from the morning hour of the user's local day (working days only,
unless they said every day), never in quiet hours. Pure: the clock comes in as ``now``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jobnudge.playbook import calendar
from jobnudge.remindconfig import Remind

LOOKAHEAD_DAYS = 21  # far enough to pass any run of holidays and weekends


@dataclass(frozen=True, slots=True)
class Moment:
    """What ``now`` means for the digest: the slot (local day) due now, or why not."""

    slot: str | None  # "2026-12-07" when today's digest may go out now
    quiet: bool  # inside quiet hours: nothing at all is sent, not even a retry
    why: str  # in words, for --dry-run and the Settings page
    next_at: datetime  # the next moment a digest may go out (now, when slot is set)


def is_send_day(remind: Remind, day: date, country: str) -> bool:
    return remind.days == "every" or calendar.is_working_day(day, country)


def is_quiet(remind: Remind, now: datetime, tz: str) -> bool:
    return remind.quiet is not None and remind.quiet.contains(calendar.local_clock(now, tz))


def _opens(remind: Remind, day: date, tz: str) -> datetime | None:
    """The first moment of ``day`` a digest may go out, or None when quiet hours cover the
    rest of that day after the morning hour."""
    start = calendar.at_local(day, calendar.hour_clock(remind.hour), tz)
    quiet = remind.quiet
    if quiet is None or not quiet.contains(calendar.local_clock(start, tz)):
        return start
    end = calendar.at_local(day, quiet.end, tz)
    if end > start and calendar.local_day(end, tz) == day:
        return end
    return None


def next_send(remind: Remind, tz: str, country: str, now: datetime) -> datetime:
    """The first moment at or after ``now`` when a digest may go out."""
    today = calendar.local_day(now, tz)
    for offset in range(LOOKAHEAD_DAYS):
        day = today + timedelta(days=offset)
        if not is_send_day(remind, day, country):
            continue
        opens = _opens(remind, day, tz)
        if opens is None:
            continue
        if offset == 0 and now >= opens:
            if not is_quiet(remind, now, tz):
                return now
            assert remind.quiet is not None  # is_quiet says so
            end = calendar.at_local(day, remind.quiet.end, tz)
            if end > now:
                return end
            continue
        if opens >= now:
            return opens
    return now + timedelta(days=LOOKAHEAD_DAYS)


def _shown(instant: datetime, tz: str) -> str:
    local = instant.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"


def decide(remind: Remind, tz: str, country: str, now: datetime) -> Moment:
    """Whether today's digest may go out at ``now`` in the user's zone ``tz``."""
    today = calendar.local_day(now, tz)
    quiet = is_quiet(remind, now, tz)
    upcoming = next_send(remind, tz, country, now)
    later = f"the next digest may go out {_shown(upcoming, tz)}"
    if not is_send_day(remind, today, country):
        why = "today is not a working day"
        return Moment(None, quiet, f"{why}; {later}", upcoming)
    if calendar.local_clock(now, tz) < calendar.hour_clock(remind.hour):
        start = calendar.hour_clock(remind.hour)
        return Moment(None, quiet, f"it is before {start:%H:%M}; {later}", upcoming)
    if quiet:
        return Moment(None, True, f"it is within quiet hours ({remind.quiet}); {later}", upcoming)
    return Moment(today.isoformat(), False, "the morning digest is due", now)


def morning_clock(remind: Remind) -> time:
    return calendar.hour_clock(remind.hour)
