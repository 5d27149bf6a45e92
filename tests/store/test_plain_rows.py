"""The batch read's events (``store.plain_rows``: stored columns, one fetch, lookups) are the
records the column types make (``convert.event`` over the table's own columns), field for
field, for every kind of value an event holds; on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jobnudge.domain import Channel, EventType
from jobnudge.domain.enums import InterviewFormat, MessageKind
from jobnudge.store import Store, convert, plain_rows
from jobnudge.store.tables import events
from tests.pinned import PINNED_NOW

USERS = itertools.count()
MAYBE_AT = st.none() | st.integers(-900, 900).map(lambda m: PINNED_NOW + timedelta(minutes=m))
EVENTS = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(list(EventType)),
            "at": st.integers(-10_000, 10_000).map(
                lambda s: PINNED_NOW + timedelta(seconds=s, microseconds=s % 7)
            ),
            "tz": st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata"]),
            "named": st.lists(st.integers(0, 2), max_size=3),
            "channel": st.none() | st.sampled_from(list(Channel)),
            "kind": st.none() | st.sampled_from(list(MessageKind)),
            "round": st.none() | st.integers(1, 4),
            "format": st.none() | st.sampled_from(list(InterviewFormat)),
            "scheduled_for": MAYBE_AT,
            "decision_by": st.none() | st.dates(date(2024, 1, 1), date(2028, 1, 1)),
            "prefers": st.none() | st.sampled_from(list(Channel)),
            "note": st.sampled_from(["", "called back", "née Müller"]),
            "nudge_key": st.none() | st.sampled_from(["apply.check-in:1", "x"]),
            "until": MAYBE_AT,
            "body": st.sampled_from(["", "Thanks!\nDana"]),
            "date_unknown": st.booleans(),
            "on_opportunity": st.booleans(),
        }
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(EVENTS)
def test_plain_rows_make_the_records_the_column_types_make(
    store: Store, made: list[dict[str, Any]]
) -> None:
    owner = store.ensure_user(f"plain {next(USERS)}")
    with store.transaction(now=PINNED_NOW) as tx:
        firm = tx.add_company(owner, "Acme").id
        opportunity = tx.add_opportunity(owner, company_id=firm, role="Analyst").id
        people = [tx.add_contact(owner, name=name).id for name in ("Dana", "Raj", "Lee")]
        for values in made:
            fields = dict(values)
            named = fields.pop("named")
            on_opportunity = fields.pop("on_opportunity")
            tx.add_event(
                owner,
                opportunity_id=opportunity if on_opportunity else None,
                contact_ids=[people[n] for n in named],
                **fields,
            )
    scope = events.c.owner_id == owner
    with store.engine.connect() as conn:
        typed = [
            convert.event(r)
            for r in conn.execute(select(events).where(scope).order_by(events.c.id))
        ]
        plain = list(
            plain_rows.events_of(
                plain_rows.fetch(conn, plain_rows.event_select(scope).order_by(events.c.id))
            )
        )
    assert plain == typed
    assert all(e.at.tzinfo is not None for e in plain)


@pytest.mark.parametrize(
    ("document", "ids"),
    [("[]", ()), ("[7]", (7,)), ("[12,40]", (12, 40)), ("[12, 40]", (12, 40)), ('["7"]', ("7",))],
)
def test_stored_id_lists_read_as_json_reads_them(document: str, ids: tuple[Any, ...]) -> None:
    assert plain_rows.ids(document) == ids


def test_a_stored_word_the_enum_does_not_know_is_refused_as_the_column_type_refuses_it() -> None:
    members = plain_rows.Members(Channel)
    assert members[None] is None
    assert members["email"] is Channel.EMAIL
    with pytest.raises(ValueError, match="carrier pigeon"):
        members["carrier pigeon"]
