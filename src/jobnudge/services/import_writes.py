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
from typing import TYPE_CHECKING, Any

from jobnudge.domain.records import Event, Nudge, stage_of
from jobnudge.store import bulk, bulk_plans
from jobnudge.store.bulk import NewEvent
from jobnudge.store.tables import companies, contacts, events, opportunities

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.domain.enums import Stage
    from jobnudge.store import Tx


PLANNED_AT_ONCE = 5_000
"""New opportunities whose follow-ups are derived before they are stored together."""


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
    many were planned. Existing opportunities that got events are the caller's to re-plan."""
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

    bulk.add_companies(tx, owner, [(real[k], v) for k, v in pending.companies.items()])
    bulk.add_contacts(
        tx,
        owner,
        [
            (real[k], {**v, "company_id": resolve(v["company_id"])})
            for k, v in pending.contacts.items()
        ],
    )
    added = [
        (i, resolve(e.opportunity_id), e) for i, e in zip(event_ids, pending.events, strict=True)
    ]
    events_of: dict[int, list[Event]] = {}
    for event_id, oid, e in added:
        if e.opportunity_id < 0:
            events_of.setdefault(oid, []).append(e.record(event_id, oid))
    for found in events_of.values():
        found.sort(key=lambda e: (e.at, e.id))
    made = [
        (real[k], {**v, "company_id": resolve(v["company_id"])})
        for k, v in pending.opportunities.items()
    ]
    stages: dict[int, Stage] = {oid: stage_of(events_of.get(oid, ())) for oid, _v in made}
    bulk.add_opportunities(tx, owner, [(oid, v, stages[oid]) for oid, v in made])
    bulk.add_events(tx, owner, added)
    del added
    pending.events.clear()
    linked: dict[int, list[int]] = {}
    pairs = []
    for o, c in pending.links:
        pair = (resolve(o), resolve(c))
        pairs.append(pair)
        linked.setdefault(pair[0], []).append(pair[1])
    bulk.add_links(tx, owner, pairs)
    planned: dict[int, list[Nudge]] = {}
    for history, people in bulk_plans.new_plans(tx, owner, made, events_of, linked):
        planned[history.opportunity.id] = derive(history, people, settings)
        if len(planned) >= PLANNED_AT_ONCE:
            bulk_plans.add_nudges(tx, owner, planned)
            planned = {}
    bulk_plans.add_nudges(tx, owner, planned)
    return len(made)
