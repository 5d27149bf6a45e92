"""Reading the words of a typed date or time, strictly: every word must be understood and every
number must be a real day, hour or minute, or the text is refused with the reason.

A general-purpose phrase parser skips words it does not know and wraps numbers it cannot use
("37pm" became 9 am, "25:61" became 20:26), so the grammar here is small and exact. It only
reads; ``jobnudge.timeparse`` decides which day a year-less date or a weekday means.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, time, timedelta, timezone

from jobnudge import bounds

MIN_YEAR, MAX_YEAR = bounds.FIRST_YEAR, bounds.LAST_YEAR
"""The years a job search can be dated in; anything else is a typing mistake."""


class Unreadable(ValueError):
    """The text is not a date or time; ``reason`` says why when a part of it was understood."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


class Ambiguous(Unreadable):
    """The text reads two ways; ``reason`` is the whole message, saying what to type."""


@dataclass(frozen=True)
class Weekday:
    """A day named by its weekday; ``mode`` is "" (tense decides), "this", "next" or "last"."""

    number: int  # Monday 0
    mode: str


@dataclass(frozen=True)
class YearLess:
    """A month and day typed without a year; the tense decides the year."""

    month: int
    day: int


@dataclass(frozen=True)
class Shift:
    """A day counted from the base day ("tomorrow", "in 3 days", "2 weeks ago")."""

    days: int = 0
    months: int = 0


DaySpec = date | Weekday | YearLess | Shift


@dataclass(frozen=True)
class Reading:
    """What the text said: a day, a time of day, both, or a moment relative to now."""

    day: DaySpec | None = None
    clock: time | None = None
    offset: timezone | None = None  # an explicit UTC offset typed after the time
    delta: timedelta | None = None  # "now", "in 2 hours", "30 minutes ago"
    weekday: int | None = None  # typed beside a date ("Thu 10 Dec"), as jobnudge prints days


_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_UNITS = {
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "hr": "hours",
    "day": "days",
    "week": "weeks",
    "wk": "weeks",
    "month": "months",
}

_END = r"(?=\s|$)"

_WEEKDAY = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_COUNT = r"\d+|" + "|".join(_NUMBERS)
_UNIT = r"(?P<unit>minute|min|hour|hr|day|week|wk|month)s?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_OFFSET = r"(?P<offset>z|[+-]\d{2}(?::?\d{2})?)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern + _END))
    for kind, pattern in (
        ("at_hour", r"(?:at|@) (?P<h>\d{1,2})(?! ?(?:am|pm)(?:\s|$))"),
        ("skip", r"(?:at|on|@)"),
        ("now", r"now|right now"),
        ("named", r"(?P<word>today|tomorrow|yesterday)"),
        ("weekday", rf"(?:(?P<mode>this|next|last) )?(?P<weekday>{_WEEKDAY})"),
        ("iso", r"(?P<y>\d+)-(?P<m>\d+)-(?P<d>\d+)"),
        ("slash", r"(?P<a>\d+)/(?P<b>\d+)(?:/(?P<y>\d+))?"),
        ("dot_clock", r"(?P<h>\d{1,2})\.(?P<m>\d{2}) ?(?P<half>am|pm)"),
        ("dotted", r"(?P<a>\d+)\.(?P<b>\d+)(?:\.(?P<y>\d+))?"),
        ("month_first", rf"(?P<month>{_MONTH}) (?P<d>\d+){_ORDINAL}(?: (?P<y>\d{{4,}}))?"),
        ("day_first", rf"(?P<d>\d+){_ORDINAL} (?:of )?(?P<month>{_MONTH})(?: (?P<y>\d{{4,}}))?"),
        ("in", rf"in (?P<n>{_COUNT}) {_UNIT}"),
        ("ago", rf"(?P<n>{_COUNT}) {_UNIT} ago"),
        ("noon", r"(?P<word>noon|midday|midnight)"),
        (
            "clock",
            r"(?P<h>\d+):(?P<m>\d+)(?::(?P<s>\d+)(?:\.(?P<f>\d+))?)?"
            r"(?: ?(?P<half>am|pm))?" + _OFFSET,
        ),
        ("hour", r"(?P<h>\d+) ?(?P<half>am|pm)"),
    )
)

