"""How dates, times, channels and numbers read on the pages (Jinja2 filters)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from jobnudge.domain import Channel
from jobnudge.playbook import wording
from jobnudge.plural import count
from jobnudge.typography import untitled

CHANNEL_WORDS = {
    Channel.EMAIL: "Email",
    Channel.CALL: "Call",
    Channel.VOICEMAIL: "Voicemail",
    Channel.TEXT: "Text",
    Channel.CARD: "Card",
    Channel.IN_PERSON: "In person",
}

STAGE_WORDS = {
    "lead": "Lead",
    "applied": "Applied",
    "interviewing": "Interviewing",
    "offer": "Offer",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "no-response": "No response",
}


def clock_time(local: datetime) -> str:
    """'3:10 pm', '9 am'."""
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local.minute:02d} {suffix}" if local.minute else f"{hour} {suffix}"


def day_words(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if 1 < delta < 7:
        return f"{day:%A}"
    if day.year == today.year:
        return f"{day:%a} {day.day} {day:%b}"
    return f"{day.day} {day:%b} {day.year}"


def when(instant: datetime | None, tz: str, now: datetime) -> str:
    """'today 3:10 pm', 'Friday 9 am', 'Tue 3 Nov 11 am' in the user's zone."""
    if instant is None:
        return ""
    zone = ZoneInfo(tz)
    local = instant.astimezone(zone)
    return f"{day_words(local.date(), now.astimezone(zone).date())}, {clock_time(local)}"


def day_of(instant: datetime | date | None, tz: str, now: datetime) -> str:
    if instant is None:
        return ""
    zone = ZoneInfo(tz)
    day = instant.astimezone(zone).date() if isinstance(instant, datetime) else instant
    return day_words(day, now.astimezone(zone).date())


def for_contact(instant: datetime | None, contact_tz: str | None, name: str | None, tz: str) -> str:
    """'3:10 pm for Dana' when the contact's clock differs from the user's, else ''."""
    if instant is None or not contact_tz or not name or contact_tz == tz:
        return ""
    theirs = instant.astimezone(ZoneInfo(contact_tz))
    if theirs.utcoffset() == instant.astimezone(ZoneInfo(tz)).utcoffset():
        return ""
    words = untitled(name).split()  # "Helen", not "Dr.", for "Dr. Helen O'Brien"
    return f"{clock_time(theirs)} for {words[0] if words else name}"


def iso(instant: datetime | None, tz: str) -> str:
    return instant.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes") if instant else ""


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def hours(value: float | None) -> str:
    """'5 h', '3 days'."""
    if value is None:
        return "—"
    if value < 48:
        return f"{round(value)} h"
    return count(round(value / 24), "day")


def channel(value: Channel | str | None) -> str:
    if value is None:
        return ""
    try:
        return CHANNEL_WORDS[Channel(value)]
    except ValueError:
        return str(value)


def rule_title(rule: str) -> str:
    return wording.title(rule)


def stage(value: object) -> str:
    text = str(getattr(value, "value", value))
    return STAGE_WORDS.get(text, text)
