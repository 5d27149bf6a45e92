"""The time of day written beside a date in a spreadsheet cell ("2026-03-05 14:30",
"3/5/26 2:30 PM"), apart from the reading of the day (tabular.dates) that strips it first."""

from __future__ import annotations

import re
from datetime import datetime, time

_TIME = re.compile(
    r"^(?P<day>.*?)(?:[ T,]+|(?<=\d)T)(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})"
    r"(?::\d{2}(?:\.\d+)?)?\s*(?P<half>[ap])?(?:\.?\s?m\.?)?\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)

_DIGIT = re.compile(r"[0-9]")


def time_of_day(value: object) -> time | None:
    """The time of day a cell gives beside its date ("2026-03-05 14:30", "3/5/26 2:30 PM"),
    or None when it gives none (a date cell at midnight counts as none)."""
    if isinstance(value, datetime):
        moment = value.time().replace(second=0, microsecond=0, tzinfo=None)
        return moment if moment != time(0) else None
    if not isinstance(value, str):
        return None
    match = _dated_time(" ".join(value.split()))
    if match is None:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    half = (match.group("half") or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    if half == "p" and hour != 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def strip_time(text: str) -> str:
    """The cell's text without the time of day after its day."""
    match = _dated_time(text)
    return match.group("day").strip() if match else text


def _dated_time(text: str) -> re.Match[str] | None:
    """The match of a time after a day; none when what stands before the time holds no number
    (in "Mo 23.11" the 23.11 is the day, after its weekday, not 23:11)."""
    match = _TIME.match(text)
    if match is None or _DIGIT.search(match.group("day")) is None:
        return None
    return match
