"""Batch reads of many users at once, for re-planning a server's accounts after a playbook
change (``services.replanning``): the records of a whole batch of users in the five queries
that ``batch.read_user`` spends on one, and their settings documents in one more.

Why: a re-plan job of 25 users read one user at a time costs 150 statements where these cost
six, and the queue's own cost per job (fetching, finishing, its status events) is spread over
the batch. The records are the same ones ``batch.read_user`` gives each user: the rows are
fetched for the whole batch, split by owner, and assembled by the same function
(``batch.assemble``).

Every user read here is claimed first (``Tx.claim``: on PostgreSQL each user's advisory
transaction lock, taken in id order so that two batches sharing users wait for each other
instead of deadlocking), so nothing a user's other writers do can land between this read and
the batch's writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select

from jobnudge.store import plain_rows
from jobnudge.store.batch import CHUNK, UserRecords, assemble
from jobnudge.store.tables import (
    companies,
    contacts,
    events,
    opportunities,
    opportunity_contacts,
    users,
)
from jobnudge.store.writes import Tx


def claim_all(tx: Tx, owners: Iterable[int]) -> list[int]:
    """Hold every user's write lock until the transaction ends, in id order; the ids sorted."""
    ordered = sorted(set(owners))
    for owner in ordered:
        tx.claim(owner)
    return ordered


def settings_documents(tx: Tx, owners: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each user's stored settings document, by id (users that no longer exist are left out)."""
    found: dict[int, dict[str, Any]] = {}
    for part in _parts(claim_all(tx, owners)):
        rows = tx._conn.execute(select(users.c.id, users.c.settings).where(users.c.id.in_(part)))
        found.update((r.id, dict(r.settings or {})) for r in rows)
    return found


def read_users(tx: Tx, owners: Sequence[int]) -> dict[int, UserRecords]:
    """Every record a whole re-plan reads (``batch.read_user``) of each of ``owners``, by id,
    in five queries for every 500 users."""
    ordered = claim_all(tx, owners)
    found: dict[int, UserRecords] = {}
    for part in _parts(ordered):
        found.update(_read_part(tx, part))
    return found


def _parts(owners: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(owners), CHUNK):
        yield owners[start : start + CHUNK]


def _by_owner(rows: Iterable[Any], owner_of: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(owner_of(row), []).append(row)
    return grouped


def _read_part(tx: Tx, part: Sequence[int]) -> dict[int, UserRecords]:
    conn = tx._conn
    opp_rows = conn.execute(
        select(opportunities, companies.c.name.label("company_name"))
        .join(
            companies,
            (companies.c.owner_id == opportunities.c.owner_id)
            & (companies.c.id == opportunities.c.company_id),
        )
        .where(opportunities.c.owner_id.in_(part))
        .order_by(opportunities.c.owner_id, opportunities.c.id)
    ).all()
    firm_rows = conn.execute(select(companies).where(companies.c.owner_id.in_(part))).all()
    people_rows = conn.execute(select(contacts).where(contacts.c.owner_id.in_(part))).all()
    links = conn.execute(
        select(
            opportunity_contacts.c.owner_id,
            opportunity_contacts.c.opportunity_id,
            opportunity_contacts.c.contact_id,
        ).where(opportunity_contacts.c.owner_id.in_(part))
    ).all()
    # The events as ``batch._read`` reads them, the owner's id put in front of each row.
    event_rows = plain_rows.fetch(
        conn,
        plain_rows.event_select(events.c.owner_id.in_(part))
        .add_columns(events.c.owner_id)
        .order_by(events.c.owner_id, events.c.opportunity_id, events.c.at, events.c.id),
    )
    opps = _by_owner(opp_rows, lambda r: r.owner_id)
    firms = _by_owner(firm_rows, lambda r: r.owner_id)
    people = _by_owner(people_rows, lambda r: r.owner_id)
    linked = _by_owner(links, lambda r: r[0])
    happened = _by_owner(event_rows, lambda r: r[-1])
    return {
        owner: assemble(
            opps.get(owner, ()),
            firms.get(owner, ()),
            people.get(owner, ()),
            [r[1:] for r in linked.get(owner, ())],
            [r[:-1] for r in happened.get(owner, ())],
        )
        for owner in part
    }
