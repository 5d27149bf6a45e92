"""The weekly review: what the user did, what is due, how the pipeline is doing, and how often
and how fast employers answer, by channel, by stage and by source.

The response rate measures the employer answering what asked for an answer: applications, and
the messages that ask a question (follow-ups, and messages logged without a kind, which the
playbook also reads as status questions). A thank-you, a confirmation, an update or a note asks
for nothing, so silence after one is no failure: they are left out, as is everything sent once
the process had closed (the gracious note, the later reconnect) and every message only to or
from the people who referred the user or stand as references. An answer is a reply from the
employer, an interview set up or held, an offer or a rejection, arriving before the user's next
question; a question is unanswered once the next one is sent or :data:`ANSWER_WAIT` passes.
An answer or a question whose day is unknown (a status imported without a date) still counts
as answered, but gives no time to the answer: its recorded moment is the import's.

The closure rate is the share of ended processes that ended clearly (an offer, a rejection, a
withdrawal or an explicit "no response") rather than faded (active, silent for
:data:`FADED_AFTER`).

Pure arithmetic over the events (:func:`compute`), read in one query by :func:`weekly`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge.domain import (
    Contact,
    Event,
    EventType,
    MessageKind,
    Opportunity,
    Role,
    Stage,
    stage_of,
)
from jobnudge.domain.activity import ANSWERS, USER_ACTIONS, WAITING_AFTER

if TYPE_CHECKING:
    from jobnudge.services.session import Session

ASKING_KINDS: frozenset[MessageKind | None] = frozenset({MessageKind.FOLLOW_UP, None})
"""The kinds of message that ask the employer for an answer (None: logged without a kind)."""
NETWORK_ROLES = frozenset({Role.REFERRER, Role.REFERENCE})
"""Contacts with only these roles are the user's network, not the employer."""
ANSWER_WAIT = timedelta(days=14)
"""An outreach unanswered for this long counts as unanswered (before: still pending)."""
FADED_AFTER = timedelta(days=30)
"""An active opportunity with no event for this long has faded rather than closed."""


@dataclass(frozen=True)
class Rate:
    """How often (and how fast) outreach in one group got an answer."""

    label: str
    asked: int  # outreach whose outcome is known (answered, or unanswered for long enough)
    answered: int
    median_hours: float | None  # median time to the answer

    @property
    def rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


@dataclass(frozen=True)
class Activity:
    event: Event
    opportunity: Opportunity | None


@dataclass(frozen=True)
class Review:
    week_start: date  # a Monday, in the user's zone
    week_end: date  # the Sunday
    done: list[Activity]
    done_counts: Mapping[str, int]
    weekly: list[tuple[date, int]]  # user actions per week, oldest first
    stages: Mapping[Stage, int]
    active: int
    waiting: int  # active, with the ball in the employer's court
    closed_explicitly: int
    faded: int
    by_channel: list[Rate]
    by_stage: list[Rate]
    by_source: list[Rate]
    due_overdue: int = 0
    due_this_week: int = 0
    pending_outreach: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def closure_rate(self) -> float | None:
        ended = self.closed_explicitly + self.faded
        return self.closed_explicitly / ended if ended else None

    @property
    def overall(self) -> Rate:
        asked = sum(r.asked for r in self.by_channel)
        answered = sum(r.answered for r in self.by_channel)
        return Rate("all", asked, answered, None)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def network_of(contacts: Iterable[Contact]) -> frozenset[int]:
    """The ids of the contacts who are only referrers or references (not the employer)."""
    return frozenset(c.id for c in contacts if c.roles and c.roles <= NETWORK_ROLES)


def _with_network_only(event: Event, network: Collection[int]) -> bool:
    """A message only to or from referrers or references (not one with the employer)."""
    return (
        event.type in (EventType.SENT, EventType.RECEIVED)
        and bool(event.contact_ids)
        and all(cid in network for cid in event.contact_ids)
    )


def asks_for_answer(event: Event, before: Sequence[Event], network: Collection[int]) -> bool:
    """Whether ``event`` (after ``before``) asks the employer for an answer: an application,
    or a question (:data:`ASKING_KINDS`) to the employer while the process is open."""
    if event.type is EventType.APPLIED:
        return True
    return (
        event.type is EventType.SENT
        and event.kind in ASKING_KINDS
        and not _with_network_only(event, network)
        and not stage_of(before).is_closed
    )


def is_answer(event: Event, network: Collection[int]) -> bool:
    """Whether ``event`` is the employer answering (a message from the network is not)."""
    return event.type in ANSWERS and not _with_network_only(event, network)


def _rates(groups: Mapping[str, list[tuple[bool, float | None]]]) -> list[Rate]:
    out = []
    for label, outcomes in groups.items():
        hours = [h for _, h in outcomes if h is not None]
        out.append(
            Rate(
                label,
                asked=len(outcomes),
                answered=sum(answered for answered, _ in outcomes),
                median_hours=statistics.median(hours) if hours else None,
            )
        )
    return sorted(out, key=lambda r: (-r.asked, r.label))


