"""Duplicate detection over generated near-identical spellings, and no false alarms on
genuinely different roles at the same company."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.postings.duplicates import Candidate, matches, same_company, same_role, url_key

COMPANIES = ["Acme", "Globex Corporation", "Initech", "Umbrella Health", "Société Générale"]
ROLES = [
    "Senior Data Analyst",
    "Data Engineer",
    "Junior Software Developer",
    "Product Manager",
    "Marketing Assistant",
    "Operations Manager",
    "Data Analyst",
    "Software Engineer II",
]
SHORT = {
    "Senior": ["Sr.", "Sr", "SENIOR", "senior"],
    "Junior": ["Jr.", "Jnr"],
    "Manager": ["Mgr", "Mgr."],
    "Developer": ["Dev"],
    "Engineer": ["Eng.", "Engr"],
    "Assistant": ["Asst."],
    "II": ["2", "ii"],
}


@st.composite
def company_spelling(draw: st.DrawFn, name: str) -> str:
    suffix = draw(
        st.sampled_from(["", " Inc.", " Inc", ", Inc.", " Ltd", " LLC", " Corp.", " plc"])
    )
    cased = draw(st.sampled_from([name, name.upper(), name.lower(), name.title()]))
    if cased.endswith(" Corporation") and suffix:
        suffix = ""
    spaced = draw(st.sampled_from([cased, f"  {cased} ", cased.replace(" ", "  ")]))
    return spaced + suffix


@st.composite
def role_spelling(draw: st.DrawFn, role: str) -> str:
    words = []
    for word in role.split():
        choices = [word, word.lower(), word.upper(), *SHORT.get(word, [])]
        words.append(draw(st.sampled_from(choices)))
    if draw(st.booleans()):  # one letter dropped from a long word: a typo
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        if len(word) >= 7:
            cut = draw(st.integers(1, len(word) - 2))
            words[longest] = word[:cut] + word[cut + 1 :]
    sep = draw(st.sampled_from([" ", "  ", " - " if len(words) > 2 else " "]))
    return sep.join(words)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), company=st.sampled_from(COMPANIES), role=st.sampled_from(ROLES))
def test_near_identical_spellings_are_caught(data: st.DataObject, company: str, role: str) -> None:
    new = Candidate(None, data.draw(company_spelling(company)), data.draw(role_spelling(role)))
    old = Candidate(7, company, role)
    assert [m.id for m in matches(new, [old])] == [7], (new.company, new.role)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    company=st.sampled_from(COMPANIES),
    pair=st.permutations(ROLES).map(lambda r: (r[0], r[1])),
)
def test_different_roles_at_one_company_are_not_flagged(
    data: st.DataObject, company: str, pair: tuple[str, str]
) -> None:
    first, second = pair
    new = Candidate(None, data.draw(company_spelling(company)), data.draw(role_spelling(first)))
    old = Candidate(7, company, second)
    assert matches(new, [old]) == [], (new.role, second)


def test_examples_from_the_issue() -> None:
    assert same_company("ACME Inc.", "Acme")
    assert same_role("Sr. Data Analyst", "Senior Data Analyst")
    assert not same_role("Data Analyst", "Senior Data Analyst")
    assert not same_role("Frontend Engineer", "Backend Engineer")
    assert not same_role("Software Engineer II", "Software Engineer III")
    assert not same_company("Meta", "Beta")
    assert not same_company("Lumen Logistics #1", "Lumen Logistics #12")


def test_same_posting_address_however_decorated() -> None:
    a = "https://www.boards.example/acme/jobs/123?utm_source=x&gh_src=abc#apply"
    assert url_key(a) == url_key("http://boards.example/acme/jobs/123/")
    new = Candidate(None, "Other name", "Other role", url=a)
    old = Candidate(3, "Acme", "Analyst", url="https://boards.example/acme/jobs/123")
    assert matches(new, [old])[0].why == "the same posting address"
    assert (
        matches(Candidate(None, "X", "Y", url="https://boards.example/acme/jobs/124"), [old]) == []
    )


def test_same_posting_text() -> None:
    text = "We are looking for an analyst to join our pricing team. " * 8
    new = Candidate(None, "Unnamed", "Analyst (Pricing)", text=text + " Apply today!")
    old = Candidate(4, "Acme", "Pricing Analyst", text=text)
    assert matches(new, [old])[0].why == "the same posting text"
    other = Candidate(5, "Acme", "Pricing Analyst", text="A different posting entirely. " * 10)
    assert matches(new, [other]) == []


def test_staffing_firm_posting_for_an_unnamed_client() -> None:
    old = Candidate(9, "Confidential", "Data Analyst", location="Leeds", firm="Hays")
    same = Candidate(None, "Client of Hays", "Data Analyst", location="Leeds", firm="Hays plc")
    elsewhere = Candidate(None, "Client of Hays", "Data Analyst", location="York", firm="Hays")
    assert matches(same, [old])[0].why == "the same role through the same staffing firm"
    assert matches(elsewhere, [old]) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Senior Data Analyst", "Senior Data Analyst (Pricing)", True),
        ("Senior Data Analyst", "Sr Data Analyst - Remote", True),
        ("Data Analyst | Hybrid", "Data Analyst", True),
        ("Data Analyst (Pricing)", "Data Analyst (Marketing)", False),
        ("Data Analyst - Remote", "Data Engineer - Remote", False),
        ("Senior Data Analyst", "Data Analyst", False),
    ],
)
def test_a_trailing_qualifier_is_weighed_as_people_type_it(a: str, b: str, same: bool) -> None:
    from jobnudge.postings.duplicates import same_role

    assert same_role(a, b) is same and same_role(b, a) is same
