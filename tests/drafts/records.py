"""Sample records for the drafts tests: one job search with a few employers and people."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from jobnudge.config import Profile, Settings
from jobnudge.domain import (
    Channel,
    Company,
    Contact,
    Event,
    EventType,
    History,
    InterviewFormat,
    Nudge,
    Opportunity,
    Role,
)
from jobnudge.drafts import DraftContext, context_for

NOW = datetime(2026, 11, 3, 21, 0, tzinfo=UTC)  # Tuesday, 4 pm in New York

ACME = Company(1, "Acme Robotics", aliases=("Acme",), domains=("acme.com",))
GLOBEX = Company(2, "Globex", domains=("globex.com",))
APPLE = Company(3, "Apple", domains=("apple.com",))
INITECH = Company(4, "Initech", domains=("initech.com",))
TALENTCO = Company(
    5, "TalentCo Staffing", aliases=("TalentCo",), domains=("talentco.com",), is_staffing_firm=True
)
PIPELINE = (ACME, GLOBEX, APPLE, INITECH, TALENTCO)

DANA = Contact(
    10,
    "Dana Lee",
    company_id=1,
    title="Engineering Manager",
    email="dana.lee@acme.com",
    phone="+1 555 010 0100",
    tz="America/New_York",
    salutation="Ms.",
    roles=frozenset({Role.INTERVIEWER}),
)
SAM = Contact(
    11, "Sam Ortiz", company_id=1, email="sam@acme.com", roles=frozenset({Role.INTERVIEWER})
)
PRIYA = Contact(
    12,
    "Priya Natarajan",
    company_id=None,
    email="priya@example.org",
    phone="+1 555 010 0200",
    first_name_ok=True,
    roles=frozenset({Role.REFERRER}),
)
OMAR = Contact(
    13,
    "Omar Haddad",
    company_id=None,
    email="omar.haddad@example.net",
    phone="+1 555 010 0300",
    salutation="Dr.",
    roles=frozenset({Role.REFERENCE}),
)
RINA = Contact(
    14,
    "Rina Kowalski",
    company_id=5,
    email="rina@talentco.com",
    phone="+1 555 010 0400",
    first_name_ok=True,
    roles=frozenset({Role.STAFFING}),
)
RAJ = Contact(  # met at Acme, neither e-mail address nor phone number recorded yet
    15, "Raj Patel", company_id=1, salutation="Mr.", roles=frozenset({Role.INTERVIEWER})
)
CONTACTS = {c.id: c for c in (DANA, SAM, PRIYA, OMAR, RINA)}

PROFILE = Profile(
    name="Alex Kim",
    email="alex.kim@example.com",
    phone="555 010 0999",
    signature="Alex Kim\n555 010 0999",
    tz="America/New_York",
    country="US",
)
SETTINGS = Settings(profile=PROFILE)

OPPORTUNITY = Opportunity(
    100,
    company_id=1,
    company="Acme Robotics",
    role="Data Analyst",
    referrer_id=12,
    staffing_firm_id=5,
)


def at(day: int, hour: int = 15) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


EVENTS = (
    Event(1, 100, EventType.APPLIED, at(2), tz="America/New_York"),
    Event(
        2,
        100,
        EventType.SCHEDULED,
        at(2, 16),
        tz="America/New_York",
        contact_ids=(10, 11),
        scheduled_for=at(3, 15),
        format=InterviewFormat.VIDEO,
        round=1,
    ),
    Event(
        3,
        100,
        EventType.INTERVIEWED,
        at(3, 16),
        tz="America/New_York",
        contact_ids=(10, 11),
        format=InterviewFormat.VIDEO,
        round=1,
        decision_by=date(2026, 11, 13),
        note="the warehouse forecasting project",
    ),
    Event(4, 100, EventType.REFERENCES, at(3, 18), contact_ids=(13,)),
)
HISTORY = History(OPPORTUNITY, EVENTS, companies={1: ACME, 5: TALENTCO})

ADDRESSEE = {
    "referral.update": 12,
    "references.heads-up": 13,
    "references.thanks": 13,
    "staffing.keep-in-touch": 14,
}


def nudge(
    rule: str,
    *,
    contact_id: int | None = 10,
    anchor: int | None = None,
    key: str | None = None,
    channel: Channel | None = None,
) -> Nudge:
    return Nudge(
        key=key or f"{rule}:100:{contact_id}",
        rule=rule,
        opportunity_id=100,
        contact_id=contact_id,
        channel=channel,
        due=NOW,
        due_by=None,
        reason="test",
        anchor_event_id=anchor,
    )


def context(
    rule: str,
    *,
    events: tuple[Event, ...] = EVENTS,
    contact_id: int | None = -1,
    key: str | None = None,
    now: datetime = NOW,
) -> DraftContext:
    """The context for ``rule`` addressed to the contact such a rule normally writes to."""
    if contact_id == -1:
        contact_id = ADDRESSEE.get(rule, 10)
    history = replace(HISTORY, events=events)
    return context_for(
        nudge(rule, contact_id=contact_id, key=key),
        history,
        CONTACTS,
        SETTINGS,
        now,
        pipeline=PIPELINE,
    )
