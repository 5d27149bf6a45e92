"""A realistic demo search: a dozen opportunities at every stage, dated relative to ``now`` so
the agenda always has something to say. Loaded only into an empty database. The story itself is
``services.demo_data``; its moments fit everyone's working hours (``services.demo_times``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge.domain import Channel, EventType
from jobnudge.errors import Conflict
from jobnudge.services import demo_times, nudges
from jobnudge.services.demo_data import LEADS, PEOPLE
from jobnudge.services.demo_times import Place

if TYPE_CHECKING:
    from jobnudge.config import Playbook
    from jobnudge.services.session import Session

FROM_THEM = frozenset({EventType.RECEIVED, EventType.OFFER, EventType.REJECTED})
"""Events someone else made happen: inside their working day."""


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


@dataclass(frozen=True)
class Planned:
    """One event of the demo, when it happens and what it records."""

    word: EventType
    at: datetime
    people: tuple[str, ...]
    fields: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """The demo at one moment for one user: where each person is, and each lead's events."""

    places: dict[str, Place | None]  # None: no zone of their own (the user's)
    events: tuple[tuple[Planned, ...], ...]  # in the order of LEADS


def _meetings(now: datetime, tz: str) -> dict[str, list[tuple[datetime, bool]]]:
    """Each person's interviews in the story: (the moment it names, whether still to come)."""
    found: dict[str, list[tuple[datetime, bool]]] = {}
    for lead in LEADS:
        for step in lead.steps:
            if step.word is EventType.INTERVIEWED:
                named = [(_at(now, step.days_ago, step.hour, tz), False)]
            elif "for_days_ahead" in step.extra:
                named = [(_at(now, -step.extra["for_days_ahead"], 14, tz), True)]
            elif "for_days_ago" in step.extra:
                named = [(_at(now, step.extra["for_days_ago"], 11, tz), False)]
            else:
                continue
            for name in step.people:
                found.setdefault(name, []).extend(named)
    return found


def plan(now: datetime, tz: str, country: str, numbers: Playbook) -> Plan:
    """The demo search at ``now`` for a user in ``tz``/``country`` (``services.demo_times``
    says why each moment is where it is)."""
    hours = (numbers.workday_start_hour, numbers.workday_end_hour)
    user = Place(tz, country)
    meetings = _meetings(now, tz)
    places = {
        p.name: demo_times.settle(
            Place(p.tz, p.country or country) if p.tz else None,
            user,
            meetings.get(p.name, ()),
            hours,
            now,
        )
        for p in PEOPLE
    }

    def at(nominal: datetime, names: tuple[str, ...], *, meeting: bool, ahead: bool) -> datetime:
        theirs = [places[n] or user for n in names]
        where, length = (
            ([user, *theirs], demo_times.MEETING) if meeting else (theirs, demo_times.MESSAGE)
        )
        if not where:
            return nominal
        found = demo_times.moment(nominal, where, hours, length, now, ahead=ahead)
        return nominal if found is None else found

    leads = []
    for lead in LEADS:
        events: list[Planned] = []
        interviewed: datetime | None = None
        for step in lead.steps:
            extra = dict(step.extra)
            fields: dict[str, Any] = {
                "channel": extra.pop("channel", None),
                "kind": extra.pop("kind", None),
                "round": extra.pop("round", None),
                "format": extra.pop("format", None),
                "prefers": extra.pop("prefers", None),
                "note": extra.pop("note", ""),
            }
            if "for_days_ago" in extra:
                named = _at(now, extra.pop("for_days_ago"), 11, tz)
                fields["scheduled_for"] = at(named, step.people, meeting=True, ahead=False)
            if "for_days_ahead" in extra:
                named = _at(now, -extra.pop("for_days_ahead"), 14, tz)
                fields["scheduled_for"] = at(named, step.people, meeting=True, ahead=True)
            if "decision_by_days" in extra:
                fields["decision_by"] = _day(now, extra.pop("decision_by_days"), tz)
            if step.word in (EventType.SENT, EventType.RECEIVED) and not fields["channel"]:
                fields["channel"] = Channel.EMAIL
            moment = _at(now, step.days_ago, step.hour, tz)
            if step.word is EventType.INTERVIEWED:
                moment = interviewed = at(moment, step.people, meeting=True, ahead=False)
            elif step.word in FROM_THEM and step.people:
                moment = at(moment, step.people, meeting=False, ahead=False)
            elif step.after_interview is not None and interviewed is not None:
                moment = interviewed + timedelta(hours=step.after_interview)
            events.append(Planned(step.word, min(moment, now), step.people, fields))
        leads.append(tuple(events))
    return Plan(places, tuple(leads))


def load(session: Session) -> int:
    """Fill an empty database with the demo search; return how many opportunities it added."""
    store, owner, tz, now = session.store, session.owner, session.tz, session.now
    planned = plan(now, tz, session.settings.profile.country, session.settings.playbook)
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
            place = planned.places[p.name]
            people[p.name] = tx.add_contact(
                owner,
                name=p.name,
                company_id=companies.get(p.company) if p.company else None,
                title=p.title,
                email=p.email,
                phone=p.phone,
                tz=place.tz if place else None,
                country=place.country if place else p.country,
                roles=frozenset(p.roles),
                salutation=p.salutation,
                first_name_ok=p.first_name_ok,
                prefers=p.prefers,
            ).id
        for lead, events in zip(LEADS, planned.events, strict=True):
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
            for event in events:
                tx.add_event(
                    owner,
                    opportunity_id=opp.id,
                    type=event.word,
                    at=event.at,
                    tz=tz,
                    contact_ids=tuple(people[n] for n in event.people),
                    **event.fields,
                )
            nudges.refresh(store, tx, owner, opp.id, session.settings)
        nudges.refresh_search(store, tx, owner, session.settings, now)
    return len(LEADS)
