"""interview.ask-timeline and interview.status-check: ask for the timeline while logging the
interview; check on the status after the stated date, else by stage."""

from __future__ import annotations

from jobnudge.domain import Channel, InterviewFormat, MessageKind
from jobnudge.playbook.guards import CALL_HOURS, NOT_TOO_EARLY

from .builders import Story, at, day, interviewer, local, of_rule, only

LA = "America/Los_Angeles"


# --- interview.ask-timeline ---------------------------------------------------------------


def test_an_interview_logged_without_a_timeline_prompts_for_it() -> None:
    story = Story()
    interview = story.interviewed(at("2026-11-03 10:00"), interviewer(2, "Dana Lee"))

    ask = only(story.derive(), "interview.ask-timeline")

    assert ask.due == interview.at
    assert ask.expires is not None and ask.expires > ask.due
    assert "Tue 3 Nov" in ask.reason


def test_no_timeline_prompt_when_the_decision_date_was_logged() -> None:
    story = Story()
    story.interviewed(
        at("2026-11-03 10:00"), interviewer(2, "Dana Lee"), decision_by=day("2026-11-13")
    )

    assert of_rule(story.derive(), "interview.ask-timeline") == []


def test_no_timeline_prompt_when_the_preferred_channel_was_logged() -> None:
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), interviewer(2, "Dana Lee"), prefers=Channel.EMAIL)

    assert of_rule(story.derive(), "interview.ask-timeline") == []


def test_a_later_message_with_the_decision_date_answers_the_timeline_prompt() -> None:
    kim = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), kim)
    story.received(at("2026-11-04 10:00"), kim, decision_by=day("2026-11-13"))

    assert of_rule(story.derive(), "interview.ask-timeline") == []


# --- interview.status-check: a stated decision date ------------------------------------------


def test_status_check_waits_for_the_first_working_day_after_the_stated_date() -> None:
    person = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    story.interviewed(at("2026-11-02 10:00", LA), person, decision_by=day("2026-11-06"))

    check = only(story.derive(), "interview.status-check")

    assert local(check.due, LA) == "2026-11-09 09:00"  # Fri 6 Nov is the date; Monday after
    assert "Fri 6 Nov" in check.reason and "Dana Lee" in check.reason


def test_plan_never_offers_the_status_check_before_the_stated_date_has_passed() -> None:
    person = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    story.interviewed(at("2026-11-02 10:00", LA), person, decision_by=day("2026-11-06"))

    for now in (at("2026-11-06 23:59", LA), at("2026-11-08 12:00", LA), at("2026-11-09 08:59", LA)):
        check = only(story.plan(now), "interview.status-check")
        assert NOT_TOO_EARLY in check.blocked_by, local(now, LA)
    assert only(story.plan(at("2026-11-09 09:00", LA)), "interview.status-check").ok_now


def test_a_stated_date_before_a_holiday_moves_the_status_check_past_it() -> None:
    story = Story()
    story.interviewed(
        at("2026-11-16 10:00"), interviewer(2, "Dana Lee"), decision_by=day("2026-11-25")
    )

    check = only(story.derive(), "interview.status-check")

    assert local(check.due) == "2026-11-27 09:00"  # Thu 26 Nov is Thanksgiving


# --- interview.status-check: by stage ----------------------------------------------------------


def test_after_a_first_round_the_status_check_falls_within_the_week() -> None:
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), interviewer(2, "Dana Lee"), round=1)

    check = only(story.derive(), "interview.status-check")

    assert local(check.due) == "2026-11-10 09:00"  # five working days later
    assert "5 working days" in check.reason


def test_a_phone_round_counts_as_a_first_round_whatever_its_number() -> None:
    story = Story()
    story.interviewed(
        at("2026-11-03 10:00"), interviewer(2, "Dana Lee"), round=2, format=InterviewFormat.PHONE
    )

    assert local(only(story.derive(), "interview.status-check").due) == "2026-11-10 09:00"


