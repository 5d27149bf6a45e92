"""What an employer said about their timing, read from a row's notes and kept columns: a
decision date ("they decide by Fri 18 Dec", "Entscheidung bis 18.12.") and a response time
("response within 2 weeks").

A hand-kept tracker writes these down in free text, and the playbook must not plan a follow-up
before them (``guard.not-too-early``). A decision date goes on the row's latest interview,
else its application, as ``nudge log --decision-by`` does; a response time becomes the
opportunity's ``responds_within_days``. Only cells holding one of a few trigger words are
read, and a date that is not understood changes nothing: no guess is better than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from jobnudge.domain import EventType
from jobnudge.errors import UsageError
from jobnudge.postings.statements import response_days, sentences
from jobnudge.tabular.date_words import WEEKDAYS
from jobnudge.tabular.dates import ColumnOrder, DateProblem, Order, read_date
from jobnudge.timeparse import Tense, parse_day

if TYPE_CHECKING:
    from jobnudge.tabular.rows import RowPlan

TRIGGERS = (
    "decid",
    "decision",
    "hear",
    "know",
    "get back",
    "answer",
    "feedback",
    "respon",
    "reply",
    "entscheid",
    "bescheid",
    "rückmeld",
)
"""A cell is read only when it holds one of these (casefolded)."""

_DECISION = re.compile(
    r"\b(?:decid\w*|decision|hear(?:ing)?\s+back|let\s+(?:me|us|you|him|her|them)\s+know|"
    r"get(?:ting)?\s+back(?:\s+to\s+(?:me|us|you))?|answer|feedback|entscheid\w*|bescheid|"
    r"rückmeldung)\b[^.;:\n]{0,40}?"
    r"\b(?:by|until|before|bis(?:\s+zum|\s+spätestens)?)\s+(?P<when>[^;\n]{1,60})",
    re.IGNORECASE,
)
_WORDS = 6  # a date is at most "Friday, 18 December 2026" long
_STRIP = " ,;:!?()'\"“”"
_RELATIVE = re.compile(
    r"^(?:(?:next|this)\s+)?(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + ")$",
    re.IGNORECASE,
)
_TARGETS = (EventType.INTERVIEWED, EventType.SCHEDULED)


def _triggered(text: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in TRIGGERS)


def _day(words: str, order: Order, anchor: date) -> date | None:
    """The day ``words`` name, the next one on or after ``anchor`` when they give no year
    (the year rule of the row's planned dates); None when they name none."""
    other: Order = "mdy" if order == "dmy" else "dmy"
    for each in (order, other):  # "18/12" in a month-first file can only be day-first
        try:
            found = read_date(words, each, anchor, Tense.FUTURE).day
        except DateProblem:
            continue
        return found
    if _RELATIVE.match(words):  # "we decide by Friday": the reader of `nudge log`
        base = datetime.combine(anchor, time(12), UTC)
        try:
            return parse_day(words, field="decision", tz="UTC", base=base, tense=Tense.FUTURE)
        except (UsageError, ValueError):
            return None
    return None


def decision_day(text: str, order: Order, anchor: date) -> date | None:
    """The decision date a note states, read as the longest run of words after "by" that is
    a date ("by Fri 18 Dec, then call" → Fri 18 Dec)."""
    if not _triggered(text):
        return None
    for match in _DECISION.finditer(text):
        words = match["when"].split()[:_WORDS]
        for size in range(len(words), 0, -1):
            candidate = " ".join(words[:size]).strip(_STRIP)
            # A final full stop ends the sentence ("by 2026-12-18.") or the date ("18.12."):
            # the date with it first, then without.
            for tried in (candidate, candidate[:-1]) if candidate.endswith(".") else (candidate,):
                found = _day(tried, order, anchor) if tried else None
                if found is not None:
                    return found
    return None


def response_time(text: str) -> int | None:
    """The response time a note states, in days, within the posting reader's bounds."""
    if not _triggered(text):
        return None
    for sentence in sentences(text):
        found = response_days(sentence)
        if found is not None:
            return found
    return None


def apply(
    plan: RowPlan, texts: Iterable[str], orders: Mapping[int, ColumnOrder], today: date
) -> None:
    """Set the decision date on the row's latest interview (else its application) and the
    response time, from the first of ``texts`` that states each. Numeric dates are read in
    the order of the file's date columns."""
    order: Order = next(iter(orders.values())).order if orders else "dmy"
    target = next(
        (i for i in range(len(plan.events) - 1, -1, -1) if plan.events[i].type in _TARGETS),
        next((i for i, e in enumerate(plan.events) if e.type is EventType.APPLIED), None),
    )
    decided: date | None = None
    for text in texts:
        if target is not None and decided is None:
            event = plan.events[target]
            anchor = min(event.day, today) if event.day is not None else today
            decided = decision_day(text, order, anchor)
            if decided is not None and decided >= anchor:
                plan.events[target] = replace(event, decision_by=decided)
            else:
                decided = None
        if plan.responds_within_days is None:
            plan.responds_within_days = response_time(text)
