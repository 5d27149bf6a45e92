"""An import's new opportunities planned from the rows just inserted, and their follow-ups
stored in bulk as they are derived (see ``store.bulk``): re-reading every opportunity and
event of a 100,000-row import to plan it cost as much as writing them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import select

from jobnudge.domain.enums import Channel
from jobnudge.domain.records import Company, Contact, Event, History, Nudge, Opportunity, short_id
from jobnudge.errors import Conflict
from jobnudge.store import convert
from jobnudge.store.batch import CONTENT
from jobnudge.store.bulk_insert import insert_rows
from jobnudge.store.tables import contacts, nudges
from jobnudge.store.writes import Tx

Plan = tuple[History, dict[int, Contact]]


def new_plans(
    tx: Tx,
    owner: int,
    made: Sequence[tuple[int, Mapping[str, Any]]],
    events_of: Mapping[int, Sequence[Event]],
    linked: Mapping[int, Iterable[int]],
    new_companies: Mapping[int, Company],
) -> Iterator[Plan]:
    """The history and people of opportunities this transaction created, as
    ``batch.read_plans`` reads them, from the values just inserted (``made``: id and values;
    ``new_companies``: the companies inserted with them) and their events (in ``(at, id)``
    order) and links, one at a time. The companies from before the import that they belong to
    and the user's people are read before it returns, since rows before the import may be
    theirs: the plans can then be made while the follow-ups are written on the connection."""
    from jobnudge.store.batch import companies_of

    tx.claim(owner)
    conn = tx._conn
    firms = dict(new_companies)
    employers = {v[k] for _i, v in made for k in ("company_id", "staffing_firm_id")} - {None}
    firms.update(companies_of(tx, owner, employers - firms.keys()))
    people = [
        (r.name_key, convert.contact(r))
        for r in conn.execute(select(contacts).where(contacts.c.owner_id == owner))
    ]
    people.sort(key=lambda pair: (pair[0], pair[1].id))
    order = {c.id: n for n, (_key, c) in enumerate(people)}
    by_id = {c.id: c for _key, c in people}
    at_firm: dict[int, list[int]] = {}
    for _key, c in people:
        if c.company_id is not None:
            at_firm.setdefault(c.company_id, []).append(c.id)
    return _plans(tx, made, events_of, linked, firms, at_firm, by_id, order)


def _plans(
    tx: Tx,
    made: Iterable[tuple[int, Mapping[str, Any]]],
    events_of: Mapping[int, Sequence[Event]],
    linked: Mapping[int, Iterable[int]],
    firms: Mapping[int, Company],
    at_firm: Mapping[int, list[int]],
    by_id: Mapping[int, Contact],
    order: Mapping[int, int],
) -> Iterator[Plan]:
    created = tx.now.astimezone(UTC)
    for oid, v in made:
        company_id = v["company_id"]
        opp = Opportunity(
            id=oid,
            company_id=company_id,
            company=firms[company_id].name,
            role=v["role"],
            posting_url=v["posting_url"],
            source=v["source"],
            responds_within_days=v["responds_within_days"],
            staffing_firm_id=(through := v["staffing_firm_id"]),
            recruiter_id=v["recruiter_id"],
            notes=v["notes"],
            created_at=created,
        )
        named, staff = linked.get(oid), at_firm.get(company_id)
        if through is not None:  # the firm's people take part too (as ``batch.assemble``)
            staff = [*(staff or ()), *at_firm.get(through, ()), v["recruiter_id"]]
        mine: dict[int, Contact] = {}
        if named or staff:  # most imported rows name no one, or one person
            ids = {*(named or ()), *(staff or ())}
            known = sorted((i for i in ids if i in by_id), key=order.__getitem__)
            mine = {i: by_id[i] for i in known}
        involved = {company_id: firms[company_id]}
        if through is not None:
            involved[through] = firms[through]
        history = History(
            opportunity=opp,
            events=tuple(events_of.get(oid, ())),
            companies=involved,
        )
        yield history, mine


NUDGE_COLUMNS = ("key", *CONTENT)


def add_nudges(tx: Tx, owner: int, planned: Iterable[tuple[int, Sequence[Nudge]]]) -> int:
    """Store the follow-ups of opportunities this transaction created (so none are stored
    yet), as ``batch.write_plans`` stores them, as ``planned`` yields them (``(opportunity
    id, its follow-ups)``); return how many opportunities there were."""
    keys: set[str] = set()
    zones: set[str] = set()
    count = 0

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal count
        for oid, items in planned:
            count += 1
            for item in items:
                if item.opportunity_id != oid:
                    raise ValueError(
                        f"nudge {item.key!r} belongs to {item.opportunity_id}, not {oid}"
                    )
                if item.key in keys:
                    raise Conflict(
                        "Two follow-ups computed together share a key (keys must be unique "
                        "for a user); this is a bug in the rule that made them."
                    )
                keys.add(item.key)
                if item.tz not in zones:
                    zones.add(convert.zone(item.tz, "tz"))
                yield (
                    item.key,
                    short_id(item.key),
                    item.rule,
                    oid,
                    item.contact_id,
                    convert.maybe_member(Channel, item.channel, "channel"),
                    convert.aware(item.due, "due"),
                    convert.maybe_aware(item.due_by, "due_by"),
                    convert.maybe_aware(item.expires, "expires"),
                    item.tz,
                    item.reason,
                    item.message,
                    item.anchor_event_id,
                )

    tx.touch(owner)
    insert_rows(tx, nudges, NUDGE_COLUMNS, rows(), {"owner_id": owner, "computed_at": tx.now})
    return count
