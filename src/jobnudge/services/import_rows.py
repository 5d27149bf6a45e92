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
from jobnudge.services.import_people import ImportPeople
from jobnudge.services.import_report import LISTED, ImportReport, Line
from jobnudge.store import bulk
from jobnudge.store.bulk import NewEvent
from jobnudge.typography import name_key

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx
    from jobnudge.tabular.rows import RowPlan


MOMENTS = 50_000
"""Distinct (day, time) pairs an importer remembers as instants."""


class Importer(ImportPeople):
    """One import's matching and writing, row by row (see the module's docstring)."""

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

    def company(self, name: str, key: str | None = None, *, firm: bool = False) -> int:
        """The company named ``name`` (``key``: its ``name_key``, when the caller has it); a
        new one made for a staffing firm (``firm``) is marked as one, as ``--staffing-firm``
        does, and one already there is left as it is."""
        key = name_key(name) if key is None else key
        found = self.index.companies.get(key)
        if found is not None:
            return found
        if self.new is not None and self.tx is not None:
            made = self.index.fake_id()
            self.new.companies[made] = bulk.company_values(self.tx, name)
            self.new.companies[made]["is_staffing_firm"] = firm
        elif self.tx is not None:
            made = self.tx.add_company(self.owner, name, is_staffing_firm=firm).id
        else:
            made = self.index.fake_id()
        self.index.companies[key] = made
        self.index.company_names[made] = name
        self.report.counts["companies_new"] += 1
        return made

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
        firm_id = None
        if not plan.staffing_firm:  # a firm's recruiter named on the row says it came through
            plan.staffing_firm = self.recruiters_firm(plan, company_id)
            if plan.staffing_firm:
                self.report.note_firm(plan.staffing_firm, plan.row)
        if plan.staffing_firm:
            firm_key = name_key(plan.staffing_firm)
            firm_id = self.index.companies.get(firm_key)
            if firm_id is None:
                firm_id = self.company(plan.staffing_firm, firm_key, firm=True)
            elif firm_id == company_id:  # the tracked job's employer is no firm of its own
                firm_id = None
        people, recruiter_id, changed = self.people(plan, company_id, firm_id, opportunity_id or 0)
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
                    staffing_firm_id=firm_id,
                    recruiter_id=recruiter_id,
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
                        staffing_firm_id=firm_id,
                        recruiter_id=recruiter_id,
                    )
            if firm_id is not None:
                self.index.through[opportunity_id] = firm_id
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
        linked = self.link(opportunity_id, people)
        if firm_id is not None and not is_new:
            linked = self.through(opportunity_id, firm_id, recruiter_id) or linked
        if is_new or added or linked or changed:
            self.touched.add(opportunity_id)
        if line is not None:
            target.append(line)
