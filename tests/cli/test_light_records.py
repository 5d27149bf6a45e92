"""The quick check's light records (``domain/light.py``) are the records (``domain/records.py``)
without ``dataclasses``: the same fields in the same order with the same defaults, the same
properties, the same ``repr``, equal and hashed by their fields, and read-only."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.domain import Channel, Role, light, records

PAIRS = [
    (light.Company, records.Company, (7, "Acme")),
    (light.Contact, records.Contact, (3, "Dana Lee")),
    (light.Opportunity, records.Opportunity, (5, 7, "Acme", "Analyst")),
]
NAME = st.text(st.sampled_from("ab Lé-"), max_size=12)


@pytest.mark.parametrize(("lite", "record", "required"), PAIRS)
def test_same_fields_and_defaults(lite: type, record: type, required: tuple[object, ...]) -> None:
    assert lite._fields == tuple(f.name for f in dataclasses.fields(record))
    made, real = lite(*required), record(*required)
    for name in lite._fields:
        assert getattr(made, name) == getattr(real, name), name
    assert repr(made) == repr(real)


def test_default_mappings_are_not_shared() -> None:
    one, two = light.Opportunity(1, 1, "A", "B"), light.Opportunity(2, 1, "A", "B")
    assert one.settings == {} and one.settings is not two.settings
    assert one.posting_terms is not two.posting_terms


@given(name=NAME, aliases=st.lists(NAME, max_size=3).map(tuple), staffing=st.booleans())
def test_company(name: str, aliases: tuple[str, ...], staffing: bool) -> None:
    made = light.Company(4, name, aliases, ("a.example",), staffing)
    real = records.Company(4, name, aliases, ("a.example",), staffing)
    assert made.names == real.names
    assert repr(made) == repr(real)
    assert made == light.Company(4, name, aliases, ("a.example",), staffing)
    assert hash(made) == hash(light.Company(4, name, aliases, ("a.example",), staffing))
    assert made != light.Company(5, name, aliases, ("a.example",), staffing)


@given(
    name=NAME, prefers=st.sampled_from([None, *Channel]), roles=st.frozensets(st.sampled_from(Role))
)
def test_contact(name: str, prefers: Channel | None, roles: frozenset[Role]) -> None:
    made = light.Contact(2, name, company_id=4, prefers=prefers, roles=roles, salutation="Ms.")
    real = records.Contact(2, name, company_id=4, prefers=prefers, roles=roles, salutation="Ms.")
    assert (made.first_name, made.surname) == (real.first_name, real.surname)
    assert repr(made) == repr(real)
    with pytest.raises(AttributeError):
        made.name = "other"  # type: ignore[misc]


@given(
    terms=st.dictionaries(
        st.sampled_from(["no_calls", "prefers", "wait_until"]),
        st.one_of(st.just({}), st.fixed_dictionaries({"source": NAME})),
    ),
    asked=st.sampled_from(["no_calls", "prefers", "shortlist_only"]),
)
def test_opportunity(terms: dict[str, dict[str, str]], asked: str) -> None:
    made = light.Opportunity(1, 4, "Acme", "Analyst", posting_terms=terms)
    real = records.Opportunity(1, 4, "Acme", "Analyst", posting_terms=terms)
    assert made.posting_says(asked) == real.posting_says(asked)
    assert repr(made) == repr(real)
