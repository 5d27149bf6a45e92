"""The records and vocabularies of a job search, free of I/O."""

from jobnudge.domain.enums import (
    Channel,
    EventType,
    InterviewFormat,
    MessageKind,
    Role,
    Stage,
)
from jobnudge.domain.records import (
    Company,
    Contact,
    Event,
    History,
    Nudge,
    Opportunity,
    Posting,
    short_id,
    stage_of,
)

__all__ = [
    "Channel",
    "Company",
    "Contact",
    "Event",
    "EventType",
    "History",
    "InterviewFormat",
    "MessageKind",
    "Nudge",
    "Opportunity",
    "Posting",
    "Role",
    "Stage",
    "short_id",
    "stage_of",
]
