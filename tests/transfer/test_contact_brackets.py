"""Text in brackets or quotes beside a name in a contact cell is never part of the name: the
firm ("Tom Baker (Hays)"), a role, an address or a nickname. The name is kept as typed, a role
is the title, an address the address, and anything else keeps the cell in the notes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.tabular import mapping
from jobnudge.tabular.people import read_person
from jobnudge.tabular.rows import RowPlan, plan_row

HEADER = ["Company", "Position", "Contact"]
COLUMNS = mapping.auto(HEADER)
TODAY = date(2026, 3, 20)
BRACKETS = "()[]{}<>\"“”'‘’"


@pytest.mark.parametrize(
    ("cell", "name", "email", "title", "asides"),
    [
        ("Tom Baker (Hays)", "Tom Baker", "", "", ("Hays",)),
        ("Ana Silva [recruiter]", "Ana Silva", "", "recruiter", ()),
        ("Li Wei (HR, Siemens)", "Li Wei", "", "HR", ("Siemens",)),
        ("Sam Rivera (sam@x.com)", "Sam Rivera", "sam@x.com", "", ()),
        ("Robert (Bob) Smith", "Robert Smith", "", "", ("Bob",)),
        ('Robert "Bob" Smith', "Robert Smith", "", "", ("Bob",)),
        ("Siobhan 'Shiv' O'Brien", "Siobhan O'Brien", "", "", ("Shiv",)),
        ("Tom Baker (Hays", "Tom Baker", "", "", ("Hays",)),
        ("Dana Lee (Hays), Head of Talent", "Dana Lee", "", "Head of Talent", ("Hays",)),
        (
            "Zoë Ndiaye (hiring manager) <zoe@acme.com>",
            "Zoë Ndiaye",
            "zoe@acme.com",
            "hiring manager",
            (),
        ),
        ("(Dana Lee)", "Dana Lee", "", "", ()),
    ],
)
def test_bracketed_text_beside_a_name_is_not_the_name(
    cell: str, name: str, email: str, title: str, asides: tuple[str, ...]
) -> None:
    found = read_person(cell)
    assert (found.name, found.email, found.title, found.asides) == (name, email, title, asides)


def _plan(contact: str) -> RowPlan:
    plan = plan_row(2, ["Siemens", "Reporting Analyst", contact], COLUMNS, {}, TODAY)
    assert isinstance(plan, RowPlan), plan
    return plan


def test_the_firm_in_brackets_keeps_the_cell_in_the_notes() -> None:
    plan = _plan("Tom Baker (Hays)")
    assert [c.name for c in plan.contacts] == ["Tom Baker"]
    assert "Contact: Tom Baker (Hays)" in plan.notes
    assert not plan.warnings


def test_a_role_or_address_in_brackets_needs_no_note() -> None:
    for cell in ("Ana Silva [recruiter]", "Sam Rivera (sam@x.com)"):
        plan = _plan(cell)
        assert plan.contacts and not plan.notes, (cell, plan.notes)


LETTER = st.characters(min_codepoint=0x41, max_codepoint=0x4FF, categories=("Lu", "Ll"))
SYLLABLE = st.text(LETTER, min_size=1, max_size=7)
WORD = st.one_of(
    SYLLABLE,
    st.tuples(SYLLABLE, st.sampled_from(["'", "’", "-"]), SYLLABLE).map("".join),
)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
ASIDE = st.one_of(
    st.sampled_from(["Hays", "Siemens", "HR, Siemens", "recruiter", "hiring manager", "UK"]),
    st.text(
        st.one_of(LETTER, st.sampled_from(list("0123456789 &.,-/"))), min_size=1, max_size=20
    ).filter(lambda t: any(c.isalnum() for c in t)),
)
EMAIL = st.sampled_from(["tom@hays.com", "ana.silva@siemens.de"])
WRAP = st.sampled_from(["({})", "[{}]", "{{{}}}", "({}"])


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


@settings(max_examples=300, deadline=None)
@given(NAME, ASIDE, WRAP)
def test_a_bracketed_part_after_a_name_never_enters_it(name: str, aside: str, wrap: str) -> None:
    cell = f"{name} {wrap.format(aside)}"
    found = read_person(cell)
    assert found.name == name, cell
    assert not set(found.name) & set(BRACKETS) - set("'’"), cell
    held = _letters(" ".join((found.title, *found.asides)))
    assert _letters(aside) == held, (cell, found)
    plan = _plan(cell)
    assert [c.name for c in plan.contacts] == [name]
    # Nothing lost: a role is the title, anything else keeps the cell in the notes.
    kept = " ".join(plan.notes.split())  # the notes keep the cell trimmed
    assert f"Contact: {' '.join(cell.split())}" in kept or (
        plan.contacts[0].title == found.title != ""
    ), cell


@settings(max_examples=150, deadline=None)
@given(NAME, EMAIL, WRAP)
def test_an_address_in_brackets_is_the_address(name: str, email: str, wrap: str) -> None:
    found = read_person(f"{name} {wrap.format(email)}")
    assert (found.name, found.email, found.asides) == (name, email, ())


@settings(max_examples=150, deadline=None)
@given(WORD, WORD, SYLLABLE, st.sampled_from(["({})", "[{}]", '"{}"', "“{}”", "'{}'"]))
def test_a_nickname_is_set_aside_and_noted(first: str, last: str, nick: str, wrap: str) -> None:
    cell = f"{first} {wrap.format(nick)} {last}"
    found = read_person(cell)
    assert found.name == f"{first} {last}", cell
    if found.asides:
        assert found.asides == (nick,)
        assert f"Contact: {cell}" in _plan(cell).notes
    else:  # a nickname that is a role word ("Hr") reads as the title
        assert found.title == nick
