"""How records look in a terminal (Rich, readable at 80 columns) and in JSON (stable keys).

The JSON forms are an interface: documented in docs/cli.md and tested key by key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jobnudge import eventwords, text_safety
from jobnudge.cli import agendaview, terminal
from jobnudge.cli.agendaview import (
    GROUP_TITLES,
    MORE,
    PER_GROUP,
    contact_time,
    iso,
    when,
)
from jobnudge.domain import Channel, Contact, Event, EventType, Opportunity, Stage

__all__ = ["GROUP_TITLES", "MORE", "PER_GROUP", "contact_time", "iso", "when"]

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook

    from jobnudge.services.nudges import AgendaItem

CHANNEL_ICONS = {
    Channel.EMAIL: "email",
    Channel.CALL: "call",
    Channel.VOICEMAIL: "voicemail",
    Channel.TEXT: "text",
    Channel.CARD: "card",
    Channel.IN_PERSON: "in person",
}


def console() -> Console:
    """A Rich console on the terminal that shows stored text as text: every control
    character in what it renders becomes a visible symbol (``text_safety.printable``), while
    its own colour codes pass. Values put into markup strings still need ``escape``."""
    import sys

    from rich.console import Console

    out = Console(file=text_safety.unwrapped(sys.stdout), highlight=False, soft_wrap=False)
    out.push_render_hook(_printable_hook())
    return out


def _printable_hook() -> RenderHook:
    from rich.console import RenderHook
    from rich.segment import Segment

    class Printable:
        def __init__(self, inner: ConsoleRenderable) -> None:
            self.inner = inner

        def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
            for segment in console.render(self.inner, options):
                if segment.control:
                    yield segment
                else:
                    yield Segment(text_safety.printable(segment.text), segment.style)

    class Hook(RenderHook):
        def process_renderables(
            self, renderables: list[ConsoleRenderable]
        ) -> list[ConsoleRenderable]:
            return [Printable(r) for r in renderables]

    return Hook()


def event_when(event: Event, tz: str, now: datetime | None = None) -> str:
    """When an event happened, as a timeline shows it: "date unknown" when no day was given."""
    return "date unknown" if event.date_unknown else when(event.at, tz, now)


def line_of(item: AgendaItem) -> agendaview.Line:
    """An assessed agenda item in the plain values the agenda's renderer takes."""
    row = item.row
    return agendaview.Line(
        short_id=row.short_id,
        key=row.key,
        rule=row.rule,
        group=item.group,
        opportunity_id=row.opportunity_id,
        company=row.company,
        role=row.role,
        contact=row.contact,
        contact_id=row.contact_id,
        contact_tz=row.contact_tz,
        channel=row.channel.value if row.channel else None,
        due=row.due,
        due_by=row.due_by,
        blocked_by=item.nudge.blocked_by,
        reason=row.reason,
        message=row.message,
    )


def agenda_json(items: Sequence[AgendaItem], tz: str) -> list[dict[str, Any]]:
    return agendaview.json_rows([line_of(item) for item in items], tz)


def agenda(
    items: Sequence[AgendaItem], tz: str, now: datetime, *, limit: int | None = PER_GROUP
) -> None:
    """Print the agenda table (``agendaview.text``, the fast path's renderer too)."""
    import sys

    out = text_safety.unwrapped(sys.stdout)  # the renderer makes stored text printable itself
    lines = [line_of(item) for item in items]
    width = terminal.terminal_width()
    out.write(
        agendaview.text(
            lines, tz, now, limit=limit, width=width, paint=terminal.Paint.for_stream(out)
        )
    )
    out.flush()


def opportunity_json(opp: Opportunity, stage: Stage) -> dict[str, Any]:
    return {
        "id": opp.id,
        "company": opp.company,
        "role": opp.role,
        "stage": stage.value,
        "source": opp.source,
        "posting_url": opp.posting_url,
        "responds_within_days": opp.responds_within_days,
        "referrer_id": opp.referrer_id,
        "staffing_firm_id": opp.staffing_firm_id,
        "recruiter_id": opp.recruiter_id,
        "priority": opp.priority,
        "notes": opp.notes,
    }


def contact_json(contact: Contact, company: str | None) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.name,
        "company": company,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "tz": contact.tz,
        "country": contact.country,
        "prefers": contact.prefers.value if contact.prefers else None,
        "first_name_ok": contact.first_name_ok,
        "roles": sorted(r.value for r in contact.roles),
        "salutation": contact.salutation,
    }


def event_json(event: Event, tz: str, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type.value,
        "at": iso(event.at, tz),
        "date_unknown": event.date_unknown,
        "with": [names.get(c, str(c)) for c in event.contact_ids],
        "channel": event.channel.value if event.channel else None,
        "kind": event.kind.value if event.kind else (event.format.value if event.format else None),
        "round": event.round,
        "scheduled_for": iso(event.scheduled_for, tz),
        "decision_by": event.decision_by.isoformat() if event.decision_by else None,
        "prefers": event.prefers.value if event.prefers else None,
        "note": event.note,
        "title": eventwords.title(event),
        "follow_up": eventwords.follow_up(event) or None,
    }


def event_line(event: Event, tz: str, names: dict[int, str]) -> str:
    """A timeline entry after its date: the words ``nudge log`` takes ("scheduled video with
    Dana Lee for ..."), and a decided follow-up by its title (``eventwords``)."""
    if event.type in eventwords.DECISIONS:
        parts = [eventwords.title(event)]
        if event.until and event.type is EventType.NUDGE_SNOOZED:
            parts.append(f"until {when(event.until, tz)}")
        if event.note:
            parts.append(f"— {event.note}")
        return " ".join(parts)
    parts = [event.type.value]
    if event.kind:
        parts.append(event.kind.value)
    if event.format:
        parts.append(event.format.value)
    if event.round:
        parts.append(f"round {event.round}")
    if event.channel and event.type.value in ("sent", "received"):
        parts.append(f"by {event.channel.value}")
    if event.contact_ids:
        parts.append("with " + ", ".join(names.get(c, f"#{c}") for c in event.contact_ids))
    if event.scheduled_for:
        parts.append(f"for {when(event.scheduled_for, tz)}")
    if event.decision_by:
        parts.append(
            f"decision by {event.decision_by:%a} {event.decision_by.day} {event.decision_by:%b}"
        )
    if event.prefers:
        parts.append(f"prefers {event.prefers.value}")
    if event.nudge_key:
        parts.append(f"({eventwords.answering(event)})")
    if event.note:
        parts.append(f"— {event.note}")
    return " ".join(parts)
