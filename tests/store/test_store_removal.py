"""Deleting an opportunity, a contact or an event leaves nothing pointing at what went, and
putting the snapshot back restores every row exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jobnudge.domain import EventType
from jobnudge.errors import Conflict
from jobnudge.store import Store, mail, mail_flagged
from jobnudge.store.mail_tables import MAIL_TABLES, mail_messages, mail_outbox, mail_review
from jobnudge.store.putback import put_back
from jobnudge.store.removal import remove_contact, remove_event, remove_opportunity
from jobnudge.store.tables import (
    companies,
    contacts,
    event_contacts,
    events,
    nudges,
    opportunities,
    opportunity_contacts,
)

from .helpers import T0

USERS = itertools.count()
TABLES = (
    companies,
    contacts,
    opportunities,
    opportunity_contacts,
    events,
    event_contacts,
    *MAIL_TABLES,
)


def dump(store: Store, owner: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the user owns but the derived nudges, in a stable order."""
    out = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            rows = conn.execute(select(table).where(table.c.owner_id == owner)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def dangling(store: Store, owner: int) -> list[str]:
    """Every reference to a row the user does not have (foreign keys and the id columns and
    lists that have none)."""
    with store.engine.connect() as conn:

        def ids(table: Any) -> set[int]:
            return set(conn.scalars(select(table.c.id).where(table.c.owner_id == owner)))

        def rows(table: Any) -> list[Any]:
            return list(conn.execute(select(table).where(table.c.owner_id == owner)))

        have = {t.name: ids(t) for t in (companies, contacts, opportunities, events, mail_outbox)}
        found = []
        checks = [
            (contacts, "company_id", "companies"),
            (opportunities, "company_id", "companies"),
            (opportunities, "staffing_firm_id", "companies"),
            (opportunities, "referrer_id", "contacts"),
            (opportunities, "recruiter_id", "contacts"),
            (opportunity_contacts, "opportunity_id", "opportunities"),
            (opportunity_contacts, "contact_id", "contacts"),
            (events, "opportunity_id", "opportunities"),
            (event_contacts, "event_id", "events"),
            (event_contacts, "contact_id", "contacts"),
            (nudges, "opportunity_id", "opportunities"),
            (nudges, "contact_id", "contacts"),
            (nudges, "anchor_event_id", "events"),
            (mail_outbox, "opportunity_id", "opportunities"),
            (mail_outbox, "contact_id", "contacts"),
            (mail_outbox, "event_id", "events"),
            (mail_messages, "opportunity_id", "opportunities"),
            (mail_messages, "contact_id", "contacts"),
            (mail_messages, "event_id", "events"),
            (mail_messages, "outbox_id", "mail_outbox"),
            (mail_review, "opportunity_id", "opportunities"),
            (mail_review, "contact_id", "contacts"),
            (mail_review, "event_id", "events"),
        ]
        for table, column, target in checks:
            for row in rows(table):
                value = row._mapping[column]
                if value is not None and value not in have[target]:
                    found.append(f"{table.name}.{column} = {value}")
        linked = {(r.event_id, r.contact_id) for r in rows(event_contacts)}
        for row in rows(events):
            named = {(row.id, c) for c in row.contact_ids}
            if named != {pair for pair in linked if pair[0] == row.id}:
                found.append(f"event {row.id} names {row.contact_ids}, linked otherwise")
            found += [
                f"event {row.id} names {c}" for c in row.contact_ids if c not in have["contacts"]
            ]
        for row in rows(mail_review):
            found += [
                f"review {row.id} proposes {c}"
                for c in row.candidates
                if c not in have["opportunities"]
            ]
    return found


@st.composite
def searches(draw: st.DrawFn) -> dict[str, Any]:
    """A small search: who works where, what happened, what the mail tables hold."""
    return {
        "companies": draw(st.integers(1, 3)),
        "contacts": draw(st.lists(st.integers(0, 3), min_size=1, max_size=4)),
        "opportunities": draw(
            st.lists(
                st.tuples(st.integers(0, 2), st.integers(0, 4), st.integers(0, 4)),
                min_size=1,
                max_size=3,
            )
        ),
        "events": draw(
            st.lists(
                st.tuples(
                    st.integers(0, 3),  # which opportunity (past the end: none)
                    st.sampled_from([EventType.SENT, EventType.INTERVIEWED, EventType.NOTE]),
                    st.lists(st.integers(0, 3), max_size=2, unique=True),
                ),
                max_size=6,
            )
        ),
        "mail": draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=4)),
        "target": draw(st.sampled_from(["opportunity", "contact", "event"])),
        "pick": draw(st.integers(0, 10)),
    }


