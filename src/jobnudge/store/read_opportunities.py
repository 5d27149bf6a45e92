"""Reading opportunities, their stages and the postings kept for them: the layer of
:class:`~jobnudge.store.reads.Reader` between people and events."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from jobnudge import typography
from jobnudge.bounds import known_id, record_id
from jobnudge.domain.enums import Stage
from jobnudge.domain.records import (
    Opportunity,
    Posting,
)
from jobnudge.errors import NotFound
from jobnudge.store import convert
from jobnudge.store.read_people import PeopleReads
from jobnudge.store.tables import (
    companies,
    opportunities,
    postings,
)


def _opportunity_select(owner: int) -> Select[Any]:
    return (
        select(opportunities, companies.c.name.label("company_name"))
        .join(
            companies,
            and_(
                companies.c.owner_id == opportunities.c.owner_id,
                companies.c.id == opportunities.c.company_id,
            ),
        )
        .where(opportunities.c.owner_id == owner)
    )


# The agenda's table aliases, made once: building them on every call cost more than running
# the statement on SQLite (docs/benchmarks.md, "Agenda query").


class OpportunityReads(PeopleReads):
    """The opportunity and posting reads."""

    # Opportunities

    def opportunities(
        self, owner: int, *, stages: Collection[Stage] | None = None
    ) -> list[tuple[Opportunity, Stage]]:
        """The user's opportunities with their stage, oldest first; optionally only ``stages``."""
        query = _opportunity_select(owner)
        if stages is not None:
            query = query.where(opportunities.c.stage.in_([Stage(s) for s in stages]))
        with self._connect(owner) as conn:
            rows = conn.execute(query.order_by(opportunities.c.id))
            return [(convert.opportunity(r), r.stage) for r in rows]

    def stages(self, owner: int) -> dict[int, Stage]:
        """Each of the user's opportunities' stage by id, oldest first: the stages alone,
        without building every opportunity."""
        query = select(opportunities.c.id, opportunities.c.stage).where(
            opportunities.c.owner_id == owner
        )
        with self._connect(owner) as conn:
            return {r.id: r.stage for r in conn.execute(query.order_by(opportunities.c.id))}

    def opportunity(self, owner: int, opportunity_id: int) -> Opportunity:
        with self._connect(owner) as conn:
            return convert.opportunity(self._opportunity_row(conn, owner, opportunity_id))

    def stage(self, owner: int, opportunity_id: int) -> Stage:
        """The stored (materialised) stage of one opportunity."""
        with self._connect(owner) as conn:
            stage: Stage = self._opportunity_row(conn, owner, opportunity_id).stage
            return stage

    def _opportunity_row(self, conn: Connection, owner: int, opportunity_id: int) -> Any:
        row = (
            None
            if not known_id(opportunity_id)
            else conn.execute(
                _opportunity_select(owner).where(opportunities.c.id == opportunity_id)
            ).first()
        )
        if row is None:
            raise NotFound(
                f"No opportunity with id {opportunity_id} for this user; check the id, "
                "or search by company and role."
            )
        return row

    def search_opportunities(self, owner: int, text: str) -> list[tuple[Opportunity, Stage]]:
        """Opportunities matching ``text``: its id ("12" or "#12") first, then those whose
        "company role" contains it, ignoring case, accents and typographic apostrophes.
        """
        needle = text.strip().casefold()
        found = self.opportunities(owner)
        if not needle:
            return found
        wanted_id = record_id(needle)
        by_id = [pair for pair in found if pair[0].id == wanted_id]
        by_text = [
            pair
            for pair in found
            if pair not in by_id
            and typography.contains(f"{pair[0].company} {pair[0].role}", needle)
        ]
        return by_id + by_text

    def search_postings(self, owner: int, text: str) -> list[tuple[Opportunity, Stage]]:
        """Opportunities whose kept posting contains ``text`` (ignoring case), by id."""
        needle = " ".join(text.split()).casefold()
        if not needle:
            return []
        with self._connect(owner) as conn:
            ids = {
                int(i)
                for i in conn.scalars(
                    select(postings.c.opportunity_id).where(
                        postings.c.owner_id == owner,
                        func.lower(postings.c.text).contains(needle, autoescape=True),
                    )
                )
            }
        return [pair for pair in self.opportunities(owner) if pair[0].id in ids]

    # Postings

    def posting(self, owner: int, opportunity_id: int) -> Posting | None:
        with self._connect(owner) as conn:
            row = conn.execute(
                select(postings).where(
                    postings.c.owner_id == owner, postings.c.opportunity_id == opportunity_id
                )
            ).first()
        return convert.posting(row) if row is not None else None

    def posting_texts(self, owner: int) -> dict[int, tuple[str, str]]:
        """Each kept posting's (url, text), by opportunity id: what duplicates are looked for
        in. The pages are left out: they are never compared."""
        with self._connect(owner) as conn:
            rows = conn.execute(
                select(postings.c.opportunity_id, postings.c.url, postings.c.text).where(
                    postings.c.owner_id == owner
                )
            )
            return {int(r.opportunity_id): (r.url, r.text) for r in rows}

    def all_opportunity_ids(self, owner: int) -> list[int]:
        with self._connect(owner) as conn:
            return list(
                conn.scalars(
                    select(opportunities.c.id)
                    .where(opportunities.c.owner_id == owner)
                    .order_by(opportunities.c.id)
                )
            )