WORKING_HOURS = range(8, 19)
"""The hours an interview or a call is set for: "at 10" is 10:00 and "at 3" is 15:00, the one
reading of a bare hour that falls between 08:00 and 18:00."""

MONTHS_OR_WEEKDAYS = re.compile(
    r"\b(?:"
    + "|".join(sorted({*_WEEKDAYS, *_MONTHS, "today", "tomorrow"}, key=len, reverse=True))
    + r")\b"
)
"""A day named in words, beside which a bare number may be an hour ("friday 3")."""

HOURS = "hours run from 0 to 23 and minutes from 0 to 59"
HALF_HOURS = "with am or pm, hours run from 1 to 12"


def _number(digits: str, what: str) -> int:
    if len(digits) > 6:
        raise Unreadable(f"{digits} is not a {what}")
    return int(digits)


def _count(word: str) -> int:
    return _NUMBERS[word] if word in _NUMBERS else _number(word, "count")


def year(digits: str) -> int:
    """A typed year, refused outside the years a search can be dated in."""
    value = _number(digits, "year")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise Unreadable(f"the year {digits} is not between {MIN_YEAR} and {MAX_YEAR}")
    return value


def real_date(y: int, month: int, day: int) -> date:
    """The date, or the reason there is no such day."""
    if not 1 <= month <= 12:
        raise Unreadable(f"there is no month {month}")
    if not 1 <= day <= monthrange(y, month)[1]:
        raise Unreadable(f"there is no day {day} in {date(y, month, 1):%B %Y}")
    return date(y, month, day)


def month_day(month: int, day: int) -> YearLess:
    """A month and day without a year, or the reason there is no such day in any year."""
    if not 1 <= day <= (29 if month == 2 else monthrange(2001, month)[1]):
        raise Unreadable(f"there is no day {day} in {date(2000, month, 1):%B}")
    return YearLess(month, day)


def _clock(hours: str, minutes: str, seconds: str | None, half: str | None) -> time:
    h, m, s = _number(hours, "hour"), _number(minutes, "minute"), _number(seconds or "0", "second")
    if len(minutes) != 2 or m > 59 or s > 59:
        raise Unreadable(HOURS)
    if half:
        if not 1 <= h <= 12:
            raise Unreadable(HALF_HOURS)
        h = h % 12 + (12 if half == "pm" else 0)
    elif h > 23:
        raise Unreadable(HOURS)
    return time(h, m, s)


def bare_hour(digits: str) -> time:
    """A bare hour after "at" ("friday at 3"): on a 24-hour clock from 13 (and 0), else the
    reading of it, morning or afternoon, inside :data:`WORKING_HOURS`; refused, saying what to
    type, when both or neither are."""
    hour = _number(digits, "hour")
    if hour > 23:
        raise Unreadable(HOURS)
    if hour == 0 or hour > 12:
        return time(hour)
    readings = [h for h in (hour % 12, hour % 12 + 12) if h in WORKING_HOURS]
    if len(readings) != 1:
        raise Ambiguous(
            f"'at {hour}' could be {hour} am or {hour} pm; write 'at {hour}am' or 'at {hour}pm'"
        )
    return time(readings[0])


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if hours > 23 or minutes > 59:
        raise Unreadable(f"{text} is not a UTC offset")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _token(kind: str, found: re.Match[str], month_first: bool | None) -> tuple[str, object]:
    """The slot a matched phrase fills ("day", "clock", "offset", "delta") and its value."""
    g = found.groupdict()
    if kind == "now":
        return "delta", timedelta(0)
    if kind == "named":
        return "day", Shift(days={"today": 0, "tomorrow": 1, "yesterday": -1}[g["word"]])
    if kind == "weekday":
        return "day", Weekday(_WEEKDAYS[g["weekday"]], g["mode"] or "")
    if kind == "iso":
        return "day", real_date(year(g["y"]), _number(g["m"], "month"), _number(g["d"], "day"))
    if kind in ("slash", "dotted"):
        from jobnudge import numeric_dates

        if kind == "dotted":
            return "day", numeric_dates.dotted(g["a"], g["b"], g["y"])
        return "day", numeric_dates.slash(g["a"], g["b"], g["y"], month_first)
    if kind in ("month_first", "day_first"):
        month, day = _MONTHS[g["month"]], _number(g["d"], "day")
        if g["y"] is None:
            return "day", month_day(month, day)
        return "day", real_date(year(g["y"]), month, day)
    if kind in ("in", "ago"):
        count = _count(g["n"]) * (1 if kind == "in" else -1)
        unit = _UNITS[g["unit"]]
        if abs(count) > 100_000:
            raise Unreadable(f"{abs(count)} {unit} is too far away")
        if unit in ("minutes", "hours"):
            return "delta", timedelta(**{unit: count})
        if unit == "months":
            return "day", Shift(months=count)
        return "day", Shift(days=count * (7 if unit == "weeks" else 1))
    if kind == "noon":
        return "clock", time(0) if g["word"] == "midnight" else time(12)
    if kind == "clock":
        return "clock", (_clock(g["h"], g["m"], g["s"], g["half"]), _offset(g["offset"]))
    if kind == "dot_clock":  # 3.30pm, as the British write a time
        return "clock", (_clock(g["h"], g["m"], None, g["half"]), None)
    if kind == "at_hour":
        return "clock", (bare_hour(g["h"]), None)
    assert kind == "hour"
    return "clock", (_clock(g["h"], "00", None, g["half"]), None)


