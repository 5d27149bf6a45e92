"""How reasons speak of dates, people and rounds: short, unambiguous, in the reader's zone; and
what each rule is called where a person reads it (rule ids are for machines)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from jobnudge.domain import Contact, Event, InterviewFormat
from jobnudge.playbook.titles import TITLES, title
from jobnudge.plural import count

__all__ = [
    "TITLES",
    "counted",
    "day",
    "days",
    "interview_label",
    "moment",
    "names",
    "ordinal",
    "title",
]


def day(value: date | datetime, tz: str = "UTC") -> str:
    """'Tue 3 Nov' (with the year only when it is not obvious is not needed in a reason)."""
    if isinstance(value, datetime):
        if value.tzinfo is UTC:  # the store's instants: remembered (see _utc_day)
            return _utc_day(value, tz)
        value = value.astimezone(ZoneInfo(tz)).date()
    return _day(value)


@lru_cache(maxsize=65_536)
def _utc_day(value: datetime, tz: str) -> str:
    # An instant in UTC has no fold to tell apart, so equal keys are the same instant. A file
    # imported at once names the same few hundred instants (9:00 on the days it gives) in
    # thousands of reasons.
    return _day(value.astimezone(ZoneInfo(tz)).date())


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    # Remembered: strftime's day and month names cost ~8 µs each, and re-planning a search
    # names the same few hundred days thousands of times.
    return f"{value:%a} {value.day} {value:%b}"


def moment(value: datetime, tz: str) -> str:
    """'Tue 3 Nov 14:00'."""
    if value.tzinfo is UTC:
        return _utc_moment(value, tz)
    local = value.astimezone(ZoneInfo(tz))
    return f"{_day(local.date())} {local:%H:%M}"


@lru_cache(maxsize=65_536)
def _utc_moment(value: datetime, tz: str) -> str:
    local = value.astimezone(ZoneInfo(tz))  # as ``_utc_day``: remembered by instant and zone
    return f"{_day(local.date())} {local:%H:%M}"


def names(people: Iterable[Contact]) -> str:
    listed = [p.name for p in people]
    if not listed:
        return ""
    if len(listed) == 1:
        return listed[0]
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def interview_label(event: Event, round_number: int) -> str:
    """'Round-2 video interview'."""
    return _label(event.format, round_number)


@lru_cache(maxsize=256, typed=True)
def _label(form: InterviewFormat | None, round_number: int) -> str:
    fmt = f" {form.value}" if form else ""
    return f"Round-{round_number}{fmt} interview"


def days(number: float) -> str:
    """'1 day', '14 days', '1.5 days'."""
    return counted(number, "day")


@lru_cache(maxsize=1024, typed=True)
def counted(number: float, noun: str) -> str:
    """``plural.count``, remembered: every reason of a kind counts the same few settings."""
    return count(number, noun)
