"""A realistic demo search: a dozen opportunities at every stage, dated relative to ``now`` so
the agenda always has something to say. Loaded only into an empty database. The story itself is
``services.demo_data``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge.domain import Channel, EventType
from jobnudge.errors import Conflict
from jobnudge.services import nudges
from jobnudge.services.demo_data import LEADS, PEOPLE

if TYPE_CHECKING:
    from jobnudge.services.session import Session


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
