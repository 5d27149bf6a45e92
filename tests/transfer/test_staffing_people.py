"""A staffing firm's recruiter as a tracker names them: "Tom Baker, Hays", "Tom Baker - Hays",
"Tom Baker @ Hays" name his firm, not his title ("Tom Baker, Recruiter" still is one); and the
same recruiter on rows of several companies is one contact, while two people who merely share
a name at two employers stay two (unless their phone number says they are one)."""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.domain import Role
from jobnudge.services import importing
from jobnudge.services.import_contacts import import_vcards
from jobnudge.services.session import Session
from jobnudge.tabular import mapping, staffing
from jobnudge.tabular.people import read_person
from jobnudge.tabular.rows import RowPlan, plan_row
from tests.transfer.conftest import make_session

TODAY = date(2026, 3, 20)
FIRMS = ("Hays", "Randstad", "Adecco", "Robert Half", "Michael Page", "Korn Ferry", "Kforce")
BESIDE = ("{n}, {f}", "{n} - {f}", "{n} – {f}", "{n} | {f}", "{n} / {f}", "{n} @ {f}", "{n} @{f}")
BESIDE += ("{n} ({f} Recruitment)", "{n}, {f} Recruitment", "{n}, Senior Recruiter at {f}")
TITLES = ("Recruiter", "Senior Recruiter", "Head of Talent", "HR", "Hiring Manager", "Sourcer")
TITLES += ("Data Engineer", "Team Lead")


def _plan(company: str, contact: str, agency: str | None = None) -> RowPlan:
    header = ["Company", "Position", "Contact"] + (["Agency"] if agency is not None else [])
    cells = [company, "Reporting Analyst", contact] + ([agency] if agency is not None else [])
    plan = plan_row(2, cells, mapping.auto(header), {}, TODAY)
    assert isinstance(plan, RowPlan), plan
    return plan


@pytest.mark.parametrize(
    ("cell", "firm", "title"),
    [
        ("Tom Baker, Hays", "Hays", ""),
        ("Tom Baker - Hays", "Hays", ""),
        ("Tom Baker @ Hays", "Hays", ""),
        ("Tom Baker (Hays Recruitment)", "Hays", ""),
        ("Tom Baker, Recruiter", "", "Recruiter"),
        ("Tom Baker, Recruiter, Hays", "Hays", "Recruiter"),
        ("Tom Baker @ Randstad, Senior Recruiter", "Randstad", "Senior Recruiter"),
        ("Tom Baker, Senior Recruiter at Hays", "Hays", "Senior Recruiter"),
        ("Tom Baker, Siemens", "", ""),  # the row's own company
        ("Tom Baker, Siemens AG", "", ""),
        ("Tom Baker, Head of Data", "", "Head of Data"),
    ],
)
def test_a_firm_after_the_name_is_the_firm_not_a_title(cell: str, firm: str, title: str) -> None:
    plan = _plan("Siemens", cell)
    (tom,) = plan.contacts
    assert (tom.name, tom.title, plan.staffing_firm, tom.at_firm) == (
        "Tom Baker",
        title,
        firm,
        bool(firm),
    )
    assert plan.company == "Siemens"
    if firm or title != "Recruiter":
        assert f"Contact: {cell}" in plan.notes or title == "Head of Data"


def test_the_rows_own_firm_after_the_name_is_the_firm() -> None:
    """A firm no list knows is the firm when the row's own column names it."""
    plan = _plan("Siemens", "Tom Baker, Nordlicht", agency="Nordlicht")
    (tom,) = plan.contacts
    assert (tom.title, tom.at_firm, plan.staffing_firm) == ("", True, "Nordlicht")
    unknown = _plan("Siemens", "Tom Baker, Nordlicht")
    assert (unknown.contacts[0].title, unknown.staffing_firm) == ("Nordlicht", "")


LETTER = st.characters(min_codepoint=0x41, max_codepoint=0x24F, categories=("Lu", "Ll"))
WORD = st.text(LETTER, min_size=2, max_size=8).filter(
    lambda w: w.casefold() not in {"at", "bei", "chez"} and not staffing.known_firm(w)
)
NAME = st.lists(WORD, min_size=2, max_size=3).map(" ".join)
CASES = st.sampled_from((str, str.upper, str.lower, str.title))


@settings(max_examples=200, deadline=None)
@given(name=NAME, firm=st.sampled_from(FIRMS), form=st.sampled_from(BESIDE), case=CASES)
def test_a_known_firm_beside_a_name_is_read_as_the_firm_every_way(
    name: str, firm: str, form: str, case: Callable[[str], str]
) -> None:
    cell = unicodedata.normalize("NFC", form.format(n=name, f=case(firm)))
    found = read_person(cell)
    assert found.name == name, cell
    assert staffing.firm_in_asides(found.asides) == firm, (cell, found)
    assert found.title in ("", "Senior Recruiter"), (cell, found)
    plan = _plan("Initech", cell)
    assert plan.staffing_firm == firm, cell
    assert [(c.name, c.at_firm) for c in plan.contacts] == [(name, True)], cell
    assert plan.company == "Initech"


