"""An offer is not the end of a process: until it is accepted or declined the references'
heads-ups stay due, the references are thanked after the decision, and an offer with a date to
answer by reminds the user to decide before it (offer.decide). The employer's thanks and
gracious note are the employer's: a note to the staffing firm's recruiter does not do them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import EventType, MessageKind, Stage, stage_of
from jobnudge.playbook import calendar
from jobnudge.playbook.engine import derive

from .builders import (
    STAFFING_FIRM_ID,
    USER_TZ,
    Story,
    at,
    day,
    interviewer,
    local,
    of_rule,
    only,
    reference,
    settings,
    staffing_recruiter,
)
from .test_properties import PROPERTIES, histories

DANA = interviewer(2, "Dana Lee")
PAT = reference(8, "Pat Kim")
RITA = staffing_recruiter(5, "Rita Gomez")
DECISIONS = (
    EventType.ACCEPTED,
    EventType.DECLINED,
    EventType.REJECTED,
    EventType.WITHDRAWN,
    EventType.NO_RESPONSE,
)


def offered_after_references() -> Story:
    story = Story()
    story.interviewed(at("2026-11-10 10:00"), DANA)
    story.references_given(at("2026-11-16 10:00"), PAT)
    story.offer(at("2026-11-18 10:00"), DANA)
    return story


# --- references -------------------------------------------------------------------------------


def test_a_pending_heads_up_stays_due_when_the_offer_arrives() -> None:
    story = offered_after_references()

    heads_up = only(story.derive(), "references.heads-up")

    assert heads_up.contact_id == PAT.id
    assert of_rule(story.derive(), "references.thanks") == []


def test_references_are_thanked_after_the_decision_not_at_the_offer() -> None:
    for decide in (Story.accepted, Story.declined):
        story = offered_after_references()
        story.sent(at("2026-11-16 12:00"), PAT, kind=MessageKind.UPDATE)
        assert of_rule(story.derive(), "references.thanks") == []

        decision = decide(story, at("2026-11-23 10:00"))
        thanks = only(story.derive(), "references.thanks")

        assert thanks.anchor_event_id == decision.id and thanks.due == decision.at
        assert "accepted the offer" in thanks.reason or "declined the offer" in thanks.reason
        assert of_rule(story.derive(), "references.heads-up") == []


def test_references_handed_over_for_an_offer_get_their_heads_up() -> None:
    story = Story()
    story.offer(at("2026-11-18 10:00"), DANA)
    story.references_given(at("2026-11-19 10:00"), PAT)

    assert only(story.derive(), "references.heads-up").contact_id == PAT.id


# --- offer.decide -----------------------------------------------------------------------------


def test_an_offer_with_a_date_to_answer_by_reminds_the_user_to_decide_before_it() -> None:
    story = Story()
    story.offer(at("2026-11-18 10:00"), DANA, decision_by=day("2026-11-27"))

    decide = only(story.derive(), "offer.decide")

    # Two working days before Fri 27 Nov, skipping Thanksgiving (Thu 26 Nov).
    assert local(decide.due) == "2026-11-24 09:00"
    assert local(decide.due_by) == "2026-11-27 23:59"
    assert decide.contact_id == DANA.id and decide.channel is None
    assert "Fri 27 Nov" in decide.reason


def test_the_reminder_to_decide_ends_with_the_decision_or_the_offer() -> None:
    for end in (Story.accepted, Story.declined, Story.rejected, Story.withdrawn):
        story = Story()
        story.offer(at("2026-11-18 10:00"), DANA, decision_by=day("2026-11-27"))
        end(story, at("2026-11-20 10:00"))

        assert of_rule(story.derive(), "offer.decide") == [], end.__name__


def test_a_new_date_to_answer_by_moves_the_reminder() -> None:
    story = Story()
    story.offer(at("2026-11-18 10:00"), DANA, decision_by=day("2026-11-20"))
    story.received(at("2026-11-19 10:00"), DANA, decision_by=day("2026-12-04"))

    assert local(only(story.derive(), "offer.decide").due) == "2026-12-02 09:00"


def test_an_offer_without_a_date_asks_for_no_decision_reminder() -> None:
    story = Story()
    story.offer(at("2026-11-18 10:00"), DANA)

    assert of_rule(story.derive(), "offer.decide") == []


def test_a_short_deadline_is_due_at_once() -> None:
    story = Story()
    offer = story.offer(at("2026-11-18 10:00"), DANA, decision_by=day("2026-11-19"))

    assert only(story.derive(), "offer.decide").due == offer.at


def test_days_before_the_answer_is_a_setting() -> None:
    story = Story()
    story.offer(at("2026-11-18 10:00"), DANA, decision_by=day("2026-12-04"))

    decide = only(story.derive(settings(offer_decide_days_before=0)), "offer.decide")

    assert local(decide.due) == "2026-12-04 09:00"


# --- stage ------------------------------------------------------------------------------------


def test_an_accepted_offer_stays_an_offer_and_a_declined_one_is_a_withdrawal() -> None:
    took, turned_down = Story(), Story()
    for story in (took, turned_down):
        story.offer(at("2026-11-18 10:00"), DANA)
    took.accepted(at("2026-11-20 10:00"))
    turned_down.declined(at("2026-11-20 10:00"))

    assert stage_of(took.events) is Stage.OFFER
    assert stage_of(turned_down.events) is Stage.WITHDRAWN


# --- the employer's thanks --------------------------------------------------------------------


def through_rita() -> Story:
    return (
        Story()
        .with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=RITA.id)
        .knows(RITA, DANA)
    )


def test_thanking_the_staffing_recruiter_is_not_thanking_the_employer_for_the_offer() -> None:
    story = through_rita()
    story.offer(at("2026-11-18 10:00"), DANA)
    story.sent(at("2026-11-18 12:00"), RITA, kind=MessageKind.THANK_YOU)

    assert only(story.derive(), "offer.thank-you").contact_id == DANA.id

    story.sent(at("2026-11-18 13:00"), DANA, kind=MessageKind.THANK_YOU)
    assert of_rule(story.derive(), "offer.thank-you") == []


def test_a_note_to_the_hiring_team_thanks_the_employer() -> None:
    story = through_rita()
    story.offer(at("2026-11-18 10:00"), DANA)
    story.sent(at("2026-11-18 12:00"), kind=MessageKind.THANK_YOU)

    assert of_rule(story.derive(), "offer.thank-you") == []


def test_a_note_to_the_staffing_recruiter_is_not_the_gracious_note_after_a_rejection() -> None:
    story = through_rita()
    story.rejected(at("2026-11-18 10:00"), DANA)
    story.sent(at("2026-11-18 12:00"), RITA, kind=MessageKind.THANK_YOU)

    nudges = story.derive()

    assert only(nudges, "rejection.gracious-note").contact_id == DANA.id
    assert of_rule(nudges, "rejection.reconnect") == []


def test_the_offer_thanks_stay_due_whatever_the_user_decides() -> None:
    story = Story()
    story.offer(at("2026-11-18 10:00"), DANA)
    story.declined(at("2026-11-18 15:00"))

    assert only(story.derive(), "offer.thank-you").contact_id == DANA.id


# --- over random histories --------------------------------------------------------------------


@PROPERTIES
@given(histories())
def test_references_are_never_thanked_for_an_offer_still_undecided(story) -> None:
    history, people, config, _now = story
    events = sorted(history.events, key=lambda e: (e.at, e.id))
    by_id = {e.id: e for e in events}

    for nudge in derive(history, people, config):
        if nudge.rule == "references.thanks":
            assert nudge.anchor_event_id is not None
            assert by_id[nudge.anchor_event_id].type in DECISIONS, nudge.key
        if nudge.rule == "offer.decide":
            offers = [e for e in events if e.type is EventType.OFFER]
            last = offers[-1]
            assert not [e for e in events if e.at > last.at and e.type in DECISIONS], nudge.key


# --- guard.working-days for the thanks ----------------------------------------------------------


def test_an_offer_on_a_saturday_is_thanked_for_on_monday() -> None:
    story = Story()
    story.offer(at("2026-12-05 10:00"), DANA)  # a Saturday

    thanks = only(story.derive(), "offer.thank-you")
    assert local(thanks.due) == "2026-12-07 09:00"
    assert thanks.due_by is not None and thanks.due_by - thanks.due == timedelta(hours=24)


def test_an_offer_on_a_weekday_is_thanked_for_the_same_day() -> None:
    story = Story()
    story.offer(at("2026-12-04 14:30"), DANA)  # a Friday

    assert local(only(story.derive(), "offer.thank-you").due) == "2026-12-04 14:30"


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)))
def test_the_offer_thanks_fall_due_on_a_working_day_never_before_the_offer(when: datetime) -> None:
    story = Story()
    offered = when.replace(tzinfo=UTC)
    story.offer(offered, DANA)

    thanks = only(story.derive(), "offer.thank-you")
    assert thanks.due >= offered
    assert calendar.is_working_day(calendar.local_day(thanks.due, USER_TZ), "US")
