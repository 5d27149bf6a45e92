"""A coach's caseload in one statement: per job seeker, the numbers of the caseload page.

Each number is a correlated subquery per seeker (or per active opportunity) that probes one
index and stops: the latest action (``ix_events_actions``), the interviews of the week
(``ix_events_interviews``), the latest event passing the turn of each active opportunity
(``ix_events_turns``), the latest dated event of each (``ix_events_owner_id_opportunity_id_at``),
the stage counts (``ix_opportunities_owner_id_stage``), the follow-ups overdue (the seeker's
few nudges). No event is read from the table and none travels to Python: the database answers
100 rows. The owners must already be scoped by the caller (``services.caseload``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, literal_column, or_, select

from jobnudge.domain import Stage
from jobnudge.domain.activity import WAITING_AFTER
from jobnudge.store.core import Store
from jobnudge.store.tables import (
    IS_ACTION,
    IS_INTERVIEW,
    IS_TURN,
    events,
    nudges,
    opportunities,
    users,
)
from jobnudge.store.types import UTCDateTime

CHUNK = 100
"""Seekers per statement: a caseload (50 to 150) in one or two. A bigger list would push
PostgreSQL's cost estimate past ``jit_above_cost``, and compiling the statement (~50 ms)
would cost more than running it."""

ACTIVE = (Stage.APPLIED, Stage.INTERVIEWING)
CLOSED = (Stage.OFFER, Stage.REJECTED, Stage.WITHDRAWN, Stage.NO_RESPONSE)


@dataclass(frozen=True, slots=True)
class Numbers:
    """One seeker's numbers; the instants are UTC, those depending on "now" already applied."""

    active: int  # opportunities applied or interviewing
    offers: int
    closed: int  # offer, rejection, withdrawal or "no response"
    waiting: int  # active, the latest event passing the turn being the user's
    faded: int  # active, the latest dated event before ``faded_before``
    overdue: int  # follow-ups overdue at ``now``
    oldest_deadline: datetime | None  # the earliest deadline among those
    last_action: datetime | None  # the latest dated event of something the user did
    interviews: int  # interviews set up for [week start, week end)


def _stages(stages: Sequence[Stage]) -> list[Any]:
    return [literal_column(f"'{s.value}'") for s in stages]


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates lose the column type on SQLite (text comes back); read it as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def caseload_numbers(
    store: Store,
    owners: Sequence[int],
    now: datetime,
    week: tuple[datetime, datetime],
    faded_before: datetime,
) -> dict[int, Numbers]:
    """Per owner in ``owners``: the numbers of the caseload page at ``now``.

    Overdue: past its "due by" when it has one (as on Today), else a day past its due time,
    and not expired. Waiting: the latest (by time, then id) of the opportunity's events that
    pass the turn (``domain.activity.TURNS``) is one of ``WAITING_AFTER``.
    """
    query = _statement()
    start, end = week
    moments = {
        "now": now,
        "day_before": now - timedelta(days=1),
        "start": start,
        "end": end,
        "faded_before": faded_before,
    }
    unique = sorted(set(owners))
    out: dict[int, Numbers] = {}
    with store.reading() as conn:
        for i in range(0, len(unique), CHUNK):
            rows = conn.execute(query, {**moments, "owners": unique[i : i + CHUNK]})
            for owner, active, offers, closed, waiting, faded, late, oldest, last, met in rows:
                out[int(owner)] = Numbers(
                    active=int(active),
                    offers=int(offers),
                    closed=int(closed),
                    waiting=int(waiting),
                    faded=int(faded),
                    overdue=int(late),
                    oldest_deadline=_aware(oldest),
                    last_action=_aware(last),
                    interviews=int(met),
                )
    return out


@cache
def _statement() -> Any:
    """Built once (the moments and the owners are parameters): building it costs more
    client time than running it."""
    now, day_before, start, end, faded_before = (
        bindparam(name, type_=UTCDateTime())
        for name in ("now", "day_before", "start", "end", "faded_before")
    )
    seeker = users.c.id
    o = opportunities.alias("o")

    def count_of(table: Any, *where: Any) -> Any:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    def of_seeker(*where: Any) -> Any:
        return count_of(o, o.c.owner_id == seeker, *where)

    live = o.c.stage.in_(_stages(ACTIVE))
    same = and_(events.c.owner_id == o.c.owner_id, events.c.opportunity_id == o.c.id)
    turn = (
        select(events.c.type)
        .where(same, IS_TURN)
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    last_dated = (
        select(func.max(events.c.at))
        .where(same, events.c.date_unknown.is_(False))
        .scalar_subquery()
    )
    late = and_(
        nudges.c.owner_id == seeker,
        or_(
            nudges.c.due_by < now,
            and_(nudges.c.due_by.is_(None), nudges.c.due < day_before),
        ),
        or_(nudges.c.expires.is_(None), nudges.c.expires > now),
    )
    oldest = (
        select(func.min(func.coalesce(nudges.c.due_by, nudges.c.due))).where(late).scalar_subquery()
    )
    last_action = (  # the latest by the index's order: SQLite then takes that index too
        select(events.c.at)
        .where(events.c.owner_id == seeker, IS_ACTION)
        .order_by(events.c.at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(
        seeker,
        of_seeker(live),
        of_seeker(o.c.stage == literal_column(f"'{Stage.OFFER.value}'")),
        of_seeker(o.c.stage.in_(_stages(CLOSED))),
        of_seeker(live, turn.in_(sorted(WAITING_AFTER))),
        of_seeker(live, last_dated < faded_before),
        count_of(nudges, late),
        oldest,
        last_action,
        count_of(
            events,
            events.c.owner_id == seeker,
            IS_INTERVIEW,
            events.c.scheduled_for >= start,
            events.c.scheduled_for < end,
        ),
    ).where(seeker.in_(bindparam("owners", expanding=True)))
