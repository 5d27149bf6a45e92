"""Reading a submitted form: the CSRF check, then each field validated with a message naming it.

Errors are collected field by field, so a form with three mistakes says all three at once; the
route re-renders the form with the user's values and a 4xx status, and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from starlette.datastructures import FormData

from jobnudge.errors import NudgeError, UsageError
from jobnudge.timeparse import Tense
from jobnudge.web import security
from jobnudge.web.context import Ctx, ReadOnly

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

MAX_FIELD = 5_000

# Field names in the services' messages (the command line's), and the form fields they mean.
_FIELDS = {
    "COMPANY": "company",
    "ROLE": "role",
    "NAME": "name",
    "OPPORTUNITY": "opportunity",
    "EVENT": "event",
    "--with": "with",
    "--at": "at",
    "--for": "for",
    "--round": "round",
    "--kind": "kind",
    "--decision-by": "decision_by",
    "--prefers": "prefers",
    "--channel": "channel",
    "--note": "note",
    "--applied": "applied",
    "--posting": "posting",
    "--via": "via",
    "--referred-by": "referred_by",
    "--recruiter": "recruiter",
    "--staffing-firm": "staffing_firm",
    "--contact": "contact",
    "--company": "company",
    "--email": "email",
    "--tz": "tz",
    "--country": "country",
    "--role": "roles",
    "--salutation": "salutation",
    "--until": "until",
    "--reason": "reason",
    "contact": "contact",
    "name": "name",
    "password": "password",
    "current": "current",
    "invitation": "invitation",
    "coach": "coach",
    "text": "text",
    "channel": "channel",
    "template": "template",
    "email_to": "email_to",
}
_PREFIX = re.compile(r"^([A-Za-z_\-.]+( [a-z_.]+)?): ")

_WEB_WORDS = (
    (
        re.compile(r"use ISO 8601 like '([^']*)' or a phrase like"),
        r"write a date like 2026-03-05, a time like '\1', or a phrase like",
    ),
    (re.compile(r"use an ISO 3166 code like"), "use the two-letter country code, like"),
    (
        re.compile(r"is not an IANA time zone; use a name like"),
        "is not a time zone jobnudge knows; choose one from the list, like",
    ),
    (re.compile(r"`nudge today` shows when and why"), "Today shows when and why"),
    (
        re.compile(r"; change them with `nudge contact edit [^`]*`\."),
        "; open them from Contacts to change their details.",
    ),
    (
        re.compile(r"\(`nudge log [^`]*no-response`\)"),
        "(on its page: Something else, then “Close it: no response”)",
    ),
    (
        re.compile(r"; add it to the contact with `nudge contact edit [^`]*`\."),
        "; add it on their page in Contacts.",
    ),
    (re.compile(r" ?\(`nudge [^`]*`\)"), ""),  # any other command hint in brackets
)
"""The command line's words in the services' messages, as a web page says them."""

_STARTS_BARE = re.compile(r"^(is|are|must|has|have|should|cannot|can't|needs?|no|not)\b")


def web_words(message: str) -> str:
    """A message shared with the command line, in the web's words (no ISO numbers or
    commands to type)."""
    for pattern, replacement in _WEB_WORDS:
        message = pattern.sub(replacement, message)
    return message


def label_of(field: str) -> str:
    """A form field's name as a label, for messages that would otherwise not name it."""
    return field.replace("_", " ").capitalize()


class Invalid(Exception):
    """The form has mistakes: ``errors`` maps each field (or "" for the form) to a message."""

    def __init__(self, errors: Mapping[str, str], status: int = 422) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
        self.status = status


def split_message(message: str) -> tuple[str, str]:
    """(form field, message without the field prefix) for a service's error message."""
    message = web_words(message)
    found = _PREFIX.match(message)
    if found:
        name = found.group(1)
        if name in _FIELDS:
            return _FIELDS[name], message[found.end() :]
        for key in _FIELDS:  # "settings: profile.tz: ..." and the like
            if message.startswith(key):
                return _FIELDS[key], message
    return "", message


def sentence(field: str, message: str, label: str | None = None) -> str:
    """``message`` as a sentence about ``field``: one that starts "is …" or "must …" gets the
    field's label in front, so it still says which field it means."""
    if field and _STARTS_BARE.match(message):
        return f"{label or label_of(field)} {message}"
    return message[:1].upper() + message[1:]


