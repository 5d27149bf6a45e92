"""Plain domain objects for the playbook tests.

A ``Story`` is one opportunity told event by event: every event gets the next id, so ids follow
the order the story is told (as they do in the store), and people named on an event become the
opportunity's contacts. Times are written as wall-clock text in a named zone and become aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jobnudge.config import Playbook, Profile, Settings
from jobnudge.domain import (
    Channel,
    Contact,
    Event,
    EventType,
    History,
    MessageKind,
    Nudge,
    Opportunity,
    Role,
)
from jobnudge.playbook.engine import derive, plan

OPPORTUNITY_ID = 1
EMPLOYER_ID = 10
STAFFING_FIRM_ID = 20
NETWORK_ID = 30  # referrers and references work elsewhere

USER_TZ = "America/New_York"


def at(text: str, tz: str = USER_TZ) -> datetime:
    """``"2026-11-03 14:00"`` on a wall clock in ``tz``, as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def local(instant: datetime | None, tz: str = USER_TZ) -> str:
    """An instant as ``"2026-11-03 14:00"`` on a wall clock in ``tz`` (readable assertions)."""
    assert instant is not None
    return instant.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def day(text: str) -> date:
    return date.fromisoformat(text)


def settings(tz: str = USER_TZ, country: str = "US", **numbers: float) -> Settings:
    return Settings(
        profile=Profile(name="Sam Rivera", tz=tz, country=country), playbook=Playbook(**numbers)
    )


def person(
    contact_id: int,
    name: str,
    *roles: Role,
    company_id: int | None = EMPLOYER_ID,
    tz: str | None = None,
    country: str | None = None,
    prefers: Channel | None = None,
) -> Contact:
    return Contact(
        id=contact_id,
        name=name,
        company_id=company_id,
        email=f"{name.split()[0].lower()}@example.com",
        tz=tz,
        country=country,
        prefers=prefers,
        roles=frozenset(roles),
    )


def interviewer(contact_id: int, name: str, **kw: Any) -> Contact:
    return person(contact_id, name, Role.INTERVIEWER, **kw)


def recruiter(contact_id: int, name: str, **kw: Any) -> Contact:
    return person(contact_id, name, Role.RECRUITER, **kw)


def staffing_recruiter(contact_id: int, name: str, **kw: Any) -> Contact:
    return person(contact_id, name, Role.STAFFING, company_id=STAFFING_FIRM_ID, **kw)


def referrer(contact_id: int, name: str, **kw: Any) -> Contact:
    return person(contact_id, name, Role.REFERRER, company_id=NETWORK_ID, **kw)


def reference(contact_id: int, name: str, **kw: Any) -> Contact:
    return person(contact_id, name, Role.REFERENCE, company_id=NETWORK_ID, **kw)


def opportunity(**fields: Any) -> Opportunity:
    values: dict[str, Any] = {
        "id": OPPORTUNITY_ID,
        "company_id": EMPLOYER_ID,
        "company": "Acme Analytics",
        "role": "Data Analyst",
    }
    values.update(fields)
    return Opportunity(**values)


@dataclass
class Story:
    """One opportunity, its contacts and its events, told in order."""

    opportunity: Opportunity = field(default_factory=opportunity)
    contacts: dict[int, Contact] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def knows(self, *people: Contact) -> Story:
        for p in people:
            self.contacts[p.id] = p
        return self

    def with_opportunity(self, **fields: Any) -> Story:
        self.opportunity = replace(self.opportunity, **fields)
        return self

    def log(self, type_: EventType, when: datetime, *people: Contact, **fields: Any) -> Event:
        self.knows(*people)
        event = Event(
            id=len(self.events) + 1,
            opportunity_id=self.opportunity.id,
            type=type_,
            at=when,
            contact_ids=tuple(p.id for p in people),
            **fields,
        )
        self.events.append(event)
        return event

    # --- what happened ----------------------------------------------------------------------

    def applied(self, when: datetime, **fields: Any) -> Event:
        return self.log(EventType.APPLIED, when, **fields)

    def scheduled(self, when: datetime, for_: datetime, *people: Contact, **fields: Any) -> Event:
        return self.log(EventType.SCHEDULED, when, *people, scheduled_for=for_, **fields)

    def interviewed(self, when: datetime, *people: Contact, **fields: Any) -> Event:
        return self.log(EventType.INTERVIEWED, when, *people, **fields)

    def sent(
        self,
        when: datetime,
        *people: Contact,
        kind: MessageKind | None = MessageKind.FOLLOW_UP,
        channel: Channel = Channel.EMAIL,
        **fields: Any,
    ) -> Event:
        return self.log(EventType.SENT, when, *people, kind=kind, channel=channel, **fields)

    def received(
        self, when: datetime, *people: Contact, channel: Channel = Channel.EMAIL, **fields: Any
    ) -> Event:
        return self.log(EventType.RECEIVED, when, *people, channel=channel, **fields)

    def references_given(self, when: datetime, *people: Contact) -> Event:
        return self.log(EventType.REFERENCES, when, *people)

    def offer(self, when: datetime, *people: Contact, **fields: Any) -> Event:
        return self.log(EventType.OFFER, when, *people, **fields)

    def accepted(self, when: datetime) -> Event:
        return self.log(EventType.ACCEPTED, when)

    def declined(self, when: datetime) -> Event:
        return self.log(EventType.DECLINED, when)

    def rejected(self, when: datetime, *people: Contact) -> Event:
        return self.log(EventType.REJECTED, when, *people)

    def withdrawn(self, when: datetime) -> Event:
        return self.log(EventType.WITHDRAWN, when)

    def note(self, when: datetime, **fields: Any) -> Event:
        return self.log(EventType.NOTE, when, **fields)

    # --- what the user decided --------------------------------------------------------------

    def done(self, nudge: Nudge, when: datetime) -> Event:
        return self.log(EventType.NUDGE_DONE, when, nudge_key=nudge.key)

    def dismissed(self, nudge: Nudge, when: datetime) -> Event:
        return self.log(EventType.NUDGE_DISMISSED, when, nudge_key=nudge.key)

    def snoozed(self, nudge: Nudge, when: datetime, until: datetime) -> Event:
        return self.log(EventType.NUDGE_SNOOZED, when, nudge_key=nudge.key, until=until)

    # --- what the playbook makes of it --------------------------------------------------------

    def history(self) -> History:
        return History(opportunity=self.opportunity, events=tuple(self.events))

    def derive(self, config: Settings | None = None) -> list[Nudge]:
        return derive(self.history(), self.contacts, config or settings())

    def plan(self, now: datetime, config: Settings | None = None) -> list[Nudge]:
        return plan(self.history(), self.contacts, config or settings(), now)


def of_rule(nudges: list[Nudge], rule: str) -> list[Nudge]:
    return [n for n in nudges if n.rule == rule]


def only(nudges: list[Nudge], rule: str) -> Nudge:
    """The one nudge of ``rule``; fails naming what there was instead."""
    found = of_rule(nudges, rule)
    assert len(found) == 1, f"expected one {rule}, got {[n.key for n in nudges]}"
    return found[0]


def rules(nudges: list[Nudge]) -> set[str]:
    return {n.rule for n in nudges}
