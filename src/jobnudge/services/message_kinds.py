"""The kind of a message logged as sent without one (``nudge log acme sent``, the web's
"About: —"), and the time of an interview logged without one.

A message logged with its kind completes the pending follow-up asking for that kind; one logged
without it is taken for a pending follow-up only when it can be no other: the follow-ups that
fit it (started by something before it, not yet expired, to the people it names, and falling
due no more than :data:`EARLY` after it: a status question sent the day of the interview is not
the status check due a week later) all ask for the same kind. When several kinds fit it
completes none of them by a guess (it is kept as a note), and when none fits it keeps no kind;
either way the caller says what it was recorded as.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge.domain import Contact, Event, EventType, MessageKind, Nudge

if TYPE_CHECKING:
    from jobnudge.store import Tx


EARLY = timedelta(days=1)
"""How long before a follow-up falls due a message may still be that follow-up (a thank-you
sent in the afternoon, due towards the end of the day)."""


@dataclass(frozen=True)
class KindPick:
    """What a message logged without a kind was recorded as, and why."""

    kind: MessageKind | None  # as recorded: the one kind that fits, NOTE for several, else None
    fitting: tuple[Nudge, ...]  # the pending follow-ups it could have completed
    later: tuple[Nudge, ...] = ()  # the ones it could be but for falling due later

    @property
    def completes(self) -> Nudge | None:
        """The follow-up this message was taken for (the soonest, when one kind fits)."""
        kinds = {_kind(n) for n in self.fitting}
        return self.fitting[0] if len(kinds) == 1 else None

    def choices(self, later: bool = False) -> list[tuple[MessageKind, Nudge]]:
        """Each kind the fitting follow-ups (or those falling due ``later``) ask for, with the
        soonest one asking for it."""
        found: dict[MessageKind, Nudge] = {}
        for nudge in self.later if later else self.fitting:
            found.setdefault(_kind(nudge), nudge)
        return list(found.items())


def _kind(nudge: Nudge) -> MessageKind:
    from jobnudge.services.drafting import KIND_FOR_RULE

    return KIND_FOR_RULE[nudge.rule]


def pick(
    tx: Tx, owner: int, opportunity_id: int, people: Sequence[Contact], moment: datetime
) -> KindPick:
    """The kind to record for a message sent at ``moment`` to ``people`` (see the module)."""
    from jobnudge.services.drafting import KIND_FOR_RULE

    wanted = {p.id for p in people}
    started = {e.id: e.at for e in tx.events(owner, opportunity_id)}
    open_ = [
        n
        for n in tx.opportunity_nudges(owner, opportunity_id)
        if n.rule in KIND_FOR_RULE
        and (not wanted or n.contact_id in wanted)
        and (n.anchor_event_id is None or started.get(n.anchor_event_id, moment) <= moment)
        and (n.expires is None or moment <= n.expires)
    ]
    fitting = tuple(n for n in open_ if n.due <= moment + EARLY)
    later = tuple(n for n in open_ if n.due > moment + EARLY)
    kinds = {KIND_FOR_RULE[n.rule] for n in fitting}
    if len(kinds) == 1:
        return KindPick(kinds.pop(), fitting, later)
    return KindPick(MessageKind.NOTE if kinds else None, fitting, later)


def held_as_scheduled(events: Sequence[Event], now: datetime, tz: str) -> Event | None:
    """The interview scheduled for earlier today (in ``tz``) that no interview logged since
    records, the latest if several: one logged without a time the same day after it took
    place at its scheduled time, not at the moment of logging."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    held = [e.at for e in events if e.type is EventType.INTERVIEWED]
    due = [
        e
        for e in events
        if e.type is EventType.SCHEDULED
        and e.scheduled_for is not None
        and e.scheduled_for <= now
        and e.scheduled_for.astimezone(zone).date() == today
        and not any(at >= e.scheduled_for for at in held)
    ]
    return max(due, key=lambda e: e.scheduled_for or now, default=None)
