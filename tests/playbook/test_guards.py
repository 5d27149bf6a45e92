"""The guards every follow-up obeys: no hounding, not too early, the right channel, call hours
in the contact's zone, and the contact's working days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jobnudge.domain import Channel, MessageKind
from jobnudge.playbook.guards import CALL_HOURS, NO_HOUNDING, NOT_TOO_EARLY

from .builders import Story, at, day, interviewer, local, of_rule, only, recruiter, settings

TOKYO = "Asia/Tokyo"
# The rules whose message asks the employer "where do I stand?" (guard.no-hounding).
STATUS_QUESTIONS = ("apply.check-in", "interview.status-check", "silence.retry")

# --- guard.no-hounding --------------------------------------------------------------------------


@pytest.mark.parametrize("logged_in_order", [True, False])
def test_never_two_status_questions_pending_for_one_opportunity(logged_in_order: bool) -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    asked_at, applied_at = at("2026-10-20 10:00"), at("2026-10-22 10:00")
    if logged_in_order:  # asked about the role, then applied
        story.sent(asked_at, kim)
        applied = story.applied(applied_at)
    else:  # the same, with the earlier question logged afterwards
        applied = story.applied(applied_at)
        story.sent(asked_at, kim)

    questions = [n for n in story.derive() if n.rule in STATUS_QUESTIONS]

    assert [(n.rule, n.anchor_event_id) for n in questions] == [("apply.check-in", applied.id)]


def test_a_status_question_waits_out_the_cool_down_after_the_last_follow_up() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-10-26 10:00"), dana, round=2)
    asked = story.sent(at("2026-11-03 10:00"), dana)
    story.received(at("2026-11-04 10:00"), dana, decision_by=day("2026-11-05"))

    check = only(story.derive(), "interview.status-check")

    # The stated date alone would allow Fri 6 Nov; the last question was on Tue 3 Nov.
    assert check.due == asked.at + timedelta(days=7)
    assert "Tue 3 Nov" in check.reason and "hounding" in check.reason
    assert NO_HOUNDING not in check.reason  # the guard's id is for programs, not people


def test_the_cool_down_is_a_setting() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story().with_opportunity(settings={"cooldown_days": 3})
    story.interviewed(at("2026-10-26 10:00"), dana, round=2)
    story.sent(at("2026-11-03 10:00"), dana)
    story.received(at("2026-11-04 10:00"), dana, decision_by=day("2026-11-05"))

    assert local(only(story.derive(), "interview.status-check").due) == "2026-11-06 10:00"


def test_never_two_pending_nudges_of_one_rule_for_one_contact() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), dana, round=1)
    second = story.interviewed(at("2026-11-04 10:00"), dana, round=2)

    thanks = of_rule(story.derive(), "interview.thank-you")

    assert [(n.contact_id, n.anchor_event_id) for n in thanks] == [(dana.id, second.id)]


def test_the_newest_situation_is_the_latest_to_happen_not_the_latest_logged() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    second = story.interviewed(at("2026-11-10 10:00"), dana, round=2)
    story.interviewed(at("2026-11-03 10:00"), dana, round=1)  # logged afterwards

    thanks = of_rule(story.derive(), "interview.thank-you")

    assert [(n.contact_id, n.anchor_event_id) for n in thanks] == [(dana.id, second.id)]
    assert local(thanks[0].due) == "2026-11-10 16:00"


# --- guard.not-too-early ----------------------------------------------------------------------


def test_a_nudge_is_blocked_until_it_falls_due_and_free_from_then_on() -> None:
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    due = only(story.derive(), "apply.check-in").due

    assert only(story.plan(due - timedelta(seconds=1)), "apply.check-in").blocked_by == (
        NOT_TOO_EARLY,
    )
    assert only(story.plan(due), "apply.check-in").ok_now
    assert only(story.plan(due + timedelta(days=30)), "apply.check-in").ok_now


# --- guard.channel ------------------------------------------------------------------------------


def test_a_text_from_the_employer_is_answered_with_a_text() -> None:
    kim = recruiter(4, "Kim Park", prefers=Channel.EMAIL)
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.received(at("2026-11-04 10:00"), kim, channel=Channel.TEXT)
    story.sent(at("2026-11-05 10:00"), kim, channel=Channel.TEXT)

    assert only(story.derive(), "silence.retry").channel is Channel.TEXT


def test_a_call_from_the_employer_is_answered_with_a_call() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.received(at("2026-11-02 10:00"), kim, channel=Channel.CALL)
    story.scheduled(at("2026-11-02 10:05"), at("2026-11-05 14:00"), kim)

    assert only(story.derive(), "interview.confirm").channel is Channel.CALL


def test_the_employers_stated_preference_wins_over_the_channel_they_used() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.received(at("2026-10-30 10:00"), dana, channel=Channel.TEXT)
    story.interviewed(at("2026-11-03 10:00"), dana, round=2, prefers=Channel.EMAIL)

    assert only(story.derive(), "interview.status-check").channel is Channel.EMAIL


def test_the_contacts_usual_channel_is_used_when_nothing_else_is_known() -> None:
    dana = interviewer(2, "Dana Lee", prefers=Channel.VOICEMAIL)
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), dana, round=2)

    assert only(story.derive(), "interview.status-check").channel is Channel.VOICEMAIL


# --- guard.call-hours ---------------------------------------------------------------------------


def tokyo_status_call() -> Story:
    kenji = interviewer(2, "Kenji Sato", tz=TOKYO, country="JP")
    story = Story()
    story.interviewed(at("2026-11-09 10:00", TOKYO), kenji, round=2, prefers=Channel.CALL)
    return story  # due Mon 16 Nov 09:00 in Tokyo


def test_a_call_is_blocked_at_2_am_in_the_contacts_zone_even_in_the_users_daytime() -> None:
    now = at("2026-11-18 02:00", TOKYO)
    assert local(now) == "2026-11-17 12:00"  # noon for the user in New York

    check = only(tokyo_status_call().plan(now), "interview.status-check")

    assert check.blocked_by == (CALL_HOURS,)


def test_a_call_is_allowed_in_the_contacts_morning_even_at_night_for_the_user() -> None:
    now = at("2026-11-18 09:00", TOKYO)
    assert local(now) == "2026-11-17 19:00"

    assert only(tokyo_status_call().plan(now), "interview.status-check").ok_now


def test_call_hours_run_from_7_00_to_20_30_in_the_contacts_zone() -> None:
    story = tokyo_status_call()

    def blocked(clock: str) -> bool:
        check = only(story.plan(at(f"2026-11-18 {clock}", TOKYO)), "interview.status-check")
        return CALL_HOURS in check.blocked_by

    assert [blocked(c) for c in ("06:59", "07:00", "20:29", "20:30")] == [True, False, False, True]


def test_call_hours_can_be_narrowed_per_opportunity() -> None:
    story = tokyo_status_call().with_opportunity(settings={"call_start_hour": 9})

    check = only(story.plan(at("2026-11-18 08:30", TOKYO)), "interview.status-check")

    assert check.blocked_by == (CALL_HOURS,)


def test_a_voicemail_is_a_call_for_the_call_hours() -> None:
    kenji = interviewer(2, "Kenji Sato", tz=TOKYO, country="JP")
    story = Story()
    story.interviewed(at("2026-11-09 10:00", TOKYO), kenji, round=2, prefers=Channel.VOICEMAIL)

    assert only(story.plan(at("2026-11-18 23:00", TOKYO)), "interview.status-check").blocked_by == (
        CALL_HOURS,
    )


def test_an_email_may_go_at_any_hour() -> None:
    kenji = interviewer(2, "Kenji Sato", tz=TOKYO, country="JP")
    story = Story()
    story.interviewed(at("2026-11-09 10:00", TOKYO), kenji, round=2, prefers=Channel.EMAIL)

    assert only(story.plan(at("2026-11-18 02:00", TOKYO)), "interview.status-check").ok_now


def test_no_calls_on_the_contacts_public_holiday() -> None:
    kenji = interviewer(2, "Kenji Sato", tz=TOKYO, country="JP")
    story = Story()
    story.interviewed(at("2026-11-09 10:00", TOKYO), kenji, round=2, prefers=Channel.CALL)

    # Mon 23 Nov 2026 is Labour Thanksgiving Day in Japan.
    check = only(story.plan(at("2026-11-23 11:00", TOKYO)), "interview.status-check")

    assert check.blocked_by == (CALL_HOURS,)


# --- guard.working-days -------------------------------------------------------------------------


def test_due_dates_follow_the_contacts_country_not_the_users() -> None:
    # Fri 3 Apr 2026 is Good Friday: a holiday in the UK, a working day in the US.
    def check_in_due(country: str) -> str:
        kim = recruiter(4, "Kim Park", tz="Europe/London", country=country)
        story = Story().knows(kim)
        story.applied(at("2026-03-27 11:00", "Europe/London"))
        return local(only(story.derive(), "apply.check-in").due, "Europe/London")

    assert check_in_due("GB") == "2026-04-06 09:00"
    assert check_in_due("US") == "2026-04-03 09:00"


def test_the_users_country_applies_to_a_contact_without_one() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story().knows(kim)
    story.applied(at("2026-03-27 11:00"))

    assert (
        local(only(story.derive(settings(country="GB")), "apply.check-in").due)
        == "2026-04-06 09:00"
    )
    assert (
        local(only(story.derive(settings(country="US")), "apply.check-in").due)
        == "2026-04-03 09:00"
    )


def test_a_message_that_asks_nothing_leaves_the_check_in_in_place() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-09 10:00"), kim, kind=MessageKind.CONFIRMATION)

    assert local(only(story.derive(), "apply.check-in").due) == "2026-11-10 09:00"
