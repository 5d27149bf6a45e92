"""Whom a rule writes to at an opportunity: someone at the employer, or the staffing firm's
recruiter it goes through. Found once per plan (``Facts`` keeps the answers), since several
rules ask the same question of the same contacts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jobnudge.domain import Contact, Opportunity, Role

UNSET: Any = object()
"""An answer not looked for yet (None is an answer: nobody found)."""


_EMPLOYER_ROLES = (Role.RECRUITER, Role.HR, Role.INTERVIEWER)
"""Whom to write to at the employer, in order of preference (then anyone at the company)."""
_FIRM_ROLES = (Role.STAFFING, Role.RECRUITER)
"""Whom to go through at a staffing firm, in order of preference (then anyone at it)."""


class Whom:
    """Read by the rules; ``Facts`` sets the attributes below."""

    __slots__ = ("_employer", "_firm")

    opportunity: Opportunity
    contacts: Mapping[int, Contact]
    _employer: Contact | None
    _firm: Contact | None

    def contact(self, contact_id: int | None) -> Contact | None:
        return self.contacts.get(contact_id) if contact_id is not None else None

    def employer_contact(self, preferred: Sequence[int] = ()) -> Contact | None:
        """Whom to write to at the employer: someone named on the triggering event, else the
        recruiter, else HR, else anyone at the company."""
        for cid in preferred:
            if cid in self.contacts:
                return self.contacts[cid]
        if self._employer is UNSET:
            self._employer = self._someone_at_employer()
        return self._employer

    def _someone_at_employer(self) -> Contact | None:
        opp = self.opportunity
        recruiter = self.contact(opp.recruiter_id)
        if recruiter is not None and opp.staffing_firm_id is None:
            return recruiter
        at_company = [c for c in self.contacts.values() if c.company_id == opp.company_id]
        for role in _EMPLOYER_ROLES:
            for c in at_company:
                if role in c.roles:
                    return c
        return at_company[0] if at_company else None

    def firm_recruiter(self) -> Contact | None:
        """The staffing firm's recruiter an opportunity goes through: the one on record, else
        someone at the firm (a recruiter first). None when no staffing firm is involved."""
        if self._firm is UNSET:
            self._firm = self._someone_at_firm()
        return self._firm

    def _someone_at_firm(self) -> Contact | None:
        opp = self.opportunity
        if opp.staffing_firm_id is None:
            return None
        recruiter = self.contact(opp.recruiter_id)
        if recruiter is not None:
            return recruiter
        at_firm = [c for c in self.contacts.values() if c.company_id == opp.staffing_firm_id]
        for role in _FIRM_ROLES:
            for c in at_firm:
                if role in c.roles:
                    return c
        return at_firm[0] if at_firm else None

    def at_firm(self, contact: Contact | None) -> bool:
        """Whether ``contact`` is on the staffing firm's side: recorded at the firm, or the
        opportunity's recruiter through it recorded at no company."""
        opp = self.opportunity
        if contact is None or opp.staffing_firm_id is None:
            return False
        if contact.company_id is None:
            return contact.id == opp.recruiter_id
        return contact.company_id == opp.staffing_firm_id

    def status_contact(self, preferred: Sequence[int] = ()) -> Contact | None:
        """Whom to ask where things stand: through a staffing firm, always its recruiter (going
        around them to the employer is a classic mistake); else as ``employer_contact``."""
        return self.firm_recruiter() or self.employer_contact(preferred)

    def arranging_contact(self, preferred: Sequence[int] = ()) -> Contact | None:
        """Whom to confirm an interview with: someone named on the scheduling, else the
        staffing firm's recruiter who arranged it, else as ``employer_contact``."""
        for cid in preferred:
            if cid in self.contacts:
                return self.contacts[cid]
        return self.status_contact()

    def through_firm(self, contact: Contact | None) -> str:
        """A sentence for reasons when a status question goes through the recruiter."""
        if contact is None or contact is not self.firm_recruiter():
            return ""
        return f" Ask through {contact.name}, your recruiter, not the employer directly."
