"""apply.check-in about a week after applying (never before the posting's response time);
silence.retry a full week after an unanswered follow-up; silence.move-on at the limit."""

from __future__ import annotations

from datetime import timedelta

from jobnudge.domain import Channel
from jobnudge.playbook.guards import NOT_TOO_EARLY

from .builders import Story, at, day, interviewer, local, of_rule, only, recruiter, referrer, rules

# --- apply.check-in ---------------------------------------------------------------------------


def test_check_in_falls_due_a_week_after_applying_with_a_window_to_ten_days() -> None:
    story = Story()
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert local(check_in.due) == "2026-11-10 09:00"
    assert local(check_in.due_by) == "2026-11-13 23:59"
    assert check_in.channel is Channel.EMAIL
    assert "Tue 3 Nov" in check_in.reason


def test_check_in_moves_past_a_weekend() -> None:
    story = Story()
    story.applied(at("2026-11-07 14:00"))  # a Saturday

    assert local(only(story.derive(), "apply.check-in").due) == "2026-11-16 09:00"


def test_check_in_moves_past_a_public_holiday() -> None:
    story = Story()
    story.applied(at("2026-11-19 14:00"))  # a week later is Thanksgiving

    assert local(only(story.derive(), "apply.check-in").due) == "2026-11-27 09:00"


def test_check_in_waits_for_the_postings_stated_response_time() -> None:
    story = Story().with_opportunity(responds_within_days=14)
    story.applied(at("2026-11-03 14:00"))

    check_in = only(story.derive(), "apply.check-in")

    assert local(check_in.due) == "2026-11-18 09:00"
    assert "14 days" in check_in.reason
    assert check_in.due_by is not None and check_in.due_by > check_in.due
    early = only(story.plan(at("2026-11-17 16:00")), "apply.check-in")
    assert NOT_TOO_EARLY in early.blocked_by
    assert only(story.plan(at("2026-11-18 09:00")), "apply.check-in").ok_now


def test_a_short_stated_response_time_keeps_the_usual_week() -> None:
    story = Story().with_opportunity(responds_within_days=3)
    story.applied(at("2026-11-03 14:00"))

    assert local(only(story.derive(), "apply.check-in").due) == "2026-11-10 09:00"


def test_check_in_goes_the_way_the_posting_asks() -> None:
    story = Story().with_opportunity(prefers=Channel.CALL)
    story.applied(at("2026-11-03 14:00"))

    assert only(story.derive(), "apply.check-in").channel is Channel.CALL


def test_a_reply_cancels_the_check_in() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.received(at("2026-11-05 10:00"), kim)

    assert of_rule(story.derive(), "apply.check-in") == []


def test_a_scheduled_interview_cancels_the_check_in() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.scheduled(at("2026-11-05 10:00"), at("2026-11-12 10:00"), kim)

    assert of_rule(story.derive(), "apply.check-in") == []


def test_the_check_in_hands_over_to_silence_retry_once_sent() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), kim)

    nudges = story.derive()

    assert of_rule(nudges, "apply.check-in") == []
    assert only(nudges, "silence.retry").contact_id == kim.id


# --- silence.retry and silence.move-on --------------------------------------------------------


def test_retry_falls_due_a_full_week_after_the_unanswered_follow_up() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    follow_up = story.sent(at("2026-11-10 10:00"), kim)

    retry = only(story.derive(), "silence.retry")

    assert retry.due >= follow_up.at + timedelta(days=7)
    assert local(retry.due)[:10] == "2026-11-17"
    assert retry.channel is Channel.EMAIL
    assert "Tue 10 Nov" in retry.reason


def test_a_second_unanswered_retry_is_still_allowed_below_the_limit() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), kim)
    story.sent(at("2026-11-17 10:00"), kim)

    nudges = story.derive()

    assert local(only(nudges, "silence.retry").due)[:10] == "2026-11-24"
    assert of_rule(nudges, "silence.move-on") == []


def test_move_on_replaces_the_retry_once_two_retries_went_unanswered() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    first = story.sent(at("2026-11-10 10:00"), kim)
    story.sent(at("2026-11-17 10:00"), kim)
    last = story.sent(at("2026-11-24 10:00"), kim)

    nudges = story.derive()

    assert of_rule(nudges, "silence.retry") == []
    move_on = only(nudges, "silence.move-on")
    assert move_on.anchor_event_id == last.id
    assert move_on.channel is None
    assert "3 follow-ups" in move_on.reason and "Tue 10 Nov" in move_on.reason
    assert move_on.due > first.at


def test_the_move_on_limit_is_a_setting() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story().with_opportunity(settings={"silence_move_on_after": 1})
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), kim)
    story.sent(at("2026-11-17 10:00"), kim)

    assert rules(story.derive()) >= {"silence.move-on"}
    assert "silence.retry" not in rules(story.derive())


def test_a_reply_resets_the_unanswered_count() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), kim)
    story.sent(at("2026-11-17 10:00"), kim)
    story.received(at("2026-11-18 10:00"), kim)
    story.sent(at("2026-11-24 10:00"), kim)

    nudges = story.derive()

    assert of_rule(nudges, "silence.move-on") == []
    assert "1 of 2" in only(nudges, "silence.retry").reason


def test_a_reply_after_the_follow_up_ends_the_silence() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), kim)
    story.received(at("2026-11-12 10:00"), kim)

    assert rules(story.derive()) & {"silence.retry", "silence.move-on"} == set()


def test_a_text_from_the_referrer_neither_cancels_the_check_in_nor_sets_its_channel() -> None:
    lee = referrer(7, "Lee Chan")
    story = Story().with_opportunity(referrer_id=lee.id)
    story.applied(at("2026-11-03 14:00"))
    story.received(at("2026-11-04 10:00"), lee, channel=Channel.TEXT)

    assert only(story.derive(), "apply.check-in").channel is Channel.EMAIL


def test_a_message_from_the_referrer_does_not_end_the_employers_silence() -> None:
    kim = recruiter(4, "Kim Park")
    lee = referrer(7, "Lee Chan")
    story = Story().with_opportunity(referrer_id=lee.id)
    story.applied(at("2026-11-03 14:00"))
    story.sent(at("2026-11-10 10:00"), kim)
    story.received(at("2026-11-12 10:00"), lee)

    assert only(story.derive(), "silence.retry").contact_id == kim.id


def test_a_reply_logged_at_the_same_moment_as_the_follow_up_answers_it() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.applied(at("2026-11-03 00:00"))
    story.sent(at("2026-11-10 00:00"), kim)  # both logged with a date only
    story.received(at("2026-11-10 00:00"), kim)

    assert rules(story.derive()) & {"silence.retry", "silence.move-on"} == set()


def test_retry_follows_the_employers_stated_channel() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(
        at("2026-11-03 10:00"), dana, decision_by=day("2026-11-06"), prefers=Channel.TEXT
    )
    story.sent(at("2026-11-09 10:00"), dana, channel=Channel.TEXT)

    assert only(story.derive(), "silence.retry").channel is Channel.TEXT
