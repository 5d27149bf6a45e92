"""One process's share of the cohort numbers, from the plain values the store reads.

The same rules as :meth:`services.cohort.Tally.add` (which works on records and stays the
reference the tests compare with), folded in one pass over a process's events: the stage
before each event is carried along instead of being worked out again from its history, and
times are naive UTC as stored, so an organisation's millions of rows build no records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from jobnudge.domain import EventType, Stage
from jobnudge.domain.activity import ANSWERS
from jobnudge.services.review import ANSWER_WAIT, ASKING_KINDS, FADED_AFTER

if TYPE_CHECKING:
    from jobnudge.services.cohort import Tally

Row = tuple[str, datetime, str | None, str | None, bool]  # type, at, channel, kind, unknown

_APPLIED = EventType.APPLIED.value
_SENT = EventType.SENT.value
_INTERVIEWED = EventType.INTERVIEWED.value
_ANSWERS = frozenset(t.value for t in ANSWERS)
_ASKING = frozenset(None if k is None else k.value for k in ASKING_KINDS)
_CLOSING = {
    EventType.OFFER.value: Stage.OFFER,
    EventType.REJECTED.value: Stage.REJECTED,
    EventType.WITHDRAWN.value: Stage.WITHDRAWN,
    EventType.DECLINED.value: Stage.WITHDRAWN,
    EventType.NO_RESPONSE.value: Stage.NO_RESPONSE,
}
_OPENING = {
    EventType.SCHEDULED.value: (
        (Stage.LEAD, Stage.APPLIED, Stage.NO_RESPONSE),
        Stage.INTERVIEWING,
    ),
    EventType.INTERVIEWED.value: (
        (Stage.LEAD, Stage.APPLIED, Stage.NO_RESPONSE),
        Stage.INTERVIEWING,
    ),
    EventType.APPLIED.value: ((Stage.LEAD, Stage.NO_RESPONSE), Stage.APPLIED),
}
_ENDINGS = {
    EventType.OFFER.value: "offer",
    EventType.REJECTED.value: "rejection",
    EventType.WITHDRAWN.value: "withdrawn",
    EventType.NO_RESPONSE.value: "no response",
}
_STEP = {s: s.value.replace("-", " ") for s in Stage}
_ACTIVE = frozenset(s.value for s in Stage if s.is_active)


def fold(
    tally: Tally,
    who: int,
    source: str,
    stage: str,
    last_at: datetime,
    history: Sequence[Row],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
) -> None:
    """Add one process (``history`` in time order; all times naive UTC) to ``tally``."""
    # Which events ask for an answer, and the stage each one was asked in.
    asked: list[tuple[int, Stage]] = []
    current = Stage.LEAD
    for i, (kind_of, _, _, kind, _) in enumerate(history):
        if kind_of == _APPLIED or (kind_of == _SENT and kind in _ASKING and not current.is_closed):
            asked.append((i, current))
        closing = _CLOSING.get(kind_of)
        if closing is not None:
            current = closing
        else:
            opening = _OPENING.get(kind_of)
            if opening is not None and current in opening[0]:
                current = opening[1]
    by = tally.by
    where = source.strip() or "not recorded"
    for place, (index, before) in enumerate(asked):
        kind_of, at, channel, _, unknown = history[index]
        if unknown or not start <= at < end:
            continue
        stop = asked[place + 1][0] if place + 1 < len(asked) else len(history)
        outcome: tuple[int, bool, float | None] = (who, False, None)
        for j in range(index + 1, stop):
            answer = history[j]
            if answer[0] in _ANSWERS:  # answered; how fast only when its day is known
                hours = None if answer[4] else (answer[1] - at).total_seconds() / 3600
                outcome = (who, True, hours)
                break
        else:
            if stop == len(history) and now - at < ANSWER_WAIT:
                continue  # still within its wait: not known yet
        step = "application" if kind_of == _APPLIED else _STEP[before]
        by["channel"][channel or "not recorded"].append(outcome)
        by["stage"][step].append(outcome)
        by["source"][where].append(outcome)
    ending = None
    for kind_of, at, _, _, unknown in history:
        if unknown or not start <= at < end:
            continue
        if kind_of == _APPLIED:
            tally.applications += 1
            tally.applicants.add(who)
        elif kind_of == _INTERVIEWED:
            tally.interviews += 1
        if kind_of in _ENDINGS:
            ending = _ENDINGS[kind_of]
    if ending is not None:
        tally.endings[ending].append(who)
    elif stage in _ACTIVE:
        faded_at = last_at + FADED_AFTER
        if start <= faded_at < end and faded_at <= now:
            tally.endings["faded"].append(who)
