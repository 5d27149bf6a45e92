"""Taking an event back: the Undo offered after a board move, and the delete control on each
timeline entry. Both remove one event in one transaction that also re-plans the follow-ups and
the stage, so every page (kept ones too) shows the search without it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Event, EventType, Opportunity, Stage, stage_of
from jobnudge.web import forms
from jobnudge.web.context import call, context, redirect

if TYPE_CHECKING:
    from jobnudge.services.session import Session

# The events that can change an opportunity's stage (see jobnudge.domain.stage_of).
DECISIVE = frozenset(
    {
        EventType.APPLIED,
        EventType.SCHEDULED,
        EventType.INTERVIEWED,
        EventType.OFFER,
        EventType.REJECTED,
        EventType.WITHDRAWN,
        EventType.NO_RESPONSE,
    }
)


@dataclass(frozen=True)
class Removed:
    """What deleting an event did: the event, its opportunity and the stage that is left."""

    event: Event
    opportunity: Opportunity | None
    stage: Stage | None


def remove_event(session: Session, event_id: int) -> Removed:
    """Delete one of the user's events (an undo) and bring its follow-ups up to date.

    Another user's id answers NotFound before anything is written.
    """
    from jobnudge.services import nudges

    store, owner = session.store, session.owner
    store.event(owner, event_id)
    opportunity: Opportunity | None = None
    stage: Stage | None = None
    with store.transaction() as tx:
        event = tx.delete_event(owner, event_id)
        if event.opportunity_id is not None:
            stage = nudges.refresh(store, tx, owner, event.opportunity_id, session.settings)
            opportunity = tx.opportunity(owner, event.opportunity_id)
        nudges.refresh_search(store, tx, owner, session.settings, session.now)
    return Removed(event, opportunity, stage)


def title(event: Event) -> str:
    """How the timeline names an event: "Offer", "Interview scheduled"."""
    from jobnudge.web.routes.opportunity import EVENT_TITLES

    return EVENT_TITLES.get(event.type, event.type.value)


def last_step(events: Sequence[Event]) -> tuple[Event, Stage] | None:
    """The latest event that put the opportunity in its stage, and the stage it had without
    it (where undoing that event takes it back to); None when no event decides the stage."""
    current = stage_of(events)
    for event in sorted(events, key=lambda e: (e.at, e.id), reverse=True):
        if event.type not in DECISIVE:
            continue
        before = stage_of(e for e in events if e.id != event.id)
        if before != current:
            return event, before
    return None


def safe_path(value: object, default: str) -> str:
    """A path on this site to return to (never another site)."""
    text = value if isinstance(value, str) else ""
    return text if text.startswith("/") and not text.startswith("//") else default


async def delete(request: Request) -> Response:
    """Delete an event after its confirmation (the timeline) or at once (Undo after a move)."""
    from jobnudge.web.format import stage as stage_word

    ctx = await context(request)
    form = await forms.read(ctx)
    removed = await call(remove_event, ctx.session, int(request.path_params["event"]))
    opp, what = removed.opportunity, title(removed.event)
    home = f"/opportunities/{opp.id}" if opp else "/"
    back = safe_path(form.get("next"), home)
    if opp is None:
        return redirect(ctx, back, f"Deleted “{what}”.")
    now_in = stage_word(removed.stage.value if removed.stage else "")
    if form.get("undo"):
        message = f"Undid “{what}” on {opp.company} — {opp.role}: now {now_in}."
    else:
        message = f"Deleted “{what}” from the timeline: {opp.company} — {opp.role} is now {now_in}."
    return redirect(ctx, back, message)


ROUTES = [
    Route("/events/{event:int}/delete", delete, methods=["POST"]),
]
