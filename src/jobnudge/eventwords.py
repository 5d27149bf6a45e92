"""How a timeline names an event for people, alike on the terminal, the pages and in exports.

A follow-up marked done, snoozed or dismissed is stored with the key of the nudge it decided
("references.heads-up:4:7:*"); people read the rule's title ("Give your references a
heads-up"), never the key, the rule id or the event's stored type ("nudge-snoozed").
"""

from __future__ import annotations

from jobnudge.domain import Event, EventType
from jobnudge.domain.enums import EVENT_TITLES
from jobnudge.playbook import titles

DECISIONS = frozenset({EventType.NUDGE_DONE, EventType.NUDGE_SNOOZED, EventType.NUDGE_DISMISSED})


def rule_of(event: Event) -> str | None:
    """The id of the rule whose follow-up ``event`` decided or answered, if any."""
    return event.nudge_key.split(":", 1)[0] if event.nudge_key else None


def follow_up(event: Event) -> str:
    """The title of the follow-up ``event`` concerns ("Send a thank-you"), or ""."""
    rule = rule_of(event)
    return titles.title(rule) if rule else ""


def title(event: Event) -> str:
    """What the event was: "Interview scheduled", "Follow-up snoozed: Give your references a
    heads-up"."""
    base = EVENT_TITLES.get(event.type, "Entry")
    if event.type in DECISIONS and event.nudge_key:
        return f"{base}: {follow_up(event)}"
    return base


def answering(event: Event) -> str:
    """For a message sent for a follow-up, which one: 'for "Send a thank-you"'; else ""."""
    if event.type in DECISIONS or not event.nudge_key:
        return ""
    return f"for “{follow_up(event)}”"
