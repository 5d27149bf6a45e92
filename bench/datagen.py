"""A generator of realistic job searches, written straight into the store's tables in bulk.

Deterministic (``random.Random`` seeded per user), so every run builds the same rows. Each
user's search is a set of opportunities whose histories follow a few common stories (ghosted,
rejected early, interviewed then rejected, offer, withdrawn, slow, lead only), cut at
:data:`common.NOW`: old opportunities have reached a settled end, recent ones are mid-story and
so have follow-ups due. Nudges are computed with the real playbook (``playbook.engine.derive``
and ``derive_search``) from the same in-memory records, so they are what
``services.nudges.refresh`` would store; or, where that is too slow, plausible stand-ins
(:func:`plausible_nudges`). ``bulkload.py`` writes them to the store's tables.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from common import NOW, SETTINGS, USER_TZ
from jobnudge.config import Settings
from jobnudge.domain import (
    Channel,
    Company,
    Contact,
    Event,
    EventType,
    History,
    InterviewFormat,
    MessageKind,
    Nudge,
    Opportunity,
    Role,
    Stage,
    stage_of,
)
from jobnudge.playbook.engine import derive, derive_search
from jobnudge.playbook.rules_search import Search

# --------------------------------------------------------------------------------------------
# The generator: in-memory records first, ids given per chunk of users in time order


class Co:
    __slots__ = ("created", "id", "name", "staffing")

    def __init__(self, name: str, created: datetime, staffing: bool = False) -> None:
        self.id = 0
        self.name = name
        self.created = created
        self.staffing = staffing


class Person:
    __slots__ = ("company", "country", "created", "id", "name", "prefers", "roles", "tz")

    def __init__(
        self,
        name: str,
        company: Co | None,
        roles: frozenset[Role],
        tz: str | None,
        country: str | None,
        created: datetime,
        prefers: Channel | None = None,
    ) -> None:
        self.id = 0
        self.name = name
        self.company = company
        self.roles = roles
        self.tz = tz
        self.country = country
        self.created = created
        self.prefers = prefers


class Ev:
    __slots__ = (
        "at",
        "channel",
        "decision_by",
        "format",
        "id",
        "kind",
        "note",
        "opp",
        "people",
        "round",
        "scheduled_for",
        "type",
    )

    def __init__(
        self,
        opp: Opp | None,
        type: EventType,
        at: datetime,
        people: tuple[Person, ...] = (),
        kind: MessageKind | None = None,
        channel: Channel | None = None,
        round: int | None = None,
        format: InterviewFormat | None = None,
        scheduled_for: datetime | None = None,
        decision_by: date | None = None,
        note: str = "",
    ) -> None:
        self.id = 0
        self.opp = opp
        self.type = type
        self.at = at
        self.people = people
        self.kind = kind
        self.channel = channel
        self.round = round
        self.format = format
        self.scheduled_for = scheduled_for
        self.decision_by = decision_by
        self.note = note


class Opp:
    __slots__ = (
        "company",
        "created",
        "events",
        "id",
        "people",
        "recruiter",
        "referrer",
        "responds",
        "role",
        "source",
        "staffing",
    )

    def __init__(self, company: Co, role: str, created: datetime) -> None:
        self.id = 0
        self.company = company
        self.role = role
        self.created = created
        self.source = ""
        self.responds: int | None = None
        self.referrer: Person | None = None
        self.staffing: Co | None = None
        self.recruiter: Person | None = None
        self.people: list[Person] = []  # linked contacts (opportunity_contacts)
        self.events: list[Ev] = []


@dataclass
class UserSearch:
    """One user's whole search, as generated."""

    name: str
    created: datetime
    companies: list[Co] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    opps: list[Opp] = field(default_factory=list)
    loose: list[Ev] = field(default_factory=list)  # events tied to no opportunity
    id: int = 0

    @property
    def event_count(self) -> int:
        return len(self.loose) + sum(len(o.events) for o in self.opps)


