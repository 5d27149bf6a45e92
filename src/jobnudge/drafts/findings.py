"""What the checker reports: a code, how serious it is, where, and what to do about it.

Codes are stable (users switch them off by name in ``[checks] off``); messages are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from jobnudge.plain import Plain, setup


class Severity(StrEnum):
    """How much a finding matters. The checker informs; only recording a message with an
    error as sent asks the user to be sure."""

    ERROR = "error"  # almost certainly wrong: the wrong company, a misspelled name
    WARNING = "warning"  # probably worth changing
    HINT = "hint"  # a suggestion

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "hint": 2}[self.value]


CODES: Mapping[str, str] = {
    "wrong-company": "names another employer from your pipeline (in full, by a distinctive part "
    "of its name, or misspelt), misspells the right one, or names none",
    "wrong-recipient": "an address that is not the contact's and not on the company's domains",
    "no-address": "the contact has no e-mail address (or, for a call or a text, no phone "
    "number) on record, and the message names none",
    "name-spelling": "a name close to, but not the same as, a contact's",
    "formality": "a first name or casual greeting to someone who has not invited first names",
    "too-long": "longer than the channel's limit in the playbook settings",
    "pleading": "hard-luck or begging language",
    "missing-thanks": "no thanks to the reader",
    "missing-offer-to-help": "no offer to answer further questions",
    "spelling": "a word the dictionary does not know",
    "placeholder": "a slot or placeholder left unfilled",
    "timing": "the playbook says now is not the time to send this",
}
"""Every checker code and what it means; the keys are what ``[checks] off`` accepts."""


class Finding(Plain):
    """One problem in a draft. ``start``/``end`` index the checked text; both are 0 when the
    finding is about the message as a whole (its timing, something it lacks)."""

    __slots__ = _fields = ("code", "severity", "start", "end", "message")
    code: str
    severity: Severity
    start: int
    end: int
    message: str

    def __init__(self, code: str, severity: Severity, start: int, end: int, message: str) -> None:
        setup(self, "code", code)
        setup(self, "severity", severity)
        setup(self, "start", start)
        setup(self, "end", end)
        setup(self, "message", message)

    def excerpt(self, text: str) -> str:
        """The part of ``text`` the finding points at ("" for whole-message findings)."""
        return text[self.start : self.end]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form for ``--json`` output."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "message": self.message,
        }
