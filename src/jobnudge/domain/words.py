"""The words a person may type for each vocabulary, beside its own values.

Each vocabulary has its own synonyms: "phone" is a call when it names a channel but a phone
interview when it names an interview's format, so one table for all would turn one into the
other. docs/cli.md lists every word; a test checks the two agree and feeds each word through the
command line and the web forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from jobnudge.domain.enums import Channel, EventType, InterviewFormat, MessageKind, Role, Stage

SYNONYMS: Mapping[type[StrEnum], Mapping[str, str]] = {
    Channel: {
        "mail": "email",
        "e-mail": "email",
        "phone": "call",
        "phone-call": "call",
        "telephone": "call",
        "voice-mail": "voicemail",
        "voice-message": "voicemail",
        "sms": "text",
        "text-message": "text",
        "letter": "card",
        "note-card": "card",
        "thank-you-card": "card",
        "inperson": "in-person",
        "face-to-face": "in-person",
    },
    InterviewFormat: {
        "call": "phone",
        "phone-call": "phone",
        "phone-screen": "phone",
        "telephone": "phone",
        "video-call": "video",
        "virtual": "video",
        "online": "video",
        "on-site": "onsite",
        "in-person": "onsite",
        "inperson": "onsite",
        "face-to-face": "onsite",
    },
    MessageKind: {
        "thanks": "thank-you",
        "thankyou": "thank-you",
        "thank-you-note": "thank-you",
        "followup": "follow-up",
        "status": "follow-up",
        "status-check": "follow-up",
        "check-in": "follow-up",
        "confirm": "confirmation",
        "news": "update",
        "other": "note",
    },
    Role: {
        "hiring-manager": "interviewer",
        "human-resources": "hr",
        "talent-acquisition": "recruiter",
        "sourcer": "recruiter",
        "staffing": "staffing-firm",
        "agency": "staffing-firm",
        "staffing-agency": "staffing-firm",
        "referral": "referrer",
        "referee": "reference",
    },
    Stage: {
        "leads": "lead",
        "saved": "lead",
        "submitted": "applied",
        "interview": "interviewing",
        "interviews": "interviewing",
        "interviewed": "interviewing",
        "offered": "offer",
        "offers": "offer",
        "rejection": "rejected",
        "withdrew": "withdrawn",
        "ghosted": "no-response",
        "no-reply": "no-response",
        "noresponse": "no-response",
    },
}
"""Per vocabulary: a synonym (in the normal form of ``normal``) and the value it means."""

EVENT_WORDS: Mapping[str, tuple[EventType, Channel | None]] = {
    "applied": (EventType.APPLIED, None),
    "scheduled": (EventType.SCHEDULED, None),
    "interviewed": (EventType.INTERVIEWED, None),
    "sent": (EventType.SENT, Channel.EMAIL),
    "received": (EventType.RECEIVED, Channel.EMAIL),
    "called": (EventType.SENT, Channel.CALL),
    "voicemail": (EventType.SENT, Channel.VOICEMAIL),
    "references": (EventType.REFERENCES, None),
    "offer": (EventType.OFFER, None),
    "accepted": (EventType.ACCEPTED, None),
    "declined": (EventType.DECLINED, None),
    "rejected": (EventType.REJECTED, None),
    "withdrawn": (EventType.WITHDRAWN, None),
    "no-response": (EventType.NO_RESPONSE, None),
    "note": (EventType.NOTE, None),
}
"""What `nudge log OPPORTUNITY EVENT` accepts, and the event and channel each word records."""

EVENT_SYNONYMS: Mapping[str, str] = {
    "apply": "applied",
    "schedule": "scheduled",
    "booked": "scheduled",
    "interview-scheduled": "scheduled",
    "had-interview": "interviewed",
    "wrote": "sent",
    "emailed": "sent",
    "messaged": "sent",
    "heard-back": "received",
    "they-wrote": "received",
    "phoned": "called",
    "rang": "called",
    "left-voicemail": "voicemail",
    "voice-mail": "voicemail",
    "gave-references": "references",
    "refs": "references",
    "offered": "offer",
    "got-offer": "offer",
    "accept": "accepted",
    "accepted-offer": "accepted",
    "decline": "declined",
    "declined-offer": "declined",
    "turned-down-offer": "declined",
    "rejection": "rejected",
    "turned-down": "rejected",
    "withdrew": "withdrawn",
    "withdraw": "withdrawn",
    "ghosted": "no-response",
    "no-reply": "no-response",
    "noresponse": "no-response",
    "notes": "note",
    "comment": "note",
}
"""Other words for the events `nudge log` records, each naming one of ``EVENT_WORDS``."""

AMBIGUOUS_EVENTS: Mapping[str, str] = {
    "interview": "say 'scheduled' for an interview to come, or 'interviewed' for one that "
    "took place",
    "interviews": "say 'scheduled' for an interview to come, or 'interviewed' for one that "
    "took place",
    "call": "say 'called' for a call you made, 'scheduled' for a phone screen to come, or "
    "'interviewed' for one that took place",
    "reply": "say 'received' for a reply they sent, or 'sent' for one you sent",
    "email": "say 'sent' for an e-mail you sent, or 'received' for one they sent",
    "message": "say 'sent' for a message you sent, or 'received' for one they sent",
}
"""Words that name more than one event, and the question that settles which."""

_SEPARATORS = re.compile(r"[\s_-]+")


def normal(text: str) -> str:
    """A typed word in the form the tables use: lower case, one hyphen between its parts
    whether typed with spaces, underscores or hyphens, so "In person", "in_person" and
    "IN-PERSON" are one word."""
    return _SEPARATORS.sub("-", text.strip().lower()).strip("-")


def meaning(enum: type[StrEnum], text: str) -> str:
    """The value of ``enum`` that ``text`` names (a value or one of its synonyms), or the
    normal form of ``text`` when it names none."""
    word = normal(text)
    return SYNONYMS.get(enum, {}).get(word, word)


def event_word(text: str) -> str:
    """The `nudge log` event word that ``text`` names, or its normal form when it names none."""
    word = normal(text)
    return EVENT_SYNONYMS.get(word, word)
