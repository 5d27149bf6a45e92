"""A message logged with the same time as the event it answers (both given the same --at, or
sent within the minute) answers it: events of one time come in recording order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from jobnudge.domain import Channel, MessageKind, Nudge

from .builders import Story, at, interviewer, of_rule, reference, referrer

DANA = interviewer(2, "Dana Lee")
LEE = referrer(7, "Lee Chan")
PAT = reference(8, "Pat Kim", prefers=Channel.CALL)
MOMENT = at("2026-12-14 15:00")


def _heads_up(story: Story, when: datetime) -> None:
    story.applied(at("2026-12-01 10:00"))
    story.references_given(when, PAT)
    story.sent(when, PAT, kind=MessageKind.UPDATE, channel=Channel.CALL)


def _references_thanks(story: Story, when: datetime) -> None:
    story.applied(at("2026-12-01 10:00"))
    story.references_given(at("2026-12-02 10:00"), PAT)
    story.sent(at("2026-12-02 11:00"), PAT, kind=MessageKind.UPDATE)
    story.rejected(when)
    story.sent(when, PAT, kind=MessageKind.NOTE)


def _thank_you(story: Story, when: datetime) -> None:
    story.interviewed(when, DANA)
    story.sent(when, DANA, kind=MessageKind.THANK_YOU)


def _referral(story: Story, when: datetime) -> None:
    story.with_opportunity(referrer_id=LEE.id).knows(LEE)
    story.applied(when)
    story.sent(when, LEE, kind=MessageKind.UPDATE)


def _offer_thanks(story: Story, when: datetime) -> None:
    story.offer(when, DANA)
    story.sent(when, DANA, kind=MessageKind.THANK_YOU)


def _gracious_note(story: Story, when: datetime) -> None:
    story.interviewed(at("2026-12-01 10:00"), DANA)
    story.sent(at("2026-12-01 16:00"), DANA, kind=MessageKind.THANK_YOU)
    story.rejected(when, DANA)
    story.sent(when, DANA, kind=MessageKind.NOTE)


CASES: dict[str, Callable[[Story, datetime], None]] = {
    "references.heads-up": _heads_up,
    "references.thanks": _references_thanks,
    "interview.thank-you": _thank_you,
    "referral.update": _referral,
    "offer.thank-you": _offer_thanks,
    "rejection.gracious-note": _gracious_note,
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_message_logged_in_the_same_minute_as_its_event_answers_it(rule: str) -> None:
    story = Story()
    CASES[rule](story, MOMENT)

    found: list[Nudge] = of_rule(story.derive(), rule)

    assert found == [], [n.reason for n in found]


def test_a_reply_in_the_same_minute_as_a_follow_up_answers_it() -> None:
    story = Story()
    story.applied(at("2026-12-01 10:00"))
    story.sent(MOMENT, DANA)
    story.received(MOMENT, DANA)

    assert of_rule(story.derive(), "silence.retry") == []


def test_a_message_recorded_before_an_event_of_the_same_time_does_not_answer_it() -> None:
    story = Story()
    story.sent(MOMENT, DANA, kind=MessageKind.THANK_YOU)
    story.interviewed(MOMENT, DANA)

    assert len(of_rule(story.derive(), "interview.thank-you")) == 1
