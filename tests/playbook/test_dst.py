"""Daylight-saving changes: due moments keep their local wall-clock hour across the change, and
a wall time inside a spring-forward gap is read one hour later on the new offset."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from jobnudge.playbook import calendar

from .builders import Story, at, interviewer, local, only, recruiter

NEW_YORK = "America/New_York"
BERLIN = "Europe/Berlin"
PARIS = "Europe/Paris"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- US fall-back, Sun 1 Nov 2026 ---------------------------------------------------------------


def test_a_first_round_status_check_after_the_us_fall_back_is_at_9_local() -> None:
    story = Story()
    story.interviewed(at("2026-10-30 10:00", NEW_YORK), interviewer(2, "Dana Lee"), round=1)

    check = only(story.derive(), "interview.status-check")

    assert check.due == utc("2026-11-06 14:00")  # 09:00 EST; it would be 13:00 UTC in EDT
    assert local(check.due, NEW_YORK) == "2026-11-06 09:00"


def test_a_later_round_status_check_after_the_us_fall_back_is_at_9_local() -> None:
    story = Story()
    story.interviewed(at("2026-10-30 10:00", NEW_YORK), interviewer(2, "Dana Lee"), round=2)

    check = only(story.derive(), "interview.status-check")

    assert check.due == utc("2026-11-06 14:00")
    assert local(check.due_by, NEW_YORK) == "2026-11-09 23:59"


def test_the_thank_you_on_the_friday_before_the_fall_back_is_on_summer_time() -> None:
    story = Story()
    story.interviewed(at("2026-10-30 10:00", NEW_YORK), interviewer(2, "Dana Lee"))

    assert only(story.derive(), "interview.thank-you").due == utc("2026-10-30 20:00")  # 16:00 EDT


def test_a_monday_interview_after_the_fall_back_is_confirmed_friday_on_summer_time() -> None:
    story = Story()
    story.scheduled(at("2026-10-26 10:00"), at("2026-11-02 10:00"), recruiter(4, "Kim Park"))

    confirm = only(story.derive(), "interview.confirm")

    assert confirm.due == utc("2026-10-30 13:00")  # 09:00 EDT
    assert confirm.expires == utc("2026-11-02 15:00")  # 10:00 EST


# --- EU spring-forward, Sun 29 Mar 2026 (then Easter) --------------------------------------------


def test_a_later_round_status_check_after_the_eu_spring_forward_in_germany() -> None:
    story = Story()
    person = interviewer(2, "Jonas Weber", tz=BERLIN, country="DE")
    story.interviewed(at("2026-03-27 10:00", BERLIN), person, round=2)

    check = only(story.derive(), "interview.status-check")

    # A week on is Good Friday, then Easter Monday: both German holidays.
    assert check.due == utc("2026-04-07 07:00")  # 09:00 CEST; in CET it would be 08:00 UTC
    assert local(check.due, BERLIN) == "2026-04-07 09:00"


def test_a_later_round_status_check_after_the_eu_spring_forward_in_france() -> None:
    story = Story()
    person = interviewer(2, "Claire Martin", tz=PARIS, country="FR")
    story.interviewed(at("2026-03-27 10:00", PARIS), person, round=2)

    check = only(story.derive(), "interview.status-check")

    assert check.due == utc("2026-04-03 07:00")  # Good Friday is a working day in France
    assert local(check.due, PARIS) == "2026-04-03 09:00"


def test_the_thank_you_on_the_friday_before_the_spring_forward_is_on_winter_time() -> None:
    story = Story()
    person = interviewer(2, "Jonas Weber", tz=BERLIN, country="DE")
    story.interviewed(at("2026-03-27 10:00", BERLIN), person)

    thanks = only(story.derive(), "interview.thank-you")

    assert thanks.due == utc("2026-03-27 15:00")  # 16:00 CET
    assert thanks.due_by == utc("2026-03-28 09:00")


def test_a_monday_interview_after_the_spring_forward_is_confirmed_friday_on_winter_time() -> None:
    person = recruiter(4, "Jonas Weber", tz=BERLIN, country="DE")
    story = Story()
    story.scheduled(at("2026-03-20 10:00", BERLIN), at("2026-03-30 10:00", BERLIN), person)

    confirm = only(story.derive(), "interview.confirm")

    assert confirm.due == utc("2026-03-27 08:00")  # 09:00 CET
    assert confirm.expires == utc("2026-03-30 08:00")  # 10:00 CEST


# --- calendar.at_local --------------------------------------------------------------------------


def test_at_local_reads_a_time_in_the_eu_spring_forward_gap_an_hour_later() -> None:
    moment = calendar.at_local(date(2026, 3, 29), time(2, 30), BERLIN)

    assert moment == utc("2026-03-29 01:30")
    assert local(moment, BERLIN) == "2026-03-29 03:30"


def test_at_local_reads_a_time_in_the_us_spring_forward_gap_an_hour_later() -> None:
    moment = calendar.at_local(date(2026, 3, 8), time(2, 30), NEW_YORK)

    assert moment == utc("2026-03-08 07:30")
    assert local(moment, NEW_YORK) == "2026-03-08 03:30"


def test_at_local_on_an_ordinary_time_is_that_wall_clock() -> None:
    assert calendar.at_local(date(2026, 3, 29), time(9, 0), BERLIN) == utc("2026-03-29 07:00")
    assert calendar.at_local(date(2026, 3, 28), time(9, 0), BERLIN) == utc("2026-03-28 08:00")
    assert calendar.at_local(date(2026, 3, 29), time(9, 0), BERLIN).tzinfo is UTC
