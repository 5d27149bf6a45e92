"""Every rule id the engine knows is one of the playbook's, every rule can fire, and every reason
names the facts it used: the person and the date."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jobnudge.domain import Channel, MessageKind, Nudge, Stage
from jobnudge.playbook.engine import RULE_IDS, Search, derive_search

from .builders import (
    Story,
    at,
    day,
    interviewer,
    recruiter,
    reference,
    referrer,
    settings,
    staffing_recruiter,
)

# The ids of the "Situations that create a follow-up" table in the shared PLAYBOOK.md (the file
# lives outside the repository, so the list is copied here; keep the two in step), plus
# offer.decide: an offer is not the end of a process until it is accepted or declined.
PLAYBOOK_RULE_IDS = (
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

DANA = interviewer(2, "Dana Lee")
KIM = recruiter(4, "Kim Park")
LEE = referrer(7, "Lee Chan")
PAT = reference(8, "Pat Kim")
RITA = staffing_recruiter(5, "Rita Gomez", prefers=Channel.CALL)


def applied() -> list[Nudge]:
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    return story.derive()


def scheduled() -> list[Nudge]:
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), KIM)
    return story.derive()


def interviewed() -> list[Nudge]:
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), DANA)
    return story.derive()


def followed_up(times: int) -> Callable[[], list[Nudge]]:
    def story_of() -> list[Nudge]:
        story = Story()
        story.applied(at("2026-11-03 14:00"))
        for week in range(times):
            story.sent(at(f"2026-11-{10 + 7 * week} 10:00"), KIM)
        return story.derive()

    return story_of


def referred() -> list[Nudge]:
    story = Story().with_opportunity(referrer_id=LEE.id).knows(LEE)
    story.applied(at("2026-11-03 14:00"))
    return story.derive()


def references_given() -> list[Nudge]:
    story = Story()
    story.references_given(at("2026-11-03 14:00"), PAT)
    return story.derive()


def references_then_rejected() -> list[Nudge]:
    story = Story()
    story.references_given(at("2026-11-03 14:00"), PAT)
    story.sent(at("2026-11-03 15:00"), PAT, kind=MessageKind.NOTE)
    story.rejected(at("2026-11-20 10:00"))
    return story.derive()


def offered() -> list[Nudge]:
    story = Story()
    story.offer(at("2026-11-20 10:00"), DANA)
    return story.derive()


def offered_with_a_deadline() -> list[Nudge]:
    story = Story()
    story.offer(at("2026-11-20 10:00"), DANA, decision_by=day("2026-11-27"))
    return story.derive()


def rejected() -> list[Nudge]:
    story = Story()
    story.rejected(at("2026-11-20 10:00"), DANA)
    return story.derive()


def rejected_and_noted() -> list[Nudge]:
    story = Story()
    story.rejected(at("2026-11-20 10:00"), DANA)
    story.sent(at("2026-11-20 15:00"), DANA, kind=MessageKind.NOTE)
    return story.derive()


def search() -> list[Nudge]:
    state = Search(
        stages={1: Stage.APPLIED},
        staffing=[(RITA, "Brightpath Staffing", at("2026-11-03 14:00"))],
    )
    return derive_search(state, settings(), at("2026-11-05 12:00"))


# rule id -> (a story that fires it, what its reason must name)
SCENARIOS: dict[str, tuple[Callable[[], list[Nudge]], tuple[str, ...]]] = {
    "apply.check-in": (applied, ("Tue 3 Nov",)),
    "interview.confirm": (scheduled, ("Kim Park", "Thu 5 Nov 14:00", "Wed 4 Nov")),
    "interview.thank-you": (interviewed, ("Dana Lee", "Tue 3 Nov")),
    "interview.ask-timeline": (interviewed, ("Tue 3 Nov",)),
    "interview.status-check": (interviewed, ("Dana Lee", "Tue 3 Nov")),
    "silence.retry": (followed_up(1), ("Tue 10 Nov",)),
    "silence.move-on": (followed_up(3), ("Tue 10 Nov", "Tue 24 Nov")),
    "referral.update": (referred, ("Lee Chan", "Tue 3 Nov", "Acme Analytics")),
    "references.heads-up": (references_given, ("Pat Kim", "Tue 3 Nov", "Acme Analytics")),
    "references.thanks": (references_then_rejected, ("Pat Kim", "Fri 20 Nov")),
    "offer.thank-you": (offered, ("Acme Analytics", "Fri 20 Nov")),
    "offer.decide": (offered_with_a_deadline, ("Acme Analytics", "Fri 20 Nov", "Fri 27 Nov")),
    "rejection.gracious-note": (rejected, ("Acme Analytics", "Fri 20 Nov")),
    "rejection.reconnect": (rejected_and_noted, ("Acme Analytics", "Fri 20 Nov", "90 days")),
    "staffing.keep-in-touch": (search, ("Rita Gomez", "Brightpath Staffing", "Tue 3 Nov")),
    "pipeline.keep-looking": (search, ("1 active application", "fewer than 5")),
}


def test_the_engine_knows_exactly_the_playbooks_rule_ids() -> None:
    assert RULE_IDS == PLAYBOOK_RULE_IDS


def test_every_rule_id_has_a_scenario_here() -> None:
    assert set(SCENARIOS) == set(PLAYBOOK_RULE_IDS)


@pytest.mark.parametrize("rule", PLAYBOOK_RULE_IDS)
def test_each_rule_fires_and_its_reason_names_the_facts_it_used(rule: str) -> None:
    story_of, facts = SCENARIOS[rule]

    nudges = story_of()

    assert {n.rule for n in nudges} <= set(PLAYBOOK_RULE_IDS)
    fired = [n for n in nudges if n.rule == rule]
    assert fired, f"{rule} did not fire; got {[n.rule for n in nudges]}"
    for nudge in fired:
        missing = [fact for fact in facts if fact not in nudge.reason]
        assert not missing, f"{rule} reason {nudge.reason!r} does not name {missing}"