ZONES = (
    ("America/New_York", "US", 5),
    ("America/Chicago", "US", 3),
    ("America/Denver", "US", 1),
    ("America/Los_Angeles", "US", 3),
    ("America/Toronto", "CA", 1),
    ("Europe/London", "GB", 1),
    ("Europe/Berlin", "DE", 1),
)
FIRST = ("Dana", "Raj", "Maria", "Oliver", "Priya", "Sam", "Chris", "Tess", "Hannah", "Leo")
LAST = ("Lee", "Patel", "Gómez", "Grant", "Nair", "Okafor", "Wong", "Marlow", "Becker", "Martins")
WORDS = ("Northwind", "Blue Harbor", "Fenwick", "Lumen", "Cobalt", "Quellwerk", "Granite", "Mosaic")
SECTORS = ("Analytics", "Health", "Logistics", "Retail", "Insurance", "Media", "Foods", "Energy")
ROLES = ("Data Analyst", "BI Developer", "Reporting Analyst", "Senior Analyst", "Data Engineer")
SOURCES = ("LinkedIn", "referral", "company site", "job board", "Indeed", "career fair")

# Weights of the stories an opportunity follows (see ``_story``).
STORIES = (
    ("ghosted", 34),
    ("rejected-early", 20),
    ("interview-rejected", 20),
    ("offer", 5),
    ("withdrawn", 10),
    ("lead", 6),
    ("slow", 5),
)


_ZONE_POOL = tuple((zone, country) for zone, country, weight in ZONES for _ in range(weight))
_STORY_POOL = tuple(name for name, weight in STORIES for _ in range(weight))
_INTERVIEWS = frozenset({"interview-rejected", "offer", "slow"})


def _zone(rng: random.Random) -> tuple[str, str]:
    return rng.choice(_ZONE_POOL)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def make_search(
    seed: int,
    name: str,
    *,
    opportunities: int,
    start: datetime,
    span_days: float,
    notes_per_opportunity: float = 0.0,
    now: datetime = NOW,
    label: str = "",
    thank_firm: bool = True,
) -> UserSearch:
    """One user's search: ``opportunities`` found between ``start`` and ``start + span_days``,
    each following a story cut at ``now`` (nothing is recorded in the future).

    ``notes_per_opportunity`` adds that many NOTE events per opportunity on average (to reach a
    longer history without changing the story). ``label`` goes into company names, so that two
    searches can be merged into one user (:func:`merge`) without a name clash. ``thank_firm``
    false leaves staffing firms unthanked after interviews (see :func:`_story`).
    """
    rng = random.Random(seed)
    user = UserSearch(name=name, created=start)
    network: list[Person] = []
    for role in (Role.REFERENCE, Role.REFERENCE, Role.REFERRER, Role.REFERRER):
        zone, country = _zone(rng)
        network.append(Person(_name(rng), None, frozenset({role}), zone, country, start))
    user.people += network
    references = [p for p in network if Role.REFERENCE in p.roles]
    referrers = [p for p in network if Role.REFERRER in p.roles]
    firm_contact: Person | None = None
    if rng.random() < 0.3:
        firm = Co(f"{rng.choice(WORDS)} Staffing", start, staffing=True)
        user.companies.append(firm)
        zone, country = _zone(rng)
        firm_contact = Person(
            _name(rng), firm, frozenset({Role.STAFFING}), zone, country, start, Channel.CALL
        )
        user.people.append(firm_contact)
        touch = start + timedelta(days=rng.uniform(1, 10))
        while touch < min(now, start + timedelta(days=span_days)):
            user.loose.append(
                Ev(None, EventType.SENT, touch, people=(firm_contact,), channel=Channel.CALL)
            )
            touch += timedelta(days=rng.uniform(10, 20))
    for k in range(opportunities):
        created = start + timedelta(days=rng.uniform(0, span_days), minutes=rng.randint(0, 599))
        created = created.replace(hour=13 + rng.randint(0, 8))  # a working hour in the Americas
        if created > now:
            created = now - timedelta(minutes=rng.randint(5, 600))
        company = Co(f"{rng.choice(WORDS)} {rng.choice(SECTORS)} {label}{k + 1}", created)
        user.companies.append(company)
        opp = Opp(company, rng.choice(ROLES), created)
        opp.source = rng.choice(SOURCES)
        if rng.random() < 0.2:
            opp.responds = rng.choice((5, 10, 14))
        story = rng.choice(_STORY_POOL)
        zone, country = _zone(rng)
        hr = Person(
            _name(rng), company, frozenset({rng.choice((Role.HR, Role.RECRUITER))}), zone,
            country, created,
        )  # fmt: skip
        opp.people = [hr]
        interviewer = hr
        if story in _INTERVIEWS:
            interviewer = Person(
                _name(rng), company, frozenset({Role.INTERVIEWER}), zone, country, created
            )
            opp.people.append(interviewer)
        user.people += opp.people
        if rng.random() < 0.15:
            opp.referrer = rng.choice(referrers)
            opp.people.append(opp.referrer)
        elif firm_contact is not None and rng.random() < 0.15:
            opp.staffing = firm_contact.company
            opp.recruiter = firm_contact
            opp.people.append(firm_contact)
        events = _story(rng, story, opp, hr, interviewer, references, thank_firm)
        for _ in range(_poisson(rng, notes_per_opportunity)):
            events.append(
                Ev(opp, EventType.NOTE, created + timedelta(days=rng.uniform(0, 40)), note="...")
            )
        if opp.referrer is not None and events:
            last = max(e.at for e in events)
            events.append(
                Ev(
                    opp,
                    EventType.SENT,
                    last + timedelta(days=1),
                    people=(opp.referrer,),
                    kind=MessageKind.UPDATE,
                    channel=Channel.EMAIL,
                )
            )
        opp.events = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
        user.opps.append(opp)
    return user


