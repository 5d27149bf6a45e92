"""Words about days in a draft are the reader's: "today" and "yesterday" as the addressee's
calendar has them on the day the draft is made, whatever zone the user or the interview is in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from jobnudge.config import Settings
from jobnudge.domain import Channel, Contact, Event, EventType, InterviewFormat, Nudge
from jobnudge.drafts import DraftContext, context_for, draft
from jobnudge.drafts.variables import template_variables
from jobnudge.drafts.wording import day_text

from . import records as r

NEW_YORK = "America/New_York"
ZONES = (
    NEW_YORK,
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)
DST_DAYS = tuple(
    date.fromisoformat(d)
    for d in (
        "2026-03-08",  # United States
        "2026-03-29",  # European Union
        "2026-04-05",  # New Zealand, Lord Howe
        "2026-10-04",  # New Zealand, Lord Howe (back)
        "2026-10-25",  # European Union (back)
        "2026-11-01",  # United States (back)
    )
)


def wall(text: str, tz: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def interview_context(
    *,
    interviewer: Contact,
    interview_at: datetime,
    now: datetime,
    rule: str = "interview.thank-you",
    user_tz: str = NEW_YORK,
) -> DraftContext:
    """A draft for ``interviewer`` about an interview they held at ``interview_at`` (given in
    the user's zone, as `nudge log` records it)."""
    user = Settings(profile=replace(r.PROFILE, tz=user_tz))
    if rule == "interview.confirm":
        event = Event(
            3,
            100,
            EventType.SCHEDULED,
            interview_at - timedelta(days=14),
            tz=user_tz,
            contact_ids=(interviewer.id,),
            scheduled_for=interview_at,
            format=InterviewFormat.VIDEO,
            round=1,
        )
    else:
        event = Event(
            3,
            100,
            EventType.INTERVIEWED,
            interview_at,
            tz=user_tz,
            contact_ids=(interviewer.id,),
            format=InterviewFormat.VIDEO,
            round=1,
        )
    history = replace(r.HISTORY, events=(r.EVENTS[0], event))
    nudge = Nudge(
        key=f"{rule}:100:{interviewer.id}",
        rule=rule,
        opportunity_id=100,
        contact_id=interviewer.id,
        channel=Channel.EMAIL,
        due=now,
        due_by=None,
        reason="test",
        anchor_event_id=3,
    )
    contacts = {**r.CONTACTS, interviewer.id: interviewer}
    return context_for(nudge, history, contacts, user, now, pipeline=r.PIPELINE)


JURGEN = replace(r.DANA, name="Jürgen Müller", salutation="Mr.", tz="Europe/Berlin", country="DE")
KENJI = replace(r.DANA, name="Kenji Satō", salutation="Mr.", tz="Asia/Tokyo", country="JP")


def test_an_evening_interview_in_new_york_was_today_for_juergen_in_berlin() -> None:
    # Thu 10 Dec 23:00 New York is Fri 05:00 Berlin; the thank-you is due Fri 10:00 New York.
    ctx = interview_context(
        interviewer=JURGEN,
        interview_at=wall("2026-12-10 23:00", NEW_YORK),
        now=wall("2026-12-11 10:00", NEW_YORK),
    )
    words = template_variables(ctx, Channel.EMAIL)
    assert words["interview_when"] == "today"
    assert words["interview_day"] == "Friday, December 11"
    text = draft(ctx, Channel.EMAIL).text
    assert "today" in text and "yesterday" not in text


def test_an_evening_interview_in_new_york_was_today_for_kenji_in_tokyo() -> None:
    # Tue 8 Dec 21:00 New York is Wed 11:00 Tokyo; drafted at the due time, Wed 02:00 New York.
    ctx = interview_context(
        interviewer=KENJI,
        interview_at=wall("2026-12-08 21:00", NEW_YORK),
        now=wall("2026-12-09 02:00", NEW_YORK),
    )
    assert template_variables(ctx, Channel.EMAIL)["interview_when"] == "today"
    text = draft(ctx, Channel.TEXT).text
    assert "today" in text and "yesterday" not in text


def test_an_evening_interview_in_the_users_own_zone_was_today() -> None:
    dana = replace(r.DANA, tz=NEW_YORK)
    ctx = interview_context(
        interviewer=dana,
        interview_at=wall("2026-12-10 21:00", NEW_YORK),
        now=wall("2026-12-10 23:30", NEW_YORK),
    )
    assert template_variables(ctx, Channel.EMAIL)["interview_when"] == "today"


def test_a_contact_without_a_zone_reads_the_users_calendar() -> None:
    nobody = replace(r.DANA, tz=None)
    ctx = interview_context(
        interviewer=nobody,
        interview_at=wall("2026-12-10 23:00", NEW_YORK),
        now=wall("2026-12-11 10:00", NEW_YORK),
    )
    words = template_variables(ctx, Channel.EMAIL)
    assert words["interview_when"] == "yesterday"
    assert words["interview_time"] == "11 pm"


def test_a_confirmation_names_the_day_and_hour_on_the_readers_clock_first() -> None:
    # Kenji confirms on his Tuesday for his Wednesday 11:00, which is 21:00 Tuesday in New York.
    ctx = interview_context(
        interviewer=KENJI,
        interview_at=wall("2026-12-08 21:00", NEW_YORK),
        now=wall("2026-12-07 19:00", NEW_YORK),  # Tue 8 Dec 09:00 in Tokyo
        rule="interview.confirm",
    )
    words = template_variables(ctx, Channel.EMAIL)
    assert words["interview_when"] == "tomorrow"
    assert words["interview_time"] == "11 am your time (9 pm EST on Tuesday)"
    assert "tomorrow at 11 am your time (9 pm EST on Tuesday)" in draft(ctx, Channel.EMAIL).text


def expected_word(interview_day: date, today: date) -> str:
    """What a person says of ``interview_day`` on ``today``: a day word within a day either
    way, else the weekday with its date (a weekday alone turns wrong when sent days later)."""
    delta = (interview_day - today).days
    named = {0: "today", -1: "yesterday", 1: "tomorrow"}
    return named.get(delta, f"on {day_text(interview_day, today=today, country='US')}")


moments = st.builds(
    lambda day, clock: (day, clock),
    st.one_of(st.sampled_from(DST_DAYS), st.dates(date(2026, 1, 1), date(2027, 12, 31))),
    st.one_of(
        st.sampled_from([time(0, 0), time(0, 30), time(1, 30), time(2, 30), time(23, 0)]),
        st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    user_tz=st.sampled_from(ZONES),
    contact_tz=st.sampled_from(ZONES),
    moment=moments,
    later=st.integers(min_value=-6 * 24 * 60, max_value=6 * 24 * 60),
)
@example(NEW_YORK, "Europe/Berlin", (date(2026, 12, 10), time(23, 0)), 11 * 60)
@example(NEW_YORK, "Asia/Tokyo", (date(2026, 12, 8), time(21, 0)), 5 * 60)
@example(NEW_YORK, "Pacific/Kiritimati", (date(2026, 11, 1), time(1, 30)), -30)
def test_the_day_word_is_the_contacts_calendar_on_the_day_of_the_draft(
    user_tz: str, contact_tz: str, moment: tuple[date, time], later: int
) -> None:
    day, clock = moment
    interview_at = datetime.combine(day, clock, tzinfo=ZoneInfo(user_tz)).astimezone(UTC)
    now = interview_at + timedelta(minutes=later)
    theirs = ZoneInfo(contact_tz)
    interview_day = interview_at.astimezone(theirs).date()
    today = now.astimezone(theirs).date()
    if abs((interview_day - today).days) > 6:
        return  # a week or more apart: the date itself is named, not a day word
    person = replace(r.DANA, tz=contact_tz)
    past = later >= 0
    ctx = interview_context(
        interviewer=person,
        interview_at=interview_at,
        now=now,
        rule="interview.thank-you" if past else "interview.confirm",
        user_tz=user_tz,
    )
    word = expected_word(interview_day, today)
    assert template_variables(ctx, Channel.EMAIL)["interview_when"] == word
    assert word in draft(ctx, Channel.TEXT).text
