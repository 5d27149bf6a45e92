"""The demo search as data: the people and the opportunities, each with the steps taken so far,
days counted back from the moment it is loaded. Apart from the loading (services.demo) so the
story can be read and changed without the code that writes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobnudge.domain import Channel, EventType, InterviewFormat, MessageKind, Role


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
    """An event ``days_ago`` days before now, at ``hour`` o'clock in the user's zone, or
    ``after_interview`` hours after the lead's last interview (a thank-you). Interviews and
    messages from people move to the nearest moment inside everyone's working hours."""

    word: EventType
    days_ago: float
    hour: int = 10
    people: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    after_interview: float | None = None


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
                after_interview=6,
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
                after_interview=6,
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
                after_interview=6,
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
