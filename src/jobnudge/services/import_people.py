"""The people of an import's rows: matched by address, then by name at their company, then
at another company when they are a staffing firm's recruiter or have the same phone number
(``services.people_match``); new ones added (written now, queued for the batch insert, or given
a provisional id in a dry run); linked to their opportunities; and a staffing firm's recruiter
recorded as ``--staffing-firm`` does. The half of
:class:`~jobnudge.services.import_rows.Importer` that deals with people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jobnudge.domain import Role
from jobnudge.services import import_writes
from jobnudge.services.import_index import Index
from jobnudge.services.import_report import LISTED, ImportReport
from jobnudge.services.people_match import Seen, elsewhere, phone_key
from jobnudge.store import bulk
from jobnudge.typography import person_key

if TYPE_CHECKING:
    from jobnudge.store import Tx
    from jobnudge.tabular.rows import PlannedContact, RowPlan


class ImportPeople:
    """Set by the importer: its transaction (None in a dry run), the owner, the report, the
    index of what the user has, the records queued for the batch insert (None when each is
    written at once or in a dry run) and the links the user had before."""

    tx: Tx | None
    owner: int
    report: ImportReport
    index: Index
    new: import_writes.Pending | None
    linked: set[tuple[int, int]]

    def people(
        self, plan: RowPlan, company_id: int, firm_id: int | None, opportunity_id: int
    ) -> tuple[list[int], int | None, bool]:
        """The row's people (matched first by email, then by name at their company, then at
        another company (:meth:`elsewhere`); someone whose aside or address names the row's
        staffing firm is at the firm), and the firm's recruiter: the first of them at the firm
        (or recorded there), else someone on record there, else the firm itself as its desk
        (as ``--staffing-firm`` records it). True when an address was filled in."""
        found_ids: list[int] = []
        changed = False
        at_firm: int | None = None
        for person in plan.contacts:
            where = firm_id if person.at_firm and firm_id is not None else company_id
            found = self.index.by_email.get(person.email.casefold()) if person.email else None
            if found is None:
                found = self.index.by_name.get((person_key(person.name), where))
                if found is None:
                    found = self.elsewhere(person, where, firm_id)
                if found is not None and person.email:
                    changed = self.address(plan, person, found, opportunity_id) or changed
            if found is None:
                staffing = where == firm_id
                found = self.new_contact(
                    person.name,
                    where,
                    email=person.email,
                    phone=person.phone,
                    title=person.title,
                    role=Role.STAFFING if staffing else person.role,
                )
            found_ids.append(found)
            recorded_at = self.index.people.get(found, (None, "", False))[0]
            if (
                at_firm is None
                and firm_id is not None
                and (person.at_firm or recorded_at == firm_id)
            ):
                at_firm = found
        if firm_id is not None and at_firm is None:
            at_firm = self.index.staff.get(firm_id) or self.index.by_name.get(
                (person_key(plan.staffing_firm), firm_id)
            )
            if at_firm is None:
                at_firm = self.new_contact(plan.staffing_firm, firm_id, role=Role.STAFFING)
            found_ids.append(at_firm)
        return found_ids, at_firm, changed

    def elsewhere(self, person: PlannedContact, where: int, firm_id: int | None) -> int | None:
        """Someone recorded at another company than ``where`` who is ``person``: a staffing
        firm's recruiter of that name (one at ``firm_id`` first), or anyone of that name with
        the same phone number (``services.people_match``)."""
        key, index = person_key(person.name), self.index
        named = list(index.recruiters.get(key, ()))
        number = phone_key(person.phone)
        if number and (key, number) in index.phones:
            named.append(index.phones[(key, number)])
        if not named:
            return None
        people, emails = index.people, index.emails
        seen = [
            Seen(cid, company, emails.get(cid, ""), phone, staffing)
            for cid in named
            for company, phone, staffing in (people.get(cid, (None, "", False)),)
        ]
        return elsewhere(
            seen,
            company_id=where,
            email=person.email,
            phone=person.phone,
            firm_id=firm_id,
        )

    def recruiters_firm(self, plan: RowPlan, company_id: int) -> str:
        """The staffing firm a row naming no firm came through, when one of its people is a
        firm's recruiter on record (by address, or by name as :meth:`elsewhere` finds them):
        they work on the firm's roles, so this job is one of them. "" for none."""
        for person in plan.contacts:
            found = self.index.by_email.get(person.email.casefold()) if person.email else None
            if found is None and (person_key(person.name), company_id) in self.index.by_name:
                continue  # someone at the employer
            if found is None:
                found = self.elsewhere(person, company_id, None)
            company, _phone, staffing = self.index.people.get(found or 0, (None, "", False))
            if staffing and company is not None and company != company_id:
                return self.index.company_names.get(company, "")
        return ""

    def new_contact(
        self,
        name: str,
        company_id: int,
        *,
        email: str = "",
        phone: str = "",
        title: str = "",
        role: Role = Role.RECRUITER,
    ) -> int:
        """Add a person the user does not have yet (written now, queued, or in a dry run
        given a provisional id) and remember them for the rows after."""
        if self.tx is not None and self.new is None:
            found = self.tx.add_contact(
                self.owner,
                name=name,
                company_id=company_id,
                email=email,
                phone=phone,
                title=title,
                roles=frozenset({role}),
            ).id
        else:
            found = self.index.fake_id()
        if self.new is not None:
            self.new.contacts[found] = bulk.contact_values(
                name=name,
                company_id=company_id,
                email=email,
                phone=phone,
                title=title,
                roles=frozenset({role}),
            )
        self.report.counts["contacts_new"] += 1
        self.index.emails[found] = email
        if email:
            self.index.by_email[email.casefold()] = found
        self.index.by_name[(person_key(name), company_id)] = found
        self.index.remember(found, name, company_id, phone, role is Role.STAFFING)
        self.index.staff.setdefault(company_id, found)
        return found

    def link(self, opportunity_id: int, contact_ids: list[int]) -> bool:
        """Link the row's people to the opportunity; True when a link was added."""
        changed = False
        for found in contact_ids:
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

    def through(self, opportunity_id: int, firm_id: int, recruiter_id: int | None) -> bool:
        """Record the staffing firm of an opportunity that had none (a row read again now
        says it came through one); True when it changed."""
        if opportunity_id in self.index.through:
            return False
        self.index.through[opportunity_id] = firm_id
        if self.new is not None and opportunity_id in self.new.opportunities:
            values = self.new.opportunities[opportunity_id]
            values["staffing_firm_id"], values["recruiter_id"] = firm_id, recruiter_id
        elif self.tx is not None and opportunity_id > 0:
            self.tx.update_opportunity(
                self.owner, opportunity_id, staffing_firm_id=firm_id, recruiter_id=recruiter_id
            )
        return True

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
        if not opportunity_id:  # the row's opportunity is not made yet: it starts with it
            if line not in plan.notes.splitlines():
                plan.notes = f"{plan.notes}\n{line}" if plan.notes else line
            return False
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