def test_the_first_round_week_counts_working_days_of_the_contacts_country() -> None:
    # Wed 11 Nov is Veterans Day in the US and Armistice Day in France, a working day in the UK.
    def due_for(tz: str, country: str) -> str:
        story = Story()
        story.interviewed(
            at("2026-11-09 10:00", tz), interviewer(2, "Dana Lee", tz=tz, country=country)
        )
        return local(only(story.derive(), "interview.status-check").due, tz)

    assert due_for("America/New_York", "US") == "2026-11-17 09:00"
    assert due_for("Europe/Paris", "FR") == "2026-11-17 09:00"
    assert due_for("Europe/London", "GB") == "2026-11-16 09:00"


def test_after_a_later_round_the_status_check_falls_7_to_10_days_after() -> None:
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), interviewer(2, "Dana Lee"), round=2)

    check = only(story.derive(), "interview.status-check")

    assert local(check.due) == "2026-11-10 09:00"
    assert local(check.due_by) == "2026-11-13 23:59"
    assert "7–10 days" in check.reason


def test_an_unnumbered_second_interview_counts_as_a_later_round() -> None:
    story = Story()
    story.interviewed(at("2026-10-27 10:00"), interviewer(2, "Dana Lee"))
    story.interviewed(at("2026-11-03 10:00"), interviewer(3, "Omar Haddad"))

    check = only(story.derive(), "interview.status-check")

    assert "Round-2" in check.reason and "Omar Haddad" in check.reason
    assert local(check.due_by) == "2026-11-13 23:59"


# --- interview.status-check: replies and channels -----------------------------------------------


def test_a_reply_from_the_employer_cancels_the_status_check() -> None:
    person = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), person, round=2)
    story.received(at("2026-11-05 10:00"), person)

    assert of_rule(story.derive(), "interview.status-check") == []


def test_a_reply_with_a_new_decision_date_reschedules_the_status_check() -> None:
    person = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), person, decision_by=day("2026-11-06"))
    reply = story.received(at("2026-11-06 15:00"), person, decision_by=day("2026-11-18"))

    check = only(story.derive(), "interview.status-check")

    assert check.anchor_event_id == reply.id
    assert local(check.due) == "2026-11-19 09:00"
    assert "Wed 18 Nov" in check.reason


def test_a_later_note_with_a_decision_date_moves_the_status_check() -> None:
    person = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), person, round=2)
    story.note(at("2026-11-04 10:00"), decision_by=day("2026-11-20"))

    assert local(only(story.derive(), "interview.status-check").due) == "2026-11-23 09:00"


def test_a_scheduled_next_round_cancels_the_status_check() -> None:
    person = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), person)
    story.scheduled(at("2026-11-04 10:00"), at("2026-11-12 10:00"), person)

    assert of_rule(story.derive(), "interview.status-check") == []


def test_a_thank_you_is_not_a_status_question_and_leaves_the_status_check_in_place() -> None:
    person = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), person, round=2)
    story.sent(at("2026-11-03 16:00"), person, kind=MessageKind.THANK_YOU)

    assert local(only(story.derive(), "interview.status-check").due) == "2026-11-10 09:00"


def test_the_status_check_uses_the_interviewers_stated_channel() -> None:
    person = interviewer(2, "Dana Lee", prefers=Channel.EMAIL)
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), person, round=2, prefers=Channel.CALL)

    check = only(story.derive(), "interview.status-check")

    assert check.channel is Channel.CALL
    assert "call hours" in check.reason


def test_a_status_call_is_blocked_outside_the_interviewers_call_hours() -> None:
    person = interviewer(2, "Dana Lee", tz=LA)
    story = Story()
    story.interviewed(at("2026-11-03 10:00", LA), person, round=2, prefers=Channel.CALL)

    late = only(story.plan(at("2026-11-12 21:00", LA)), "interview.status-check")
    daytime = only(story.plan(at("2026-11-12 11:00", LA)), "interview.status-check")

    assert late.blocked_by == (CALL_HOURS,)
    assert daytime.ok_now
