"""Properties of the playbook over random but valid histories: random contacts in random zones
and countries, random events at random times over a few months, a random ``now``."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.config import Settings
from jobnudge.domain import (
    Channel,
    Contact,
    Event,
    EventType,
    History,
    InterviewFormat,
    MessageKind,
    Nudge,
    Role,
    Stage,
)
from jobnudge.playbook.engine import Search, derive, derive_search, plan

from .builders import EMPLOYER_ID, OPPORTUNITY_ID, STAFFING_FIRM_ID, opportunity
from .builders import settings as user_settings

ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)
COUNTRIES = ("US", "GB", "DE", "FR", "CA", "AU", "IN", "JP")
STATUS_QUESTIONS = ("apply.check-in", "interview.status-check", "silence.retry")
# Windows that take in both 2026 daylight-saving changes on each side of the Atlantic.
STARTS = (datetime(2026, 2, 15, tzinfo=UTC), datetime(2026, 9, 20, tzinfo=UTC))
SPAN_DAYS = 120
CALL_START, CALL_END = time(7, 0), time(20, 30)

MAYBE_ZONE = st.none() | st.sampled_from(ZONES)
MAYBE_COUNTRY = st.none() | st.sampled_from(COUNTRIES)
MAYBE_CHANNEL = st.none() | st.sampled_from(Channel)
MAYBE_KIND = st.none() | st.sampled_from(MessageKind)
MAYBE_ROUND = st.none() | st.integers(min_value=1, max_value=3)
MAYBE_FORMAT = st.none() | st.sampled_from(InterviewFormat)
ROLES = st.frozensets(st.sampled_from(Role), max_size=2)
NETWORK = frozenset({Role.REFERRER, Role.REFERENCE})

PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def contacts(draw: st.DrawFn) -> dict[int, Contact]:
    count = draw(st.integers(min_value=1, max_value=3))
    found = {}
    for cid in range(1, count + 1):
        roles = draw(ROLES)
        found[cid] = Contact(
            id=cid,
            name=f"Person {cid}",
            company_id=STAFFING_FIRM_ID if Role.STAFFING in roles else EMPLOYER_ID,
            tz=draw(MAYBE_ZONE),
            country=draw(MAYBE_COUNTRY),
            prefers=draw(MAYBE_CHANNEL),
            roles=roles,
        )
    return found


def moments(start: datetime, days: int = SPAN_DAYS) -> st.SearchStrategy[datetime]:
    """A moment on one of the ``days`` days from ``start``, at any minute of that day."""
    return st.builds(
        lambda d, m: start + timedelta(days=d, minutes=m),
        st.integers(0, days),
        st.integers(0, 24 * 60 - 1),
    )


# What users log, weighted towards the events that drive follow-ups (closing events are rarer).
EVENT_TYPES = (
    *[EventType.APPLIED] * 2,
    *[EventType.SCHEDULED] * 3,
    *[EventType.INTERVIEWED] * 4,
    *[EventType.SENT] * 6,
    *[EventType.RECEIVED] * 3,
    EventType.REFERENCES,
    EventType.NOTE,
    EventType.OFFER,
    EventType.ACCEPTED,
    EventType.DECLINED,
    EventType.REJECTED,
    EventType.WITHDRAWN,
    EventType.NO_RESPONSE,
)


MESSAGES = (EventType.SENT, EventType.RECEIVED)
# Where an employer states a timeline (an offer: the date to answer by).
STATEMENTS = (EventType.INTERVIEWED, EventType.RECEIVED, EventType.OFFER)
ROUNDS = (EventType.SCHEDULED, EventType.INTERVIEWED)
MAX_EVENTS = 12


@st.composite
def event(draw: st.DrawFn, eid: int, start: datetime, ids: list[int]) -> Event:
    """One event of a random type, with the fields that type carries. A note never restates a
    timeline here, so the date the employer stated is always on an interview or a reply."""
    type_ = draw(st.sampled_from(EVENT_TYPES))
    when = draw(moments(start))
    stated = type_ in STATEMENTS
    return Event(
        id=eid,
        opportunity_id=OPPORTUNITY_ID,
        type=type_,
        at=when,
        contact_ids=tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
        channel=draw(MAYBE_CHANNEL) if type_ in (*MESSAGES, EventType.SCHEDULED) else None,
        kind=draw(MAYBE_KIND) if type_ in MESSAGES else None,
        round=draw(MAYBE_ROUND) if type_ in ROUNDS else None,
        format=draw(MAYBE_FORMAT) if type_ in ROUNDS else None,
        scheduled_for=(
            when + timedelta(hours=draw(st.integers(1, 400)))
            if type_ is EventType.SCHEDULED
            else None
        ),
        decision_by=draw(
            st.none() | st.just(when.date() + timedelta(days=draw(st.integers(0, 20))))
        )
        if stated
        else None,
        prefers=draw(MAYBE_CHANNEL) if stated or type_ is EventType.SCHEDULED else None,
    )


@st.composite
def histories(draw: st.DrawFn) -> tuple[History, dict[int, Contact], Settings, datetime]:
    people = draw(contacts())
    ids = sorted(people)
    start = draw(st.sampled_from(STARTS))
    some_id = st.none() | st.sampled_from(ids)
    opp = opportunity(
        responds_within_days=draw(st.none() | st.integers(min_value=1, max_value=30)),
        prefers=draw(MAYBE_CHANNEL),
        referrer_id=draw(some_id),
        recruiter_id=draw(some_id),
        staffing_firm_id=draw(st.none() | st.just(STAFFING_FIRM_ID)),
    )
    events = [
        draw(event(eid, start, ids)) for eid in range(1, draw(st.integers(0, MAX_EVENTS)) + 1)
    ]
    config = user_settings(
        tz=draw(st.sampled_from(ZONES)), country=draw(st.sampled_from(COUNTRIES))
    )
    # Up to a month after one of the events: where that event's follow-ups fall due.
    since = draw(st.sampled_from([e.at for e in events])) if events else start
    now = draw(moments(since, days=30))
    return History(opportunity=opp, events=tuple(events)), people, config, now


def with_decisions(
    draw: st.DrawFn, history: History, people: dict[int, Contact], config: Settings
) -> History:
    """The history plus the user's decisions (done, dismissed, snoozed) on some of its nudges."""
    found = derive(history, people, config)
    if not found:
        return history
    events = list(history.events)
    for nudge in draw(st.lists(st.sampled_from(found), max_size=3)):
        type_ = draw(
            st.sampled_from(
                (EventType.NUDGE_DONE, EventType.NUDGE_DISMISSED, EventType.NUDGE_SNOOZED)
            )
        )
        until = nudge.due + timedelta(hours=draw(st.integers(-48, 400)))
        events.append(
            Event(
                id=len(events) + 1,
                opportunity_id=history.opportunity.id,
                type=type_,
                at=nudge.due - timedelta(hours=1),
                nudge_key=nudge.key,
                until=until if type_ is EventType.NUDGE_SNOOZED else None,
            )
        )
    return replace(history, events=tuple(events))