def merge(name: str, *searches: UserSearch) -> UserSearch:
    """One user holding several generated searches (say, years of history and a current one)."""
    user = UserSearch(name=name, created=min(s.created for s in searches))
    for search in searches:
        user.companies += search.companies
        user.people += search.people
        user.opps += search.opps
        user.loose += search.loose
    return user


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    # Knuth's method is fine for the small means used here.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _story(
    rng: random.Random,
    story: str,
    opp: Opp,
    hr: Person,
    interviewer: Person,
    references: Sequence[Person],
    thank_firm: bool = True,
) -> list[Ev]:
    """The events of one opportunity's life, starting when it was found (``opp.created``).

    After each interview the interviewer is thanked, and the staffing firm's recruiter too when
    the firm arranged it, unless ``thank_firm`` is false (a user who forgets the firm).
    """
    thanked = (opp.recruiter,) if thank_firm and opp.recruiter and opp.staffing else ()
    t0 = opp.created
    stretch = rng.uniform(0.8, 1.3)
    out: list[Ev] = []

    def at(days: float, hours: float = 0) -> datetime:
        return t0 + timedelta(days=days * stretch, hours=hours)

    def add(days: float, type: EventType, hours: float = 0, **extra: Any) -> None:
        out.append(Ev(opp, type, at(days, hours), **extra))

    def sent(days: float, kind: MessageKind, to: Sequence[Person], hours: float = 0) -> None:
        add(days, EventType.SENT, hours, people=tuple(to), kind=kind, channel=Channel.EMAIL)

    def received(days: float, note: str = "") -> None:
        add(days, EventType.RECEIVED, people=(hr,), kind=MessageKind.NOTE, channel=Channel.EMAIL,
            note=note)  # fmt: skip

    def interview(days: float, round: int, fmt: InterviewFormat, decide: int | None = None) -> None:
        add(days - 4, EventType.SCHEDULED, people=(interviewer,), round=round, format=fmt,
            channel=Channel.EMAIL, scheduled_for=at(days, 1))  # fmt: skip
        decision = at(days + decide).date() if decide else None
        add(days, EventType.INTERVIEWED, 1, people=(interviewer,), round=round, format=fmt,
            decision_by=decision)  # fmt: skip
        sent(days, MessageKind.THANK_YOU, (interviewer, *thanked), hours=5)

    if story == "lead":
        return out
    add(0.1, EventType.APPLIED)
    if story == "ghosted":
        for days in (8, 16, 24):
            sent(days, MessageKind.FOLLOW_UP, (hr,))
        add(33, EventType.NO_RESPONSE)
    elif story == "rejected-early":
        received(6, "Thanks for applying; we are reviewing.")
        add(10, EventType.REJECTED, people=(hr,))
        sent(11, MessageKind.THANK_YOU, (hr,))
        sent(104, MessageKind.FOLLOW_UP, (hr,))  # the reconnect, months later
    elif story == "interview-rejected":
        received(5, "Invited to a first interview.")
        interview(9, 1, InterviewFormat.VIDEO, decide=7)
        sent(17, MessageKind.FOLLOW_UP, (hr,))
        received(19)
        add(21, EventType.REJECTED, people=(hr,))
        sent(22, MessageKind.THANK_YOU, (hr,))
        sent(115, MessageKind.FOLLOW_UP, (hr,))
    elif story == "offer":
        received(4, "Invited to a phone screen.")
        interview(8, 1, InterviewFormat.PHONE)
        interview(16, 2, InterviewFormat.ONSITE, decide=7)
        add(18, EventType.REFERENCES, people=tuple(references))
        sent(18, MessageKind.NOTE, references, hours=2)
        add(24, EventType.OFFER, people=(hr,))
        sent(24, MessageKind.THANK_YOU, (hr,), hours=3)
        sent(26, MessageKind.UPDATE, references)
    elif story == "withdrawn":
        received(6)
        add(12, EventType.WITHDRAWN)
    elif story == "slow":
        received(10, "Shortlisted.")
        interview(25, 1, InterviewFormat.VIDEO)
        sent(33, MessageKind.FOLLOW_UP, (hr,))
        sent(41, MessageKind.FOLLOW_UP, (hr,))
        sent(49, MessageKind.FOLLOW_UP, (hr,))
        add(58, EventType.NO_RESPONSE)
    return out


