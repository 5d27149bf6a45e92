"""interview.thank-you never falls due in the interviewer's night: an interview that ends after
their working day (an evening one, or one far across time zones) is thanked for towards the end
of their next working day while that is inside the 24-hour limit, else at the first moment of
their daytime (seed 002: end of day, not within the hour, not longer than a day)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given
from hypothesis import strategies as st

from jobnudge.config import Playbook

from .builders import Story, at, interviewer, local, only

ISTANBUL = "Europe/Istanbul"
TOKYO = "Asia/Tokyo"
ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("SystemV"))
HOURS = Playbook()


def test_a_late_evening_interview_is_thanked_for_at_the_end_of_their_next_day() -> None:
    oguz = interviewer(2, "Oğuz Yılmaz", tz=ISTANBUL, country="TR")
    story = Story()
    story.interviewed(at("2026-12-14 15:30"), oguz, round=2)  # 23:30 in Istanbul

    thanks = only(story.derive(), "interview.thank-you")

    assert local(thanks.due, ISTANBUL) == "2026-12-15 16:00"
    assert thanks.due_by is not None and thanks.due <= thanks.due_by
    assert "next working day" in thanks.reason


def test_an_interview_in_the_interviewers_morning_keeps_the_same_day_end() -> None:
    kenji = interviewer(3, "Kenji Sato", tz=TOKYO, country="JP")
    story = Story()
    story.interviewed(at("2026-12-14 20:00"), kenji)  # Tue 10:00 in Tokyo

    thanks = only(story.derive(), "interview.thank-you")

    assert local(thanks.due, TOKYO) == "2026-12-15 16:00"
    assert "towards the end of their working day" in thanks.reason


def test_a_friday_evening_interview_is_thanked_for_inside_the_day_not_after_the_weekend() -> None:
    dana = interviewer(2, "Dana Lee")
    story = Story()
    interview = story.interviewed(at("2026-12-18 18:00"), dana)  # a Friday, after work

    thanks = only(story.derive(), "interview.thank-you")

    assert thanks.due == interview.at + timedelta(hours=1)  # 19:00, still daytime
    assert thanks.due_by == interview.at + timedelta(hours=24)


def _daytime(instant: datetime, tz: str) -> bool:
    clock = instant.astimezone(ZoneInfo(tz)).time()
    return HOURS.call_start <= clock < HOURS.call_end


@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_every_thank_you_falls_inside_the_interviewers_daytime_and_within_a_day(
    zone: str, day: date, minute: int
) -> None:
    person = interviewer(2, "Dana Lee", tz=zone)
    when = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo("UTC"))
    story = Story()
    interview = story.interviewed(when.astimezone(UTC), person)

    thanks = only(story.derive(), "interview.thank-you")

    assert interview.at + timedelta(hours=1) <= thanks.due <= interview.at + timedelta(hours=24)
    assert thanks.due_by == interview.at + timedelta(hours=24)
    assert _daytime(thanks.due, zone), (local(thanks.due, zone), thanks.reason)
