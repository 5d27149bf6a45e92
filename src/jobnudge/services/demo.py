"""A realistic demo search: a dozen opportunities at every stage, dated relative to ``now`` so
the agenda always has something to say. Loaded only into an empty database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge.domain import Channel, EventType, InterviewFormat, MessageKind, Role
from jobnudge.errors import Conflict
from jobnudge.services import nudges

if TYPE_CHECKING:
    from jobnudge.services.session import Session


@dataclass(frozen=True)
class Person:
    name: str
    company: str | None
    title: str = ""
    email: str = ""
    phone: str = ""
    tz: str | None = None
    country: str | None = None
    roles: tuple[Role, ...] = ()
    salutation: str = ""
    first_name_ok: bool = False
    prefers: Channel | None = None


@dataclass(frozen=True)
class Step:
    """An event ``days_ago`` days before now, at ``hour`` o'clock in the user's zone."""

    word: EventType
    days_ago: float
    hour: int = 10
    people: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Lead:
    company: str
    role: str
    steps: tuple[Step, ...]
    source: str = ""
    posting: str = ""
    responds_within: int | None = None
    referrer: str | None = None
    staffing_firm: str | None = None
    recruiter: str | None = None
    domains: tuple[str, ...] = ()


PEOPLE = (
    Person(
        "Dana Lee",
        "Northwind Analytics",
        "Analytics Manager",
        "dana.lee@northwind.example",
        tz="America/Denver",
        country="US",
        roles=(Role.INTERVIEWER,),
        salutation="Ms.",
    ),
    Person(
        "Raj Patel",
        "Northwind Analytics",
        "Senior Data Scientist",
        "raj.patel@northwind.example",
        tz="America/Denver",
        country="US",
        roles=(Role.INTERVIEWER,),
        salutation="Mr.",
    ),
    Person(
        "Maria Gómez",
        "Blue Harbor Health",
        "Talent Partner",
        "mgomez@blueharbor.example",
        "+1 617 555 0142",
        tz="America/New_York",
        country="US",
        roles=(Role.HR,),
        salutation="Ms.",
        first_name_ok=True,
    ),
    Person(
        "Oliver Grant",
        "Fenwick & Co",
        "Head of Data",
        "o.grant@fenwick.example",
        tz="Europe/London",
        country="GB",
        roles=(Role.INTERVIEWER,),
        salutation="Mr.",
    ),
    Person(
        "Priya Nair",
        "Lumen Logistics",
        "Recruiter",
        "priya@lumenlogistics.example",
        "+1 312 555 0199",
        tz="America/Chicago",
        country="US",
        roles=(Role.RECRUITER,),
        salutation="Ms.",
        prefers=Channel.CALL,
    ),
    Person(
        "Sam Okafor",
        None,
        "Former manager",
        "sam.okafor@example.org",
        tz="America/New_York",
        country="US",
        roles=(Role.REFERRER, Role.REFERENCE),
        first_name_ok=True,
    ),
    Person(
        "Chris Wong",
        None,
        "Former colleague",
        "chris.wong@example.org",
        roles=(Role.REFERENCE,),
        first_name_ok=True,
    ),
    Person(
        "Tess Marlow",
        "Beacon Staffing",
        "Account Manager",
        "tess@beaconstaffing.example",
        "+1 212 555 0100",
        tz="America/New_York",
        country="US",
        roles=(Role.STAFFING,),
        salutation="Ms.",
    ),
    Person(
        "Hannah Becker",
        "Quellwerk GmbH",
        "Teamleiterin BI",
        "h.becker@quellwerk.example",
        tz="Europe/Berlin",
        country="DE",
        roles=(Role.INTERVIEWER,),
        salutation="Dr.",
    ),
    Person(
        "Leo Martins",
        "Cobalt Retail",
        "Director of Analytics",
        "leo.martins@cobalt.example",
        tz="America/Los_Angeles",
        country="US",
        roles=(Role.INTERVIEWER,),
        salutation="Mr.",
    ),
)

LEADS = (
    Lead(
        "Northwind Analytics",
        "Data Analyst",
        source="referral",
        referrer="Sam Okafor",
        domains=("northwind.example",),
        steps=(
            Step(EventType.APPLIED, 16),
            Step(
                EventType.SCHEDULED,
                12,
                people=("Dana Lee", "Raj Patel"),
                extra={
                    "for_days_ago": 0.9,
                    "round": 2,
                    "format": InterviewFormat.VIDEO,
                    "channel": Channel.EMAIL,
                },
            ),
            Step(
                EventType.INTERVIEWED,
                0.9,
                hour=11,
                people=("Dana Lee", "Raj Patel"),
                extra={
                    "round": 2,
                    "format": InterviewFormat.VIDEO,
                    "decision_by_days": 6,
                    "prefers": Channel.EMAIL,
                    "note": "the churn dashboard rebuild",
                },
            ),
        ),
    ),
    Lead(
        "Blue Harbor Health",
        "Reporting Analyst",
        source="LinkedIn",
        domains=("blueharbor.example",),
        steps=(
            Step(EventType.APPLIED, 9),
            Step(
                EventType.RECEIVED,
                6,
                people=("Maria Gómez",),
                extra={"kind": MessageKind.NOTE, "note": "Invited to a phone screen."},
            ),
            Step(
                EventType.SCHEDULED,
                6,
                people=("Maria Gómez",),
                extra={
                    "for_days_ahead": 1,
                    "round": 1,
                    "format": InterviewFormat.PHONE,
                    "channel": Channel.EMAIL,
                },
            ),
        ),
    ),
    Lead(
        "Fenwick & Co",
        "BI Developer",
        source="company site",
        domains=("fenwick.example",),
        steps=(
            Step(EventType.APPLIED, 20),
            Step(
                EventType.INTERVIEWED,
                8,
                hour=9,
                people=("Oliver Grant",),
                extra={
                    "round": 1,
                    "format": InterviewFormat.VIDEO,
                    "note": "their move from Excel reporting to Power BI",
                },
            ),
            Step(
                EventType.SENT,
                8,
                hour=16,
                people=("Oliver Grant",),
                extra={"kind": MessageKind.THANK_YOU},
            ),
        ),
    ),
    Lead(
        "Lumen Logistics",
        "Operations Analyst",
        source="job board",
        responds_within=10,
        domains=("lumenlogistics.example",),
        steps=(Step(EventType.APPLIED, 8),),
    ),
    Lead(
        "Cobalt Retail",
        "Senior Analyst",
        source="Indeed",
        domains=("cobalt.example",),
        steps=(
            Step(EventType.APPLIED, 40),
            Step(EventType.INTERVIEWED, 30, people=("Leo Martins",), extra={"round": 1}),
            Step(
                EventType.SENT,
                30,
                hour=17,
                people=("Leo Martins",),
                extra={"kind": MessageKind.THANK_YOU},
            ),
            Step(
                EventType.SENT, 23, people=("Leo Martins",), extra={"kind": MessageKind.FOLLOW_UP}
            ),
            Step(
                EventType.SENT, 15, people=("Leo Martins",), extra={"kind": MessageKind.FOLLOW_UP}
            ),
            Step(EventType.SENT, 8, people=("Leo Martins",), extra={"kind": MessageKind.FOLLOW_UP}),
        ),
    ),
    Lead(
        "Quellwerk GmbH",
        "BI Analyst (remote)",
        source="referral",
        domains=("quellwerk.example",),
        steps=(
            Step(EventType.APPLIED, 25),
            Step(
                EventType.INTERVIEWED,
                14,
                hour=8,
                people=("Hannah Becker",),
                extra={"round": 1, "format": InterviewFormat.VIDEO, "decision_by_days": 7},
            ),
            Step(
                EventType.SENT,
                14,
                hour=15,
                people=("Hannah Becker",),
                extra={"kind": MessageKind.THANK_YOU},
            ),
            Step(EventType.REFERENCES, 2, people=("Sam Okafor", "Chris Wong")),
            Step(EventType.OFFER, 0.2, hour=9, people=("Hannah Becker",)),
        ),
    ),
    Lead(
        "Granite Insurance",
        "Data Analyst II",
        source="LinkedIn",
        steps=(
            Step(EventType.APPLIED, 30),
            Step(EventType.REJECTED, 1, extra={"note": "Polite form rejection by email."}),
        ),
    ),
    Lead(
        "Harbor & Pine",
        "Analytics Consultant",
        staffing_firm="Beacon Staffing",
        recruiter="Tess Marlow",
        source="staffing firm",
        steps=(
            Step(EventType.APPLIED, 12),
            Step(EventType.INTERVIEWED, 3, hour=14, people=(), extra={"round": 1}),
        ),
    ),
    Lead(
        "Mosaic Media",
        "Marketing Analyst",
        source="company site",
        steps=(
            Step(EventType.APPLIED, 60),
            Step(EventType.SENT, 52, extra={"kind": MessageKind.FOLLOW_UP}),
            Step(EventType.SENT, 44, extra={"kind": MessageKind.FOLLOW_UP}),
            Step(EventType.NO_RESPONSE, 35),
        ),
    ),
    Lead(
        "Trellis Foods",
        "Supply Chain Analyst",
        source="career fair",
        steps=(
            Step(EventType.APPLIED, 45),
            Step(EventType.INTERVIEWED, 35, extra={"round": 1}),
            Step(EventType.REJECTED, 30),
            Step(
                EventType.SENT,
                29,
                extra={
                    "kind": MessageKind.THANK_YOU,
                    "note": "Gracious note after their decision.",
                },
            ),
        ),
    ),
    Lead(
        "Vantage Energy",
        "Data Analyst",
        source="job board",
        steps=(
            Step(EventType.APPLIED, 50),
            Step(EventType.WITHDRAWN, 20, extra={"note": "Role moved on-site only."}),
        ),
    ),
    Lead("Orbit Labs", "Product Analyst", source="Hacker News", steps=()),
)


def _at(now: datetime, days_ago: float, hour: int, tz: str) -> datetime:
    """``hour`` o'clock ``days_ago`` days before now, moved back off a weekend: employers
    interview and answer on working days."""
    zone = ZoneInfo(tz)
    day = (now - timedelta(days=days_ago)).astimezone(zone).date()
    if days_ago > 0:
        day -= timedelta(days=max(0, day.weekday() - 4))
    else:
        day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)
    return datetime.combine(day, time(hour), zone).astimezone(ZoneInfo("UTC"))


def _day(now: datetime, days_ahead: float, tz: str) -> date:
    return (now + timedelta(days=days_ahead)).astimezone(ZoneInfo(tz)).date()


def load(session: Session) -> int:
    """Fill an empty database with the demo search; return how many opportunities it added."""
    store, owner, tz, now = session.store, session.owner, session.tz, session.now
    with store.transaction() as tx:
        if tx.opportunities(owner):
            raise Conflict(
                "The database already holds a job search, so the demo was not loaded; use "
                "`--db sqlite:////tmp/demo.sqlite` to try the demo in a separate file."
            )
        companies: dict[str, int] = {}
        for lead in LEADS:
            companies[lead.company] = tx.add_company(owner, lead.company, domains=lead.domains).id
            if lead.staffing_firm and lead.staffing_firm not in companies:
                companies[lead.staffing_firm] = tx.add_company(
                    owner,
                    lead.staffing_firm,
                    is_staffing_firm=True,
                    domains=("beaconstaffing.example",),
                ).id
        people: dict[str, int] = {}
        for p in PEOPLE:
            people[p.name] = tx.add_contact(
                owner,
                name=p.name,
                company_id=companies.get(p.company) if p.company else None,
                title=p.title,
                email=p.email,
                phone=p.phone,
                tz=p.tz,
                country=p.country,
                roles=frozenset(p.roles),
                salutation=p.salutation,
                first_name_ok=p.first_name_ok,
                prefers=p.prefers,
            ).id
        for lead in LEADS:
            opp = tx.add_opportunity(
                owner,
                company_id=companies[lead.company],
                role=lead.role,
                source=lead.source,
                posting_url=lead.posting,
                responds_within_days=lead.responds_within,
                referrer_id=people.get(lead.referrer or ""),
                staffing_firm_id=companies.get(lead.staffing_firm or ""),
                recruiter_id=people.get(lead.recruiter or ""),
            )
            for name, cid in people.items():
                person = next(p for p in PEOPLE if p.name == name)
                if person.company == lead.company or name in (lead.referrer, lead.recruiter):
                    tx.link_contact(owner, opp.id, cid)
            for step in lead.steps:
                extra = dict(step.extra)
                fields: dict[str, Any] = {
                    "contact_ids": tuple(people[n] for n in step.people),
                    "channel": extra.pop("channel", None),
                    "kind": extra.pop("kind", None),
                    "round": extra.pop("round", None),
                    "format": extra.pop("format", None),
                    "prefers": extra.pop("prefers", None),
                    "note": extra.pop("note", ""),
                }
                if "for_days_ago" in extra:
                    fields["scheduled_for"] = _at(now, extra.pop("for_days_ago"), 11, tz)
                if "for_days_ahead" in extra:
                    fields["scheduled_for"] = _at(now, -extra.pop("for_days_ahead"), 14, tz)
                if "decision_by_days" in extra:
                    fields["decision_by"] = _day(now, extra.pop("decision_by_days"), tz)
                if step.word in (EventType.SENT, EventType.RECEIVED) and not fields["channel"]:
                    fields["channel"] = Channel.EMAIL
                tx.add_event(
                    owner,
                    opportunity_id=opp.id,
                    type=step.word,
                    at=min(_at(now, step.days_ago, step.hour, tz), now),
                    tz=tz,
                    **fields,
                )
            nudges.refresh(store, tx, owner, opp.id, session.settings)
        nudges.refresh_search(store, tx, owner, session.settings, now)
    return len(LEADS)
