"""Batch paths for re-planning many opportunities: the reads and writes of a whole user at once.

Why: re-planning one opportunity at a time costs ~11 statements each (its row, its events, its
companies, its contacts three ways, the stage, the nudges). Here a user's records are read in a
handful of queries, and stages and nudges are written with one ``executemany`` per table, inside
the caller's transaction (so an import stays all-or-nothing). The results are the same rows the
one-at-a-time paths write: contacts come in the same order (by name, then id), and every row
carries the transaction's instant. An import's inserts are in ``store.bulk``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, String, delete, func, insert, select, type_coerce, update

from jobnudge.domain.enums import Channel, Stage
from jobnudge.domain.records import (
    Company,
    Contact,
    Event,
    History,
    Nudge,
    Opportunity,
    short_id,
)
from jobnudge.errors import Conflict
from jobnudge.store import convert, plain_rows
from jobnudge.store.reads import _opportunity_select
from jobnudge.store.tables import (
    companies,
    contacts,
    event_contacts,
    events,
    nudges,
    opportunities,
    opportunity_contacts,
)
from jobnudge.store.writes import Tx

T = TypeVar("T")

CHUNK = 500
"""Ids per ``IN (...)`` list: well under SQLite's bound on parameters in one statement."""


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


Plan = tuple[History, dict[int, Contact]]


@dataclass(frozen=True)
class UserRecords:
    """Everything a re-plan of the whole user reads: each opportunity's plan (``read_plans``)
    and what the search-wide rules read (``services.nudges.refresh_search``), from one read."""

    plans: list[Plan]
    companies: dict[int, Company]
    contacts: list[Contact]  # by name, then id (as ``Tx.contacts`` gives them)
    loose: list[Event]  # the events tied to no opportunity, in time order (``Tx.events``)
    last_touch: dict[int, datetime]  # contact id: the latest event naming them, on any record
    stored_stages: dict[int, Stage]  # each opportunity's stage as stored before the re-plan


def read_plans(tx: Tx, owner: int, only: Iterable[int] | None = None) -> list[Plan]:
    """Each opportunity's history and people (as ``Tx.history`` and
    ``Tx.opportunity_contacts`` give them), for every opportunity of ``owner`` or those in
    ``only``, in id order, read in five queries for the whole user."""
    return _read(tx, owner, only).plans


def read_user(tx: Tx, owner: int) -> UserRecords:
    """Every record of ``owner`` a whole re-plan reads, in the five queries of ``read_plans``
    (the events tied to no opportunity, and when each contact was last named, come with them)."""
    return _read(tx, owner, None)


def _read(tx: Tx, owner: int, only: Iterable[int] | None) -> UserRecords:
    tx.claim(owner)
    conn = tx._conn
    wanted = None if only is None else set(only)
    opp_rows = conn.execute(
        _opportunity_select(owner).order_by(None).order_by(opportunities.c.id)
    ).all()
    firm_rows = conn.execute(select(companies).where(companies.c.owner_id == owner)).all()
    people_rows = conn.execute(select(contacts).where(contacts.c.owner_id == owner)).all()
    links = conn.execute(
        select(opportunity_contacts.c.opportunity_id, opportunity_contacts.c.contact_id).where(
            opportunity_contacts.c.owner_id == owner
        )
    ).all()
    # One query for all the user's events, fetched at once and read without the column
    # types (``plain_rows``): sorted by opportunity, then time, so each opportunity's events
    # (and those of none) come out in time order, ties by id.
    scope = [events.c.owner_id == owner]
    if wanted is not None:
        scope.append(events.c.opportunity_id.is_not(None))
    rows = plain_rows.fetch(
        conn,
        plain_rows.event_select(*scope).order_by(events.c.opportunity_id, events.c.at, events.c.id),
    )
    return assemble(opp_rows, firm_rows, people_rows, links, rows, wanted)


