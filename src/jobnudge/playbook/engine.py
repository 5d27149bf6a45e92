"""``plan``: an opportunity's history, its contacts, the settings and the clock in; the
follow-ups due out. No I/O and no clock reads, so every rule is testable with plain objects.

``derive`` is the part that does not depend on ``now``: the store materialises its result
whenever an opportunity's events change, and ``assess`` decides at read time whether acting now
respects every guard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from jobnudge.config import Settings
from jobnudge.domain import Contact, EventType, History, Nudge, Stage
from jobnudge.playbook import guards, rules_interview, rules_people, rules_pipeline, rules_search
from jobnudge.playbook.facts import Facts
from jobnudge.playbook.rules_search import Search

Rule = Callable[[Facts], list[Nudge]]

RULES: tuple[Rule, ...] = (
    rules_pipeline.apply_check_in,
    rules_interview.confirm,
    rules_interview.thank_you,
    rules_interview.ask_timeline,
    rules_interview.status_check,
    rules_pipeline.silence,
    rules_people.referral_update,
    rules_people.references,
    rules_people.offer_thanks,
    rules_people.offer_decide,
    rules_people.rejection,
)

_NEEDS: dict[Rule, frozenset[EventType]] = {
    rules_pipeline.apply_check_in: frozenset({EventType.APPLIED}),
    rules_interview.confirm: frozenset({EventType.SCHEDULED}),
    rules_interview.thank_you: frozenset({EventType.INTERVIEWED}),
    rules_interview.ask_timeline: frozenset({EventType.INTERVIEWED}),
    rules_interview.status_check: frozenset({EventType.INTERVIEWED}),
    rules_pipeline.silence: frozenset({EventType.SENT}),
    rules_people.references: frozenset({EventType.REFERENCES}),
    rules_people.offer_thanks: frozenset({EventType.OFFER}),
    rules_people.offer_decide: frozenset({EventType.OFFER}),
    rules_people.rejection: frozenset({EventType.REJECTED}),
}
"""The event types without one of which a rule finds nothing to do (each rule starts from its
last or every event of these types), so ``derive`` does not ask it: an imported history holds
two or three types, and most rules would look through it only to answer nothing. A rule not
listed is always asked."""


_ACTIVE = frozenset(s for s in Stage if s.is_active)
_OPEN = frozenset(s for s in Stage if not s.is_closed and s is not Stage.OFFER)
_STAGES: dict[Rule, frozenset[Stage]] = {
    rules_pipeline.apply_check_in: frozenset({Stage.APPLIED}),
    rules_interview.confirm: _OPEN,
    rules_interview.thank_you: _ACTIVE,
    rules_interview.ask_timeline: _OPEN,
    rules_interview.status_check: _ACTIVE,
    rules_pipeline.silence: _ACTIVE,
    rules_people.rejection: frozenset({Stage.REJECTED}),
}
"""The stages outside which a rule answers nothing (it checks the stage first thing), so
``derive`` does not ask it there either. A rule not listed is asked at every stage."""


def _rules_for(types: frozenset[EventType], stage: Stage) -> tuple[Rule, ...]:
    found = _RULES_FOR.get((types, stage))
    if found is None:
        found = tuple(
            r
            for r in RULES
            if (r not in _NEEDS or not _NEEDS[r].isdisjoint(types))
            and (r not in _STAGES or stage in _STAGES[r])
        )
        if len(_RULES_FOR) < 4096:
            _RULES_FOR[types, stage] = found
    return found


_RULES_FOR: dict[tuple[frozenset[EventType], Stage], tuple[Rule, ...]] = {}
"""The rules to ask for each set of event types a history holds, at each stage (a few dozen
pairs occur)."""

RULE_IDS: tuple[str, ...] = (
    "apply.check-in",
    "interview.confirm",
    "interview.thank-you",
    "interview.ask-timeline",
    "interview.status-check",
    "silence.retry",
    "silence.move-on",
    "referral.update",
    "references.heads-up",
    "references.thanks",
    "offer.thank-you",
    "offer.decide",
    "rejection.gracious-note",
    "rejection.reconnect",
    "staffing.keep-in-touch",
    "pipeline.keep-looking",
)


def derive(history: History, contacts: Mapping[int, Contact], settings: Settings) -> list[Nudge]:
    """Every follow-up the opportunity's history calls for, whenever it falls due."""
    facts = Facts(history, contacts, settings)
    types = facts.types
    found = [nudge for rule in _rules_for(types, facts.stage) for nudge in rule(facts)]
    if not found:
        return found
    if facts.undated:
        found = guards.known_dates(found, facts.events)
    if not _DECISIONS_SET.isdisjoint(types):
        decisions = facts.of_type(*_DECISIONS)
        found = guards.apply_decisions(found, decisions, settings.profile.tz)
    asked = facts.employer_follow_ups()
    return guards.no_hounding(
        found,
        asked[-1].at if asked else None,
        facts.numbers.cooldown_days,
        settings.profile.tz,
        # Which situation is newer matters only between two nudges.
        order={e.id: place for place, e in enumerate(facts.events, start=1)}
        if len(found) > 1
        else None,
    )


_DECISIONS = (EventType.NUDGE_DONE, EventType.NUDGE_DISMISSED, EventType.NUDGE_SNOOZED)
_DECISIONS_SET = frozenset(_DECISIONS)
"""The user's decisions about nudges: done, dismissed, snoozed."""


def derive_search(search: Search, settings: Settings, now: datetime) -> list[Nudge]:
    """The search-wide follow-ups (staffing firms, the weekly pipeline review)."""
    found = rules_search.staffing_keep_in_touch(search, settings, now)
    found += rules_search.pipeline_keep_looking(search, settings, now)
    found += rules_search.withdraw_the_rest(search, settings)
    found = guards.apply_decisions(found, search.decisions, settings.profile.tz)
    return sorted(found, key=lambda n: (n.due, n.key))


def current(
    nudges: list[Nudge], countries: Mapping[str, str], settings: Settings, now: datetime
) -> list[Nudge]:
    """The nudges still relevant at ``now``, each with the guards acting now would break.

    ``countries`` maps a nudge key to the contact's country (the user's when absent).
    """
    home = settings.profile.country
    return [
        guards.assess(n, countries.get(n.key, home), settings.playbook, now)
        for n in nudges
        if n.expires is None or n.expires > now
    ]


def plan(
    history: History, contacts: Mapping[int, Contact], settings: Settings, now: datetime
) -> list[Nudge]:
    """The follow-ups for one opportunity as they stand at ``now``."""
    derived = derive(history, contacts, settings)
    countries = {
        n.key: c.country
        for n in derived
        if n.contact_id is not None and (c := contacts.get(n.contact_id)) is not None and c.country
    }
    numbers = settings.playbook.with_overrides(history.opportunity.settings)
    return current(derived, countries, replace(settings, playbook=numbers), now)
