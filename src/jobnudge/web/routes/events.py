"""Taking an event back: the Undo offered after a board move, and the delete control on each
timeline entry. Both remove one event in one transaction that also re-plans the follow-ups and
the stage, so every page (kept ones too) shows the search without it."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jobnudge.domain import Event, EventType, Stage, stage_of
from jobnudge.services import deleting
from jobnudge.web import forms
from jobnudge.web.context import call, context, redirect

# The events that can change an opportunity's stage (see jobnudge.domain.stage_of).
DECISIVE = frozenset(
    {
        EventType.APPLIED,
        EventType.SCHEDULED,
        EventType.INTERVIEWED,
        EventType.OFFER,
        EventType.DECLINED,
        EventType.REJECTED,
        EventType.WITHDRAWN,
        EventType.NO_RESPONSE,
    }
)


def title(event: Event) -> str:
    """How the timeline names an event: "Offer", "Interview scheduled"."""
    from jobnudge import eventwords

    return eventwords.title(event)


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
    """Delete an event after its confirmation (the timeline, with an Undo after it) or at once
    (the Undo after a board move, which is not itself kept to be undone)."""
    from jobnudge.web.format import stage as stage_word
    from jobnudge.web.routes.deletions import with_undo

    ctx = await context(request)
    form = await forms.read(ctx)
    taking_back = bool(form.get("undo"))
    done = await call(
        deleting.delete_event,
        ctx.session,
        int(request.path_params["event"]),
        keep=not taking_back,
    )
    assert done.event is not None
    opp, what = done.opportunity, title(done.event)
    home = f"/opportunities/{opp.id}" if opp else "/"
    back = with_undo(safe_path(form.get("next"), home), done)
    if opp is None:
        return redirect(ctx, back, f"Deleted “{what}”.")
    now_in = stage_word(done.stage.value if done.stage else "")
    if taking_back:
        message = f"Undid “{what}” on {opp.company} — {opp.role}: now {now_in}."
    else:
        message = f"Deleted “{what}” from the timeline: {opp.company} — {opp.role} is now {now_in}."
    return redirect(ctx, back, message)


ROUTES = [
    Route("/events/{event:id}/delete", delete, methods=["POST"]),
]
