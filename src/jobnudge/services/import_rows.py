"""Matching a spreadsheet's rows against the user's records, one row at a time: the companies,
opportunities, people and events each row adds or finds, counted in the import's report.

Three ways to run: a dry run writes nothing (new records get provisional ids); the batch path
gathers the new records under provisional ids for ``services.import_writes`` to insert at the
end of the file; the one-by-one path (``one_by_one``) writes each record as its row is read,
as imports did before the batch paths, and is what the tests compare the batch path with.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jobnudge import text_safety
from jobnudge.domain import EventType
from jobnudge.domain.provenance import import_note
from jobnudge.plural import count
from jobnudge.postings.duplicates import Candidate
from jobnudge.services import import_writes
from jobnudge.services.import_index import Index, recorded
from jobnudge.services.import_report import LISTED, ImportReport, Line
from jobnudge.store import bulk
from jobnudge.store.bulk import NewEvent
from jobnudge.typography import name_key, person_key

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx
    from jobnudge.tabular.rows import PlannedContact, RowPlan


MOMENTS = 50_000
"""Distinct (day, time) pairs an importer remembers as instants."""


class Importer:
    def __init__(
        self, session: Session, tx: Tx | None, report: ImportReport, one_by_one: bool = False
    ) -> None:
        self.session, self.tx, self.report = session, tx, report
        self.one_by_one = one_by_one
        self.owner, self.tz = session.owner, session.tz
        self.index = Index(tx or session.store, session.owner, session.tz)
        self.touched: set[int] = set()
        self.file_name = text_safety.decodable(Path(report.path).name)
        # What the batch path writes at the end (new records under provisional ids); None
        # for a dry run, which writes nothing, and for the one-by-one path, which writes as
        # it goes.
        self.new = import_writes.Pending() if tx is not None and not one_by_one else None
        # The links the user already has, so a bulk insert never repeats one.
        self.linked = set() if tx is None or self.new is None else bulk.links(tx, self.owner)
        self._moments: dict[tuple[date, time | None], datetime] = {}

    def add_event(self, event: NewEvent) -> None:
        if self.new is not None:
            self.new.events.append(event)
        elif self.tx is not None:
            self.tx.add_event(
                self.owner,
                opportunity_id=event.opportunity_id,
                type=event.type,
                at=event.at,
                tz=event.tz,
                round=event.round,
                format=event.format,
                scheduled_for=event.scheduled_for,
                date_unknown=event.date_unknown,
                decision_by=event.decision_by,
                note=event.note,
            )

    def moment(self, day: date, at: time | None = None) -> datetime:
        """09:00 (or the given time) on ``day`` in the user's zone (remembered: a file names
        the same few hundred days in thousands of rows)."""
        key = (day, at)
        found = self._moments.get(key)
        if found is None:
            found = datetime.combine(day, at or time(9), ZoneInfo(self.tz)).astimezone(UTC)
            if len(self._moments) < MOMENTS:
                self._moments[key] = found
        return found

    def company(self, name: str, key: str | None = None) -> int:
        """The company named ``name`` (``key``: its ``name_key``, when the caller has it)."""
        key = name_key(name) if key is None else key
        found = self.index.companies.get(key)
        if found is not None:
            return found
        if self.new is not None and self.tx is not None:
            made = self.index.fake_id()
            self.new.companies[made] = bulk.company_values(self.tx, name)
        elif self.tx is not None:
            made = self.tx.add_company(self.owner, name).id
        else:
            made = self.index.fake_id()
        self.index.companies[key] = made
        self.report.counts["companies_new"] += 1
        return made

    def contact(self, plan: RowPlan, company_id: int, opportunity_id: int) -> bool:
        """Add the row's people (matched first by email, then by name at the company) and
        link them to the opportunity; True when anything was added or linked."""
        changed = False
        for person in plan.contacts:
            found = self.index.by_email.get(person.email.casefold()) if person.email else None
            if found is None:
                found = self.index.by_name.get((person_key(person.name), company_id))
                if found is not None and person.email:
                    changed = self.address(plan, person, found, opportunity_id) or changed
            if found is None:
                if self.tx is not None and self.new is None:
                    found = self.tx.add_contact(
                        self.owner,
                        name=person.name,
                        company_id=company_id,
                        email=person.email,
                        phone=person.phone,
                        title=person.title,
                        roles=frozenset({person.role}),
                    ).id
                else:
                    found = self.index.fake_id()
                if self.new is not None:
                    self.new.contacts[found] = bulk.contact_values(
                        name=person.name,
                        company_id=company_id,
                        email=person.email,
                        phone=person.phone,
                        title=person.title,
                        roles=frozenset({person.role}),
                    )
                self.report.counts["contacts_new"] += 1
                self.index.emails[found] = person.email
                if person.email:
                    self.index.by_email[person.email.casefold()] = found
                self.index.by_name[(person_key(person.name), company_id)] = found
            link = (opportunity_id, found)
            if link not in self.index.links:
                self.index.links.add(link)
                if self.new is not None:
                    if link not in self.linked:
                        self.new.links.append(link)
                elif self.tx is not None:
                    self.tx.link_contact(self.owner, opportunity_id, found)
                changed = True
        return changed

    def address(
        self, plan: RowPlan, person: PlannedContact, contact_id: int, opportunity_id: int
    ) -> bool:
        """A row's address for a contact matched by name: it fills a blank email (as a vCard
        does), and one that differs from the contact's is kept in the opportunity's notes with
        a warning, never dropped. True when the contact was changed."""
        had = self.index.emails.get(contact_id, "")
        if had.casefold() == person.email.casefold():
            return False
        if not had:
            self.index.emails[contact_id] = person.email
            self.index.by_email.setdefault(person.email.casefold(), contact_id)
            self.report.counts["contacts_updated"] += 1
            if self.new is not None and contact_id in self.new.contacts:
                self.new.contacts[contact_id]["email"] = bulk.contact_email(person.email)
            elif self.tx is not None and contact_id > 0:
                self.tx.update_contact(self.owner, contact_id, email=person.email)
            return True
        column = person.column or "Email"
        self.report.counts["warnings"] += 1
        if len(self.report.warnings) < LISTED:
            self.report.warnings.append(
                (
                    plan.row,
                    column,
                    f"{person.name} already has the address {had}; {person.email} is kept "
                    "in the notes",
                )
            )
        line = f"{column}: {person.name} <{person.email}>"
        if self.new is not None and opportunity_id in self.new.opportunities:
            values = self.new.opportunities[opportunity_id]
            notes = values["notes"]
            if line not in notes.splitlines():
                values["notes"] = bulk.opportunity_notes(f"{notes}\n{line}" if notes else line)
        elif self.tx is not None and opportunity_id > 0:
            notes = self.tx.opportunity(self.owner, opportunity_id).notes
            if line not in notes.splitlines():
                self.tx.update_opportunity(
                    self.owner, opportunity_id, notes=f"{notes}\n{line}" if notes else line
                )
        return False

    def same_job(self, plan: RowPlan) -> int | None:
        """A tracked opportunity the row names under another spelling, noted as a warning."""
        if not self.index.tracked.by_company:  # nothing tracked before the import
            return None
        new = Candidate(None, plan.company, plan.role, url=plan.posting_url)
        found = self.index.tracked.matches(new)
        if not found:
            return None
        match = found[0]
        old = self.index.tracked.get(match.id)
        assert old is not None
        self.report.counts["warnings"] += 1
        if len(self.report.warnings) < LISTED:
            self.report.warnings.append(
                (
                    plan.row,
                    "Role",
                    f"{plan.company} — {plan.role} is taken as the {old.company} — {old.role} "
                    f"you already track ({match.why}); for a second application to it, add "
                    "one with `nudge add ... --again`",
                )
            )
        return match.id

    def row(self, plan: RowPlan) -> None:
        company_key, role_key = name_key(plan.company), name_key(plan.role)
        known_company = self.index.companies.get(company_key)
        opportunity_id = None
        if known_company is not None:
            opportunity_id = self.index.opportunities.get((known_company, role_key))
        if opportunity_id is None:
            opportunity_id = self.same_job(plan)
        if opportunity_id is None:
            company_id = self.company(plan.company, company_key)
        else:
            company_id = self.index.company_of.get(opportunity_id, known_company or 0)
        key = (company_id, role_key)
        is_new = opportunity_id is None
        if opportunity_id is None:
            if self.tx is not None and self.new is None:
                opportunity_id = self.tx.add_opportunity(
                    self.owner,
                    company_id=company_id,
                    role=plan.role,
                    source=plan.source,
                    posting_url=plan.posting_url,
                    responds_within_days=plan.responds_within_days,
                    notes=plan.notes,
                ).id
            else:
                opportunity_id = self.index.fake_id()
                if self.new is not None:
                    self.new.opportunities[opportunity_id] = bulk.opportunity_values(
                        company_id=company_id,
                        role=plan.role,
                        source=plan.source,
                        posting_url=plan.posting_url,
                        responds_within_days=plan.responds_within_days,
                        notes=plan.notes,
                    )
            self.index.events.setdefault(opportunity_id, set())  # nothing recorded yet
            self.index.undated.setdefault(opportunity_id, {})
            self.index.opportunities[key] = opportunity_id
            self.index.company_of[opportunity_id] = company_id
            self.report.counts["opportunities_new"] += 1
        else:
            self.report.counts["opportunities_existing"] += 1
        target = self.report.new if is_new else self.report.existing
        # Only the first LISTED lines are shown: the others' events are counted, not worded.
        line = Line(plan.row, plan.company, plan.role, plan.stage) if len(target) < LISTED else None
        if line is not None and is_new and plan.responds_within_days:
            line.events.append(f"response stated within {count(plan.responds_within_days, 'day')}")
        added = False
        known = self.index.events_of(opportunity_id)
        note = import_note(self.file_name, plan.row)  # the same for each of the row's events
        now = self.session.now
        for event in plan.events:
            replaced = None
            seen = bool(known) and recorded(event, known)
            if event.day is not None and not seen:
                replaced = self.index.take_undated(opportunity_id, event)
            if replaced is None and seen:
                self.report.counts["events_existing"] += 1
                continue
            known.add((event.type, event.day, event.round))
            added = True
            if replaced is None:
                self.report.counts["events_new"] += 1
                if line is not None:
                    line.events.append(event.describe())
            else:  # the file now says the day of an event recorded with its date unknown
                self.report.counts["events_dated"] += 1
                if line is not None:
                    line.events.append(f"{event.describe()} (its date was unknown)")
            if self.tx is None:
                continue
            if replaced is not None:  # a recorded event: the new ones' ids are not affected
                self.tx.delete_event(self.owner, replaced)
            if event.day is None:  # ordered at the import; its own day stays unknown
                self.add_event(
                    NewEvent(
                        opportunity_id=opportunity_id,
                        type=event.type,
                        at=now,
                        date_unknown=True,
                        tz=self.tz,
                        round=event.round,
                        format=event.format,
                        decision_by=event.decision_by,
                        note=note,
                    )
                )
                continue
            scheduled = event.type is EventType.SCHEDULED
            when = self.moment(event.day, event.at_time)
            self.add_event(
                NewEvent(
                    opportunity_id=opportunity_id,
                    type=event.type,
                    at=min(now, when) if not scheduled else now,
                    tz=self.tz,
                    round=event.round,
                    format=event.format,
                    scheduled_for=when if scheduled else None,
                    decision_by=event.decision_by,
                    note=note,
                )
            )
        linked = self.contact(plan, company_id, opportunity_id)
        if is_new or added or linked:
            self.touched.add(opportunity_id)
        if line is not None:
            target.append(line)
