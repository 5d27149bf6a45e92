"""``interview_events``: the interviews of the user's active opportunities, which the weekly
pipeline review reads to tell an opportunity with an interview ahead from one that waits."""

from __future__ import annotations

from datetime import timedelta

from jobnudge.domain import EventType, Stage
from jobnudge.store import Store

from .helpers import T0, World


def test_only_the_interviews_of_opportunities_in_the_stages_asked_for(
    store: Store, owner: int, world: World
) -> None:
    other = store.ensure_user("someone-else")
    with store.transaction(now=T0) as tx:
        active = world.opportunity.id
        closed = tx.add_opportunity(owner, company_id=world.acme.id, role="Analyst").id
        theirs_company = tx.add_company(other, "Globex")
        theirs = tx.add_opportunity(other, company_id=theirs_company.id, role="Analyst").id
        for opp, who in ((active, owner), (closed, owner), (theirs, other)):
            tx.add_event(who, opportunity_id=opp, type=EventType.APPLIED, at=T0)
            tx.add_event(
                who,
                opportunity_id=opp,
                type=EventType.SCHEDULED,
                at=T0 + timedelta(days=2),
                scheduled_for=T0 + timedelta(days=9),
            )
            tx.add_event(who, opportunity_id=opp, type=EventType.INTERVIEWED, at=T0 + timedelta(1))
        tx.add_event(owner, opportunity_id=closed, type=EventType.REJECTED, at=T0 + timedelta(3))

    found = store.interview_events(owner, [s for s in Stage if s.is_active])

    assert list(found) == [active]
    assert [e.type for e in found[active]] == [EventType.INTERVIEWED, EventType.SCHEDULED]
    assert found[active][1].scheduled_for == T0 + timedelta(days=9)
    assert store.interview_events(owner, [Stage.REJECTED]).keys() == {closed}
