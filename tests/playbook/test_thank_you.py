"""interview.thank-you: towards the end of the interviewer's working day in their zone, never
within the first hour, at the latest a day after; one per person met, plus the staffing firm."""

from __future__ import annotations

from datetime import timedelta

from jobnudge.domain import Channel, MessageKind

from .builders import (
    STAFFING_FIRM_ID,
    Story,
    at,
    interviewer,
    local,
    of_rule,
    only,
    recruiter,
    staffing_recruiter,
)

LA = "America/Los_Angeles"
LONDON = "Europe/London"


def test_thank_you_falls_due_towards_the_end_of_the_interviewers_day_in_their_zone() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    story.interviewed(at("2026-11-03 10:00", LA), dana)

    thanks = only(story.derive(), "interview.thank-you")

    assert thanks.contact_id == dana.id
    assert thanks.tz == LA
    assert local(thanks.due, LA) == "2026-11-03 16:00"  # the user (New York) sees 19:00
    assert thanks.channel is Channel.EMAIL


def test_thank_you_is_due_at_the_latest_24_hours_after_the_interview() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    interview = story.interviewed(at("2026-11-03 10:00", LA), dana)

    thanks = only(story.derive(), "interview.thank-you")

    assert thanks.due_by == interview.at + timedelta(hours=24)


def test_thank_you_is_never_within_the_first_hour_after_a_late_interview() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    interview = story.interviewed(at("2026-11-03 15:30", LA), dana)

    thanks = only(story.derive(), "interview.thank-you")

    assert thanks.due == interview.at + timedelta(hours=1)
    assert local(thanks.due, LA) == "2026-11-03 16:30"


def test_thank_you_respects_a_longer_minimum_wait_from_the_settings() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    story = Story().with_opportunity(settings={"thank_you_min_minutes": 180})
    story.interviewed(at("2026-11-03 14:00", LA), dana)

    thanks = only(story.derive(), "interview.thank-you")

    assert local(thanks.due, LA) == "2026-11-03 17:00"


def test_everyone_met_gets_a_thank_you_each_in_their_own_zone() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    omar = interviewer(3, "Omar Haddad", tz=LONDON, country="GB")
    story = Story()
    story.interviewed(at("2026-11-03 08:00", LA), dana, omar)  # 16:00 in London

    thanks = {n.contact_id: n for n in of_rule(story.derive(), "interview.thank-you")}

    assert set(thanks) == {dana.id, omar.id}
    assert local(thanks[dana.id].due, LA) == "2026-11-03 16:00"
    assert local(thanks[omar.id].due, LONDON) == "2026-11-03 17:00"  # the first hour wins
    assert thanks[omar.id].tz == LONDON


def test_the_staffing_firms_recruiter_is_thanked_too_when_the_firm_arranged_it() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    rita = staffing_recruiter(5, "Rita Gomez", tz="America/Chicago")
    story = Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=rita.id)
    story.knows(rita)
    story.interviewed(at("2026-11-03 10:00", LA), dana, round=2)

    thanks = of_rule(story.derive(), "interview.thank-you")

    assert sorted(n.contact_id for n in thanks) == [dana.id, rita.id]
    firm = next(n for n in thanks if n.contact_id == rita.id)
    assert "Rita Gomez" in firm.reason
    assert local(firm.due, "America/Chicago") == "2026-11-03 16:00"


def test_an_in_house_recruiter_who_was_not_met_gets_no_interview_thank_you() -> None:
    dana = interviewer(2, "Dana Lee")
    kim = recruiter(4, "Kim Park")
    story = Story().with_opportunity(recruiter_id=kim.id)
    story.knows(kim)
    story.interviewed(at("2026-11-03 10:00"), dana)

    thanks = of_rule(story.derive(), "interview.thank-you")

    assert [n.contact_id for n in thanks] == [dana.id]


def test_a_sent_thank_you_completes_only_that_persons_thank_you() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    omar = interviewer(3, "Omar Haddad", tz=LONDON, country="GB")
    rita = staffing_recruiter(5, "Rita Gomez")
    story = Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=rita.id)
    story.knows(rita)
    story.interviewed(at("2026-11-03 10:00", LA), dana, omar)
    story.sent(at("2026-11-03 16:05", LA), dana, kind=MessageKind.THANK_YOU)

    pending = of_rule(story.derive(), "interview.thank-you")

    assert sorted(n.contact_id for n in pending) == [omar.id, rita.id]


def test_a_thank_you_to_nobody_in_particular_is_not_each_named_persons_thank_you() -> None:
    # One thank-you logged without a person does not say whom it thanked: everyone met (and
    # the staffing firm) still has their own until a thank-you naming them is logged.
    dana = interviewer(2, "Dana Lee")
    omar = interviewer(3, "Omar Haddad")
    rita = staffing_recruiter(5, "Rita Gomez")
    story = Story().with_opportunity(staffing_firm_id=STAFFING_FIRM_ID, recruiter_id=rita.id)
    story.knows(rita)
    story.interviewed(at("2026-11-03 10:00"), dana, omar)
    story.sent(at("2026-11-03 16:05"), kind=MessageKind.THANK_YOU)

    pending = of_rule(story.derive(), "interview.thank-you")

    assert sorted(n.contact_id for n in pending) == [dana.id, omar.id, rita.id]


def test_a_thank_you_completes_the_thank_you_for_an_interview_that_named_nobody() -> None:
    story = Story()
    story.interviewed(at("2026-11-03 10:00"))
    assert only(story.derive(), "interview.thank-you").contact_id is None

    story.sent(at("2026-11-03 16:05"), kind=MessageKind.THANK_YOU)

    assert of_rule(story.derive(), "interview.thank-you") == []


def test_a_status_question_to_the_interviewer_is_not_their_thank_you() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), dana)
    story.sent(at("2026-11-03 16:05"), dana, kind=MessageKind.FOLLOW_UP)

    assert only(story.derive(), "interview.thank-you").contact_id == dana.id


def test_each_round_with_new_people_has_its_own_thank_yous() -> None:
    dana = interviewer(2, "Dana Lee")
    omar = interviewer(3, "Omar Haddad")
    story = Story()
    first = story.interviewed(at("2026-11-03 10:00"), dana, round=1)
    second = story.interviewed(at("2026-11-10 10:00"), omar, round=2)

    thanks = {n.contact_id: n for n in of_rule(story.derive(), "interview.thank-you")}

    assert thanks[dana.id].anchor_event_id == first.id
    assert thanks[omar.id].anchor_event_id == second.id
    assert "Round-2" in thanks[omar.id].reason


def test_no_thank_you_after_the_user_withdrew() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), dana)
    story.withdrawn(at("2026-11-03 12:00"))

    assert of_rule(story.derive(), "interview.thank-you") == []


def test_an_unsent_thank_you_lapses_a_week_after_the_interview() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    story.interviewed(at("2026-11-03 10:00", LA), dana)

    assert of_rule(story.plan(at("2026-11-09 10:00", LA)), "interview.thank-you")
    assert not of_rule(story.plan(at("2026-11-11 10:00", LA)), "interview.thank-you")


def test_an_outcome_replaces_the_pending_thank_you() -> None:
    dana = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    story.interviewed(at("2026-11-03 10:00", LA), dana)
    story.rejected(at("2026-11-03 15:00", LA), dana)

    nudges = story.derive()
    assert not of_rule(nudges, "interview.thank-you")
    assert of_rule(nudges, "rejection.gracious-note")