def from_error(exc: NudgeError, labels: Mapping[str, str] | None = None) -> Invalid:
    field, message = split_message(exc.message)
    return Invalid({field: sentence(field, message, (labels or {}).get(field))}, exc.http_status)


async def read(ctx: Ctx, *, allow_read_only: bool = False) -> FormData:
    """The submitted form, after the CSRF check (and refused for a coach's read-only view)."""
    form = await ctx.request.form()
    security.check_csrf(ctx.request, form)
    if ctx.read_only and not allow_read_only:
        raise ReadOnly()
    return form


class Fields:
    """Typed access to a form, collecting a message per bad field."""

    def __init__(self, form: Mapping[str, Any]) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def _fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def raw(self, name: str) -> str:
        value = self.form.get(name, "")
        return value if isinstance(value, str) else ""

    def text(
        self, name: str, label: str, *, required: bool = False, max_length: int = MAX_FIELD
    ) -> str:
        value = self.raw(name).strip()
        if required and not value:
            self._fail(name, f"{label} is required.")
        elif len(value) > max_length:
            self._fail(
                name, f"{label} is {len(value)} characters long; keep it under {max_length}."
            )
        return value

    def many(self, name: str) -> list[str]:
        getter = getattr(self.form, "getlist", None)
        values = getter(name) if getter else [self.form.get(name, "")]
        return [v.strip() for v in values if isinstance(v, str) and v.strip()]

    def check(
        self, name: str, function: Callable[[], T], default: T, *, label: str | None = None
    ) -> T:
        """Run a validator that raises a NudgeError; record its message under ``name``."""
        try:
            return function()
        except NudgeError as exc:
            self._fail(name, sentence(name, split_message(exc.message)[1], label))
            return default

    def when(
        self,
        name: str,
        label: str,
        tz: str,
        base: datetime,
        *,
        tense: Tense = Tense.ANY,
        required: bool = False,
        future: str = "",
        country: str = "",
    ) -> datetime | None:
        """A typed moment read as the command line reads it; with ``Tense.PAST`` a moment
        still to come is refused (with ``future`` as the message, when the form has a better
        way to say what to do)."""
        from jobnudge.timeparse import happened, read_when

        text = self.raw(name).strip()
        if not text:
            if required:
                self._fail(name, f"{label} is required, e.g. 'tomorrow 2pm' or '2026-03-05 14:30'.")
            return None
        value = self.check(
            name,
            lambda: read_when(text, field=label, tz=tz, base=base, tense=tense, country=country),
            None,
        )
        if value is None or tense is not Tense.PAST or value <= base:
            return value
        if future:
            self._fail(name, future)
        else:
            self.check(name, lambda: happened(value, field=label, now=base, tz=tz), None)
        return None

    def day(
        self,
        name: str,
        label: str,
        tz: str,
        base: datetime,
        *,
        tense: Tense = Tense.ANY,
        country: str = "",
    ) -> date | None:
        from jobnudge.timeparse import parse_day

        text = self.raw(name).strip()
        if not text:
            return None
        return self.check(
            name,
            lambda: parse_day(text, field=label, tz=tz, base=base, tense=tense, country=country),
            None,
        )

    def number(
        self, name: str, label: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        text = self.raw(name).strip()
        if not text:
            return None
        if not re.fullmatch(r"-?\d{1,9}", text):
            self._fail(name, f"{label} must be a whole number, not '{text[:40]}'.")
            return None
        value = int(text)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = (
                f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            )
            self._fail(name, f"{label} must be {bounds}.")
            return None
        return value

    def choice(self, name: str, label: str, enum: type[E], *, required: bool = False) -> E | None:
        from jobnudge.services import validate

        text = self.raw(name).strip()
        if not text:
            if required:
                self._fail(name, f"{label} is required.")
            return None
        return self.check(name, lambda: validate.choice(enum, text, label), None)

    def done(self) -> None:
        if self.errors:
            raise Invalid(self.errors)


def usage(field: str, message: str) -> Invalid:
    return Invalid({field: message})


__all__ = [
    "Fields",
    "Invalid",
    "UsageError",
    "from_error",
    "label_of",
    "read",
    "sentence",
    "split_message",
    "usage",
    "web_words",
]
