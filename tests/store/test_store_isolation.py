"""One user never sees or changes another's records: their ids behave as if they did not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from jobnudge.domain import EventType, Stage
from jobnudge.errors import NotFound
from jobnudge.store import Store
from jobnudge.store.tables import contacts, opportunities

from .helpers import T0, World, build_world, nudge


@dataclass(frozen=True)
class Two:
    alice: int
    bob: int
    a: World  # Alice's records
    b: World  # Bob's records
    a_event: int
    a_nudge_key: str


@pytest.fixture
def two(store: Store) -> Two:
    alice, bob = store.ensure_user("alice"), store.ensure_user("bob")
    a, b = build_world(store, alice), build_world(store, bob)
    with store.transaction() as tx:
        event = tx.add_event(
            alice,
            opportunity_id=a.opportunity.id,
            type=EventType.INTERVIEWED,
            at=T0,
            contact_ids=[a.dana.id],
        )
        key = "interview.thank-you:alice"
        tx.replace_nudges(
            alice,
            a.opportunity.id,
            [nudge(key, T0, opportunity_id=a.opportunity.id, contact_id=a.dana.id)],
        )
    return Two(alice, bob, a, b, event.id, key)


def _snapshot(store: Store, owner: int, world: World) -> Any:
    opp = world.opportunity.id
    return (
        store.companies(owner),
        store.contacts(owner),
        store.opportunities(owner),
        store.events(owner, opp),
        store.events(owner, None),
        store.opportunity_contacts(owner, opp),
        store.opportunity_nudges(owner, opp),
        store.opportunity_nudges(owner, None),
        store.user_settings(owner),
    )


def test_reads_with_another_users_ids(store: Store, two: Two) -> None:
    bob, a = two.bob, two.a
    late = T0 + timedelta(days=365)
    assert store.companies(bob) != store.companies(two.alice)
    assert a.acme not in store.companies(bob)
    assert store.find_company(bob, "acme") == two.b.acme
    assert store.contacts(bob, company_id=a.acme.id) == []
    assert a.dana not in store.contacts(bob)
    assert a.dana not in store.find_contacts(bob, "dana")
    assert all(o.id != a.opportunity.id for o, _ in store.opportunities(bob))
    assert all(o.id != a.opportunity.id for o, _ in store.search_opportunities(bob, "acme"))
    assert store.search_opportunities(bob, str(a.opportunity.id)) == []
    assert a.opportunity.id not in store.all_opportunity_ids(bob)
    assert store.events(bob, None) == []
    assert store.count_events(bob) == 0
    assert store.nudges(bob, until=late, now=T0) == []
    assert store.agenda_rows(bob, late, T0) == []
    assert store.nudge_by_short_id(bob, nudge(two.a_nudge_key, T0, opportunity_id=None).id) == []
    assert store.opportunity_nudges(bob, None) == []
    assert store.user_settings(bob) == {}

    not_found: list[Callable[[], object]] = [
        lambda: store.company(bob, a.acme.id),
        lambda: store.contact(bob, a.dana.id),
        lambda: store.opportunity(bob, a.opportunity.id),
        lambda: store.stage(bob, a.opportunity.id),
        lambda: store.events(bob, a.opportunity.id),
        lambda: store.event(bob, two.a_event),
        lambda: store.events_with_contact(bob, a.dana.id),
        lambda: store.history(bob, a.opportunity.id),
        lambda: store.opportunity_contacts(bob, a.opportunity.id),
        lambda: store.opportunity_nudges(bob, a.opportunity.id),
        lambda: store.nudge(bob, two.a_nudge_key),
    ]
    for read in not_found:
        with pytest.raises(NotFound):
            read()


def test_writes_with_another_users_ids(store: Store, two: Two) -> None:
    bob, a, b = two.bob, two.a, two.b
    before = _snapshot(store, two.alice, a)
    bob_before = _snapshot(store, bob, b)
    attempts: list[Callable[[Any], object]] = [
        lambda tx: tx.update_company(bob, a.acme.id, name="Mine"),
        lambda tx: tx.update_contact(bob, a.dana.id, title="Mine"),
        lambda tx: tx.update_opportunity(bob, a.opportunity.id, role="Mine"),
        lambda tx: tx.update_opportunity(bob, b.opportunity.id, referrer_id=a.lee.id),
        lambda tx: tx.update_contact(bob, b.dana.id, company_id=a.acme.id),
        lambda tx: tx.add_contact(bob, name="X", company_id=a.acme.id),
        lambda tx: tx.add_opportunity(bob, company_id=a.acme.id, role="X"),
        lambda tx: tx.add_opportunity(bob, company_id=b.acme.id, role="X", recruiter_id=a.raj.id),
        lambda tx: tx.add_opportunity(
            bob, company_id=b.acme.id, role="X", staffing_firm_id=a.firm.id
        ),
        lambda tx: tx.link_contact(bob, a.opportunity.id, b.dana.id),
        lambda tx: tx.link_contact(bob, b.opportunity.id, a.dana.id),
        lambda tx: tx.unlink_contact(bob, a.opportunity.id, a.dana.id),
        lambda tx: tx.add_event(bob, opportunity_id=a.opportunity.id, type="note", at=T0),
        lambda tx: tx.add_event(
            bob, opportunity_id=b.opportunity.id, type="sent", at=T0, contact_ids=[a.dana.id]
        ),
        lambda tx: tx.add_event(
            bob, opportunity_id=None, type="sent", at=T0, contact_ids=[a.raj.id]
        ),
        lambda tx: tx.delete_event(bob, two.a_event),
        lambda tx: tx.set_stage(bob, a.opportunity.id, Stage.OFFER),
        lambda tx: tx.refresh_stage(bob, a.opportunity.id),
        lambda tx: tx.replace_nudges(bob, a.opportunity.id, []),
        lambda tx: tx.replace_nudges(
            bob, None, [nudge("n", T0, opportunity_id=None, contact_id=a.dana.id)]
        ),
        lambda tx: tx.set_user_settings(999_999, {"x": 1}),
        lambda tx: tx.add_company(999_999, "Nobody's"),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound), store.transaction() as tx:
            attempt(tx)
    assert _snapshot(store, two.alice, a) == before
    assert _snapshot(store, bob, b) == bob_before


def test_the_database_itself_refuses_cross_user_links(store: Store, two: Two) -> None:
    """Composite foreign keys catch what a code path might forget to check."""
    row = {
        "owner_id": two.bob,
        "name": "Sneaky",
        "name_key": "sneaky",
        "company_id": two.a.acme.id,
        "title": "",
        "email": "",
        "phone": "",
        "first_name_ok": False,
        "roles": [],
        "salutation": "",
        "notes": "",
        "created_at": T0,
    }
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(contacts).values(**row))
    opp = {
        "owner_id": two.bob,
        "company_id": two.b.acme.id,
        "role": "x",
        "posting_url": "",
        "source": "",
        "priority": 0,
        "notes": "",
        "settings": {},
        "stage": Stage.LEAD,
        "created_at": T0,
        "updated_at": T0,
        "recruiter_id": two.a.raj.id,
    }
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(insert(opportunities).values(**opp))
