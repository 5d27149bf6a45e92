"""Whether to act on a follow-up now, and where the agenda files it: the part of the guards
that the agenda needs, on plain values, so that the command line's fast path can use the same
code without loading the domain records or the settings classes."""

from __future__ import annotations

from datetime import datetime, time

from jobnudge.playbook import calendar

NOT_TOO_EARLY = "guard.not-too-early"
CALL_HOURS = "guard.call-hours"

GROUPS = ("overdue", "today", "upcoming")
"""The agenda's groups, in the order it shows them."""


def blocked(
    now: datetime,
    due: datetime,
    voice: bool,
    tz: str,
    country: str,
    call_hours: tuple[time, time],
) -> tuple[str, ...]:
    """The guards that acting at ``now`` on a follow-up due at ``due`` (by phone when
    ``voice``, to someone in ``tz``/``country``) would break; empty means go ahead."""
    found: list[str] = []
    if now < due:
        found.append(NOT_TOO_EARLY)
    if voice and not in_call_hours(now, tz, country, call_hours):
        found.append(CALL_HOURS)
    return tuple(found)


def in_call_hours(now: datetime, tz: str, country: str, call_hours: tuple[time, time]) -> bool:
    """Inside the contact's call hours, on one of their working days (guard.call-hours)."""
    clock = calendar.local_clock(now, tz)
    day = calendar.local_day(now, tz)
    start, end = call_hours
    return start <= clock < end and calendar.is_working_day(day, country)


def today_start(now: datetime, tz: str) -> datetime:
    """The first moment of the user's day."""
    return calendar.at_local(calendar.local_day(now, tz), time(0), tz)


def shown_due(
    group: str, due: datetime, due_by: datetime | None, start_of_today: datetime
) -> tuple[str, datetime | None]:
    """What the agenda shows of a follow-up's time: ("at", when it falls due), except under
    "Due today" for one that fell due on an earlier day of the user's and is not late yet (a
    deadline at the end of a contact's day, or a window of several days, is still ahead when
    the user's day is already the next one): ("by", its deadline), so that "Due today" shows
    no day before the user's today ("now", None without a deadline)."""
    if group == "today" and due < start_of_today:
        return ("by", due_by) if due_by is not None else ("now", None)
    return "at", due


def today_end(now: datetime, tz: str) -> datetime:
    """The last moment of the user's day: what is due by then is due now."""
    return calendar.end_of_day(calendar.local_day(now, tz), tz)


def group(due: datetime, due_by: datetime | None, now: datetime, end_of_today: datetime) -> str:
    """'overdue' once the deadline has passed, 'today' when due by the end of the user's day,
    else 'upcoming'."""
    if due_by is not None and due_by < now:
        return "overdue"
    if due <= end_of_today:
        return "today"
    return "upcoming"
