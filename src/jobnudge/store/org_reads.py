"""Reads across many job seekers at once, for a caseload or an organisation.

Each function is a handful of grouped queries over the owners given (never one query per
seeker), using the indexes that start with ``owner_id``. The owners must already be scoped by
the caller (``services.caseload``, ``services.cohort``): these functions trust the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from jobnudge.domain import EventType, Stage
from jobnudge.domain.records import Event, Opportunity
from jobnudge.store import convert
from jobnudge.store.core import Store
from jobnudge.store.tables import companies, events, nudges, opportunities

CHUNK = 500  # owners per IN list, well under every driver's parameter limit


def _chunks(owners: Sequence[int]) -> list[list[int]]:
    unique = sorted(set(owners))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


def _aware(value: datetime | str) -> datetime:
    """Aggregates lose the column type on SQLite (text comes back); read it as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def stage_counts(store: Store, owners: Sequence[int]) -> dict[int, dict[Stage, int]]:
    out: dict[int, dict[Stage, int]] = defaultdict(dict)
    with store.engine.connect() as conn:
        for chunk in _chunks(owners):
            rows = conn.execute(
                select(opportunities.c.owner_id, opportunities.c.stage, func.count())
                .where(opportunities.c.owner_id.in_(chunk))
                .group_by(opportunities.c.owner_id, opportunities.c.stage)
            )
            for owner, stage, n in rows:
                out[int(owner)][Stage(stage)] = int(n)
    return dict(out)


def overdue(store: Store, owners: Sequence[int], now: datetime) -> dict[int, tuple[int, datetime]]:
    """Per owner: how many follow-ups are overdue at ``now`` and the oldest one's deadline.

    Overdue: past its "due by" when it has one (as on Today), else a day past its due time.
    """
    late = or_(
        nudges.c.due_by < now,
        and_(nudges.c.due_by.is_(None), nudges.c.due < now - timedelta(days=1)),
    )
    deadline = func.min(func.coalesce(nudges.c.due_by, nudges.c.due))
    out: dict[int, tuple[int, datetime]] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(owners):
            rows = conn.execute(
                select(nudges.c.owner_id, func.count(), deadline)
                .where(
                    nudges.c.owner_id.in_(chunk),
                    late,
                    or_(nudges.c.expires.is_(None), nudges.c.expires > now),
                )
                .group_by(nudges.c.owner_id)
            )
            for owner, n, oldest in rows:
                out[int(owner)] = (int(n), _aware(oldest))
    return out


def last_activity(
    store: Store, owners: Sequence[int], types: frozenset[EventType]
) -> dict[int, datetime]:
    """Per owner: when they last logged one of ``types`` (dated events only)."""
    out: dict[int, datetime] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(owners):
            rows = conn.execute(
                select(events.c.owner_id, func.max(events.c.at))
                .where(
                    events.c.owner_id.in_(chunk),
                    events.c.type.in_(sorted(types)),
                    events.c.date_unknown.is_(False),
                )
                .group_by(events.c.owner_id)
            )
            for owner, at in rows:
                if at is not None:
                    out[int(owner)] = _aware(at)
    return out


def interviews_between(
    store: Store, owners: Sequence[int], start: datetime, end: datetime
) -> dict[int, int]:
    """Per owner: interviews scheduled to happen in [start, end)."""
    out: dict[int, int] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(owners):
            rows = conn.execute(
                select(events.c.owner_id, func.count())
                .where(
                    events.c.owner_id.in_(chunk),
                    events.c.type == EventType.SCHEDULED,
                    events.c.scheduled_for >= start,
                    events.c.scheduled_for < end,
                )
                .group_by(events.c.owner_id)
            )
            out.update({int(owner): int(n) for owner, n in rows})
    return out


def events_of(
    store: Store, owners: Sequence[int], *, stages: Sequence[Stage] | None = None
) -> dict[int, list[Event]]:
    """Per owner, their opportunities' events in time order (only opportunities at
    ``stages``, when given)."""
    out: dict[int, list[Event]] = defaultdict(list)
    with store.engine.connect() as conn:
        for chunk in _chunks(owners):
            query = select(events).where(
                events.c.owner_id.in_(chunk), events.c.opportunity_id.is_not(None)
            )
            if stages is not None:
                query = query.join(
                    opportunities,
                    and_(
                        opportunities.c.owner_id == events.c.owner_id,
                        opportunities.c.id == events.c.opportunity_id,
                    ),
                ).where(opportunities.c.stage.in_(list(stages)))
            rows = conn.execute(query.order_by(events.c.owner_id, events.c.at, events.c.id))
            for row in rows:
                out[int(row.owner_id)].append(convert.event(row))
    return dict(out)


def opportunities_of(
    store: Store, owners: Sequence[int]
) -> dict[int, list[tuple[Opportunity, Stage]]]:
    out: dict[int, list[tuple[Opportunity, Stage]]] = defaultdict(list)
    with store.engine.connect() as conn:
        for chunk in _chunks(owners):
            query = (
                select(opportunities, companies.c.name.label("company_name"))
                .join(
                    companies,
                    and_(
                        companies.c.owner_id == opportunities.c.owner_id,
                        companies.c.id == opportunities.c.company_id,
                    ),
                )
                .where(opportunities.c.owner_id.in_(chunk))
                .order_by(opportunities.c.owner_id, opportunities.c.id)
            )
            for row in conn.execute(query):
                out[int(row.owner_id)].append((convert.opportunity(row), row.stage))
    return dict(out)