@settings(max_examples=150, deadline=None)
@given(name=NAME, title=st.sampled_from(TITLES), sep=st.sampled_from((", ", " - ", " | ")))
def test_a_title_after_a_name_stays_the_title(name: str, title: str, sep: str) -> None:
    cell = f"{name}{sep}{title}"
    found = read_person(cell)
    assert (found.name, found.title, found.asides) == (name, title, ()), cell
    plan = _plan("Initech", cell)
    assert plan.staffing_firm == ""
    assert [(c.name, c.title, c.at_firm) for c in plan.contacts] == [(name, title, False)]


# --- one recruiter across rows and companies -------------------------------------------------

HEADER = ["Company", "Role", "Contact", "Phone"]


def _contacts(session: Session) -> list[tuple[str, str | None]]:
    names = {c.id: c.name for c in session.store.companies(session.owner)}
    return sorted(
        (c.name, names.get(c.company_id or 0)) for c in session.store.contacts(session.owner)
    )


def _recruiters(session: Session) -> dict[str, tuple[str | None, str | None]]:
    """Each opportunity's employer → (its firm, its recruiter)."""
    names = {c.id: c.name for c in session.store.companies(session.owner)}
    people = {c.id: c.name for c in session.store.contacts(session.owner)}
    return {
        o.company: (names.get(o.staffing_firm_id or 0), people.get(o.recruiter_id or 0))
        for o, _stage in session.store.opportunities(session.owner)
    }


@pytest.mark.parametrize("one_by_one", [False, True])
def test_a_recruiter_on_rows_of_several_companies_is_one_contact(
    session: Session, write_csv: Callable[..., Path], one_by_one: bool
) -> None:
    rows = [
        HEADER,
        ["Siemens via Hays", "Engineer", "Jana Nováková (Hays)", ""],
        ["Globex via Hays", "Analyst", "Jana Novakova", ""],
        ["Initech", "Developer", "jana novakova", ""],
    ]
    report = importing.import_file(session, write_csv(rows), one_by_one=one_by_one)
    assert _contacts(session) == [("Jana Nováková", "Hays")]
    assert _recruiters(session) == {
        "Siemens": ("Hays", "Jana Nováková"),
        "Globex": ("Hays", "Jana Nováková"),
        "Initech": ("Hays", "Jana Nováková"),
    }
    assert report.firms == {"Hays": [2, 3, 4]}
    again = importing.import_file(session, write_csv(rows), one_by_one=one_by_one)
    assert again.counts["contacts_new"] == 0 and len(_contacts(session)) == 1


