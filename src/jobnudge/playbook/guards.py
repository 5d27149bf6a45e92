"""The guards that apply to every follow-up: user decisions, no hounding, and whether acting at a
given moment respects every rule (not too early; calls only inside the contact's call hours)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING

from jobnudge.domain import Event, EventType, Nudge
from jobnudge.playbook import acting, calendar, wording
from jobnudge.playbook.acting import CALL_HOURS, NOT_TOO_EARLY

if TYPE_CHECKING:
    from jobnudge.config import Playbook

# Rule ids whose message asks the employer the same question: "where do I stand?"
STATUS_QUESTIONS = ("apply.check-in", "interview.status-check", "silence.retry")

__all__ = ["CALL_HOURS", "NOT_TOO_EARLY", "NO_HOUNDING"]

NO_HOUNDING = "guard.no-hounding"

_DUE_THEN_KEY = attrgetter("due", "key")
"""The order of an opportunity's follow-ups."""


WAITS = frozenset({"apply.check-in", "interview.status-check"})
"""The status questions: each waits for a time to pass after its event, so an event whose day
is unknown but which happened by the moment it was recorded can time them from that moment
(later than the truth, never earlier): an application or interview imported without a date
still gets its check."""


def known_dates(nudges: Iterable[Nudge], events: Iterable[Event]) -> list[Nudge]:
    """Drop the follow-ups timed from an event whose day is unknown (a status imported
    without a date) that are due soon after it (a thank-you, a note after a rejection): a
    window from a day nobody gave would open and close at made-up moments. The status
    questions stay, timed from when the event was recorded (:data:`WAITS`)."""
    unknown = {e.id for e in events if e.date_unknown}
    return [n for n in nudges if n.rule in WAITS or n.anchor_event_id not in unknown]


def apply_decisions(nudges: Iterable[Nudge], decisions: Sequence[Event], tz: str) -> list[Nudge]:
    """Drop nudges marked done or dismissed; move snoozed ones to the snooze date."""
    closed = {
        e.nudge_key
        for e in decisions
        if e.type in (EventType.NUDGE_DONE, EventType.NUDGE_DISMISSED)
    }
    snoozed: dict[str, tuple[datetime, str]] = {}
    for e in sorted(decisions, key=lambda d: (d.at, d.id)):
        if e.type is EventType.NUDGE_SNOOZED and e.nudge_key and e.until:
            snoozed[e.nudge_key] = (e.until, e.note)  # the latest snooze wins
    out = []
    for nudge in nudges:
        if nudge.key in closed:
            continue
        until, why = snoozed.get(nudge.key, (None, ""))
        if until is not None and until > nudge.due:
            # A snooze made for a reason (an out-of-office reply) says that reason instead.
            nudge = replace(
                nudge,
                due=until,
                due_by=max(nudge.due_by, until) if nudge.due_by else None,
                reason=f"{nudge.reason} {why or f'Snoozed until {wording.moment(until, tz)}.'}",
            )
        out.append(nudge)
    return out


def no_hounding(
    nudges: list[Nudge],
    last_asked: datetime | None,
    cooldown_days: float,
    tz: str,
    order: Mapping[int, int] | None = None,
) -> list[Nudge]:
    """guard.no-hounding: one status question pending per opportunity (the newest situation
    wins), none inside the cool-down after the last one, and never two pending nudges of one rule
    for one contact.

    ``order`` ranks event ids by when the events happened, so an event logged late for an
    earlier date counts as the older situation; without it, ids stand for that order.
    """

    if len(nudges) < 2 and (
        last_asked is None or not nudges or nudges[0].rule not in STATUS_QUESTIONS
    ):
        return list(nudges)  # nothing to merge, nothing to hold back

    def newness(nudge: Nudge) -> int:
        anchor = nudge.anchor_event_id or 0
        return order.get(anchor, anchor) if order is not None else anchor

    questions = [n for n in nudges if n.rule in STATUS_QUESTIONS]
    keep_question = max(questions, key=lambda n: (newness(n), n.due), default=None)
    merged: dict[tuple[str, int | None], Nudge] = {}
    for nudge in nudges:
        if nudge.rule in STATUS_QUESTIONS and nudge is not keep_question:
            continue
        if nudge is keep_question and last_asked is not None:
            not_before = last_asked + calendar.span(cooldown_days)
            if not_before > nudge.due:
                nudge = replace(
                    nudge,
                    due=not_before,
                    due_by=max(nudge.due_by or not_before, not_before),
                    reason=f"{nudge.reason} You last asked on {wording.day(last_asked, tz)}, so "
                    f"not before {wording.day(not_before, tz)}: asking again sooner reads as "
                    "hounding.",
                )
        slot = (nudge.rule, nudge.contact_id)
        earlier = merged.get(slot)
        if earlier is None or newness(nudge) > newness(earlier):
            merged[slot] = nudge
    return sorted(merged.values(), key=_DUE_THEN_KEY)


def blocked_by(nudge: Nudge, country: str, numbers: Playbook, now: datetime) -> tuple[str, ...]:
    """The guards that acting on ``nudge`` at ``now`` would break; empty means go ahead."""
    voice = nudge.channel is not None and nudge.channel.is_voice
    hours = (numbers.call_start, numbers.call_end)
    return acting.blocked(now, nudge.due, voice, nudge.tz, country, hours)


def in_call_hours(now: datetime, tz: str, country: str, numbers: Playbook) -> bool:
    """Inside the contact's call hours, on one of their working days (guard.call-hours)."""
    return acting.in_call_hours(now, tz, country, (numbers.call_start, numbers.call_end))


def assess(nudge: Nudge, country: str, numbers: Playbook, now: datetime) -> Nudge:
    return replace(nudge, blocked_by=blocked_by(nudge, country, numbers, now))
