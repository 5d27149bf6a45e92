"""Turning what a user typed into vocabulary values, with messages that name the field and fix."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from jobnudge import zones
from jobnudge.domain import Channel, InterviewFormat, MessageKind, Role, words
from jobnudge.errors import ConfigError, UsageError

E = TypeVar("E", bound=StrEnum)

_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_EMAIL = re.compile(
    rf"{_ATOM}(?:\.{_ATOM})*@(?:[^\W_](?:[\w-]{{0,61}}[^\W_])?\.)+(?:[^\W\d_]{{2,63}}|xn--[\w-]+)"
)
"""An address as people write one (RFC 5321's dot-atom local part, a domain of letters,
digits and hyphens): no quotes, brackets, spaces or control characters, so nothing in it can
be markup or a second header."""


def choice(enum: type[E], text: str, field: str) -> E:
    """The enum member a user meant, accepting its vocabulary's synonyms (``domain.words``);
    else a message listing all."""
    try:
        return enum(words.meaning(enum, text))
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise UsageError(f"{field}: '{text}' is not one of {allowed}.") from None


def event(text: str, field: str = "EVENT") -> str:
    """The `nudge log` event word a user meant, accepting its synonyms; else a message listing
    all."""
    word = words.event_word(text)
    if word in words.AMBIGUOUS_EVENTS:
        raise UsageError(
            f"{field}: '{text}' could mean more than one thing; {words.AMBIGUOUS_EVENTS[word]}."
        )
    if word not in words.EVENT_WORDS:
        raise UsageError(f"{field}: '{text}' is not one of {', '.join(words.EVENT_WORDS)}.")
    return word


def channel(text: str | None, field: str = "--channel") -> Channel | None:
    return choice(Channel, text, field) if text else None


def roles(texts: list[str] | None, field: str = "--role") -> frozenset[Role]:
    return frozenset(choice(Role, t, field) for t in texts or [])


def interview_format(text: str | None, field: str = "--kind") -> InterviewFormat | None:
    return choice(InterviewFormat, text, field) if text else None


def message_kind(text: str | None, field: str = "--kind") -> MessageKind | None:
    return choice(MessageKind, text, field) if text else None


def zone(text: str | None, field: str = "--tz") -> str | None:
    """The IANA time zone meant by ``text`` in its canonical spelling (see ``jobnudge.zones``)."""
    if not text:
        return None
    try:
        return zones.canonical(text, field)
    except ConfigError as exc:
        raise UsageError(exc.message) from None


def zone_names() -> tuple[str, ...]:
    return zones.zone_names()


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
    if len(cleaned) > 254 or not _EMAIL.fullmatch(cleaned):
        raise UsageError(
            f"{field}: '{text}' is not an email address; write it like name@example.com."
        )
    return cleaned


def name(text: str, field: str) -> str:
    """A name on one line: whitespace made single spaces, control characters refused, and
    a name of only invisible characters (zero-width spaces) counted as empty."""
    from jobnudge import text_safety

    cleaned = text_safety.trim(text_safety.line(text, field))
    if text_safety.is_blank(cleaned):
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
