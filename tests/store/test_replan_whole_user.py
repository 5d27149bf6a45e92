"""A re-plan of the whole user (``refresh_all``: one read of the user, the search-wide rules fed
from it, every nudge written in bulk) stores exactly what the one-at-a-time path stores: each
opportunity refreshed on its own, then the search-wide nudges from their own queries. Both
start from the same stored plan, made earlier with other settings, so that the whole-user
write (which leaves the follow-ups it finds unchanged in place, only stamped) meets changed,
unchanged, vanished and new follow-ups, and stored stages both right and out of date.

Generated searches: staffing firms and their people (by firm or by role), contacts with the
same name, opportunities through a staffing firm, interviews ahead and behind, messages naming
people on an opportunity or on none, and decisions (done, dismissed, snoozed) taken on the
follow-ups the first plan made, search-wide ones included. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, update

from jobnudge.config import Profile, Settings
from jobnudge.domain import EventType, Role, Stage
from jobnudge.services import nudges
from jobnudge.services.session import Session
from jobnudge.store import Store, batch
from jobnudge.store.tables import nudges as nudge_rows
from jobnudge.store.tables import opportunities
from tests.pinned import PINNED_NOW, as_env

from .helpers import T0

SETTINGS = Settings(profile=Profile(name="Alex", tz="America/New_York", country="US"))
OTHER = replace(SETTINGS, playbook=replace(SETTINGS.playbook, apply_check_in_days=5))

ON_OPPORTUNITY = [
    EventType.APPLIED,
    EventType.SENT,
    EventType.RECEIVED,
    EventType.SCHEDULED,
    EventType.INTERVIEWED,
    EventType.OFFER,
    EventType.REJECTED,
    EventType.NOTE,
]
DECISIONS = [EventType.NUDGE_DONE, EventType.NUDGE_DISMISSED, EventType.NUDGE_SNOOZED]

FIRMS = st.lists(st.booleans(), min_size=1, max_size=3)  # each: a staffing firm or not
PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["Dana Lee", "Raj Patel", "Sam"]),  # names repeat: ties go by id
        st.integers(0, 3),  # their firm (past the last: none)
        st.sets(st.sampled_from([Role.STAFFING, Role.RECRUITER, Role.HR]), max_size=2),
    ),
    max_size=5,
)
OPPORTUNITIES = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 5)),  # firm, staffing, who
    min_size=1,
    max_size=5,
)
EVENTS = st.lists(
    st.tuples(
        st.integers(0, 5),  # the opportunity (past the last: none)
        st.sampled_from(ON_OPPORTUNITY),
        st.integers(-400, 0),  # days before now
        st.lists(st.integers(0, 4), max_size=2),  # people named
        st.integers(-5, 20),  # an interview's day, from the event's
    ),
    max_size=14,
)
USERS = itertools.count()  # each example on a user of its own
CHOICES = st.lists(st.tuples(st.integers(0, 30), st.sampled_from(DECISIONS)), max_size=4)


def _pick(items: list[Any], n: int) -> Any:
    return items[n] if n < len(items) else None


def _build(store: Store, owner: int, draw: tuple[Any, ...]) -> None:
    firms, people, opps, events = draw
    now = PINNED_NOW
    with store.transaction(now=T0) as tx:
        made = [
            tx.add_company(owner, f"Firm {n}", is_staffing_firm=staffing).id
            for n, staffing in enumerate(firms)
        ]
        who = [
            tx.add_contact(owner, name=name, company_id=_pick(made, firm), roles=roles).id
            for name, firm, roles in people
        ]
        opp_ids = [
            tx.add_opportunity(
                owner,
                company_id=made[firm % len(made)],
                role="Analyst",
                staffing_firm_id=_pick(made, staffing),
                recruiter_id=_pick(who, person),
            ).id
            for firm, staffing, person in opps
        ]
        for opp, kind, days, named, ahead in events:
            oid = _pick(opp_ids, opp)
            if oid is None and kind is not EventType.SENT:
                kind = EventType.SENT  # a message to a staffing firm, on no opportunity
            at = now + timedelta(days=days)
            tx.add_event(
                owner,
                opportunity_id=oid,
                type=kind,
                at=at,
                contact_ids=[who[n] for n in named if n < len(who)],
                scheduled_for=at + timedelta(days=ahead) if kind is EventType.SCHEDULED else None,
            )


def _decide(store: Store, owner: int, choices: list[tuple[int, EventType]]) -> None:
    """Decisions on the follow-ups the first plan stored (search-wide ones too)."""
    now = PINNED_NOW
    with store.engine.connect() as conn:
        pending = conn.execute(
            select(nudge_rows.c.key, nudge_rows.c.opportunity_id)
            .where(nudge_rows.c.owner_id == owner)
            .order_by(nudge_rows.c.opportunity_id.is_(None).desc(), nudge_rows.c.key)
        ).all()
    if not pending:
        return
    with store.transaction(now=now) as tx:
        for n, kind in choices:
            key, oid = pending[n % len(pending)]
            until = now + timedelta(days=9) if kind is EventType.NUDGE_SNOOZED else None
            tx.add_event(owner, opportunity_id=oid, type=kind, at=now, nudge_key=key, until=until)


def _snapshot(store: Store, owner: int) -> tuple[list[dict[str, Any]], list[Any]]:
    """The user's stored nudges and each opportunity's stage and stamp, to put back."""
    with store.engine.connect() as conn:
        pending = conn.execute(select(nudge_rows).where(nudge_rows.c.owner_id == owner))
        kept = [dict(r._mapping) for r in pending]
        stages = conn.execute(
            select(opportunities.c.id, opportunities.c.stage, opportunities.c.updated_at).where(
                opportunities.c.owner_id == owner
            )
        ).all()
    return kept, list(stages)


def _restore(store: Store, owner: int, snapshot: tuple[list[dict[str, Any]], list[Any]]) -> None:
    kept, stages = snapshot
    with store.engine.begin() as conn:
        conn.execute(delete(nudge_rows).where(nudge_rows.c.owner_id == owner))
        if kept:
            conn.execute(insert(nudge_rows), kept)
        for oid, stage, updated_at in stages:
            conn.execute(
                update(opportunities)
                .where(opportunities.c.owner_id == owner, opportunities.c.id == oid)
                .values(stage=stage, updated_at=updated_at)
            )


def _stored(store: Store, owner: int) -> dict[str, list[tuple[str, ...]]]:
    found = {}
    with store.engine.connect() as conn:
        for table in (nudge_rows, opportunities):
            rows = conn.execute(select(table).where(table.c.owner_id == owner)).all()
            found[table.name] = sorted(tuple(map(repr, r)) for r in rows)
    return found


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(FIRMS, PEOPLE, OPPORTUNITIES, EVENTS, CHOICES, st.lists(st.booleans(), max_size=5))
def test_the_whole_user_replan_stores_what_one_at_a_time_stores(
    store: Store,
    firms: list[bool],
    people: list[Any],
    opps: list[Any],
    events: list[Any],
    choices: list[tuple[int, EventType]],
    stale: list[bool],
) -> None:
    owner = store.ensure_user(f"user {next(USERS)}")
    _build(store, owner, (firms, people, opps, events))
    now = PINNED_NOW
    everyone = [c.id for c in store.contacts(owner)]
    with store.transaction(now=now) as tx:  # one query for all, as one per person gave
        touched = batch.last_touches(tx, owner, everyone)
        assert touched == {
            cid: max(e.at for e in found)
            for cid in everyone
            if (found := tx.events_with_contact(owner, cid))
        }
    nudges.refresh_all(Session(store, SETTINGS, owner, now))
    _decide(store, owner, choices)
    kept, stages = _snapshot(store, owner)
    # Some stored stages out of date (as a repair finds them): both paths must put them right.
    wrong = [Stage.LEAD if stage is not Stage.LEAD else Stage.OFFER for _oid, stage, _at in stages]
    stages = [
        (oid, wrong[n] if n < len(stale) and stale[n] else stage, at)
        for n, (oid, stage, at) in enumerate(stages)
    ]
    planned = (kept, stages)
    _restore(store, owner, planned)

    # From the same stored plan, an hour and a half later (so every row's stamp moves, and
    # some search-wide follow-ups with the clock): one at a time, then the whole user.
    later = now + timedelta(minutes=90)
    with store.transaction(now=later) as tx:
        for oid in tx.all_opportunity_ids(owner):
            nudges.refresh(store, tx, owner, oid, OTHER)
        nudges.refresh_search(store, tx, owner, OTHER, later)
    one_at_a_time = _stored(store, owner)
    _restore(store, owner, planned)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NUDGE_NOW", as_env(later))
        nudges.refresh_all(Session(store, OTHER, owner, later))
        assert _stored(store, owner) == one_at_a_time
        nudges.refresh_all(Session(store, OTHER, owner, later))  # nothing left to change
    assert _stored(store, owner) == one_at_a_time
