"""Which events count as what the user did and which as the employer's turn.

Shared by the weekly review and the caseload page (``services``) and by the partial indexes
that answer the caseload's questions (``store.tables``): an index serves a query only while
both name the same types, so both take them from here.
"""

from __future__ import annotations

from jobnudge.domain.enums import EventType

ANSWERS = frozenset(
    {
        EventType.RECEIVED,
        EventType.SCHEDULED,
        EventType.INTERVIEWED,
        EventType.OFFER,
        EventType.REJECTED,
    }
)
"""What counts as the employer answering: a reply, an interview set up or held, an outcome."""
USER_ACTIONS = frozenset(
    {
        EventType.APPLIED,
        EventType.SENT,
        EventType.INTERVIEWED,
        EventType.REFERENCES,
        EventType.ACCEPTED,
        EventType.DECLINED,
        EventType.WITHDRAWN,
        EventType.NO_RESPONSE,
        EventType.NUDGE_DONE,
    }
)
"""Events that record something the user did (the "done this week" list)."""
WAITING_AFTER = frozenset(
    {EventType.APPLIED, EventType.SENT, EventType.INTERVIEWED, EventType.REFERENCES}
)
"""After one of these (and before any answer) the ball is in the employer's court."""
TURNS = WAITING_AFTER | ANSWERS
"""The events that pass the turn between the user and the employer."""
