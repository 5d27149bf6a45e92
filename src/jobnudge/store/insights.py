"""Reads across a user's whole search for the web pages: the pipeline table and the weekly review.

Each is one query scoped to the owner, using the indexes that start with ``owner_id``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from jobnudge.domain.records import Event
from jobnudge.store import convert
from jobnudge.store.core import Store
from jobnudge.store.tables import events, nudges


def last_activity(store: Store, owner: int) -> dict[int, datetime]:
    """Each opportunity's latest event (one grouped scan of the ``(owner, opportunity, at)``
    index)."""
    query = (
        select(events.c.opportunity_id, func.max(events.c.at))
        .where(events.c.owner_id == owner, events.c.opportunity_id.is_not(None))
        .group_by(events.c.opportunity_id)
    )
    with store.reading() as conn:
        rows = conn.execute(query).all()
    out: dict[int, datetime] = {}
    for opportunity_id, at in rows:
        if at is not None:
            out[int(opportunity_id)] = _aware(at)
    return out


def next_due(store: Store, owner: int, now: datetime) -> dict[int, tuple[datetime, str]]:
    """Each opportunity's earliest pending follow-up still relevant at ``now``: (due, rule)."""
    query = (
        select(nudges.c.opportunity_id, nudges.c.due, nudges.c.rule)
        .where(
            nudges.c.owner_id == owner,
            nudges.c.opportunity_id.is_not(None),
            (nudges.c.expires.is_(None)) | (nudges.c.expires > now),
        )
        .order_by(nudges.c.due)
    )
    out: dict[int, tuple[datetime, str]] = {}
    with store.reading() as conn:
        for opportunity_id, due, rule in conn.execute(query):
            out.setdefault(int(opportunity_id), (due, str(rule)))
    return out


def all_events(store: Store, owner: int, since: datetime | None = None) -> list[Event]:
    """Every event of the user (or those at or after ``since``), in time order."""
    query = select(events).where(events.c.owner_id == owner)
    if since is not None:
        query = query.where(events.c.at >= since)
    with store.reading() as conn:
        rows = conn.execute(query.order_by(events.c.at, events.c.id))
        return [convert.event(r) for r in rows]


def _aware(value: datetime | str) -> datetime:
    """``max()`` loses the column type on SQLite (text comes back); read it as UTC."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
