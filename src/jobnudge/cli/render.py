"""How records look in a terminal (Rich, readable at 80 columns) and in JSON (stable keys).

The JSON forms are an interface: documented in docs/cli.md and tested key by key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge import plural, text_safety
from jobnudge.domain import Channel, Contact, Event, Opportunity, Stage
from jobnudge.playbook.wording import title

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook

    from jobnudge.services.nudges import AgendaItem

GROUP_TITLES = {"overdue": "Overdue", "today": "Due now", "upcoming": "Next 7 days"}
MORE = {"overdue": "overdue", "today": "due now", "upcoming": "coming up"}
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


def iso(value: datetime | None, tz: str) -> str | None:
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes") if value else None


def when(value: datetime, tz: str, now: datetime | None = None) -> str:
    """'Sat 20 Dec 09:00'; with the year when it is not ``now``'s year in ``tz``."""
    zone = ZoneInfo(tz)
    local = value.astimezone(zone)
    year = f" {local.year}" if now is not None and now.astimezone(zone).year != local.year else ""
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


def event_when(event: Event, tz: str, now: datetime | None = None) -> str:
    """When an event happened, as a timeline shows it: "date unknown" when no day was given."""
    return "date unknown" if event.date_unknown else when(event.at, tz, now)


def contact_time(value: datetime, contact_tz: str | None, name: str | None, tz: str) -> str:
    """'(3:10 pm for Dana)' when the contact lives on another clock than the user."""
    if not contact_tz or contact_tz == tz or not name:
        return ""
    local = value.astimezone(ZoneInfo(contact_tz))
    if local.utcoffset() == value.astimezone(ZoneInfo(tz)).utcoffset():
        return ""
    hour = local.strftime("%I:%M %p").lstrip("0").lower()
    return f"{hour} for {name.split()[0]}"


def agenda_json(items: Sequence[AgendaItem], tz: str) -> list[dict[str, Any]]:
    return [
        {
            "id": item.row.short_id,
            "key": item.row.key,
            "rule": item.row.rule,
            "group": item.group,
            "opportunity_id": item.row.opportunity_id,
            "company": item.row.company,
            "role": item.row.role,
            "contact": item.row.contact,
            "contact_id": item.row.contact_id,
            "contact_tz": item.row.contact_tz,
            "channel": item.row.channel.value if item.row.channel else None,
            "due": iso(item.row.due, tz),
            "due_by": iso(item.row.due_by, tz),
            "ok_now": item.ok_now,
            "blocked_by": list(item.nudge.blocked_by),
            "reason": item.row.reason,
            "message": item.row.message,
        }
        for item in items
    ]


PER_GROUP = 20
"""Rows a group of the agenda table shows unless asked for all: a long backlog stays readable
(and quick to print); the JSON form always lists everything."""


def agenda(
    items: Sequence[AgendaItem], tz: str, now: datetime, *, limit: int | None = PER_GROUP
) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not items:
        out.print(
            "Nothing to follow up on in the next 7 days. Record what happens with "
            "[bold]nudge add[/] and [bold]nudge log[/]; the follow-ups appear here."
        )
        return
    out.print(f"[bold]Follow-ups[/] as of {when(now, tz)} ({tz})")
    for group in ("overdue", "today", "upcoming"):
        rows = [i for i in items if i.group == group]
        if not rows:
            continue
        colour = {"overdue": "red", "today": "yellow", "upcoming": "cyan"}[group]
        table = Table(
            title=Text(f"{GROUP_TITLES[group]} ({len(rows)})", style=f"bold {colour}"),
            title_justify="left",
            show_lines=True,
            expand=True,
            pad_edge=False,
        )
        table.add_column("id", no_wrap=True, style="dim", width=7)
        table.add_column("due", no_wrap=False, width=13)
        table.add_column("follow-up", ratio=1)
        table.add_column("via", no_wrap=True, width=9)
        shown = rows if limit is None else rows[:limit]
        for item in shown:
            row = item.row
            who = row.contact or ("—" if row.opportunity_id is None else "hiring team")
            what = Text()
            if row.company:
                what.append(f"{row.company}", style="bold")
                what.append(f" · {row.role}\n")
            what.append(title(row.rule), style=colour)
            if row.channel is not None or row.contact:
                what.append(f" → {who}")
            what.append(f"\n{row.reason}", style="dim")
            due = when(row.due, tz)
            extra = contact_time(row.due, row.contact_tz, row.contact, tz)
            if extra:
                due += f"\n({extra})"
            via = CHANNEL_ICONS[row.channel] if row.channel else "—"
            mark = "[green]ready[/]" if item.ok_now else "[dim]wait[/]"
            table.add_row(row.short_id, due, what, f"{via}\n{mark}")
        out.print(table)
        if len(shown) < len(rows):
            out.print(
                f"[dim]… and {len(rows) - len(shown)} more {MORE[group]}: "
                f"[bold]nudge today --all[/] lists {plural.noun(len(rows) - len(shown), 'it')}.[/]"
            )


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
    }


def event_line(event: Event, tz: str, names: dict[int, str]) -> str:
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
        parts.append(f"({event.nudge_key.split(':')[0]})")
    if event.note:
        parts.append(f"— {event.note}")
    return " ".join(parts)
