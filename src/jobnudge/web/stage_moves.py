"""Which way a card may move on the pipeline board: only forward, since moving it back would
record a step that did not happen. A drop on a column asks for the event that puts the card
there; a drop on Interviewing asks first whether the interview is scheduled or took place.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobnudge.domain import Stage


@dataclass(frozen=True)
class Move:
    label: str
    stage: Stage
    word: str | None  # the event it logs; None: ask about the interview first


MOVES = {
    "applied": Move("Applied", Stage.APPLIED, "applied"),
    "interviewing": Move("Interviewing…", Stage.INTERVIEWING, None),
    "offer": Move("Offer", Stage.OFFER, "offer"),
    "rejected": Move("Rejected", Stage.REJECTED, "rejected"),
    "withdrawn": Move("I withdrew", Stage.WITHDRAWN, "withdrawn"),
    "no-response": Move("No response", Stage.NO_RESPONSE, "no-response"),
}
"""Where a card can go, and the event each move logs."""
BACK_TO_LEADS = "lead"  # a drop on Leads: always a step back
MOVE_INTO = {
    "lead": BACK_TO_LEADS,
    "applied": "applied",
    "interviewing": "interviewing",
    "offer": "offer",
    "closed": "rejected",
}
"""What a drop on each column asks for (Closed asks how it ended first)."""
RANK = {
    Stage.LEAD: 0,
    Stage.APPLIED: 1,
    Stage.INTERVIEWING: 2,
    Stage.OFFER: 3,
    Stage.REJECTED: 4,
    Stage.WITHDRAWN: 4,
    Stage.NO_RESPONSE: 4,
}


def forward(current: Stage, target: Stage) -> bool:
    """Whether moving from ``current`` to ``target`` is a step that can happen next.

    After "no response" they may still answer: an interview or an offer re-opens it.
    """
    if current is Stage.NO_RESPONSE:
        return target in (Stage.INTERVIEWING, Stage.OFFER)
    return RANK[target] > RANK[current]


MOVES_FROM = {
    stage: [(key, move.label) for key, move in MOVES.items() if forward(stage, move.stage)]
    for stage in Stage
}
"""The moves each card's Move form offers."""