def zone_of(nudge: Nudge, people: dict[int, Contact], config: Settings) -> ZoneInfo:
    contact = people.get(nudge.contact_id) if nudge.contact_id is not None else None
    return ZoneInfo(contact.tz if contact and contact.tz else config.profile.tz)


def is_aware(moment: datetime | None) -> bool:
    return moment is None or (moment.tzinfo is not None and moment.utcoffset() is not None)


# --- (1) call hours ---------------------------------------------------------------------------


@PROPERTIES
@given(histories(), st.data())
def test_a_call_or_voicemail_is_never_ok_outside_the_contacts_call_hours(story, data) -> None:
    history, people, config, now = story
    history = with_decisions(data.draw, history, people, config)

    for nudge in plan(history, people, config, now):
        if nudge.channel in (Channel.CALL, Channel.VOICEMAIL) and nudge.ok_now:
            clock = now.astimezone(zone_of(nudge, people, config)).time()
            assert CALL_START <= clock < CALL_END, (nudge.key, clock)


# --- (2) not before a stated time -------------------------------------------------------------


def stated_decision(events: list[Event], people: dict[int, Contact]) -> date | None:
    """The decision date the employer last stated: at the last interview or in a later reply
    (a message from a referrer or a reference is not the employer's reply)."""
    interview = [e for e in events if e.type is EventType.INTERVIEWED][-1]
    replies = [
        e
        for e in events
        if e.at > interview.at
        and e.type in (EventType.RECEIVED, EventType.OFFER, EventType.REJECTED)
        and not (
            e.contact_ids
            and all(people[c].roles and people[c].roles <= NETWORK for c in e.contact_ids)
        )
    ]
    return (replies or [interview])[-1].decision_by