def assign_ids(users: Sequence[UserSearch], counters: dict[str, int]) -> None:
    """Give ids to a chunk of users' records, each table in time order across the chunk, as a
    live multi-user database would have given them (so one user's rows are spread out)."""

    def number(items: Iterable[Any], table: str, key: Callable[[Any], Any]) -> None:
        for item in sorted(items, key=key):
            counters[table] += 1
            item.id = counters[table]

    for user in users:
        counters["users"] += 1
        user.id = counters["users"]
    number((c for u in users for c in u.companies), "companies", lambda c: c.created)
    number((p for u in users for p in u.people), "contacts", lambda p: p.created)
    number((o for u in users for o in u.opps), "opportunities", lambda o: o.created)
    events = [e for u in users for e in u.loose] + [
        e for u in users for o in u.opps for e in o.events
    ]
    number(events, "events", lambda e: e.at)


def new_counters() -> dict[str, int]:
    return dict.fromkeys(("users", "companies", "contacts", "opportunities", "events"), 0)


# --------------------------------------------------------------------------------------------
# Domain records and nudges


def domain_contacts(user: UserSearch) -> dict[int, Contact]:
    return {
        p.id: Contact(
            id=p.id,
            name=p.name,
            company_id=p.company.id if p.company else None,
            tz=p.tz,
            country=p.country,
            prefers=p.prefers,
            roles=p.roles,
            email=f"{p.name.split()[0].lower()}@example.com",
        )
        for p in user.people
    }


def domain_event(e: Ev) -> Event:
    return Event(
        id=e.id,
        opportunity_id=e.opp.id if e.opp else None,
        type=e.type,
        at=e.at,
        tz=USER_TZ,
        contact_ids=tuple(p.id for p in e.people),
        channel=e.channel,
        kind=e.kind,
        round=e.round,
        format=e.format,
        scheduled_for=e.scheduled_for,
        decision_by=e.decision_by,
        note=e.note,
    )


def history(opp: Opp, companies: Mapping[int, Company]) -> History:
    opportunity = Opportunity(
        id=opp.id,
        company_id=opp.company.id,
        company=opp.company.name,
        role=opp.role,
        source=opp.source,
        responds_within_days=opp.responds,
        referrer_id=opp.referrer.id if opp.referrer else None,
        staffing_firm_id=opp.staffing.id if opp.staffing else None,
        recruiter_id=opp.recruiter.id if opp.recruiter else None,
        created_at=opp.created,
    )
    ids = {opp.company.id} | ({opp.staffing.id} if opp.staffing else set())
    return History(
        opportunity=opportunity,
        events=tuple(domain_event(e) for e in opp.events),
        companies={i: companies[i] for i in ids},
    )


@dataclass
class Derived:
    stages: dict[int, Stage]
    nudges: list[Nudge]


def derive_user(user: UserSearch, settings: Settings = SETTINGS, now: datetime = NOW) -> Derived:
    """Every nudge the store would hold for this user after ``refresh`` of each opportunity and
    ``refresh_search``, computed with the real playbook."""
    contacts = domain_contacts(user)
    companies = {
        c.id: Company(id=c.id, name=c.name, is_staffing_firm=c.staffing) for c in user.companies
    }
    by_company: dict[int, list[Contact]] = {}
    for c in contacts.values():
        if c.company_id is not None:
            by_company.setdefault(c.company_id, []).append(c)
    stages: dict[int, Stage] = {}
    found: list[Nudge] = []
    for opp in user.opps:
        h = history(opp, companies)
        ids = {p.id for p in opp.people} | {p.id for e in opp.events for p in e.people}
        mine = {i: contacts[i] for i in ids}
        for firm in (opp.company.id, opp.staffing.id if opp.staffing else None):
            for c in by_company.get(firm, ()) if firm is not None else ():
                mine[c.id] = c
        stages[opp.id] = stage_of(h.events)
        found += derive(h, mine, settings)
    staffing = []
    for p in user.people:
        if Role.STAFFING in p.roles and p.company is not None:
            touches = [e.at for e in user.loose if p in e.people]
            touches += [e.at for o in user.opps for e in o.events if p in e.people]
            staffing.append((contacts[p.id], p.company.name, max(touches, default=None)))
    search = Search(stages=stages, staffing=staffing, decisions=[])
    found += derive_search(search, settings, now)
    return Derived(stages=stages, nudges=found)