def test_a_recruiter_on_record_is_found_from_a_later_file(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    first = [HEADER, ["Siemens via Hays", "Engineer", "Jana Nováková, Hays", "+49 170 1234567"]]
    importing.import_file(session, write_csv(first, name="first.csv"))
    later = [HEADER, ["Globex", "Analyst", "Jana Novakova", ""]]
    dry = importing.import_file(session, write_csv(later, name="later.csv"), dry_run=True)
    assert dry.counts["contacts_new"] == 0
    importing.import_file(session, write_csv(later, name="later.csv"))
    assert _contacts(session) == [("Jana Nováková", "Hays")]
    assert _recruiters(session)["Globex"] == ("Hays", "Jana Nováková")


def test_people_who_share_a_name_at_two_employers_stay_two(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [
        HEADER,
        ["Acme Corp", "Engineer", "Dana Lee", "+1 212 555 0100"],
        ["Globex", "Analyst", "Dana Lee", "+1 415 555 0199"],
        ["Initech", "Developer", "Dana Lee", ""],
        ["Umbrella", "Tester", "Dana Lee <dana@hays.de>", ""],  # a firm's address: Hays's Dana
        ["Stark", "Tester", "Dana Lee <dana.lee@stark.com>", ""],
    ]
    importing.import_file(session, write_csv(rows))
    assert _contacts(session) == [
        ("Dana Lee", "Acme Corp"),
        ("Dana Lee", "Globex"),
        ("Dana Lee", "Hays"),
        ("Dana Lee", "Initech"),
        ("Dana Lee", "Stark"),
    ]


def test_the_same_phone_makes_the_same_person_at_another_company(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [
        HEADER,
        ["Acme Corp", "Engineer", "Dana Lee", "+1 212 555 0100"],
        ["Globex", "Analyst", "Dana Lee", "(212) 555-0100"],
        ["Initech", "Developer", "Dana Lee <dana@acme.com>", "212 555 0100"],
        ["Stark", "Tester", "Dana Lee <dana@acme.com>", ""],
    ]
    importing.import_file(session, write_csv(rows))
    assert _contacts(session) == [("Dana Lee", "Acme Corp")]
    (dana,) = session.store.contacts(session.owner)
    assert dana.email == "dana@acme.com"


def test_a_recruiter_with_another_address_is_someone_else(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [
        HEADER,
        ["Siemens via Hays", "Engineer", "Tom Baker <tom.baker@hays.de>", ""],
        ["Globex", "Analyst", "Tom Baker <tom@globex.com>", ""],
    ]
    importing.import_file(session, write_csv(rows))
    assert _contacts(session) == [("Tom Baker", "Globex"), ("Tom Baker", "Hays")]
    assert _recruiters(session)["Globex"] == (None, None)


def test_a_vcard_matches_a_recruiter_at_another_company(
    session: Session, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    rows = [HEADER, ["Siemens via Hays", "Engineer", "Jana Nováková (Hays)", ""]]
    rows.append(["Acme Corp", "Analyst", "Dana Lee", ""])
    importing.import_file(session, write_csv(rows))
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jana Novakova\r\nORG:Globex\r\n"
        "TITLE:Senior Recruiter\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Lee\r\nORG:Globex\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "people.vcf"
    path.write_text(cards, encoding="utf-8")
    report = import_vcards(session, path)
    assert (report.updated, report.created) == (["Jana Nováková"], ["Dana Lee"])
    assert _contacts(session) == [
        ("Dana Lee", "Acme Corp"),
        ("Dana Lee", "Globex"),
        ("Jana Nováková", "Hays"),
    ]


def test_the_match_across_companies() -> None:
    from jobnudge.services.people_match import Seen, elsewhere, phone_key

    jana = Seen(1, 20, "", "+49 170 1234567", staffing=True)
    dana = Seen(2, 10, "dana@acme.com", "+1 212 555 0100")
    assert elsewhere([jana], company_id=30) == 1
    assert elsewhere([jana], company_id=20) is None  # at the company: matched by name before
    assert elsewhere([jana], company_id=30, phone="0170 1234567") == 1
    assert elsewhere([jana], company_id=30, phone="0171 9999999") is None
    assert elsewhere([jana], company_id=30, email="jana@hays.de") == 1  # fills a blank
    assert elsewhere([replace(jana, email="jana@hays.de")], company_id=30, email="j@x.de") is None
    assert elsewhere([dana], company_id=30) is None
    assert elsewhere([dana], company_id=30, phone="212-555-0100") == 2
    assert elsewhere([dana], company_id=30, email="dana@globex.com", phone="212 555 0100") is None
    hays_jana, randstad_jana = Seen(3, 21, staffing=True), Seen(4, 22, staffing=True)
    assert elsewhere([hays_jana, randstad_jana], company_id=30) == 3  # the first recorded
    assert elsewhere([hays_jana, randstad_jana], company_id=30, firm_id=22) == 4
    assert phone_key("+1 (212) 555-0100") == phone_key("212 555 0100")
    assert phone_key("12 34") == ""


# --- the property: a recruiter is one contact, others by company ------------------------------

RECRUITERS = ("Jana Nováková", "Tom Baker")
EMPLOYEES = ("Dana Lee", "Ana Silva")
SPELLINGS = st.sampled_from((str, str.upper, str.lower, lambda n: unicodedata.normalize("NFD", n)))
ROW = st.tuples(
    st.sampled_from(("Siemens", "Globex", "Initech", "Acme Corp")),
    st.booleans(),  # through the firm
    st.sampled_from(RECRUITERS + EMPLOYEES),
    SPELLINGS,
    st.booleans(),  # the firm named beside the recruiter
)


def _fold(name: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c)
    )


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(ROW, min_size=1, max_size=8))
def test_a_firms_recruiter_is_one_contact_and_others_one_per_company(
    rows: list[tuple[str, bool, str, Callable[[str], str], bool]],
) -> None:
    """Once a row says a recruiter is Hays's ("Tom Baker, Hays"), every later row naming them
    at any company is that one contact (the job then came through Hays); before that, a name
    alone is someone at the row's employer, one per employer, as everyone else always is."""
    cells = [HEADER]
    expected: dict[str, set[str]] = {who: set() for who in RECRUITERS + EMPLOYEES}
    for number, (employer, through, who, spell, aside) in enumerate(rows):
        marked = who in RECRUITERS and aside
        company = f"{employer} via Hays" if through and who in RECRUITERS else employer
        cells.append([company, f"Role {number}", spell(who) + (", Hays" if marked else ""), ""])
        if marked or (employer not in expected[who] and "Hays" in expected[who]):
            expected[who].add("Hays")
        else:
            expected[who].add(employer)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tracker.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(cells)
        session = make_session(None, Path(tmp) / "data")
        try:
            importing.import_file(session, path)
            people = session.store.contacts(session.owner)
            names = {c.id: c.name for c in session.store.companies(session.owner)}
        finally:
            session.close()
    for who, companies in expected.items():
        named = [c for c in people if _fold(c.name) == _fold(who)]
        assert sorted(names[c.company_id or 0] for c in named) == sorted(companies), (who, rows)
        assert all(
            (Role.STAFFING in c.roles) == (names[c.company_id or 0] == "Hays") for c in named
        )