def assemble(
    opp_rows: Iterable[Any],
    firm_rows: Iterable[Any],
    people_rows: Iterable[Any],
    links: Iterable[Any],
    event_rows: Iterable[Any],
    wanted: set[int] | None = None,
) -> UserRecords:
    """One user's records from the rows of the five queries of ``read_user`` (opportunities by
    id, with their company's name; companies; contacts; opportunity-contact links; events as
    ``plain_rows.event_select`` gives them, by opportunity, time and id): shared with the reads
    of many users at once (``store.batch_users``), so both give the same records."""
    opps: list[Opportunity] = []
    stored_stages: dict[int, Stage] = {}
    for r in opp_rows:
        if wanted is None or r.id in wanted:
            opps.append(convert.opportunity(r))
            stored_stages[r.id] = r.stage
    firms: dict[int, Company] = {r.id: convert.company(r) for r in firm_rows}
    people: list[tuple[str, Contact]] = [(r.name_key, convert.contact(r)) for r in people_rows]
    linked: dict[int, set[int]] = {}
    for opportunity_id, contact_id in links:
        linked.setdefault(opportunity_id, set()).add(contact_id)
    # The people each event names (what ``event_contacts`` indexes) link them to its
    # opportunity, and say when each was last named on any record.
    by_opp: dict[int | None, list[Event]] = {}
    last_touch: dict[int, datetime] = {}
    for event in plain_rows.events_of(event_rows):
        oid = event.opportunity_id
        if wanted is None or oid in wanted:
            by_opp.setdefault(oid, []).append(event)
        for contact_id in event.contact_ids:
            if oid is not None:
                linked.setdefault(oid, set()).add(contact_id)
            if wanted is None and (
                contact_id not in last_touch or event.at > last_touch[contact_id]
            ):
                last_touch[contact_id] = event.at
    people.sort(key=lambda pair: (pair[0], pair[1].id))
    order = {c.id: n for n, (_key, c) in enumerate(people)}
    by_id = {c.id: c for _key, c in people}
    at_firm: dict[int, list[int]] = {}
    for _key, c in people:
        if c.company_id is not None:
            at_firm.setdefault(c.company_id, []).append(c.id)
    plans: list[Plan] = []
    for opp in opps:
        ids = set(linked.get(opp.id, ()))
        ids.update(i for i in (opp.referrer_id, opp.recruiter_id) if i is not None)
        involved = [i for i in (opp.company_id, opp.staffing_firm_id) if i is not None]
        for firm in involved:
            ids.update(at_firm.get(firm, ()))
        mine = {i: by_id[i] for i in sorted((i for i in ids if i in by_id), key=order.__getitem__)}
        history = History(
            opportunity=opp,
            events=tuple(by_opp.get(opp.id, ())),
            companies={i: firms[i] for i in involved if i in firms},
        )
        plans.append((history, mine))
    return UserRecords(
        plans=plans,
        companies=firms,
        contacts=[c for _key, c in people],
        loose=by_opp.get(None, []),
        last_touch=last_touch,
        stored_stages=stored_stages,
    )


def stages(tx: Tx, owner: int) -> dict[int, Stage]:
    """Every opportunity's stored stage, by id (what the search-wide rules read of them)."""
    tx.claim(owner)
    words = {s.value: s for s in Stage}  # the stored word read as text: one look-up a row
    rows = tx._conn.execute(
        select(opportunities.c.id, type_coerce(opportunities.c.stage, String))
        .where(opportunities.c.owner_id == owner)
        .order_by(opportunities.c.id)
    )
    return {oid: words.get(word) or Stage(word) for oid, word in rows}


def companies_of(tx: Tx, owner: int, ids: Iterable[int]) -> dict[int, Company]:
    """The user's companies among ``ids``, by id (500 to a query): where a whole-search read
    needs only its people's employers, not every company of a large import."""
    tx.claim(owner)
    wanted = sorted(set(ids))
    found: dict[int, Company] = {}
    for start in range(0, len(wanted), 500):
        rows = tx._conn.execute(
            select(companies).where(
                companies.c.owner_id == owner, companies.c.id.in_(wanted[start : start + 500])
            )
        )
        found.update((r.id, convert.company(r)) for r in rows)
    return found


def last_touches(tx: Tx, owner: int, contact_ids: Sequence[int]) -> dict[int, datetime]:
    """When each of ``contact_ids`` was last named by an event, on any record (those never
    named are left out): one query for them all, not one per person."""
    tx.claim(owner)
    found: dict[int, datetime] = {}
    for part in _chunks(sorted(set(contact_ids))):
        rows = tx._conn.execute(
            select(event_contacts.c.contact_id, func.max(events.c.at).label("at"))
            .join(
                events,
                (events.c.owner_id == event_contacts.c.owner_id)
                & (events.c.id == event_contacts.c.event_id),
            )
            .where(event_contacts.c.owner_id == owner, event_contacts.c.contact_id.in_(part))
            .group_by(event_contacts.c.contact_id)
        )
        found.update((r.contact_id, r.at) for r in rows)
    return found


