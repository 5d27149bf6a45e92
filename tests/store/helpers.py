"""Builders shared by the store tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from jobnudge.domain import Channel, Company, Contact, Nudge, Opportunity, Role
from jobnudge.store import Store

sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])
"""Run a store test on SQLite alone (it checks something only SQLite has)."""

T0 = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)  # a Monday: when the test world was recorded


@dataclass(frozen=True)
class World:
    """A small job search: an employer, a staffing firm, people, one opportunity."""

    acme: Company
    firm: Company
    dana: Contact  # HR at Acme
    raj: Contact  # recruiter at the staffing firm
    lee: Contact  # a friend who referred the user, no company
    opportunity: Opportunity


def build_world(store: Store, owner: int) -> World:
    with store.transaction(now=T0) as tx:
        acme = tx.add_company(owner, "Acme", aliases=["ACME Corp"], domains=["acme.com"])
        firm = tx.add_company(owner, "Hire Fast", is_staffing_firm=True)
        dana = tx.add_contact(owner, name="Dana Smith", company_id=acme.id, tz="America/Denver")
        raj = tx.add_contact(owner, name="Raj Patel", company_id=firm.id, roles=[Role.STAFFING])
        lee = tx.add_contact(owner, name="Lee Wong", roles=[Role.REFERRER])
        opportunity = tx.add_opportunity(
            owner,
            company_id=acme.id,
            role="Data Engineer",
            staffing_firm_id=firm.id,
            recruiter_id=raj.id,
            referrer_id=lee.id,
        )
    return World(acme, firm, dana, raj, lee, opportunity)


def nudge(
    key: str,
    due: datetime,
    *,
    opportunity_id: int | None,
    contact_id: int | None = None,
    expires: datetime | None = None,
    channel: Channel | None = Channel.EMAIL,
) -> Nudge:
    """A nudge as the playbook would make one, with only what a test varies."""
    return Nudge(
        key=key,
        rule="interview.thank-you",
        opportunity_id=opportunity_id,
        contact_id=contact_id,
        channel=channel,
        due=due,
        due_by=due + timedelta(hours=6),
        reason=f"because of {key}",
        tz="America/Denver",
        expires=expires,
        anchor_event_id=None,
        message="thanks",
    )
