"""``derive`` skips the rules a history gives nothing to do (by its event types and stage) and
reads the stage and the events of each type from one pass over the history in order: over
random histories, every skipped rule asked anyway answers nothing, the stage is the one
``stage_of`` finds, and each type's events are the ones a scan finds."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings

from jobnudge.config import Settings
from jobnudge.domain import Contact, EventType, History, stage_of
from jobnudge.domain.records import stage_in
from jobnudge.playbook import engine
from jobnudge.playbook.facts import Facts

from .test_properties import histories

Story = tuple[History, dict[int, Contact], Settings, datetime]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_every_rule_derive_skips_answers_nothing(story: Story) -> None:
    history, people, config, _now = story
    facts = Facts.of(history, people, config)
    asked = engine._rules_for(facts.types, facts.stage)
    for rule in engine.RULES:
        if rule not in asked:
            assert rule(facts) == [], rule.__name__


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_the_stage_read_in_order_is_the_stage_of_the_events(story: Story) -> None:
    history, people, config, _now = story
    facts = Facts.of(history, people, config)
    assert facts.stage is stage_of(history.events)
    assert stage_in(facts.events) is stage_of(reversed(history.events))
    for kind in EventType:  # the index by type holds each type's events in the history's order
        expected = [e for e in facts.events if e.type is kind]
        assert facts.of_type(kind) == expected
        assert facts.last(kind) is (expected[-1] if expected else None)


def test_a_nudge_made_by_position_has_each_value_in_its_field() -> None:
    """``Facts.nudge`` passes a Nudge's fields by position (for speed): each lands where named."""
    from jobnudge.domain import Channel, Event, Opportunity

    at = datetime.fromisoformat("2026-03-02T09:00:00+00:00")
    opp = Opportunity(id=7, company_id=1, company="Acme", role="Analyst")
    anchor = Event(id=11, opportunity_id=7, type=EventType.APPLIED, at=at)
    person = Contact(id=5, name="Dana Lee", tz="Europe/Berlin")
    facts = Facts.of(History(opportunity=opp, events=(anchor,)), {5: person}, Settings())
    later = at.replace(day=9)
    nudge = facts.nudge(
        "apply.check-in",
        contact=person,
        channel=Channel.EMAIL,
        due=at,
        due_by=later,
        reason="why",
        anchor=anchor,
        message="what",
        expires=later.replace(day=20),
        per_person=True,
    )
    assert (nudge.key, nudge.rule, nudge.opportunity_id, nudge.contact_id) == (
        "apply.check-in:7:5:11",
        "apply.check-in",
        7,
        5,
    )
    assert (nudge.channel, nudge.due, nudge.due_by, nudge.reason, nudge.tz) == (
        Channel.EMAIL,
        at,
        later,
        "why",
        "Europe/Berlin",
    )
    assert (nudge.expires, nudge.anchor_event_id, nudge.message, nudge.blocked_by) == (
        later.replace(day=20),
        11,
        "what",
        (),
    )
