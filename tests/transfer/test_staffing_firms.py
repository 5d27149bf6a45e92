"""A staffing firm written the ways people write one ("Siemens via Hays", "Hays (for Siemens)",
"Tom Baker (Hays)", "via Hays" in the notes, an "Agency" column) is imported as the firm the job
came through, as ``nudge add --staffing-firm`` records it; a desk's address (``recruiter@…``)
is no person and is greeted without a made-up name."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge import mailboxes
from jobnudge.domain import Channel, Contact, Role
from jobnudge.drafts.salutation import greeting
from jobnudge.services import drafting, importing, records
from jobnudge.services.session import Session
from jobnudge.tabular import mapping, staffing
from jobnudge.tabular.people import contact_name
from tests.transfer.conftest import Nudge, make_session

FIRMS = ("Hays", "Randstad", "Adecco", "Robert Half", "Michael Page", "Korn Ferry", "Kforce")
EMPLOYERS = ("Siemens", "Acme Corp", "Globex GmbH", "Müller & Söhne", "Initech")
FORMS = (
    ("{e} via {f}", False),
    ("{e} (via {f})", False),
    ("{f} (for {e})", True),
    ("{f} for {e}", True),
    ("{e} through {f}", False),
    ("{e} [through {f}]", False),
)


def _accented(text: str) -> str:
    """The same name with an accent on each vowel, as a keyboard may add one."""
    return "".join(c + "\u0301" if c in "aeiou" else c for c in text)


@settings(max_examples=150, deadline=None)
@given(
    firm=st.sampled_from(FIRMS),
    employer=st.sampled_from(EMPLOYERS),
    form=st.sampled_from(FORMS),
    case=st.sampled_from((str, str.upper, str.lower, str.title)),
    accent=st.booleans(),
    spaces=st.integers(1, 3),
)
def test_a_known_firm_in_the_company_cell_is_read_every_way_it_is_written(
    firm: str,
    employer: str,
    form: tuple[str, bool],
    case: Callable[[str], str],
    accent: bool,
    spaces: int,
) -> None:
    written = case(_accented(firm) if accent else firm)
    cell = form[0].format(e=employer, f=written).replace(" ", " " * spaces)
    found = staffing.split_company(unicodedata.normalize("NFC", cell))
    assert found.firm == firm  # spelled as the list spells it, whatever the case or accents
    assert " ".join(found.employer.split()) == employer


@pytest.mark.parametrize(
    "cell",
    [
        "Center for Applied Research",
        "Doctors for Madagascar",
        "Siemens via Dana Lee",
        "Bridges through Time",
        "Hays",
        "Siemens",
    ],
)
def test_a_plain_employer_is_never_split(cell: str) -> None:
    assert staffing.split_company(cell) == staffing.Split(cell)


@pytest.mark.parametrize("board", ["LinkedIn", "Indeed", "StepStone", "Glassdoor", "XING"])
def test_a_job_board_is_a_channel_not_a_firm(board: str) -> None:
    assert staffing.split_company(f"Siemens via {board}").firm == ""
    assert staffing.split_company(f"Siemens via {board}").employer == "Siemens"
    assert staffing.firm_in_notes(f"found via {board}") == ""
    assert staffing.firm_in_column(board) == ""


@pytest.mark.parametrize(
    ("note", "firm"),
    [
        ("via Hays", "Hays"),
        ("Applied through Robert Half last week.", "Robert Half"),
        ("agency: Hays", "Hays"),
        ("Agency: Nordlicht Personal, call back Monday", "Nordlicht Personal"),
        ("via Acme Staffing", "Acme Staffing"),
        ("applied through the website", ""),
        ("via Dana, a friend", ""),
        ("agency: none", ""),
    ],
)
def test_the_notes_name_a_firm_only_when_they_say_so(note: str, firm: str) -> None:
    assert staffing.firm_in_notes(note) == firm


def test_an_agency_column_is_read_as_the_firm() -> None:
    columns = mapping.auto(["Company", "Role", "Agency", "Recruiter company", "Via"])
    assert columns.fields[2] == "staffing_firm"
    assert mapping.auto(["Company", "Role", "Staffing firm"]).fields[2] == "staffing_firm"
    assert mapping.auto(["Company", "Role", "Through"]).fields[2] == "staffing_firm"


@pytest.mark.parametrize(
    ("email", "desk"),
    [
        ("recruiter@hays.de", "recruiting"),
        ("Recruiting@Acme.com", "recruiting"),
        ("jobs@acme.com", "careers"),
        ("careers@acme.com", "careers"),
        ("bewerbung@firma.de", "careers"),
        ("karriere@firma.de", "careers"),
        ("emploi@societe.fr", "careers"),
        ("hr@acme.com", "HR"),
        ("personal@firma.de", "HR"),
        ("rh@societe.fr", "HR"),
        ("talent.acquisition@acme.com", "recruiting"),
        ("hr-team@acme.com", "HR"),
        ("no-reply@acme.com", "team"),
        ("noreply@acme.com", "team"),
        ("info@acme.com", "team"),
        ("dana.lee@acme.com", ""),
        ("hays@gmail.com", ""),
        ("recruiter", ""),
    ],
)
def test_a_desks_address_is_told_from_a_persons(email: str, desk: str) -> None:
    assert mailboxes.desk(email) == desk


def test_a_desk_is_named_for_its_organisation_not_made_a_person() -> None:
    assert contact_name("", "recruiter@hays.de", "Hays") == "Hays recruiting"
    assert contact_name("Recruiter", "recruiter@hays.de", "Hays") == "Hays recruiting"
    assert contact_name("", "jobs@acme.com", "") == "acme.com careers"
    assert contact_name("Dana Lee", "recruiter@hays.de", "Hays") == "Dana Lee"
    assert contact_name("", "dana.lee@acme.com", "Acme") == "Dana Lee"


@pytest.mark.parametrize("name", ["Recruiter", "Hays recruiting", "recruiter@hays.de", ""])
def test_a_desk_is_greeted_without_a_made_up_name(name: str) -> None:
    desk = Contact(id=1, name=name, email="recruiter@hays.de")
    assert greeting(desk, Channel.EMAIL) == "Dear Hiring Team,"
    assert greeting(desk, Channel.TEXT) == "Hello,"


def test_a_person_writing_from_a_desks_address_keeps_their_name() -> None:
    person = Contact(id=1, name="Dana Lee", email="recruiter@hays.de", salutation="Ms.")
    assert greeting(person, Channel.EMAIL) == "Dear Ms. Lee,"


ROWS = [
    ["Company", "Role", "Date applied", "Status", "Interview date", "Contact", "Notes"],
    [
        "Hays (for Siemens)",
        "Engineer",
        "2026-03-02",
        "Applied",
        "",
        "recruiter@hays.de",
        "via Hays",
    ],
    ["Globex via Randstad", "Analyst", "2026-03-02", "Interviewed", "2026-03-19", "", ""],
    ["Initech", "Developer", "2026-03-05", "Applied", "", "Tom Baker (Robert Half)", ""],
    ["Acme Corp", "Tester", "2026-03-05", "Applied", "", "Dana Lee", "found via LinkedIn"],
]


def _check_import(session: Session, path: Path, one_by_one: bool = False) -> None:
    report = importing.import_file(session, path, one_by_one=one_by_one)
    assert report.firms == {"Hays": [2], "Randstad": [3], "Robert Half": [4]}
    assert report.firms_line() == (
        "Staffing firms: Hays for row 2; Randstad for row 3; Robert Half for row 4."
    )
    owner, store = session.owner, session.store
    companies = {c.name: c for c in store.companies(owner)}
    assert set(companies) == {"Siemens", "Hays", "Globex", "Randstad", "Initech", "Robert Half"} | {
        "Acme Corp"
    }
    assert all(companies[f].is_staffing_firm for f in ("Hays", "Randstad", "Robert Half"))
    opps = {o.company: o for o, _stage in store.opportunities(owner)}
    people = {c.id: c for c in store.contacts(owner)}
    for employer, firm, recruiter in (
        ("Siemens", "Hays", "Hays recruiting"),
        ("Globex", "Randstad", "Randstad"),
        ("Initech", "Robert Half", "Tom Baker"),
    ):
        opp = opps[employer]
        assert opp.staffing_firm_id == companies[firm].id
        desk = people[opp.recruiter_id or 0]
        assert (desk.name, desk.company_id) == (recruiter, companies[firm].id)
        assert Role.STAFFING in desk.roles
    assert opps["Acme Corp"].staffing_firm_id is None
    assert people[1].email == "recruiter@hays.de"
    rows = store.agenda_rows(owner, session.now.replace(year=2027), session.now)
    found = {(r.rule, r.company, r.contact) for r in rows}
    assert ("interview.thank-you", "Globex", "Randstad") in found
    assert {(r.rule, r.contact) for r in rows if r.rule == "staffing.keep-in-touch"} == {
        ("staffing.keep-in-touch", "Hays recruiting"),
        ("staffing.keep-in-touch", "Randstad"),
        ("staffing.keep-in-touch", "Tom Baker"),
    }
    check_in = next(r for r in rows if r.rule == "apply.check-in" and r.company == "Siemens")
    composed = drafting.compose(session, check_in.short_id)
    assert composed.draft.body.startswith("Dear Hiring Team,")
    assert "Engineer position at Siemens" in composed.draft.body
    assert "Hays (for Siemens)" not in composed.draft.body
    assert composed.draft.to_address == "recruiter@hays.de"
    # the same file again adds nothing
    again = importing.import_file(session, path, one_by_one=one_by_one)
    counts = again.counts
    assert counts["opportunities_new"] == counts["contacts_new"] == 0
    assert counts["companies_new"] == counts["events_new"] == 0
    assert len(store.contacts(owner)) == len(people)


@pytest.mark.parametrize("one_by_one", [False, True])
def test_an_import_records_the_firm_on_sqlite(
    session: Session, write_csv: Callable[..., Path], one_by_one: bool
) -> None:
    _check_import(session, write_csv(ROWS), one_by_one)


def test_an_import_records_the_firm_on_postgresql(
    pg_url: str, tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    opened = make_session(pg_url, tmp_path / "pg")
    try:
        _check_import(opened, write_csv(ROWS))
    finally:
        opened.close()


def test_the_firm_column_can_be_turned_off_and_on(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [["Company", "Role", "Agency", "Source"], ["Siemens", "Engineer", "Nordlicht", "Acme"]]
    )
    off = importing.import_file(session, path, dry_run=True, overrides=["Agency=ignore"])
    assert off.firms == {}
    assert importing.import_file(session, path, dry_run=True).firms == {"Nordlicht": [2]}
    on = importing.import_file(session, path, dry_run=True, overrides=["Source=staffing_firm"])
    assert on.firms == {"Acme": [2]}


def test_the_import_report_shows_the_firms(
    nudge: Nudge, tmp_path: Path, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(ROWS)
    shown = nudge("import", str(path), "--dry-run")
    assert "Staffing firms: Hays for row 2; Randstad for row 3; Robert Half for row 4." in (
        shown.stdout
    )
    listed = nudge.json("import", str(path), "--dry-run")
    assert listed["staffing_firms"][0] == {"firm": "Hays", "rows": [2], "count": 1}


def test_nudge_add_reads_a_desks_address_as_the_import_does(session: Session) -> None:
    out = records.add_opportunity(
        session,
        "Siemens",
        "Engineer",
        staffing_firm="Hays",
        recruiter="recruiter@hays.de",
        contacts=["Dana Lee <dana@siemens.com>"],
    )
    names = {c.name: c for c in out.created_contacts}
    assert set(names) == {"Hays recruiting", "Dana Lee"}
    assert names["Hays recruiting"].email == ""  # the address is filled in after creation
    people = {c.name: c for c in session.store.contacts(session.owner)}
    assert people["Hays recruiting"].email == "recruiter@hays.de"
    assert people["Dana Lee"].email == "dana@siemens.com"
    assert out.opportunity is not None
    assert out.opportunity.recruiter_id == people["Hays recruiting"].id


@pytest.mark.parametrize(
    ("cell", "employer", "firm"),
    [
        ("Siemens (Hays)", "Siemens", "Hays"),
        ("Siemens - Hays", "Siemens", "Hays"),
        ("Siemens / Randstad", "Siemens", "Randstad"),
        ("Siemens durch Hays", "Siemens", "Hays"),
        ("Acme (Berlin)", "Acme (Berlin)", ""),
        ("Acme - Data", "Acme - Data", ""),
    ],
)
def test_a_well_known_firm_beside_the_employer_is_the_firm(
    cell: str, employer: str, firm: str
) -> None:
    """A firm written beside the employer in brackets or after a dash counts only when it is a
    well-known one: "Acme (Berlin)" names a place, not a firm."""
    found = staffing.split_company(cell)
    assert (found.employer, found.firm) == (employer, firm)


@pytest.mark.parametrize("note", ["not through Hays", "nicht über Randstad", "never via Adecco"])
def test_a_denied_firm_in_the_notes_is_none(note: str) -> None:
    assert staffing.firm_in_notes(note) == ""
    assert staffing.firm_in_notes(note.split(" ", 1)[1].replace("über", "durch")) != ""