def build(store: Store, owner: int, plan: dict[str, Any]) -> dict[str, list[int]]:
    made: dict[str, list[int]] = {"opportunities": [], "contacts": [], "events": []}
    with store.transaction(now=T0) as tx:
        firms = [tx.add_company(owner, f"Firm {i}").id for i in range(plan["companies"])]
        for i, where in enumerate(plan["contacts"]):
            company = firms[where] if where < len(firms) else None
            made["contacts"].append(tx.add_contact(owner, name=f"P{i}", company_id=company).id)
        people = made["contacts"]

        def person(index: int) -> int | None:
            return people[index] if index < len(people) else None

        for i, (firm, referrer, recruiter) in enumerate(plan["opportunities"]):
            opp = tx.add_opportunity(
                owner,
                company_id=firms[firm % len(firms)],
                role=f"Role {i}",
                referrer_id=person(referrer),
                recruiter_id=person(recruiter),
                staffing_firm_id=firms[-1] if i % 2 else None,
            )
            made["opportunities"].append(opp.id)
            if person(referrer) is not None:
                tx.link_contact(owner, opp.id, people[referrer])
        opps = made["opportunities"]
        for n, (which, kind, named) in enumerate(plan["events"]):
            event = tx.add_event(
                owner,
                opportunity_id=opps[which] if which < len(opps) else None,
                type=kind,
                at=T0 + timedelta(hours=n),
                contact_ids=[people[i] for i in named if i < len(people)],
            )
            made["events"].append(event.id)
        evs = made["events"]
        for n, (a, b) in enumerate(plan["mail"]):
            opp_id = opps[a] if a < len(opps) else None
            contact_id = person(b)
            outbox = mail.add_outbox(
                tx,
                owner,
                message_id=f"<m{n}@x>",
                state=["queued", "sent", "failed"][n % 3],
                opportunity_id=opp_id,
                contact_id=contact_id,
                from_name="Me",
                from_address="me@x",
                to_name="You",
                to_address="you@x",
                subject="s",
                body="b",
                reference_ids=[],
                send_after=T0,
                event_id=evs[b] if b < len(evs) else None,
            )
            mail.add_message(
                tx,
                owner,
                message_id=f"<seen{n}@x>",
                direction="in",
                mailbox="INBOX",
                opportunity_id=opp_id,
                contact_id=contact_id,
                event_id=evs[a] if a < len(evs) else None,
                outbox_id=outbox.id,
                subject="s",
                reference_ids=[],
                at=T0,
            )
            mail_flagged.add_review(
                tx,
                owner,
                message_id=f"<review{n}@x>",
                kind="match",
                direction="in",
                mailbox="INBOX",
                from_address="a@x",
                from_name="A",
                to_addresses=[],
                subject="s",
                at=T0,
                body="",
                contact_id=contact_id,
                candidates=list(opps[: a + 1]),
                opportunity_id=opp_id,
                event_id=evs[b] if b < len(evs) else None,
                reason="",
            )
    return made


REMOVE = {"opportunity": remove_opportunity, "contact": remove_contact, "event": remove_event}
KIND = {"opportunity": "opportunities", "contact": "contacts", "event": "events"}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=searches())
def test_nothing_dangles_and_putting_back_restores_every_row(
    store: Store, plan: dict[str, Any]
) -> None:
    owner = store.ensure_user(f"user{next(USERS)}")
    made = build(store, owner, plan)
    choices = made[KIND[plan["target"]]]
    if not choices:
        return
    target = choices[plan["pick"] % len(choices)]
    before = dump(store, owner)
    assert dangling(store, owner) == []
    with store.transaction(now=T0) as tx:
        doc = REMOVE[plan["target"]](tx, owner, target)
    assert dangling(store, owner) == []
    with store.engine.connect() as conn:
        table = {"opportunity": opportunities, "contact": contacts, "event": events}
        gone = table[plan["target"]]
        assert conn.scalar(select(gone.c.id).where(gone.c.id == target)) is None
    with store.transaction(now=T0) as tx:
        put_back(tx, owner, doc)
    assert dump(store, owner) == before


def test_a_message_being_sent_holds_the_deletion_back(store: Store, owner: int) -> None:
    made = build(
        store,
        owner,
        {
            "companies": 1,
            "contacts": [0],
            "opportunities": [(0, 5, 5)],
            "events": [],
            "mail": [(0, 0)],
        },
    )
    with store.engine.begin() as conn:
        conn.execute(mail_outbox.update().values(state="sending"))
    before = dump(store, owner)
    for remove, target in (
        (remove_opportunity, made["opportunities"][0]),
        (remove_contact, made["contacts"][0]),
    ):
        with (
            pytest.raises(Conflict, match="being sent at this moment"),
            store.transaction(now=T0) as tx,
        ):
            remove(tx, owner, target)
    assert dump(store, owner) == before
