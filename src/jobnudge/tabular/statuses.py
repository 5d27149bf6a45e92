"""What a spreadsheet's status column means, as jobnudge events.

A status names how far an application got. It becomes the one event that puts the opportunity
in that stage (the application itself comes from the "date applied" column): "phone screen" is
a first-round phone interview, "interview 2" a second-round interview, "ghosted" a close after
silence (no-response). Statuses of a lead ("wishlist", "bookmarked") record no event.
Statuses in German, French, Spanish and Dutch are read as the English one they mean
(``status_languages``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jobnudge.domain import EventType, InterviewFormat
from jobnudge.tabular import status_languages

_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
}


@dataclass(frozen=True)
class Status:
    """What a status word means: the event it records (None: a lead or plain application)."""

    event: EventType | None
    applied: bool = True  # the status implies the application was sent
    round: int | None = None
    format: InterviewFormat | None = None
    label: str = ""  # how the dry run names it


LEAD = Status(None, applied=False, label="lead (not applied yet)")
APPLIED = Status(None, label="applied")

_EXACT: dict[str, Status] = {}


def _add(status: Status, *words: str) -> None:
    for word in words:
        _EXACT[word] = status


_add(
    LEAD,
    "lead",
    "wishlist",
    "wish list",
    "bookmarked",
    "saved",
    "interested",
    "to apply",
    "applying",
    "not applied",
    "not yet applied",
    "draft",
    "prospect",
    "researching",
    "idea",
)
_add(
    APPLIED,
    "applied",
    "application sent",
    "application submitted",
    "submitted",
    "sent",
    "in review",
    "under review",
    "in progress",
    "pending",
    "waiting",
    "awaiting response",
    "awaiting reply",
    "app submitted",
    "cv sent",
    "resume sent",
    "active",
    "open",
)
_SCREEN = Status(
    EventType.INTERVIEWED, round=1, format=InterviewFormat.PHONE, label="phone screen (round 1)"
)
_add(
    _SCREEN,
    "phone screen",
    "phone screening",
    "screen",
    "screening",
    "screened",
    "recruiter screen",
    "recruiter call",
    "hr call",
    "hr screen",
    "phone interview",
    "phone call",
    "initial call",
    "intro call",
)
_add(Status(EventType.OFFER, label="offer"), "offer", "offered", "offer received", "negotiating")
_add(
    Status(EventType.OFFER, label="offer (accepted)"),
    "accepted",
    "offer accepted",
    "hired",
    "signed",
)
_add(
    Status(EventType.REJECTED, label="rejected"),
    "rejected",
    "rejection",
    "declined",
    "not selected",
    "no offer",
    "turned down",
    "position filled",
    "role filled",
    "unsuccessful",
    "closed",
    "no",
    "denied",
    "refused",
)
_add(
    Status(EventType.NO_RESPONSE, label="no response (ghosted)"),
    "ghosted",
    "no response",
    "no reply",
    "no answer",
    "no news",
    "silence",
    "stale",
    "expired",
    "dead",
    "never heard back",
)
_add(
    Status(EventType.WITHDRAWN, label="withdrawn"),
    "withdrawn",
    "withdrew",
    "withdraw",
    "not interested",
    "declined offer",
    "offer declined",
    "i declined",
    "archived",
    "cancelled",
    "canceled",
)

KNOWN_EXAMPLES = "applied, phone screen, interview 2, offer, rejected, ghosted, withdrawn, wishlist"

_ROUND = re.compile(
    r"\b(?:round|interview|int|r)\s*#?\s*(\d{1,2})\b|\b(\d{1,2})\s*(?:st|nd|rd|th)?\s*(?:round|interview)\b"
)
_SPACES = re.compile(r"[\s_\-/:.()]+")


def _interview(text: str) -> Status | None:
    words = text.split()
    if (
        not any(
            w.startswith(("interview", "onsite", "on site", "final", "technical", "panel", "round"))
            for w in words
        )
        and "on site" not in text
    ):
        return None
    number: int | None = None
    if match := _ROUND.search(text):
        number = int(match.group(1) or match.group(2))
    for word, value in _ORDINALS.items():
        if word in words:
            number = value
    fmt: InterviewFormat | None = None
    if "phone" in words:
        fmt = InterviewFormat.PHONE
    elif "video" in words or "zoom" in words or "teams" in words or "virtual" in words:
        fmt = InterviewFormat.VIDEO
    elif "onsite" in words or "on site" in text or "in person" in text:
        fmt = InterviewFormat.ONSITE
    if number is None and ("final" in words or "onsite" in words or "on site" in text):
        number = 2
    rounds = number or 1
    if rounds < 1 or rounds > 20:
        return None
    label = f"interview (round {rounds}" + (f", {fmt.value})" if fmt else ")")
    return Status(EventType.INTERVIEWED, round=rounds, format=fmt, label=label)


@lru_cache(maxsize=4096)
def read_status(text: str) -> Status | None:
    """The meaning of a status cell; None when it is not one jobnudge knows."""
    cleaned = _SPACES.sub(" ", text.casefold()).strip()
    if not cleaned:
        return APPLIED
    if cleaned in _EXACT:
        return _EXACT[cleaned]
    english = _outcome(cleaned)
    if english is not None:
        return english
    abroad = status_languages.in_english(text)
    if abroad is not None:
        return read_status(abroad)
    interview = _interview(cleaned)
    if interview is not None:
        return interview
    for needle, status in (
        ("screen", _SCREEN),
        ("applied", APPLIED),
        ("wish", LEAD),
    ):
        if needle in cleaned:
            return status
    return None


def _outcome(cleaned: str) -> Status | None:
    """The outcome a word inside a longer English status settles ("rejected after round 2")."""
    for needle, status in (
        ("ghost", _EXACT["ghosted"]),
        ("no response", _EXACT["ghosted"]),
        ("withdr", _EXACT["withdrawn"]),
        ("declined offer", _EXACT["withdrawn"]),
        ("reject", _EXACT["rejected"]),
        ("not selected", _EXACT["rejected"]),
        ("offer", _EXACT["offer"]),
    ):
        if needle in cleaned:
            return status
    return None
