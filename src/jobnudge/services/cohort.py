"""Cohort numbers for a coach's caseload or a whole organisation, over a chosen period.

The same measures as the weekly review (``services.review``), summed over people: the response
rate by channel, by stage and by source with the median time to an answer (outreach sent in
the period; an answer is judged as in the review, so outreach still within its two weeks and
unanswered is left out); interviews per application (both logged in the period); and how
processes ended in the period (an offer, a rejection, a withdrawal or "no response", against
fading: active but silent for 30 days).

An event whose day is unknown (a status imported without a date, recorded at the import's
moment only to order it) places nothing in a period and makes nothing fade; an answer of that
kind counts as answered, with no time to it (left out of the median), since the day it came
is not known (docs/career-centres.md).

Organisation-wide, a cell drawn from fewer than :data:`MIN_PEOPLE` people is suppressed (its
numbers are not shown or exported), so nobody's own search can be read out of the totals.
:func:`compute` and :class:`Tally` are pure; :func:`numbers` reads and scopes, a slice of
people at a time (``store.org_reads.cohort_processes``, folded by ``services.cohort_fold``), so
10,000 people's millions of events are never held at once nor made into records.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge.bounds import FIRST_YEAR, LAST_YEAR
from jobnudge.domain import EventType, Opportunity, Stage, stage_of
from jobnudge.errors import UsageError
from jobnudge.services.cohort_fold import fold
from jobnudge.services.review import ANSWER_WAIT, FADED_AFTER, asks_for_answer, is_answer

if TYPE_CHECKING:
    from jobnudge.domain.records import Event
    from jobnudge.store import Store

MIN_PEOPLE = 5
MAX_DAYS = 731
ENDINGS = {
    EventType.OFFER: "offer",
    EventType.REJECTED: "rejection",
    EventType.WITHDRAWN: "withdrawn",
    EventType.NO_RESPONSE: "no response",
}
CLOSURE_ORDER = ("offer", "rejection", "withdrawn", "no response", "faded")
TABLES = ("channel", "stage", "source", "interviews", "closure")
COUNTED = frozenset(
    {
        EventType.APPLIED,
        EventType.SENT,
        EventType.RECEIVED,
        EventType.SCHEDULED,
        EventType.INTERVIEWED,
        EventType.OFFER,
        EventType.DECLINED,
        EventType.REJECTED,
        EventType.WITHDRAWN,
        EventType.NO_RESPONSE,
    }
)
"""The events the numbers read: outreach, answers and what moves the stage (notes and the
rest count only as the latest sign of life, which the store reads as one date)."""


@dataclass(frozen=True)
class Cell:
    """One line of a table: ``people`` is how many job seekers it is drawn from."""

    label: str
    people: int
    count: int  # outreach with a known outcome; applications; processes ended this way
    answered: int = 0  # answered outreach; interviews
    median_hours: float | None = None
    share: float | None = None  # closure: of all processes ended in the period
    suppressed: bool = False

    @property
    def rate(self) -> float | None:
        return self.answered / self.count if self.count and not self.suppressed else None


@dataclass(frozen=True)
class Cohort:
    scope: str  # "caseload" or "organisation"
    start: date
    end: date  # inclusive
    people: int
    by_channel: list[Cell]
    by_stage: list[Cell]
    by_source: list[Cell]
    interviews: Cell  # count: applications, answered: interviews
    closure: list[Cell]

    @property
    def suppressing(self) -> bool:
        return self.scope == "organisation"


def _suppress(cell: Cell, on: bool) -> Cell:
    if not on or cell.people >= MIN_PEOPLE:
        return cell
    return Cell(cell.label, cell.people, 0, 0, None, None, suppressed=True)


Outcome = tuple[int, bool, float | None]
"""One outreach with a known outcome: who sent it, whether it was answered, and the hours to
the answer (None when unanswered, or when the answer's day is unknown: an imported status
without a date is an answer, but no time to it can be told)."""


OTHER_SOURCES = "other sources (each from fewer than 5 people)"


def _fold_small(groups: Mapping[str, list[Outcome]]) -> Mapping[str, list[Outcome]]:
    """Sources drawn from fewer than :data:`MIN_PEOPLE` people as one line: a source is text
    a job seeker typed ("referral from Jo at Acme"), so a line of its own would show it even
    with its numbers hidden."""
    small = [k for k, v in groups.items() if len({who for who, _, _ in v}) < MIN_PEOPLE]
    if not small:
        return groups
    kept = {k: v for k, v in groups.items() if k not in small}
    kept[OTHER_SOURCES] = [outcome for k in small for outcome in groups[k]]
    return kept


def _rates(
    groups: Mapping[str, list[Outcome]], suppress: bool, *, typed: bool = False
) -> list[Cell]:
    """One cell per group, small ones hidden when ``suppress``; ``typed`` groups (labels
    people typed) are first folded so that no small group's label is shown."""
    if suppress and typed:
        groups = _fold_small(groups)
    cells = []
    for label, outcomes in groups.items():
        hours = [h for _, _, h in outcomes if h is not None]
        cell = Cell(
            label,
            people=len({who for who, _, _ in outcomes}),
            count=len(outcomes),
            answered=sum(answered for _, answered, _ in outcomes),
            median_hours=statistics.median(hours) if hours else None,
        )
        cells.append(_suppress(cell, suppress))
    return sorted(cells, key=lambda c: (c.suppressed, -c.count, c.label))