def write_plans(
    tx: Tx,
    owner: int,
    stages: Mapping[int, Stage],
    planned: Mapping[int, Sequence[Nudge]],
    search_wide: Sequence[Nudge] | None = None,
    stored_stages: Mapping[int, Stage] | None = None,
) -> None:
    """Store the stages and make ``planned`` the pending nudges of those opportunities (every
    opportunity in ``stages``), as ``set_stage`` and ``replace_nudges`` would one by one.

    With ``search_wide`` (a re-plan of the whole user: ``stages`` holds every opportunity of
    the user) those become the search-wide nudges, and the user's nudges are replaced in a
    few statements, those found unchanged only stamped (``_replace_changed``). With
    ``stored_stages`` too (the stages read in this transaction), every opportunity is
    stamped by one UPDATE and only the stages that changed are written, not one UPDATE per
    stage."""
    tx.touch(owner)
    conn = tx._conn
    now = tx.now
    whole = search_wide is not None and stored_stages is not None
    if whole:
        conn.execute(
            update(opportunities).where(opportunities.c.owner_id == owner).values(updated_at=now)
        )
    by_stage: dict[Stage, list[int]] = {}
    for oid, stage in stages.items():
        if whole and stored_stages is not None and stored_stages.get(oid) == stage:
            continue
        by_stage.setdefault(convert.member(Stage, stage, "stage"), []).append(oid)
    for value, oids in by_stage.items():  # one UPDATE per stage, not one per opportunity
        for part in _chunks(sorted(oids)):
            conn.execute(
                update(opportunities)
                .where(opportunities.c.owner_id == owner, opportunities.c.id.in_(part))
                .values(stage=value, updated_at=now)
            )
    groups: list[tuple[int | None, Sequence[Nudge]]] = list(planned.items())
    if search_wide is not None:
        groups.append((None, search_wide))
    rows: list[dict[str, Any]] = []
    for scope, items in groups:
        for item in items:
            if item.opportunity_id != scope:
                raise ValueError(
                    f"nudge {item.key!r} belongs to {item.opportunity_id}, not {scope}"
                )
            rows.append(
                {
                    "owner_id": owner,
                    "key": item.key,
                    "short_id": short_id(item.key),
                    "rule": item.rule,
                    "opportunity_id": item.opportunity_id,
                    "contact_id": item.contact_id,
                    "channel": convert.maybe_member(Channel, item.channel, "channel"),
                    "due": convert.aware(item.due, "due"),
                    "due_by": convert.maybe_aware(item.due_by, "due_by"),
                    "expires": convert.maybe_aware(item.expires, "expires"),
                    "tz": convert.zone(item.tz, "tz"),
                    "reason": item.reason,
                    "message": item.message,
                    "anchor_event_id": item.anchor_event_id,
                    "computed_at": now,
                }
            )
    if len({row["key"] for row in rows}) < len(rows):
        raise Conflict(
            "Two follow-ups computed together share a key (keys must be unique for a "
            "user); this is a bug in the rule that made them."
        )
    if search_wide is not None:
        _replace_changed(conn, owner, rows, now)
        return
    for part in _chunks(sorted(stages)):
        conn.execute(
            delete(nudges).where(nudges.c.owner_id == owner, nudges.c.opportunity_id.in_(part))
        )
    if rows:
        conn.execute(insert(nudges), rows)


CONTENT = (
    "short_id",
    "rule",
    "opportunity_id",
    "contact_id",
    "channel",
    "due",
    "due_by",
    "expires",
    "tz",
    "reason",
    "message",
    "anchor_event_id",
)
"""A nudge row's columns besides its owner, key and ``computed_at``."""


def _replace_changed(
    conn: Connection, owner: int, rows: Sequence[dict[str, Any]], now: datetime
) -> None:
    """Make ``rows`` the user's nudges, the rows it leaves as they were touched only to stamp
    ``computed_at``: the same rows as deleting them all and inserting ``rows``, without the
    index entries and foreign-key checks of a nudge a re-plan found again unchanged (after a
    playbook change, most of them)."""
    stored = {
        r[0]: tuple(r[1:])
        for r in conn.execute(
            select(nudges.c.key, *(nudges.c[name] for name in CONTENT)).where(
                nudges.c.owner_id == owner
            )
        ).all()
    }
    same: list[str] = []
    fresh: list[dict[str, Any]] = []
    for row in rows:
        if stored.get(row["key"]) == tuple(row[name] for name in CONTENT):
            same.append(row["key"])
        else:
            fresh.append(row)
    kept = set(same)
    for part in _chunks(sorted(key for key in stored if key not in kept)):
        conn.execute(delete(nudges).where(nudges.c.owner_id == owner, nudges.c.key.in_(part)))
    for part in _chunks(sorted(same)):
        conn.execute(
            update(nudges)
            .where(nudges.c.owner_id == owner, nudges.c.key.in_(part))
            .values(computed_at=now)
        )
    if fresh:
        conn.execute(insert(nudges), fresh)
