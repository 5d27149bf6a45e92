"""Hypothesis strategies for job-search records: awkward names, ordinary-word companies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from jobnudge.config import Profile, Settings
from jobnudge.domain import (
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
from jobnudge.drafts import MESSAGE_CHANNELS, DraftContext, context_for
from jobnudge.drafts.text import fold

FIRST = [
    "Dana",
    "Zoë",
    "José",
    "Anne-Marie",
    "Siobhán",
    "Björn",
    "Renée",
    "Chloé",
    "François",
    "Łukasz",
    "D'Arcy",
    "Nguyễn",
    "Åsa",
    "Jo",
    "Ali",
    "Mary-Kate",
    "Oluwaseun",
    "Priya",
]
LAST = [
    "Lee",
    "O'Brien",
    "García-López",
    "van der Berg",
    "Müller",
    "D'Angelo",
    "Smith-Jones",
    "Øvergaard",
    "Ó Súilleabháin",
    "de la Cruz",
    "Nakamura",
    "Kowalski",
    "Ng",
    "MacDonald",
]
COMPANIES = [
    "Apple",
    "Target",
    "Square",
    "Box",
    "Gap",
    "Shell",
    "Oracle",
    "Acme",
    "Acme Robotics",
    "Initech",
    "Globex",
    "Müller & Söhne",
    "L'Oréal",
    "Procter & Gamble",
    "AT&T",
    "3M",
    "Ben & Jerry's",
    "Zoom",
    "Slack",
    "Notion",
    "Stripe",
    "Compass",
    "Signal",
    "Ring",
    "Nest",
    "Sage",
    "Unity",
    "Bolt",
    "Best Buy",
    "Wayfair",
    "Hooli",
    "Pied Piper",
    "Parkside Bank",
    "Brightline Health",
    "Quellwerk GmbH",
    "Northwind Analytics",
]
ROLES = [
    "Data Analyst",
    "Senior Software Engineer",
    "Oracle Database Administrator",
    "Head of Customer Success",
    "UX Researcher",
    "Nurse Practitioner",
    "Barista",
    "Salesforce Administrator",
    "Product Manager, Payments",
    "Warehouse Associate",
]
TOPICS = [
    "the new warehouse system",
    "how the team plans its quarter",
    "mentoring junior staff",
    "the customer research programme",
    "their move to weekly releases",
    "the budget for next year",
    "hiring two more engineers",
]

_letters = st.text(alphabet="abcdefghijklmnoprstuvyzéèüöñç", min_size=2, max_size=8)
first_names = st.one_of(st.sampled_from(FIRST), _letters.map(str.capitalize))
last_names = st.one_of(st.sampled_from(LAST), _letters.map(str.capitalize))
full_names = st.builds(lambda f, s: f"{f} {s}", first_names, last_names)


def _email(name: str, domain: str) -> str:
    local = ".".join(part for part in fold(name).replace("'", "").split() if part.isascii())
    return f"{local or 'someone'}@{domain}"


@st.composite
def contacts(draw: st.DrawFn, ident: int, company: Company | None, role: Role) -> Contact:
    name = draw(full_names)
    domain = company.domains[0] if company is not None and company.domains else "example.org"
    return Contact(
        id=ident,
        name=name,
        company_id=company.id if company is not None else None,
        email=draw(st.sampled_from(["", _email(name, domain)])),
        phone=draw(st.sampled_from(["", "+1 555 010 0" + str(100 + ident)])),
        tz=draw(st.sampled_from([None, "America/Denver", "Europe/Berlin", "Asia/Tokyo"])),
        salutation=draw(st.sampled_from(["", "Ms.", "Mr.", "Dr.", "Mx."])),
        first_name_ok=draw(st.booleans()),
        roles=frozenset({role}),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[DraftContext, Settings, str]:
    """A context for one rule and channel, with the settings and the channel name."""
    rule, channel = draw(
        st.sampled_from([(r, c) for r, chans in MESSAGE_CHANNELS.items() for c in chans])
    )
    names = draw(st.lists(st.sampled_from(COMPANIES), min_size=2, max_size=7, unique=True))
    pipeline = tuple(
        Company(
            i + 1,
            n,
            domains=(f"{fold(n).replace(' ', '').replace('&', '')[:12]}.com",),
            is_staffing_firm=(i == 1 and rule == "staffing.keep-in-touch"),
        )
        for i, n in enumerate(names)
    )
    employer, firm = pipeline[0], pipeline[1]
    with_firm = rule == "staffing.keep-in-touch" or draw(st.booleans())
    interviewer = draw(contacts(10, employer, Role.INTERVIEWER))
    other = draw(contacts(11, employer, Role.INTERVIEWER))
    referrer = draw(contacts(12, None, Role.REFERRER))
    reference = draw(contacts(13, None, Role.REFERENCE))
    recruiter = draw(contacts(14, firm, Role.STAFFING))
    people = {c.id: c for c in (interviewer, other, referrer, reference, recruiter)}
    opportunity = Opportunity(
        100,
        company_id=employer.id,
        company=employer.name,
        role=draw(st.sampled_from(ROLES)),
        referrer_id=12,
        staffing_firm_id=firm.id if with_firm else None,
    )
    now = datetime(2026, 11, 3, 21, 0, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 2000)))
    interview_at = now + timedelta(hours=draw(st.integers(-300, 40)))
    met = draw(st.sampled_from([(10,), (10, 11)]))
    fmt = draw(st.sampled_from([None, *InterviewFormat]))
    rnd = draw(st.sampled_from([None, 1, 2, 3]))
    events = [
        Event(1, 100, EventType.APPLIED, interview_at - timedelta(days=draw(st.integers(3, 40)))),
        Event(
            2,
            100,
            EventType.SCHEDULED,
            interview_at - timedelta(days=2),
            contact_ids=met,
            scheduled_for=interview_at,
            format=fmt,
            round=rnd,
        ),
    ]
    if interview_at < now:
        decided = draw(st.sampled_from([None, date(2026, 11, 20)]))
        events.append(
            Event(
                3,
                100,
                EventType.INTERVIEWED,
                interview_at,
                contact_ids=met,
                format=fmt,
                round=rnd,
                decision_by=decided,
                note=draw(st.sampled_from(["", *TOPICS])),
            )
        )
    events.append(Event(4, 100, EventType.REFERENCES, interview_at, contact_ids=(13,)))
    outcome = draw(st.sampled_from([None, EventType.OFFER, EventType.REJECTED]))
    if outcome is not None and rule.startswith(("references.thanks", "offer", "rejection")):
        events.append(Event(5, 100, outcome, now - timedelta(hours=1)))
    to = {
        "referral.update": 12,
        "references.heads-up": 13,
        "references.thanks": 13,
        "staffing.keep-in-touch": 14,
    }.get(rule, draw(st.sampled_from([10, 11, None, *([14] if with_firm else [])])))
    profile = Profile(
        name=draw(full_names),
        email="me@example.com",
        phone=draw(st.sampled_from(["555 010 0999", "+44 20 7946 0000"])),
        signature=draw(st.sampled_from(["", "Portfolio: example.com/work"])),
        tz=draw(st.sampled_from(["America/New_York", "Europe/London"])),
        country=draw(st.sampled_from(["US", "GB"])),
    )
    settings = Settings(profile=profile)
    nudge = Nudge(
        key=draw(st.text(min_size=1, max_size=12)),
        rule=rule,
        opportunity_id=100,
        contact_id=to,
        channel=None,
        due=now,
        due_by=None,
        reason="generated",
        anchor_event_id=None,
    )
    history = History(opportunity, tuple(events), companies={c.id: c for c in pipeline})
    ctx = context_for(nudge, history, people, settings, now, pipeline=pipeline)
    return ctx, settings, str(channel)