class Tally:
    """The sums behind a :class:`Cohort`, added to one person at a time, so that an
    organisation of thousands is read a slice of people at a time and never held whole."""

    def __init__(self, *, start: datetime, end: datetime, now: datetime) -> None:
        self.start, self.end, self.now = start, end, now
        self.by: dict[str, dict[str, list[Outcome]]] = {
            k: defaultdict(list) for k in ("channel", "stage", "source")
        }
        self.applications = self.interviews = 0
        self.applicants: set[int] = set()
        self.endings: dict[str, list[int]] = defaultdict(list)
        self.people = 0

    def add(
        self,
        who: int,
        opps: Sequence[tuple[Opportunity, Stage]],
        evs: Sequence[Event],
    ) -> None:
        """One person's opportunities with stages and their events in time order (the
        reference :func:`services.cohort_fold.fold` must agree with, on records)."""
        start, end, now = self.start, self.end, self.now
        by = self.by
        self.people += 1
        per_opp: dict[int, list[Event]] = defaultdict(list)
        for e in evs:
            if e.opportunity_id is not None:
                per_opp[e.opportunity_id].append(e)
        for opp, stage in opps:
            history = per_opp.get(opp.id, [])
            outreach = [i for i, e in enumerate(history) if asks_for_answer(e, history[:i], ())]
            for place, index in enumerate(outreach):
                sent = history[index]
                if sent.date_unknown or not start <= sent.at < end:
                    continue
                stop = outreach[place + 1] if place + 1 < len(outreach) else len(history)
                answer = next((e for e in history[index + 1 : stop] if is_answer(e, ())), None)
                outcome: Outcome
                if answer is None and stop == len(history) and now - sent.at < ANSWER_WAIT:
                    continue  # still within its wait: not known yet
                if answer is None:
                    outcome = (who, False, None)
                elif answer.date_unknown:  # answered, but on a day nobody wrote down
                    outcome = (who, True, None)
                else:
                    outcome = (who, True, (answer.at - sent.at).total_seconds() / 3600)
                step = (
                    "application"
                    if sent.type is EventType.APPLIED
                    else stage_of(history[:index]).value.replace("-", " ")
                )
                channel = sent.channel.value if sent.channel else "not recorded"
                by["channel"][channel].append(outcome)
                by["stage"][step].append(outcome)
                by["source"][opp.source.strip() or "not recorded"].append(outcome)
            dated = [e for e in history if not e.date_unknown]
            for e in dated:
                if start <= e.at < end:
                    if e.type is EventType.APPLIED:
                        self.applications += 1
                        self.applicants.add(who)
                    elif e.type is EventType.INTERVIEWED:
                        self.interviews += 1
            closing = [e for e in dated if e.type in ENDINGS and start <= e.at < end]
            latest = dated[-1].at if dated else None
            if closing:
                self.endings[ENDINGS[closing[-1].type]].append(who)
            elif stage.is_active and latest is not None:
                faded_at = latest + FADED_AFTER
                if start <= faded_at < end and faded_at <= now:
                    self.endings["faded"].append(who)

    def result(self, *, scope: str, first: date, last: date) -> Cohort:
        suppress = scope == "organisation"
        endings = self.endings
        ended = sum(len(v) for v in endings.values())
        closure = [
            _suppress(
                Cell(
                    label,
                    people=len(set(endings.get(label, ()))),
                    count=len(endings.get(label, ())),
                    share=len(endings.get(label, ())) / ended if ended else None,
                ),
                suppress,
            )
            for label in CLOSURE_ORDER
        ]
        return Cohort(
            scope=scope,
            start=first,
            end=last,
            people=self.people,
            by_channel=_rates(self.by["channel"], suppress),
            by_stage=_rates(self.by["stage"], suppress),
            by_source=_rates(self.by["source"], suppress, typed=True),
            interviews=_suppress(
                Cell(
                    "interviews per application",
                    len(self.applicants),
                    self.applications,
                    self.interviews,
                ),
                suppress,
            ),
            closure=closure,
        )


