"""What a spreadsheet import creates, gathered while the file is matched and written at its end.

Why: writing each new record as its row is read costs an INSERT (and an id read back) per
company, person and opportunity, and re-planning afterwards re-reads all of it. Here each new
record gets a provisional id (negative, as in a dry run) and waits in memory; at the end of the
file the ids are reserved in file order, every table is inserted in bulk (``store.bulk``), and
the follow-ups of the new opportunities are derived from what is already in memory. Records
that existed before the import are changed in place as before and re-planned from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from jobnudge.domain.records import Event, stage_in
from jobnudge.store import bulk, bulk_indexes, bulk_plans
from jobnudge.store.ahead import Ahead
from jobnudge.store.bulk import NewEvent
from jobnudge.store.tables import (
    companies,
    contacts,
    events,
    nudges,
    opportunities,
    opportunity_contacts,
)

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.store import Tx


DERIVED_CHUNK = 500
"""Opportunities whose follow-ups the deriving thread hands over at a time."""

DERIVED_AHEAD = 40
"""Chunks derived ahead at most (20,000 opportunities' follow-ups wait in memory for their
turn, whatever the size of the file)."""


@dataclass
class Pending:
    """New records by provisional id (in the order they were made) and the events and links
    to add, which may name provisional ids or existing records."""

    companies: dict[int, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    opportunities: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: list[NewEvent] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)


def _real(pending: dict[int, Any], ids: Sequence[int]) -> dict[int, int]:
    return dict(zip(pending, ids, strict=True))


def write(tx: Tx, owner: int, pending: Pending, settings: Settings) -> int:
    """Insert everything ``pending`` holds and store the stages and follow-ups of the new
    opportunities (derived in memory, as ``nudges.refresh`` would from the store); return how
    many were planned. Existing opportunities that got events are the caller's to re-plan.
    ``pending`` is emptied on the way, so what is written is let go."""
    new = len(pending.opportunities)
    expected = {
        contacts: len(pending.contacts),
        opportunities: new,
        events: len(pending.events),
        opportunity_contacts: len(pending.links),
        nudges: new,  # about one a new opportunity, before they are derived
    }
    with bulk.roomy_cache(tx), bulk_indexes.set_aside(tx, expected) as aside:
        return _write(tx, owner, pending, settings, aside)


def _write(
    tx: Tx, owner: int, pending: Pending, settings: Settings, aside: bulk_indexes.Aside
) -> int:
    from jobnudge.playbook.engine import derive

    real: dict[int, int] = {}
    real.update(_real(pending.companies, bulk.reserve_ids(tx, companies, len(pending.companies))))
    real.update(_real(pending.contacts, bulk.reserve_ids(tx, contacts, len(pending.contacts))))
    real.update(
        _real(
            pending.opportunities,
            bulk.reserve_ids(tx, opportunities, len(pending.opportunities)),
        )
    )
    event_ids = bulk.reserve_ids(tx, events, len(pending.events))

    def resolve(record_id: int) -> int:
        return real[record_id] if record_id < 0 else record_id

    bulk.add_companies(tx, owner, ((real[k], v) for k, v in pending.companies.items()))
    new_companies = {real[k]: bulk.company_record(real[k], v) for k, v in pending.companies.items()}
    pending.companies.clear()
    for values in pending.contacts.values():
        values["company_id"] = resolve(values["company_id"])
    bulk.add_contacts(tx, owner, ((real[k], v) for k, v in pending.contacts.items()))
    pending.contacts.clear()
    # The new opportunities' events, as the store reads them back, for their stages and plans.
    events_of: dict[int, list[Event]] = {}
    for event_id, e in zip(event_ids, pending.events, strict=True):
        if e.opportunity_id < 0:
            oid = real[e.opportunity_id]
            events_of.setdefault(oid, []).append(e.record(event_id, oid))
    for found in events_of.values():
        if len(found) > 1:
            found.sort(key=lambda e: (e.at, e.id))
    made: list[tuple[int, dict[str, Any]]] = []
    for k, values in pending.opportunities.items():
        values["company_id"] = resolve(values["company_id"])
        for through in ("staffing_firm_id", "recruiter_id"):
            if values[through] is not None:
                values[through] = resolve(values[through])
        made.append((real[k], values))
    pending.opportunities.clear()
    linked: dict[int, list[int]] = {}
    pairs = []
    for o, c in pending.links:
        pair = (resolve(o), resolve(c))
        pairs.append(pair)
        linked.setdefault(pair[0], []).append(pair[1])
    pending.links.clear()
    # The follow-ups are derived on a thread of their own from here on (from memory: the
    # plans' reads are done before it starts), while the opportunities, events and links are
    # written: deriving is Python, writing mostly the database's (see ``store.ahead``).
    plans = bulk_plans.new_plans(tx, owner, made, events_of, linked, new_companies)
    derived = (
        (history.opportunity.id, derive(history, people, settings)) for history, people in plans
    )
    with Ahead(derived, DERIVED_CHUNK, list, depth=DERIVED_AHEAD, name="derive-ahead") as ahead:
        aside.built(companies)  # the plans have read them: built while the derivation runs
        aside.built(contacts)
        bulk.add_opportunities(
            tx, owner, ((oid, v, stage_in(events_of.get(oid, ()))) for oid, v in made)
        )
        aside.built(opportunities)
        bulk.add_events(
            tx,
            owner,
            (
                (i, resolve(e.opportunity_id), e)
                for i, e in zip(event_ids, pending.events, strict=True)
            ),
        )
        pending.events.clear()
        del event_ids
        aside.built(events)
        bulk.add_links(tx, owner, pairs)
        del pairs
        aside.built(opportunity_contacts)
        return bulk_plans.add_nudges(tx, owner, chain.from_iterable(ahead))
