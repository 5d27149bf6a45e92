"""interview.confirm: the working day before the interview on the contact's calendar; a
reschedule replaces it; it expires when the interview starts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import Channel, MessageKind, Nudge
from jobnudge.playbook import wording

from .builders import Story, at, interviewer, local, of_rule, only, recruiter, settings

LONDON = "Europe/London"


def confirm_for(
    interview_at: str, tz: str = "America/New_York", country: str | None = None
) -> Nudge:
    kim = recruiter(4, "Kim Park", tz=tz, country=country)
    story = Story()
    story.scheduled(at("2026-04-20 11:00", tz), at(interview_at, tz), kim)
    return only(story.derive(), "interview.confirm")


def test_confirm_falls_due_the_working_day_before_from_morning_to_end_of_day() -> None:
    nudge = confirm_for("2026-11-05 14:00")  # a Thursday

    assert local(nudge.due) == "2026-11-04 09:00"
    assert local(nudge.due_by) == "2026-11-04 17:00"


def test_a_monday_interview_is_confirmed_the_friday_before() -> None:
    assert local(confirm_for("2026-11-09 10:00").due) == "2026-11-06 09:00"


def test_the_day_after_thanksgiving_is_confirmed_the_wednesday_before() -> None:
    assert local(confirm_for("2026-11-27 10:00").due) == "2026-11-25 09:00"


def test_a_tuesday_after_a_monday_holiday_is_confirmed_the_friday_before() -> None:
    assert local(confirm_for("2026-09-08 10:00").due) == "2026-09-04 09:00"  # Labor Day 7 Sep


def test_a_uk_bank_holiday_moves_a_uk_contacts_confirm_but_not_a_us_contacts() -> None:
    # Mon 4 May 2026 is the UK Early May bank holiday and an ordinary US working day.
    uk = confirm_for("2026-05-05 10:00", tz=LONDON, country="GB")
    us = confirm_for("2026-05-05 10:00")

    assert local(uk.due, LONDON) == "2026-05-01 09:00"
    assert local(us.due) == "2026-05-04 09:00"


def test_a_us_holiday_moves_a_us_contacts_confirm_but_not_a_uk_contacts() -> None:
    # Fri 3 Jul 2026 is Independence Day (observed) in the US, a working day in the UK.
    uk = confirm_for("2026-07-06 10:00", tz=LONDON, country="GB")
    us = confirm_for("2026-07-06 10:00")

    assert local(uk.due, LONDON) == "2026-07-03 09:00"
    assert local(us.due) == "2026-07-02 09:00"


def test_confirm_uses_the_contacts_zone_for_the_day_before() -> None:
    nudge = confirm_for("2026-11-05 09:00", tz="Asia/Tokyo", country="JP")

    assert nudge.tz == "Asia/Tokyo"
    assert local(nudge.due, "Asia/Tokyo") == "2026-11-04 09:00"  # Tue 3 Nov 19:00 in New York


def test_a_reschedule_replaces_the_earlier_confirm() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), kim)
    moved = story.scheduled(at("2026-11-03 15:00"), at("2026-11-10 14:00"), kim)

    nudge = only(story.derive(), "interview.confirm")

    assert nudge.anchor_event_id == moved.id
    assert local(nudge.due) == "2026-11-09 09:00"
    assert nudge.expires == at("2026-11-10 14:00")


def test_confirm_expires_when_the_interview_starts() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), kim)
    start = at("2026-11-05 14:00")

    assert of_rule(story.plan(start - timedelta(minutes=1)), "interview.confirm")
    assert of_rule(story.plan(start), "interview.confirm") == []


def test_confirm_never_falls_due_before_the_interview_was_scheduled() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    scheduled = story.scheduled(at("2026-11-04 15:30"), at("2026-11-05 10:00"), kim)

    nudge = only(story.derive(), "interview.confirm")

    assert nudge.due == scheduled.at
    assert nudge.due_by is not None and nudge.due <= nudge.due_by <= at("2026-11-05 10:00")


def test_confirm_goes_by_the_channel_the_scheduler_used() -> None:
    kim = recruiter(4, "Kim Park", prefers=Channel.EMAIL)
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), kim, channel=Channel.TEXT)

    assert only(story.derive(), "interview.confirm").channel is Channel.TEXT


def test_a_sent_confirmation_completes_the_confirm() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), kim)
    story.sent(at("2026-11-04 09:30"), kim, kind=MessageKind.CONFIRMATION)

    assert of_rule(story.derive(), "interview.confirm") == []


def test_no_confirm_once_the_interview_took_place() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-05 14:00"), kim)
    story.interviewed(at("2026-11-05 14:00"), interviewer(2, "Dana Lee"))

    assert of_rule(story.derive(), "interview.confirm") == []


def test_confirm_working_days_before_is_honoured() -> None:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at("2026-11-02 11:00"), at("2026-11-10 14:00"), kim)  # a Tuesday

    nudge = only(story.derive(settings(confirm_working_days_before=2)), "interview.confirm")

    assert local(nudge.due) == "2026-11-06 09:00"  # Friday, two working days before


def _scheduled_on(logged: str, interview_at: str) -> Nudge:
    kim = recruiter(4, "Kim Park")
    story = Story()
    story.scheduled(at(logged), at(interview_at), kim)
    return only(story.derive(), "interview.confirm")


def test_a_confirm_whose_day_before_has_passed_asks_for_it_now() -> None:
    # Scheduled on Saturday for Monday: the working day before (Friday) is already gone.
    nudge = _scheduled_on("2026-12-05 10:00", "2026-12-07 10:00")

    assert local(nudge.due) == "2026-12-05 10:00"
    assert "has passed" in nudge.reason and "now" in nudge.reason
    assert "Fri 4 Dec" not in nudge.reason


@given(
    logged=st.datetimes(min_value=datetime(2026, 1, 5), max_value=datetime(2026, 12, 20)),
    ahead=st.integers(min_value=2, max_value=14 * 24),
)
def test_a_confirm_never_names_a_day_already_gone(logged: datetime, ahead: int) -> None:
    interview = logged + timedelta(hours=ahead)
    nudge = _scheduled_on(f"{logged:%Y-%m-%d %H:%M}", f"{interview:%Y-%m-%d %H:%M}")
    named = re.search(r"the working day before \((\w+ \d+ \w+)\)", nudge.reason)
    if named is None:
        assert "has passed" in nudge.reason
    else:
        assert named.group(1) == wording.day(nudge.due, "America/New_York")