def compute(
    searches: Mapping[int, tuple[Sequence[tuple[Opportunity, Stage]], Sequence[Event]]],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    scope: str,
    first: date,
    last: date,
) -> Cohort:
    """The numbers of ``searches`` (per person: opportunities with stages, their events in
    time order) for outreach and endings in [start, end), as seen at ``now``."""
    tally = Tally(start=start, end=end, now=now)
    for who, (opps, evs) in searches.items():
        tally.add(who, opps, evs)
    return tally.result(scope=scope, first=first, last=last)


def period(
    first: str,
    last: str,
    today: date,
    read: Callable[[str, str], date] | None = None,
) -> tuple[date, date]:
    """The period the form asked for (default: the last 90 days up to today). ``read`` reads
    a day as people type it ("1 Sept 2026", "a month ago", "today"), naming the field when it
    cannot; without it, only 2026-09-01."""

    def iso(text: str, field: str) -> date:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise UsageError(f"{field}: write the day like 2026-09-01.") from None

    def day(text: str, field: str, default: date) -> date:
        if not text.strip():
            return default
        found = (read or iso)(text.strip(), field)
        if not FIRST_YEAR <= found.year <= LAST_YEAR:
            raise UsageError(f"{field}: choose a day from {FIRST_YEAR} to {LAST_YEAR}.")
        return found

    end = day(last, "To", today)
    start = day(first, "From", end - timedelta(days=89) if not first.strip() else end)
    if start > end:
        raise UsageError("From: the period starts after it ends; swap the two days.")
    if (end - start).days > MAX_DAYS:
        raise UsageError(f"From: choose a period of at most {MAX_DAYS} days (two years).")
    return start, end


def numbers(
    store: Store, actor: int, scope: str, first: date, last: date, now: datetime, tz: str
) -> Cohort:
    """The numbers the acting user may see: their caseload (a coach or an administrator), or
    the organisation's (an administrator only; small cells suppressed)."""
    scope, _, _, ids = whose(store, actor, scope)
    return numbers_of(store, ids, scope, first, last, now, tz)


def whose(store: Store, actor: int, scope: str) -> tuple[str, int, int | None, list[int]]:
    """Whom the acting user's numbers cover: (scope, organisation, the coach or None for the
    whole organisation, the job seekers). An administrator alone sees the organisation's;
    anyone else outside a coach's role reads NotFound."""
    from jobnudge.services.orgs import admin_of, coach_of
    from jobnudge.store import orgs

    if scope == "organisation":
        me = admin_of(store, actor)
        return scope, me.org_id, None, orgs.seeker_ids(store, me.org_id)
    mine = coach_of(store, actor)
    return "caseload", mine.org_id, actor, seekers_of(store, actor)


def seekers_of(store: Store, coach: int) -> list[int]:
    from jobnudge.store import caseloads

    return [sid for sid, _, _ in caseloads.caseload(store, coach)]


def numbers_of(
    store: Store,
    ids: Sequence[int],
    scope: str,
    first: date,
    last: date,
    now: datetime,
    tz: str,
) -> Cohort:
    """The numbers of the job seekers ``ids`` (already scoped by the caller) for the days
    ``first`` to ``last`` in ``tz``, as seen at ``now``."""
    from jobnudge.store import org_reads

    zone = ZoneInfo(tz)
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    tally = Tally(start=start, end=end, now=now)
    naive = {
        "start": start.astimezone(UTC).replace(tzinfo=None),
        "end": end.astimezone(UTC).replace(tzinfo=None),
        "now": now.astimezone(UTC).replace(tzinfo=None),
    }
    # A process counts in the period only if it shows a sign of life in it or fades in it
    # (its latest event at most FADED_AFTER before the period's end): only those are read.
    for owners, processes in org_reads.cohort_processes(
        store, ids, start - FADED_AFTER, end, COUNTED
    ):
        tally.people += len(owners)
        for who, _, source, stage, last_at, history in processes:
            fold(tally, who, source, stage, last_at, history, **naive)
    return tally.result(scope=scope, first=first, last=last)
