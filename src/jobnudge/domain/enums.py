"""The vocabularies shared by records, rules, storage and the command line.

Values are the words users type and the words stored and exported, so they never change meaning.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """How a message travels."""

    EMAIL = "email"
    CALL = "call"
    VOICEMAIL = "voicemail"
    TEXT = "text"
    CARD = "card"
    IN_PERSON = "in-person"

    @property
    def is_voice(self) -> bool:
        """Calls and voicemails ring someone's phone, so call hours apply."""
        return self in _VOICE


class Role(StrEnum):
    """What a contact is to the job seeker."""

    INTERVIEWER = "interviewer"
    HR = "hr"
    RECRUITER = "recruiter"
    STAFFING = "staffing-firm"
    REFERRER = "referrer"
    REFERENCE = "reference"


class EventType(StrEnum):
    """Everything a user can record about an opportunity; the source of truth for its stage."""

    APPLIED = "applied"
    SCHEDULED = "scheduled"  # an interview was scheduled
    INTERVIEWED = "interviewed"
    SENT = "sent"  # a message from the user, in any channel
    RECEIVED = "received"  # a message from the employer or a contact, in any channel
    REFERENCES = "references"  # references were handed to the employer
    OFFER = "offer"
    ACCEPTED = "accepted"  # the user accepted the offer
    DECLINED = "declined"  # the user declined the offer
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no-response"  # closed by the user after silence
    NOTE = "note"
    NUDGE_DONE = "nudge-done"
    NUDGE_SNOOZED = "nudge-snoozed"
    NUDGE_DISMISSED = "nudge-dismissed"


class MessageKind(StrEnum):
    """What a message was for; lets the playbook tell a thank-you from a status check."""

    THANK_YOU = "thank-you"
    FOLLOW_UP = "follow-up"
    CONFIRMATION = "confirmation"
    UPDATE = "update"
    NOTE = "note"


class InterviewFormat(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    ONSITE = "onsite"


class Stage(StrEnum):
    """Where an opportunity stands, derived from its events."""

    LEAD = "lead"  # recorded, not applied yet
    APPLIED = "applied"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no-response"

    @property
    def is_closed(self) -> bool:
        return self in _CLOSED

    @property
    def is_active(self) -> bool:
        """Still in motion: the employer may yet answer or act."""
        return self in _ACTIVE


# Built once: the properties above are read for every rule of every opportunity.
_VOICE = frozenset({Channel.CALL, Channel.VOICEMAIL})
_CLOSED = frozenset({Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_RESPONSE})
_ACTIVE = frozenset({Stage.APPLIED, Stage.INTERVIEWING})


# How pages and messages name an event: "Interview scheduled", "You wrote".
EVENT_TITLES = {
    EventType.APPLIED: "Applied",
    EventType.SCHEDULED: "Interview scheduled",
    EventType.INTERVIEWED: "Interviewed",
    EventType.SENT: "You wrote",
    EventType.RECEIVED: "They wrote",
    EventType.REFERENCES: "References given",
    EventType.OFFER: "Offer",
    EventType.ACCEPTED: "You accepted the offer",
    EventType.DECLINED: "You declined the offer",
    EventType.REJECTED: "Rejected",
    EventType.WITHDRAWN: "You withdrew",
    EventType.NO_RESPONSE: "Closed: no response",
    EventType.NOTE: "Note",
    EventType.NUDGE_DONE: "Follow-up done",
    EventType.NUDGE_SNOOZED: "Follow-up snoozed",
    EventType.NUDGE_DISMISSED: "Follow-up dismissed",
}
