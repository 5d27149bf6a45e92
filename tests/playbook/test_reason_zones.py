"""Reasons name days unambiguously: the user's clock, and the contact's beside it with whose it
is ("Wed 9 Dec 11:00 for Kenji") whenever their calendar reads otherwise; due instants stay on
the contact's calendar (guard.working-days)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.domain import Contact, Nudge
from jobnudge.playbook import wording

from .builders import Story, at, day, interviewer, local, only, recruiter

TOKYO, BERLIN = "Asia/Tokyo", "Europe/Berlin"
KENJI = recruiter(4, "Kenji Satō", tz=TOKYO, country="JP")
JURGEN = interviewer(5, "Jürgen Müller", tz=BERLIN, country="DE")


def confirm_with(person: Contact, interview_at: str) -> Nudge:
    story = Story()
    story.scheduled(at("2026-11-30 10:00"), at(interview_at), person)
    return only(story.derive(), "interview.confirm")


def test_confirming_kenjis_wednesday_says_whose_tuesday_it_is() -> None:
    nudge = confirm_with(KENJI, "2026-12-08 21:00")  # Wed 9 Dec 11:00 in Tokyo
    assert local(nudge.due) == "2026-12-07 19:00"  # Tue 8 Dec 09:00 in Tokyo
    assert local(nudge.due, TOKYO) == "2026-12-08 09:00"
    assert "on Tue 8 Dec 21:00 (Wed 9 Dec 11:00 for Kenji)" in nudge.reason
    assert "the working day before (Tue 8 Dec for Kenji, from Mon 7 Dec 19:00 your time)" in (
        nudge.reason
    )


def test_confirming_juergens_friday_morning_says_whose_thursday_it_is() -> None:
    nudge = confirm_with(JURGEN, "2026-12-10 23:00")  # Fri 11 Dec 05:00 in Berlin
    assert local(nudge.due, BERLIN) == "2026-12-10 09:00"
    assert "on Thu 10 Dec 23:00 (Fri 11 Dec 05:00 for Jürgen)" in nudge.reason
    assert "(Thu 10 Dec for Jürgen, from Thu 10 Dec 03:00 your time)" in nudge.reason


def test_a_contact_on_the_users_clock_gets_plain_days() -> None:
    nudge = confirm_with(recruiter(6, "Dana Lee"), "2026-12-10 14:00")
    assert "on Thu 10 Dec 14:00; confirm" in nudge.reason
    assert "the working day before (Wed 9 Dec)." in nudge.reason
    assert " for " not in nudge.reason


def test_juergens_thank_you_names_his_morning_beside_the_users_evening() -> None:
    story = Story()
    story.interviewed(at("2026-12-10 23:00"), JURGEN)
    nudge = only(story.derive(), "interview.thank-you")
    assert local(nudge.due) == "2026-12-11 10:00"  # 16:00 for Jürgen
    assert "with Jürgen Müller on Thu 10 Dec 23:00 (Fri 11 Dec 05:00 for Jürgen)" in nudge.reason


def test_a_status_check_after_a_stated_sunday_names_kenjis_monday_and_the_users_sunday() -> None:
    story = Story()
    story.interviewed(at("2026-12-08 21:00"), KENJI)
    story.received(at("2026-12-10 20:00"), KENJI, decision_by=day("2026-12-20"))
    nudge = only(story.derive(), "interview.status-check")
    assert local(nudge.due) == "2026-12-20 19:00"  # Mon 21 Dec 09:00 in Tokyo
    assert "on Tue 8 Dec (Wed 9 Dec for Kenji)" in nudge.reason
    assert "a decision by Sun 20 Dec" in nudge.reason
    assert "(Mon 21 Dec for Kenji, from Sun 20 Dec 19:00 your time)" in nudge.reason


ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
)


@settings(max_examples=60, deadline=None)
@given(
    contact_tz=st.sampled_from(ZONES),
    hours=st.integers(min_value=0, max_value=24 * 120),
)
def test_the_confirm_reason_names_the_day_the_nudge_falls_due_on_the_contacts_calendar(
    contact_tz: str, hours: int
) -> None:
    when = datetime(2026, 12, 1, tzinfo=UTC) + timedelta(hours=hours)
    story = Story()
    story.scheduled(
        datetime(2026, 11, 20, 15, tzinfo=UTC), when, recruiter(7, "Ana Ruiz", tz=contact_tz)
    )
    nudge = only(story.derive(), "interview.confirm")
    if "has passed" in nudge.reason:
        return
    assert f"the working day before ({wording.day(nudge.due, contact_tz)}" in nudge.reason
