"""What drafts say about the facts they report: the news a referrer has not heard yet, a
staffing firm's part (it put you forward; the employer interviews and offers), who gets their own
thank-you, days written so they stay true when sent later, and where an onsite interview is."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.domain import Channel, Event, EventType, InterviewFormat
from jobnudge.drafts import MESSAGE_CHANNELS, context_for, draft
from jobnudge.drafts.wording import relative_day

from . import records as r

WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
BARE_WEEKDAY = re.compile(rf"\b(?:{WEEKDAYS})\b(?!,| \d)")
"""A weekday not followed by its date ("on Thursday" rather than "on Thursday, December 3")."""


# --- Days: never a weekday alone -------------------------------------------------------------


@given(
    today=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    delta=st.integers(-60, 60),
    country=st.sampled_from(["US", "GB", "DE", "CA"]),
)
def test_a_day_more_than_one_away_carries_its_date(today: date, delta: int, country: str) -> None:
    day = today + timedelta(days=delta)
    said = relative_day(day, today=today, country=country)
    if abs(delta) <= 1:
        assert said in ("today", "yesterday", "tomorrow")
    else:
        assert f"{day:%B}" in said and str(day.day) in said, said
        assert not BARE_WEEKDAY.search(said), said


@settings(max_examples=60, deadline=None)
@given(
    days_later=st.integers(2, 12),
    rule_channel=st.sampled_from(
        [(rule, ch) for rule, chs in MESSAGE_CHANNELS.items() for ch in chs]
    ),
)
def test_no_draft_names_a_weekday_without_its_date(
    days_later: int, rule_channel: tuple[str, Channel]
) -> None:
    """Drafted days after the application and the interview (3 Nov), every day it names reads
    the same whenever in the next days it is sent."""
    rule, channel = rule_channel
    ctx = r.context(rule, now=datetime(2026, 11, 3, 15, tzinfo=UTC) + timedelta(days=days_later))
    text = draft(ctx, channel).text
    assert not BARE_WEEKDAY.search(text), text


# --- Referral updates: the news the follow-up is about --------------------------------------

SENT_TO_PRIYA = Event(
    5, 100, EventType.SENT, r.at(4), contact_ids=(12,), channel=Channel.EMAIL, tz="UTC"
)
ROUND_TWO = Event(
    6,
    100,
    EventType.SCHEDULED,
    r.at(5),
    tz="America/New_York",
    contact_ids=(10,),
    scheduled_for=datetime(2026, 11, 16, 19, tzinfo=UTC),  # Monday, 2 pm in New York
    format=InterviewFormat.ONSITE,
    round=2,
)
NOW_AFTER_BOOKING = datetime(2026, 11, 5, 16, tzinfo=UTC)


def _referral(anchor: int | None, events: tuple[Event, ...]) -> str:
    ctx = context_for(
        r.nudge("referral.update", contact_id=12, anchor=anchor),
        replace(r.HISTORY, events=events),
        r.CONTACTS,
        r.SETTINGS,
        NOW_AFTER_BOOKING,
        pipeline=r.PIPELINE,
    )
    return "\n".join(draft(ctx, ch).text for ch in MESSAGE_CHANNELS["referral.update"])


def test_a_new_booking_is_told_as_booked_with_its_day_not_as_the_round_before() -> None:
    events = (*r.EVENTS, SENT_TO_PRIYA, ROUND_TWO)
    for anchor in (6, None):  # the event it is about, or (without one) the latest step
        text = _referral(anchor, events)
        assert "second-round interview booked" in text
        assert "Monday, November 16" in text
        assert "had" not in text and "November 3" not in text and "[[" not in text


def test_a_follow_up_to_the_employer_is_told_as_one() -> None:
    follow_up = Event(
        7, 100, EventType.SENT, r.at(10), contact_ids=(10,), channel=Channel.EMAIL, tz="UTC"
    )
    events = (*r.EVENTS, SENT_TO_PRIYA, follow_up)
    text = _referral(7, events)
    assert text.count("followed up with") == len(MESSAGE_CHANNELS["referral.update"])
    assert "interview" not in text


# --- Staffing firms: the recruiter put you forward; the employer interviews and offers -------

EMPLOYER_ONLY = re.compile(
    r"take a look at my application|offering me|offer of the|for the [^.!?\n]*\boffer\b"
    r"|your decision|considering me|meeting with me|with me about|we spoke|our conversation"
    r"|the time you and the team|working with you|I applied for|talk(ing)? with me",
    re.IGNORECASE,
)
TO_EMPLOYER = [
    rule
    for rule in MESSAGE_CHANNELS
    if rule not in ("referral.update", "references.heads-up", "references.thanks")
    and rule != "staffing.keep-in-touch"
]
OUTCOME = {
    "offer.thank-you": Event(8, 100, EventType.OFFER, r.at(12), contact_ids=(14,), tz="UTC"),
    "rejection.gracious-note": Event(8, 100, EventType.REJECTED, r.at(12), tz="UTC"),
    "rejection.reconnect": Event(8, 100, EventType.REJECTED, r.at(12), tz="UTC"),
}


@settings(max_examples=80, deadline=None)
@given(
    rule_channel=st.sampled_from(
        [(rule, ch) for rule in TO_EMPLOYER for ch in MESSAGE_CHANNELS[rule]]
    ),
    seed=st.text("abcdef0123456789", min_size=1, max_size=8),
)
def test_a_draft_to_the_staffing_firm_never_takes_it_for_the_employer(
    rule_channel: tuple[str, Channel], seed: str
) -> None:
    rule, channel = rule_channel
    extra = (OUTCOME[rule],) if rule in OUTCOME else ()
    ctx = r.context(
        rule,
        contact_id=r.RINA.id,
        events=(*r.EVENTS, *extra),
        key=f"{rule}:100:14:{seed}",
        now=datetime(2026, 11, 13, 15, tzinfo=UTC),
    )
    text = draft(ctx, channel).text
    assert "Acme Robotics" in text, text
    found = EMPLOYER_ONLY.search(text)
    assert found is None, f"{rule}/{channel}: “{found and found.group()}” in\n{text}"


# --- Thank-yous: pass thanks on only to someone without a thank-you of their own -------------

PEOPLE = (r.DANA, r.SAM, r.OMAR)


@settings(max_examples=60, deadline=None)
@given(
    met=st.sets(st.sampled_from([p.id for p in PEOPLE]), min_size=1),
    dismissed=st.sets(st.sampled_from([p.id for p in PEOPLE])),
    data=st.data(),
)
def test_thanks_are_passed_on_only_to_those_not_thanked_themselves(
    met: set[int], dismissed: set[int], data: st.DataObject
) -> None:
    order = tuple(p.id for p in PEOPLE if p.id in met)
    addressee = data.draw(st.sampled_from(order))
    interview = replace(r.EVENTS[2], contact_ids=order)
    decisions = tuple(
        Event(
            20 + i,
            100,
            EventType.NUDGE_DISMISSED,
            r.at(4),
            tz="UTC",
            nudge_key=f"interview.thank-you:100:{pid}:3",
        )
        for i, pid in enumerate(sorted(dismissed))
    )
    events = (r.EVENTS[0], r.EVENTS[1], interview, *decisions)
    ctx = context_for(
        r.nudge("interview.thank-you", contact_id=addressee, anchor=3),
        replace(r.HISTORY, events=events),
        r.CONTACTS,
        r.SETTINGS,
        r.NOW,
        pipeline=r.PIPELINE,
    )
    text = draft(ctx, Channel.EMAIL).text
    passed = {p.id for p in PEOPLE if p.id in met and p.id in dismissed and p.id != addressee}
    if not passed:
        assert "pass my thanks" not in text
    else:
        line = next(x for x in text.splitlines() if "pass my thanks" in x)
        for person in PEOPLE:
            assert (person.name in line) == (person.id in passed), line


# --- Confirmations: where to go -------------------------------------------------------------


def _confirm(fmt: InterviewFormat | None, note: str) -> list[str]:
    booked = replace(r.EVENTS[1], format=fmt, note=note)
    ctx = r.context(
        "interview.confirm",
        events=(r.EVENTS[0], booked),
        now=datetime(2026, 11, 2, 15, tzinfo=UTC),
    )
    return [draft(ctx, ch).text for ch in MESSAGE_CHANNELS["interview.confirm"]]


def test_an_onsite_confirmation_carries_the_place_or_a_gap_for_it() -> None:
    for text in _confirm(InterviewFormat.ONSITE, ""):
        assert "[[the address or building where you'll meet]]" in text, text
    for text in _confirm(InterviewFormat.ONSITE, "200 Park Avenue, 12th floor"):
        assert "200 Park Avenue, 12th floor" in text and "[[the address" not in text, text
    for text in _confirm(None, ""):
        assert "[[where you'll meet, or the video link]]" in text, text


def test_a_video_confirmation_asks_for_no_place() -> None:
    for text in _confirm(InterviewFormat.VIDEO, ""):
        assert "where you'll meet" not in text and "the address" not in text, text