@PROPERTIES
@given(histories())
def test_nothing_is_due_before_a_stated_decision_date_or_response_time(story) -> None:
    history, people, config, now = story
    events = sorted(history.events, key=lambda e: (e.at, e.id))
    waits = history.opportunity.responds_within_days

    for nudge in plan(history, people, config, now):
        zone = zone_of(nudge, people, config)
        due_day, today = nudge.due.astimezone(zone).date(), now.astimezone(zone).date()
        if nudge.rule == "interview.status-check":
            stated = stated_decision(events, people)
            if stated is not None:
                assert due_day > stated, (nudge.key, due_day, stated)
                assert not nudge.ok_now or today > stated, (nudge.key, today, stated)
        if nudge.rule == "apply.check-in" and waits:
            applied = [e for e in events if e.type is EventType.APPLIED][-1]
            applied_day = applied.at.astimezone(zone).date()
            assert (due_day - applied_day).days > waits, (nudge.key, applied_day, due_day)
            assert not nudge.ok_now or (today - applied_day).days > waits, nudge.key


# --- (3) no hounding --------------------------------------------------------------------------


@PROPERTIES
@given(histories(), st.data())
def test_one_pending_nudge_per_rule_and_contact_and_one_status_question(story, data) -> None:
    history, people, config, now = story
    history = with_decisions(data.draw, history, people, config)

    for nudges in (derive(history, people, config), plan(history, people, config, now)):
        slots = Counter((n.rule, n.contact_id) for n in nudges)
        assert max(slots.values(), default=0) <= 1, slots
        assert sum(1 for n in nudges if n.rule in STATUS_QUESTIONS) <= 1


# --- (4) determinism and stable keys ----------------------------------------------------------


@PROPERTIES
@given(histories(), st.data())
def test_derive_does_not_depend_on_the_order_events_are_listed_in(story, data) -> None:
    history, people, config, _ = story
    shuffled = replace(history, events=tuple(data.draw(st.permutations(history.events))))

    assert derive(shuffled, people, config) == derive(history, people, config)


@PROPERTIES
@given(histories(), st.data())
def test_unrelated_later_events_change_no_nudge_and_no_key(story, data) -> None:
    history, people, config, _ = story
    last = max((e.at for e in history.events), default=STARTS[0])
    later = last + timedelta(minutes=data.draw(st.integers(1, 60 * 24 * 30)))
    next_id = len(history.events) + 1
    unrelated = (
        Event(
            id=next_id,
            opportunity_id=history.opportunity.id,
            type=EventType.NOTE,
            at=later,
            note="Saw their new office on the news.",
        ),
        Event(
            id=next_id + 1,
            opportunity_id=history.opportunity.id,
            type=EventType.NUDGE_DISMISSED,
            at=later,
            nudge_key="no.such-rule:1:*:999",
        ),
    )
    extended = replace(history, events=(*history.events, *unrelated))

    before = derive(history, people, config)
    after = derive(extended, people, config)

    assert [n.key for n in after] == [n.key for n in before]
    assert after == before


# --- (5) well-formed moments ------------------------------------------------------------------


@PROPERTIES
@given(histories(), st.data())
def test_every_nudge_is_due_before_its_deadline_with_aware_instants_and_its_own_key(
    story, data
) -> None:
    history, people, config, now = story
    history = with_decisions(data.draw, history, people, config)

    for nudges in (derive(history, people, config), plan(history, people, config, now)):
        for nudge in nudges:
            assert is_aware(nudge.due) and is_aware(nudge.due_by) and is_aware(nudge.expires)
            assert nudge.due_by is None or nudge.due <= nudge.due_by, nudge.key
        assert len({n.key for n in nudges}) == len(nudges)  # a decision names exactly one


@st.composite
def searches(draw: st.DrawFn) -> tuple[Search, Settings, datetime]:
    start = draw(st.sampled_from(STARTS))
    people = draw(contacts())
    staffing = [
        (person, f"Firm {person.id}", draw(st.none() | moments(start - timedelta(days=60))))
        for person in people.values()
    ]
    stages = draw(st.dictionaries(st.integers(1, 20), st.sampled_from(Stage), max_size=8))
    config = user_settings(
        tz=draw(st.sampled_from(ZONES)), country=draw(st.sampled_from(COUNTRIES))
    )
    return Search(stages=stages, staffing=staffing), config, draw(moments(start))


@PROPERTIES
@given(searches())
def test_search_nudges_are_due_before_their_deadline_with_aware_instants(search) -> None:
    state, config, now = search

    for nudge in derive_search(state, config, now):
        assert is_aware(nudge.due) and is_aware(nudge.due_by)
        assert nudge.due_by is None or nudge.due <= nudge.due_by, nudge.key


def test_the_generated_dates_cover_both_daylight_saving_changes() -> None:
    end = [s + timedelta(days=SPAN_DAYS) for s in STARTS]
    assert STARTS[0].date() < date(2026, 3, 8) and end[0].date() > date(2026, 3, 29)
    assert STARTS[1].date() < date(2026, 10, 25) and end[1].date() > date(2026, 11, 1)
