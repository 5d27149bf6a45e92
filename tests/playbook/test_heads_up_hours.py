"""references.heads-up by call or voicemail falls inside the reference's call hours
(guard.call-hours): a call whose day has no call hours left waits for their next call window,
and the reason offers an email or text today instead."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.config import Playbook
from jobnudge.domain import Channel
from jobnudge.playbook import acting

from .builders import Story, at, local, only, reference

MADRID = "Europe/Madrid"
ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("SystemV"))
HOURS = Playbook()


@pytest.mark.parametrize(
    ("channel", "opens"), [(Channel.CALL, "09:00"), (Channel.VOICEMAIL, "07:00")]
)
def test_a_heads_up_by_phone_after_their_call_hours_waits_for_the_next_window(
    channel: Channel, opens: str
) -> None:
    """The next window: for a live call the start of their working day, when someone picks
    up; for a voicemail the start of their call hours, before the working day."""
    tomas = reference(8, "Tomás Ruiz", tz=MADRID, country="ES", prefers=channel)
    story = Story()
    story.references_given(at("2026-12-14 15:00"), tomas)  # 21:00 in Madrid

    heads_up = only(story.derive(), "references.heads-up")

    assert local(heads_up.due, MADRID) == f"2026-12-15 {opens}"
    assert local(heads_up.due_by, MADRID) == "2026-12-15 20:30"
    assert "email or text them today instead" in heads_up.reason


@pytest.mark.parametrize(
    ("channel", "given", "due", "words"),
    [
        (Channel.CALL, "01:30", "09:00", "best within their working day"),  # 07:30 in Madrid
        (Channel.CALL, "12:00", "18:00", "best within their working day"),  # after work: now
        (Channel.VOICEMAIL, "04:00", "17:00", "best outside their working day"),  # 10:00
        (Channel.VOICEMAIL, "01:30", "07:30", "best outside their working day"),  # before work
    ],
)
def test_a_live_call_prefers_their_working_day_and_a_voicemail_the_hours_outside_it(
    channel: Channel, given: str, due: str, words: str
) -> None:
    """Inside the call hours (guard.call-hours): a call waits for the working day and a
    voicemail for its end only when that is still the same day; never for another day."""
    tomas = reference(8, "Tomás Ruiz", tz=MADRID, country="ES", prefers=channel)
    story = Story()
    story.references_given(at(f"2026-12-14 {given}"), tomas)  # New York time

    heads_up = only(story.derive(), "references.heads-up")

    assert local(heads_up.due, MADRID) == f"2026-12-14 {due}"
    assert local(heads_up.due_by, MADRID) == "2026-12-14 20:30"
    assert words in heads_up.reason and "today" in heads_up.reason


def test_a_heads_up_by_call_inside_their_call_hours_stays_the_same_day() -> None:
    tomas = reference(8, "Tomás Ruiz", tz=MADRID, country="ES", prefers=Channel.CALL)
    story = Story()
    given_at = story.references_given(at("2026-12-14 09:00"), tomas)  # 15:00 in Madrid

    heads_up = only(story.derive(), "references.heads-up")

    assert heads_up.due == given_at.at
    assert local(heads_up.due_by, MADRID) == "2026-12-14 20:30"
    assert "today" in heads_up.reason


def test_a_heads_up_by_email_is_due_at_once_and_by_the_end_of_their_day() -> None:
    pat = reference(8, "Pat Kim", tz=MADRID, country="ES")
    story = Story()
    given_at = story.references_given(at("2026-12-14 15:00"), pat)

    heads_up = only(story.derive(), "references.heads-up")

    assert heads_up.due == given_at.at
    assert local(heads_up.due_by, MADRID) == "2026-12-14 23:59"


@given(
    zone=st.sampled_from(ZONES),
    channel=st.sampled_from([Channel.CALL, Channel.VOICEMAIL]),
    day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_every_heads_up_by_phone_is_due_inside_the_references_call_hours(
    zone: str, channel: Channel, day: date, minute: int
) -> None:
    person = reference(8, "Pat Kim", tz=zone, country="US", prefers=channel)
    when = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ZoneInfo("UTC"))
    story = Story()
    given_at = story.references_given(when.astimezone(UTC), person)

    heads_up = only(story.derive(), "references.heads-up")

    hours = (HOURS.call_start, HOURS.call_end)
    assert heads_up.due >= given_at.at
    assert acting.in_call_hours(heads_up.due, zone, "US", hours), local(heads_up.due, zone)
    assert heads_up.due_by is not None and heads_up.due < heads_up.due_by
    assert local(heads_up.due_by, zone)[:10] == local(heads_up.due, zone)[:10]
    clock = heads_up.due.astimezone(ZoneInfo(zone)).time()
    inside_work = time(9) <= clock < time(17)
    if heads_up.due > given_at.at:  # it waited: for the part of the day the channel prefers
        assert inside_work == (channel is Channel.CALL), (channel, local(heads_up.due, zone))
