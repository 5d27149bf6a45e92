"""How reasons speak of dates, people and rounds: short, unambiguous, in the reader's zone; and
what each rule is called where a person reads it (rule ids are for machines)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jobnudge.domain import Contact, Event
from jobnudge.plural import count


def day(value: date | datetime, tz: str = "UTC") -> str:
    """'Tue 3 Nov' (with the year only when it is not obvious is not needed in a reason)."""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(tz)).date()
    return f"{value:%a} {value.day} {value:%b}"


def moment(value: datetime, tz: str) -> str:
    """'Tue 3 Nov 14:00'."""
    local = value.astimezone(ZoneInfo(tz))
    return f"{day(local)} {local:%H:%M}"


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
    fmt = f" {event.format.value}" if event.format else ""
    return f"Round-{round_number}{fmt} interview"


def days(number: float) -> str:
    """'1 day', '14 days', '1.5 days'."""
    return count(number, "day")


TITLES: dict[str, str] = {
    "apply.check-in": "Check in on your application",
    "interview.confirm": "Confirm the interview",
    "interview.thank-you": "Send a thank-you",
    "interview.ask-timeline": "Record what they said about timing",
    "interview.status-check": "Ask where things stand",
    "silence.retry": "One more polite follow-up",
    "silence.move-on": "Time to move on",
    "referral.update": "Update the person who referred you",
    "references.heads-up": "Give your references a heads-up",
    "references.thanks": "Thank your references",
    "offer.thank-you": "Thank them for the offer",
    "offer.decide": "Decide on the offer",
    "rejection.gracious-note": "Send a gracious note",
    "rejection.reconnect": "Reconnect about new openings",
    "staffing.keep-in-touch": "Keep in touch with your recruiter",
    "pipeline.keep-looking": "Add a few more applications",
}
"""Each rule as pages, calendars and messages name it."""


def title(rule: str) -> str:
    """What a person reads for ``rule``: its title, never the id ("a follow-up" when unknown,
    e.g. a rule from a newer version stored in the database)."""
    return TITLES.get(rule, "A follow-up")