def compute(
    opportunities: Sequence[tuple[Opportunity, Stage]],
    events: Iterable[Event],
    *,
    now: datetime,
    tz: str,
    week_start: date,
    weeks: int = 8,
    network: Collection[int] = frozenset(),
) -> Review:
    """The review of the week starting ``week_start`` (a Monday in ``tz``), as seen at ``now``;
    ``network``: the ids of the contacts who are only referrers or references."""
    zone = ZoneInfo(tz)
    start = datetime.combine(week_start, time(0), zone)
    end = start + timedelta(days=7)
    by_id = {o.id: o for o, _ in opportunities}
    per_opp: dict[int, list[Event]] = defaultdict(list)
    loose: list[Event] = []
    for event in events:
        if event.opportunity_id is None:
            loose.append(event)
        else:
            per_opp[event.opportunity_id].append(event)

    done = [
        Activity(e, by_id.get(e.opportunity_id) if e.opportunity_id is not None else None)
        for evs in (*per_opp.values(), loose)
        for e in evs
        if e.type in USER_ACTIONS and not e.date_unknown and start <= e.at < end
    ]
    done.sort(key=lambda a: (a.event.at, a.event.id))
    done_counts = Counter(a.event.type.value for a in done)

    first_week = week_start - timedelta(weeks=weeks - 1)
    weekly_counts: Counter[date] = Counter()
    for evs in (*per_opp.values(), loose):
        for e in evs:
            if e.type in USER_ACTIONS and not e.date_unknown:
                monday = week_of(e.at.astimezone(zone).date())
                if first_week <= monday <= week_start:
                    weekly_counts[monday] += 1
    weekly = [(first_week + timedelta(weeks=i), 0) for i in range(weeks)]
    weekly = [(monday, weekly_counts[monday]) for monday, _ in weekly]

    stages: Counter[Stage] = Counter(stage for _, stage in opportunities)
    active = waiting = explicit = faded = pending = 0
    # Per outreach: answered, and the hours to the answer when both days are known.
    by_channel: dict[str, list[tuple[bool, float | None]]] = defaultdict(list)
    by_stage: dict[str, list[tuple[bool, float | None]]] = defaultdict(list)
    by_source: dict[str, list[tuple[bool, float | None]]] = defaultdict(list)
    for opp, stage in opportunities:
        evs = sorted(per_opp.get(opp.id, ()), key=lambda e: (e.at, e.id))
        if stage.is_active:
            active += 1
            latest = [
                e
                for e in evs
                if e.type in WAITING_AFTER | ANSWERS and not _with_network_only(e, network)
            ]
            if latest and latest[-1].type in WAITING_AFTER:
                waiting += 1
            dated = [e for e in evs if not e.date_unknown]
            if dated and now - dated[-1].at > FADED_AFTER:
                faded += 1
        elif stage is not Stage.LEAD:
            explicit += 1
        outreach = [i for i, e in enumerate(evs) if asks_for_answer(e, evs[:i], network)]
        for place, index in enumerate(outreach):
            sent = evs[index]
            stop = outreach[place + 1] if place + 1 < len(outreach) else len(evs)
            answer = next((e for e in evs[index + 1 : stop] if is_answer(e, network)), None)
            outcome: tuple[bool, float | None]
            if answer is not None and (answer.date_unknown or sent.date_unknown):
                outcome = (True, None)  # answered on a day nobody wrote down
            elif answer is not None:
                outcome = (True, (answer.at - sent.at).total_seconds() / 3600)
            elif stop < len(evs) or now - sent.at >= ANSWER_WAIT:
                outcome = (False, None)
            else:
                pending += 1
                continue
            channel = sent.channel.value if sent.channel else "not recorded"
            step = (
                "application"
                if sent.type is EventType.APPLIED
                else stage_of(evs[:index]).value.replace("-", " ")
            )
            by_channel[channel].append(outcome)
            by_stage[step].append(outcome)
            by_source[opp.source.strip() or "not recorded"].append(outcome)
    return Review(
        week_start=week_start,
        week_end=week_start + timedelta(days=6),
        done=done,
        done_counts=dict(done_counts),
        weekly=weekly,
        stages=dict(stages),
        active=active,
        waiting=waiting,
        closed_explicitly=explicit,
        faded=faded,
        by_channel=_rates(by_channel),
        by_stage=_rates(by_stage),
        by_source=_rates(by_source),
        pending_outreach=pending,
    )


def weekly(session: Session, week_start: date | None = None) -> Review:
    """The review for the user of ``session`` (default: the current week)."""
    from jobnudge.services import nudges
    from jobnudge.store.insights import all_events

    tz = session.tz
    today = session.now.astimezone(ZoneInfo(tz)).date()
    monday = week_of(week_start or today)
    opportunities = session.store.opportunities(session.owner)
    review = compute(
        opportunities,
        all_events(session.store, session.owner),
        now=session.now,
        tz=tz,
        week_start=monday,
        network=network_of(session.store.contacts(session.owner)),
    )
    items = nudges.agenda(session, days=7)
    return replace(
        review,
        due_overdue=sum(1 for i in items if i.group == "overdue"),
        due_this_week=len(items),
    )