def _first_match(rest: str) -> tuple[str, re.Match[str]]:
    """The phrase the remaining text starts with; ``Unreadable`` when it starts with none."""
    for kind, pattern in _PATTERNS:
        found = pattern.match(rest)
        if found:
            return kind, found
    raise Unreadable()


def normalise(text: str) -> str:
    """Lower case, single spaces, no commas or stray dots; "a.m." as "am"; ISO's "T" as a
    space."""
    cleaned = text.strip().lower()
    cleaned = re.sub(r"\b([ap])\.m\.?(?=\s|$)", r"\1m", cleaned)
    cleaned = re.sub(r"(?<!\d)\.|\.(?!\d)|,", " ", cleaned)
    cleaned = re.sub(r"(\d)t(\d)", r"\1 \2", cleaned)
    return " ".join(cleaned.split())


def read(text: str, *, month_first: bool | None = None) -> Reading:
    """The parts of a typed date or time; ``Unreadable`` when any word is not understood, a
    number is not a real day, hour or minute, or two parts say the same thing twice.
    ``month_first`` reads 12/3 as December 3 (True) or 12 March (False); ``None`` refuses it."""
    rest = normalise(text)
    if not rest:
        raise Unreadable()
    slots: dict[str, object] = {}
    weekday: int | None = None
    while rest:
        kind, found = _first_match(rest)
        rest = rest[found.end() :].lstrip()
        if kind == "skip":
            continue
        slot, value = _token(kind, found, month_first)
        if slot == "day" and "day" in slots and weekday is None:
            value, weekday = _dated(slots["day"], value, weekday)
            if weekday is not None:
                slots["day"] = value
                continue
        if slot in slots:
            raise Unreadable("it names two " + ("days" if slot == "day" else "times"))
        slots[slot] = value
    delta = slots.get("delta")
    if delta is not None and len(slots) > 1:
        raise Unreadable("a moment counted from now takes no other day or time")
    clock_part = slots.get("clock")
    clock, offset = clock_part if isinstance(clock_part, tuple) else (clock_part, None)
    day = slots.get("day")
    if offset is not None and not isinstance(day, date):
        raise Unreadable("a UTC offset needs a full date, e.g. 2026-03-05T14:30+01:00")
    assert day is None or isinstance(day, DaySpec)
    assert clock is None or isinstance(clock, time)
    assert delta is None or isinstance(delta, timedelta)
    return Reading(day=day, clock=clock, offset=offset, delta=delta, weekday=weekday)


def _dated(first: object, second: object, weekday: int | None) -> tuple[object, int | None]:
    """A plain weekday beside a date ("Thu 10 Dec", the way jobnudge prints a day): the date,
    and the weekday to check it against; else the second value unchanged and no weekday."""
    for named, dated in ((first, second), (second, first)):
        if isinstance(named, Weekday) and not named.mode and isinstance(dated, date | YearLess):
            return dated, named.number
    return second, weekday
