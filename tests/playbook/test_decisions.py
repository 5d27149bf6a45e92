"""What the user decided about a nudge (done, dismissed, snoozed) and per-opportunity settings."""

from __future__ import annotations

from datetime import timedelta

from jobnudge.domain import MessageKind

from .builders import Story, at, interviewer, local, of_rule, only, recruiter


def applied_story() -> Story:
    story = Story()
    story.applied(at("2026-11-03 14:00"))
    return story


def test_a_nudge_marked_done_is_dropped() -> None:
    story = applied_story()
    check_in = only(story.derive(), "apply.check-in")
    story.done(check_in, at("2026-11-10 11:00"))

    assert of_rule(story.derive(), "apply.check-in") == []


def test_a_dismissed_nudge_is_dropped() -> None:
    story = applied_story()
    check_in = only(story.derive(), "apply.check-in")
    story.dismissed(check_in, at("2026-11-10 11:00"))

    assert of_rule(story.derive(), "apply.check-in") == []


def test_a_decision_drops_only_the_nudge_it_names() -> None:
    dana = interviewer(2, "Dana Lee")
    omar = interviewer(3, "Omar Haddad")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), dana, omar)
    for_dana = next(
        n for n in story.derive() if n.rule == "interview.thank-you" and n.contact_id == dana.id
    )
    story.done(for_dana, at("2026-11-03 17:00"))

    assert [n.contact_id for n in of_rule(story.derive(), "interview.thank-you")] == [omar.id]


def test_a_snoozed_nudge_moves_to_the_snooze_date() -> None:
    story = applied_story()
    check_in = only(story.derive(), "apply.check-in")
    story.snoozed(check_in, at("2026-11-10 11:00"), at("2026-11-16 10:00"))

    snoozed = only(story.derive(), "apply.check-in")

    assert snoozed.key == check_in.key
    assert snoozed.due == at("2026-11-16 10:00")
    assert snoozed.due_by is not None and snoozed.due_by >= snoozed.due
    assert "Snoozed until Mon 16 Nov 10:00" in snoozed.reason
    assert not only(story.plan(at("2026-11-16 09:59")), "apply.check-in").ok_now
    assert only(story.plan(at("2026-11-16 10:00")), "apply.check-in").ok_now


def test_the_latest_snooze_wins() -> None:
    story = applied_story()
    check_in = only(story.derive(), "apply.check-in")
    story.snoozed(check_in, at("2026-11-10 11:00"), at("2026-11-20 10:00"))
    story.snoozed(check_in, at("2026-11-11 11:00"), at("2026-11-12 10:00"))

    assert only(story.derive(), "apply.check-in").due == at("2026-11-12 10:00")


def test_a_snooze_never_brings_a_nudge_forward() -> None:
    story = applied_story()
    check_in = only(story.derive(), "apply.check-in")
    story.snoozed(check_in, at("2026-11-04 11:00"), at("2026-11-05 10:00"))

    assert only(story.derive(), "apply.check-in").due == check_in.due


def test_a_confirm_snoozed_past_the_interview_still_expires_at_the_interview() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), kim)
    confirm = only(story.derive(), "interview.confirm")
    story.snoozed(confirm, at("2026-11-04 09:00"), at("2026-11-06 09:00"))

    assert of_rule(story.plan(at("2026-11-06 09:00")), "interview.confirm") == []
    assert of_rule(story.plan(at("2026-12-01 09:00")), "interview.confirm") == []


def test_a_new_situation_brings_a_new_nudge_after_a_dismissal() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    story.interviewed(at("2026-11-03 10:00"), dana, round=2)
    story.sent(at("2026-11-03 16:00"), dana, kind=MessageKind.THANK_YOU)
    check = only(story.derive(), "interview.status-check")
    story.dismissed(check, at("2026-11-04 09:00"))
    assert of_rule(story.derive(), "interview.status-check") == []

    story.interviewed(at("2026-11-12 10:00"), dana, round=3)

    assert only(story.derive(), "interview.status-check").key != check.key


# --- per-opportunity settings -----------------------------------------------------------------


def test_an_opportunitys_own_check_in_days_change_its_timing() -> None:
    story = applied_story().with_opportunity(
        settings={"apply_check_in_days": 3, "apply_check_in_window_days": 5}
    )

    check_in = only(story.derive(), "apply.check-in")

    assert local(check_in.due) == "2026-11-06 09:00"
    assert local(check_in.due_by) == "2026-11-08 23:59"
    assert "3–5 days" in check_in.reason


def test_an_opportunitys_own_later_round_wait_changes_the_status_check() -> None:
    story = Story().with_opportunity(
        settings={"later_round_status_min_days": 14, "later_round_status_max_days": 21}
    )
    story.interviewed(at("2026-11-03 10:00"), interviewer(2, "Dana Lee"), round=2)

    check = only(story.derive(), "interview.status-check")

    assert local(check.due) == "2026-11-17 09:00"
    assert local(check.due_by) == "2026-11-24 23:59"


def test_an_opportunitys_overrides_do_not_leak_into_another() -> None:
    tuned = applied_story().with_opportunity(settings={"apply_check_in_days": 3})
    plain = applied_story()

    assert (
        only(tuned.derive(), "apply.check-in").due + timedelta(days=4)
        == only(plain.derive(), "apply.check-in").due
    )
