"""A name copied with invisible format characters (a direction mark from a profile, a bidi
isolate from a page) is the same contact and the same company as the name typed plainly: one
sheet, or importing it again, makes no twins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jobnudge.services import importing
from jobnudge.services.session import Session

HEADER = ["Company", "Role", "Contact"]


def _people(session: Session) -> list[tuple[str, str]]:
    store, owner = session.store, session.owner
    return sorted(
        (c.name, store.company(owner, c.company_id).name if c.company_id else "")
        for c in store.contacts(owner)
    )


def test_a_marked_name_and_a_plain_one_are_one_contact(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    path = write_csv(
        [
            HEADER,
            ["Siemens\u200e AG", "Data Analyst", "Anna\u200e Keller"],
            ["Siemens AG", "Data Engineer", "Anna Keller"],
            ["\u2066Siemens AG\u2069", "Controller", "\u202aAnna Kel\u2060ler\u202c"],
        ]
    )
    report = importing.import_file(session, path)
    assert report.counts["contacts_new"] == 1
    assert len(session.store.companies(session.owner)) == 1
    assert _people(session) == [("Anna\u200e Keller", "Siemens\u200e AG")]  # as first typed
    opportunities = session.store.opportunities(session.owner)
    assert len(opportunities) == 3
    (anna,) = session.store.contacts(session.owner)
    for opportunity, _stage in opportunities:
        linked = session.store.opportunity_contacts(session.owner, opportunity.id)
        assert [c.id for c in linked] == [anna.id]

    plain = write_csv([HEADER, ["Siemens AG", "Data Analyst", "Anna Keller"]], name="again.csv")
    again = importing.import_file(session, plain)
    assert again.counts["contacts_new"] == 0
    assert again.counts["opportunities_existing"] == 1
    assert _people(session) == [("Anna\u200e Keller", "Siemens\u200e AG")]
    found = session.store.find_contacts(session.owner, "anna keller")
    assert [c.id for c in found] == [anna.id]


def test_a_vcard_with_marks_in_the_name_fills_the_contact_already_there(
    session: Session, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    from jobnudge.services.import_contacts import import_vcards

    importing.import_file(session, write_csv([HEADER, ["Siemens AG", "Analyst", "Anna Keller"]]))
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\u2068Anna\u200f Keller\u2069\r\n"
        "ORG:Siemens\u2060 AG\r\nTITLE:Recruiter\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "anna.vcf"
    path.write_text(card, encoding="utf-8")
    import_vcards(session, path)
    (anna,) = session.store.contacts(session.owner)
    assert (anna.name, anna.title) == ("Anna Keller", "Recruiter")
    assert len(session.store.companies(session.owner)) == 1
