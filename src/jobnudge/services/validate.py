"""Turning what a user typed into vocabulary values, with messages that name the field and fix."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from jobnudge.config import check_zone
from jobnudge.domain import Channel, InterviewFormat, MessageKind, Role
from jobnudge.errors import ConfigError, UsageError

E = TypeVar("E", bound=StrEnum)

_SYNONYMS: dict[str, str] = {
    "phone": "call",
    "phone-call": "call",
    "mail": "email",
    "e-mail": "email",
    "sms": "text",
    "letter": "card",
    "note-card": "card",
    "inperson": "in-person",
    "in person": "in-person",
    "video-call": "video",
    "on-site": "onsite",
    "in-person-interview": "onsite",
    "staffing": "staffing-firm",
    "agency": "staffing-firm",
    "thanks": "thank-you",
    "thankyou": "thank-you",
    "followup": "follow-up",
    "status": "follow-up",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def choice(enum: type[E], text: str, field: str) -> E:
    """The enum member a user meant, accepting common synonyms; else a message listing all."""
    word = text.strip().lower().replace("_", "-")
    word = _SYNONYMS.get(word, word)
    try:
        return enum(word)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise UsageError(f"{field}: '{text}' is not one of {allowed}.") from None


def channel(text: str | None, field: str = "--channel") -> Channel | None:
    return choice(Channel, text, field) if text else None


def roles(texts: list[str] | None, field: str = "--role") -> frozenset[Role]:
    return frozenset(choice(Role, t, field) for t in texts or [])


def interview_format(text: str | None, field: str = "--kind") -> InterviewFormat | None:
    return choice(InterviewFormat, text, field) if text else None


def message_kind(text: str | None, field: str = "--kind") -> MessageKind | None:
    return choice(MessageKind, text, field) if text else None


_FIXED_ZONES = {
    "EST": "America/New_York",
    "MST": "America/Denver (or America/Phoenix, which keeps standard time all year)",
    "HST": "Pacific/Honolulu",
}
"""Old zone names with no daylight saving time: right in winter only, so refused with the zone
people mean."""

_ABBREVIATIONS = {
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata (or Europe/Dublin)",
    "CEST": "Europe/Berlin",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "JST": "Asia/Tokyo",
}
"""Abbreviations people type for a zone, which are not zones; the message names one that is."""

_NOT_PLACES = frozenset({"factory", "localtime"})


@lru_cache(maxsize=1)
def _zones_by_lower_name() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The time zones a person would pick from a list: regions and cities (plus UTC), not
    ``Etc/GMT+5``, the fixed-offset ``EST`` or old aliases like ``US/Eastern`` (which stay
    valid when typed)."""
    legacy = ("Etc/", "SystemV/", "US/", "posix/", "right/", "Canada/", "Mexico/", "Brazil/")
    names = {n for n in _zones_by_lower_name().values() if "/" in n and not n.startswith(legacy)}
    return tuple(sorted(names | {"UTC"}))


def zone(text: str | None, field: str = "--tz") -> str | None:
    """The IANA time zone meant by ``text``, in its canonical spelling: case does not matter
    (``america/denver``), nor spaces for underscores, and a city alone is enough when only one
    zone is named after it (``Denver``). Zones without daylight saving time that people pick by
    mistake (``EST``, ``MST``, ``HST``) and abbreviations (``PST``) are refused with the zone
    to use instead."""
    if not text:
        return None
    cleaned = text.strip()
    word = "_".join(cleaned.split()).lower()
    upper = word.upper()
    if upper in _FIXED_ZONES:
        raise UsageError(
            f"{field}: '{cleaned}' keeps standard time all year, so it is an hour off in summer; "
            f"use the place's zone, e.g. {_FIXED_ZONES[upper]}."
        )
    if upper in _ABBREVIATIONS:
        raise UsageError(
            f"{field}: '{cleaned}' is an abbreviation, not a time zone; use the place's zone, "
            f"e.g. {_ABBREVIATIONS[upper]}."
        )
    if word in _NOT_PLACES:
        raise UsageError(
            f"{field}: '{cleaned}' is not a place's time zone; use a name like "
            "'America/New_York' or 'Europe/Berlin'."
        )
    found = _zones_by_lower_name().get(word)
    if found is None and "/" not in word and word:
        cities = [n for n in zone_names() if n.lower().rsplit("/", 1)[-1] == word]
        found = cities[0] if len(cities) == 1 else None
    try:
        return check_zone(found or cleaned, field)
    except ConfigError as exc:
        raise UsageError(exc.message) from None


def country(text: str | None, field: str = "--country") -> str | None:
    if not text:
        return None
    from jobnudge.playbook.calendar import is_known_country

    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha() or not is_known_country(code):
        raise UsageError(
            f"{field}: '{text}' is not a two-letter country code with known public holidays; "
            "use an ISO 3166 code like US, GB, DE or IN."
        )
    return code


def email(text: str | None, field: str = "--email") -> str:
    if not text:
        return ""
    cleaned = text.strip()
    if not _EMAIL.match(cleaned):
        raise UsageError(
            f"{field}: '{text}' is not an email address; write it like name@example.com."
        )
    return cleaned


def name(text: str, field: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise UsageError(f"{field}: must not be empty.")
    if len(cleaned) > 200:
        raise UsageError(f"{field}: is {len(cleaned)} characters long; keep it under 200.")
    return cleaned


def url(text: str | None, field: str = "--posting") -> str:
    if not text:
        return ""
    cleaned = text.strip()
    if not re.match(r"^https?://\S+$", cleaned):
        raise UsageError(f"{field}: '{text}' is not a web address; it should start with https://.")
    return cleaned
