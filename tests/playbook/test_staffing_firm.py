"""An application made through a staffing firm is followed up through its recruiter: the
check-in, the status checks and the retries go to them, never around them to the employer."""

from __future__ import annotations

from hypothesis import given

from jobnudge.domain import EventType, MessageKind
from jobnudge.playbook.engine import derive

from .builders import (
    STAFFING_FIRM_ID,
    Story,
    at,
    interviewer,
    only,
    person,
    recruiter,
    staffing_recruiter,
)
from .test_properties import PROPERTIES, histories

RITA = staffing_recruiter(5, "Rita Gomez")
DANA = interviewer(2, "Dana Lee")
HR = recruiter(3, "Hana Ruiz")  # the employer's own recruiter
STATUS_QUESTIONS = ("apply.check-in", "interview.status-check", "silence.retry")


def through_rita() -> Story:
    return (
        Story()
        .with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=RITA.id)
        .knows(RITA, HR)
    )


def test_the_check_in_goes_to_the_staffing_recruiter_not_the_employer() -> None:
    story = through_rita()
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert check_in.contact_id == RITA.id
    assert "Rita Gomez, your recruiter" in check_in.reason


def test_the_status_check_after_an_interview_goes_to_the_recruiter_not_the_interviewer() -> None:
    story = through_rita()
    story.applied(at("2026-11-03 14:00"))
    story.interviewed(at("2026-11-10 10:00"), DANA, round=1)

    nudges = story.derive()

    assert only(nudges, "interview.status-check").contact_id == RITA.id
    # Thanking the people met is still for them, and for the firm too.
    thanked = {n.contact_id for n in nudges if n.rule == "interview.thank-you"}
    assert thanked == {DANA.id, RITA.id}


def test_the_retry_after_an_unanswered_follow_up_goes_to_the_recruiter() -> None:
    story = through_rita()
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), HR, kind=MessageKind.FOLLOW_UP)

    assert only(story.derive(), "silence.retry").contact_id == RITA.id


def test_an_interview_arranged_by_the_firm_is_confirmed_with_the_recruiter() -> None:
    story = through_rita()
    story.scheduled(at("2026-11-03 14:00"), at("2026-11-10 10:00"))
    assert only(story.derive(), "interview.confirm").contact_id == RITA.id

    named = through_rita()
    named.scheduled(at("2026-11-03 14:00"), at("2026-11-10 10:00"), DANA)
    assert only(named.derive(), "interview.confirm").contact_id == DANA.id


def test_without_a_recruiter_on_record_someone_at_the_firm_is_asked() -> None:
    colleague = person(6, "Kim Ober", company_id=STAFFING_FIRM_ID)
    story = Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID).knows(colleague, HR)
    story.applied(at("2026-11-03 14:00"))

    assert only(story.derive(), "apply.check-in").contact_id == colleague.id


def test_without_a_staffing_firm_the_employers_recruiter_is_asked() -> None:
    story = Story().with_opportunity(recruiter_id=HR.id).knows(HR)
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert check_in.contact_id == HR.id
    assert "your recruiter" not in check_in.reason


@PROPERTIES
@given(histories())
def test_through_a_firm_every_status_question_goes_to_someone_at_the_firm(story) -> None:
    history, people, config, _now = story
    opp = history.opportunity
    at_firm = {c.id for c in people.values() if c.company_id == STAFFING_FIRM_ID}
    if opp.staffing_firm_id is None or not (at_firm or opp.recruiter_id in people):
        return
    firm_side = at_firm | ({opp.recruiter_id} if opp.recruiter_id in people else set())
    # A scheduled interview with nobody named is arranged by the firm as well.
    unnamed = {e.id for e in history.events if e.type is EventType.SCHEDULED and not e.contact_ids}

    for nudge in derive(history, people, config):
        if nudge.rule in STATUS_QUESTIONS:
            assert nudge.contact_id in firm_side, (nudge.key, nudge.contact_id, firm_side)
        if nudge.rule == "interview.confirm" and nudge.anchor_event_id in unnamed:
            assert nudge.contact_id in firm_side, (nudge.key, nudge.contact_id)
