"""What a spreadsheet import matches its rows against: the user's companies, opportunities,
people and events as they were before the import, and the records the import has added.

Kept apart from the matching itself (``services.import_rows``) since it is the one part that
reads the store: once when the import starts, then an opportunity's events when a row first
names it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge.domain import EventType, Role
from jobnudge.postings.duplicates import Candidate, Tracked
from jobnudge.services.people_match import phone_key
from jobnudge.typography import name_key, person_key

if TYPE_CHECKING:
    from jobnudge.domain import Event
    from jobnudge.store.reads import Reader
    from jobnudge.tabular.rows import PlannedEvent


class Index:
    """What the user already has (and what this import added), to match rows against."""

    def __init__(self, reader: Reader, owner: int, tz: str) -> None:
        self.reader, self.owner, self.zone = reader, owner, ZoneInfo(tz)
        self.companies: dict[str, int] = {}
        self.company_names: dict[int, str] = {}  # a company's id → its name
        firms: set[int] = set()  # the companies marked as staffing firms
        for company in reader.companies(owner):
            self.company_names[company.id] = company.name
            if company.is_staffing_firm:
                firms.add(company.id)
            for name in company.names:
                self.companies.setdefault(name_key(name), company.id)
        self.opportunities: dict[tuple[int, str], int] = {}
        # The opportunities tracked before this import, as the duplicate check sees them: a
        # row spelling one another way ("Sr. Data Analyst" at "ACME Inc.") is that job, not a
        # new one. Rows of the file itself are matched exactly, as before, so a large import
        # into an empty search costs no fuzzy comparisons.
        self.tracked = Tracked()
        self.company_of: dict[int, int] = {}  # opportunity id → its company's id
        self.through: dict[int, int] = {}  # opportunity id → its staffing firm's, when it has one
        for opp, _stage in reader.opportunities(owner):
            self.opportunities.setdefault((opp.company_id, name_key(opp.role)), opp.id)
            self.tracked.add(Candidate(opp.id, opp.company, opp.role, url=opp.posting_url))
            self.company_of[opp.id] = opp.company_id
            if opp.staffing_firm_id is not None:
                self.through[opp.id] = opp.staffing_firm_id
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, int | None], int] = {}
        self.emails: dict[int, str] = {}  # contact id → its address ("" when it has none)
        self.staff: dict[int, int] = {}  # a company's id → someone there (a firm's desk)
        staffing: dict[int, int] = {}  # … someone with the staffing role there, who comes first
        # Who may be matched at another company (``services.people_match``): id → (company,
        # phone, a staffing firm's recruiter); the recruiters by name, everyone by name and
        # phone number (a name alone never joins two others, so only these are looked through).
        self.people: dict[int, tuple[int | None, str, bool]] = {}
        self.recruiters: dict[str, list[int]] = {}
        self.phones: dict[tuple[str, str], int] = {}
        for person in reader.contacts(owner):
            self.emails[person.id] = person.email
            at_firm = Role.STAFFING in person.roles or person.company_id in firms
            self.remember(person.id, person.name, person.company_id, person.phone, at_firm)
            if person.company_id is not None and Role.STAFFING in person.roles:
                staffing.setdefault(person.company_id, person.id)
            elif person.company_id is not None:
                self.staff.setdefault(person.company_id, person.id)
            if person.email:
                self.by_email.setdefault(person.email.casefold(), person.id)
            self.by_name.setdefault((person_key(person.name), person.company_id), person.id)
        self.staff.update(staffing)
        self.events: dict[int, set[tuple[EventType, date | None, int | None]]] = {}
        self.undated: dict[int, dict[tuple[EventType, int | None], int]] = {}
        self.links: set[tuple[int, int]] = set()
        self._fake = 0
        self._asked = 0  # opportunities whose events were read one at a time
        self._recorded: dict[int, list[Event]] | None = None  # all of them, once read

    def remember(
        self, contact_id: int, name: str, company_id: int | None, phone: str, staffing: bool
    ) -> None:
        """Keep a person for the matches at another company."""
        self.people[contact_id] = (company_id, phone, staffing)
        key = person_key(name)
        if staffing:
            self.recruiters.setdefault(key, []).append(contact_id)
        number = phone_key(phone)
        if number:
            self.phones.setdefault((key, number), contact_id)

    def fake_id(self) -> int:
        """An id for a record a dry run would create (negative, never a real one)."""
        self._fake -= 1
        return self._fake

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def take_undated(self, opportunity_id: int, event: PlannedEvent) -> int | None:
        """The id of a recorded event of ``event``'s type (and round) whose date is unknown,
        forgotten here since the dated one replaces it; None when there is none."""
        undated = self.undated.get(opportunity_id)
        if not undated:
            return None
        for (kind, round_), event_id in undated.items():
            if kind is event.type and (
                event.round is None or round_ is None or round_ == event.round
            ):
                del undated[(kind, round_)]
                self.events[opportunity_id].discard((kind, None, round_))
                return event_id
        return None

    def events_of(self, opportunity_id: int) -> set[tuple[EventType, date | None, int | None]]:
        """(type, local day, round) of the opportunity's events; the day is None when unknown."""
        if opportunity_id not in self.events:
            found: set[tuple[EventType, date | None, int | None]] = set()
            undated: dict[tuple[EventType, int | None], int] = {}
            if opportunity_id > 0:
                for event in self._recorded_events(opportunity_id):
                    moment = event.scheduled_for or event.at
                    day = None if event.date_unknown else self.day_of(moment)
                    found.add((event.type, day, event.round))
                    if event.date_unknown:
                        undated.setdefault((event.type, event.round), event.id)
            self.events[opportunity_id] = found
            self.undated[opportunity_id] = undated
        return self.events[opportunity_id]

    def _recorded_events(self, opportunity_id: int) -> list[Event]:
        """The recorded events of ``opportunity_id``, as the store holds them at its first
        mention (the rows before it added to other opportunities only, or were read already)."""
        if self._recorded is None and self._asked >= ONE_BY_ONE:
            self._recorded = self.reader.events_by_opportunity(self.owner)
        if self._recorded is not None:
            return self._recorded.get(opportunity_id, [])
        self._asked += 1
        return self.reader.events(self.owner, opportunity_id)


ONE_BY_ONE = 50
"""Recorded opportunities whose events are read one at a time before all of them are read at
once: a row or two into a large search reads what they name, a re-import of a whole tracker
one query (a query a row was a minute of a 20,000-row re-import on PostgreSQL)."""


def recorded(event: PlannedEvent, known: set[tuple[EventType, date | None, int | None]]) -> bool:
    """Whether the opportunity already has this event: the same type on the same day; for a
    stage whose date is unknown, the same type (of the same round, for an interview) on any
    day, so a second copy of the sheet adds nothing and a dated entry is not doubled."""
    if event.day is not None:
        return any(t is event.type and d == event.day for t, d, _r in known)
    return any(
        t is event.type and (event.round is None or r is None or r == event.round)
        for t, _d, r in known
    )
