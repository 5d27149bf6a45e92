"""Writing opportunities inside a transaction: their values and a posting's terms, the
contacts linked to them and the stage kept beside them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update

from jobnudge import text_safety
from jobnudge.config import check_numbers
from jobnudge.domain.enums import (
    Channel,
    Stage,
)
from jobnudge.domain.records import (
    Opportunity,
    Posting,
    stage_of,
)
from jobnudge.errors import UsageError
from jobnudge.store import convert
from jobnudge.store.tables import (
    companies,
    contacts,
    opportunities,
    opportunity_contacts,
    postings,
)
from jobnudge.store.write_base import new_id
from jobnudge.store.write_people import PeopleWrites

OPPORTUNITY_FIELDS = frozenset(
    {
        "company_id",
        "role",
        "posting_url",
        "source",
        "responds_within_days",
        "prefers",
        "referrer_id",
        "staffing_firm_id",
        "recruiter_id",
        "priority",
        "notes",
        "settings",
        "posting_terms",
    }
)

TERMS = frozenset({"responds_within", "wait_until", "shortlist_only", "no_calls", "prefers"})


def _terms(value: Any) -> dict[str, dict[str, Any]]:
    """A posting's terms as stored: known names only, each a value and its sentence."""
    if not isinstance(value, Mapping):
        raise UsageError("posting terms must be a mapping of statements.")
    out = {}
    for name, term in value.items():
        if name not in TERMS or not isinstance(term, Mapping):
            raise UsageError(f"posting terms: '{name}' is not a statement jobnudge acts on.")
        source = text_safety.line(str(term.get("source", "")), "posting sentence")
        out[name] = {"value": term.get("value"), "source": source.strip()}
    return out


class OpportunityWrites(PeopleWrites):
    """The opportunity writes of one open transaction."""

    # Opportunities

    def _opportunity_values(self, owner: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        convert.no_unknown(fields, OPPORTUNITY_FIELDS, "opportunity")
        values: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "company_id":
                self._require(companies, owner, [convert.whole(value, name)], name)
                values[name] = value
            elif name == "staffing_firm_id":
                self._require(companies, owner, [value], name)
                values[name] = value
            elif name in ("referrer_id", "recruiter_id"):
                self._require(contacts, owner, [value], name)
                values[name] = value
            elif name == "role":
                values[name] = convert.clean_text(value, "role", required=True)
            elif name in ("posting_url", "source", "notes"):
                values[name] = convert.clean_text(value, name)
            elif name == "responds_within_days":
                values[name] = convert.maybe_whole(value, name, minimum=0)
            elif name == "prefers":
                values[name] = convert.maybe_member(Channel, value, "prefers")
            elif name == "priority":
                values[name] = convert.whole(value, name)
            elif name == "settings":
                values[name] = check_numbers(dict(value or {}), "opportunity settings")
            elif name == "posting_terms":
                values[name] = _terms(value)
        return values

    def add_opportunity(
        self,
        owner: int,
        *,
        company_id: int,
        role: str,
        posting_url: str = "",
        source: str = "",
        responds_within_days: int | None = None,
        prefers: Channel | None = None,
        referrer_id: int | None = None,
        staffing_firm_id: int | None = None,
        recruiter_id: int | None = None,
        priority: int = 0,
        notes: str = "",
        settings: Mapping[str, float] | None = None,
        posting_terms: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Opportunity:
        """A new opportunity, in stage LEAD until events say otherwise."""
        self.touch(owner)
        self._require_owner(owner)
        values = self._opportunity_values(
            owner,
            {
                "company_id": company_id,
                "role": role,
                "posting_url": posting_url,
                "source": source,
                "responds_within_days": responds_within_days,
                "prefers": prefers,
                "referrer_id": referrer_id,
                "staffing_firm_id": staffing_firm_id,
                "recruiter_id": recruiter_id,
                "priority": priority,
                "notes": notes,
                "settings": settings,
                "posting_terms": posting_terms or {},
            },
        )
        result = self._execute(
            insert(opportunities).values(
                owner_id=owner,
                stage=Stage.LEAD,
                created_at=self._now,
                updated_at=self._now,
                **values,
            )
        )
        return self.opportunity(owner, new_id(result))

    def update_opportunity(self, owner: int, opportunity_id: int, **changes: Any) -> Opportunity:
        """Change the named fields (the keyword names of :meth:`add_opportunity`)."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        values = self._opportunity_values(owner, changes)
        if values:
            self._execute(
                update(opportunities)
                .where(opportunities.c.owner_id == owner, opportunities.c.id == opportunity_id)
                .values(updated_at=self._now, **values)
            )
        return self.opportunity(owner, opportunity_id)

    def keep_posting(
        self,
        owner: int,
        opportunity_id: int,
        *,
        url: str,
        text: str,
        page: str,
        findings: Sequence[Mapping[str, Any]],
    ) -> Posting:
        """Store (or replace) the posting an opportunity started from."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        values = {
            "url": convert.clean_text(url, "posting url"),
            "text": text_safety.text(text, "posting text").strip(),
            "page": page,
            "findings": [dict(f) for f in findings],
        }
        self._execute(
            delete(postings).where(
                postings.c.owner_id == owner, postings.c.opportunity_id == opportunity_id
            )
        )
        self._execute(
            insert(postings).values(
                owner_id=owner, opportunity_id=opportunity_id, created_at=self._now, **values
            )
        )
        found = self.posting(owner, opportunity_id)
        assert found is not None
        return found

    def link_contact(self, owner: int, opportunity_id: int, contact_id: int) -> None:
        """Record that a contact takes part in an opportunity (linking twice is harmless)."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        self._require(contacts, owner, [contact_id], "contact_id")
        linked = self._conn.scalar(
            select(opportunity_contacts.c.contact_id).where(
                opportunity_contacts.c.owner_id == owner,
                opportunity_contacts.c.opportunity_id == opportunity_id,
                opportunity_contacts.c.contact_id == contact_id,
            )
        )
        if linked is None:
            self._execute(
                insert(opportunity_contacts).values(
                    owner_id=owner, opportunity_id=opportunity_id, contact_id=contact_id
                )
            )

    def unlink_contact(self, owner: int, opportunity_id: int, contact_id: int) -> None:
        """Undo :meth:`link_contact` (contacts named in events stay involved)."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        self._execute(
            delete(opportunity_contacts).where(
                opportunity_contacts.c.owner_id == owner,
                opportunity_contacts.c.opportunity_id == opportunity_id,
                opportunity_contacts.c.contact_id == contact_id,
            )
        )

    def set_stage(self, owner: int, opportunity_id: int, stage: Stage) -> None:
        """Store an opportunity's stage; :meth:`add_event` and :meth:`delete_event` already
        keep it equal to ``stage_of(events)``, so this is for repairs and imports.
        """
        self.touch(owner)
        value = convert.member(Stage, stage, "stage")
        result = self._execute(
            update(opportunities)
            .where(opportunities.c.owner_id == owner, opportunities.c.id == opportunity_id)
            .values(stage=value, updated_at=self._now)
        )
        if result.rowcount == 0:
            self.opportunity(owner, opportunity_id)

    def refresh_stage(self, owner: int, opportunity_id: int) -> Stage:
        """Recompute the stored stage from the opportunity's events and return it."""
        self.touch(owner)
        stage = stage_of(self.events(owner, opportunity_id))
        self.set_stage(owner, opportunity_id, stage)
        return stage