_DAY = timedelta(days=1)


def _plausible(
    opp: Opp, stage: Stage
) -> list[tuple[str, Ev, timedelta, timedelta, Person | None, bool]]:
    """(rule, anchor, due after anchor, window, contact, expires at the interview)."""
    if not opp.events or stage in (Stage.WITHDRAWN, Stage.NO_RESPONSE):
        return []
    last = opp.events[-1]
    to = last.people[0] if last.people else (opp.people[0] if opp.people else None)
    t = last.type
    if t is EventType.APPLIED:
        return [("apply.check-in", last, 7 * _DAY, 3 * _DAY, to, False)]
    if t is EventType.SCHEDULED:
        return [("interview.confirm", last, 3 * _DAY, _DAY / 3, to, True)]
    if t is EventType.INTERVIEWED:
        return [("interview.thank-you", last, _DAY / 8, _DAY, to, False)]
    if t is EventType.RECEIVED:
        return [("interview.status-check", last, 5 * _DAY, 2 * _DAY, to, False)]
    if t is EventType.REJECTED:
        return [("rejection.gracious-note", last, timedelta(0), 2 * _DAY, to, False)]
    if t is EventType.OFFER:
        return [("offer.thank-you", last, timedelta(0), _DAY, to, False)]
    if t is EventType.SENT and stage is Stage.REJECTED and last.kind is MessageKind.THANK_YOU:
        return [("rejection.reconnect", last, 90 * _DAY, 14 * _DAY, to, False)]
    if t is EventType.SENT and stage.is_active and last.kind is MessageKind.THANK_YOU:
        return [("interview.status-check", last, 5 * _DAY, 2 * _DAY, to, False)]
    if t is EventType.SENT and stage.is_active and last.kind is MessageKind.FOLLOW_UP:
        return [("silence.retry", last, 7 * _DAY, 3 * _DAY, to, False)]
    return []


def plausible_nudges(user: UserSearch, now: datetime = NOW) -> Derived:
    """Cheap stand-ins for the playbook's nudges (``derive`` costs ~0.6 ms an opportunity, too
    slow for a million events): one nudge per opportunity whose last event calls for one, with
    the rule, key shape, due window, expiry and contact the real rule would give, plus the weekly
    pipeline review for a search still in motion."""
    stages: dict[int, Stage] = {}
    found: list[Nudge] = []
    active = False
    for opp in user.opps:
        stage = stage_of(opp.events)  # type: ignore[arg-type]  # reads .type, .at, .id only
        stages[opp.id] = stage
        active = active or stage.is_active
        for rule, anchor, after, window, contact, at_interview in _plausible(opp, stage):
            due = anchor.at + after
            expires = None
            if at_interview and anchor.scheduled_for is not None:
                due = min(due, anchor.scheduled_for - _DAY)
                expires = anchor.scheduled_for
            found.append(
                Nudge(
                    key=f"{rule}:{opp.id}:*:{anchor.id}",
                    rule=rule,
                    opportunity_id=opp.id,
                    contact_id=contact.id if contact else None,
                    channel=Channel.EMAIL,
                    due=due,
                    due_by=due + window,
                    reason=f"A plausible {rule} for the benchmark, about as long as a real one.",
                    tz=contact.tz if contact and contact.tz else USER_TZ,
                    expires=expires,
                    anchor_event_id=anchor.id,
                    message="What the message should carry, in one line.",
                )
            )
    if active:
        found.append(
            Nudge(
                key=f"pipeline.keep-looking:user:-:{now.date().isoformat()}",
                rule="pipeline.keep-looking",
                opportunity_id=None,
                contact_id=None,
                channel=None,
                due=now,
                due_by=now + 2 * _DAY,
                reason="Fewer active applications than the playbook asks for.",
                tz=USER_TZ,
            )
        )
    return Derived(stages=stages, nudges=found)
