"""One employer however its name is typed, through the `nudge` command: an application logged
at "Muller GmbH" after one at "Müller GmbH" (or "Societe Generale" after "Société Générale",
"O’Reilly" after "O'Reilly") joins the first company and keeps its spelling, whether added by
hand, imported from a spreadsheet or named for a contact; a name with other letters is another
company."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Nudge

FIRST = {"Müller GmbH": "Muller  GMBH", "Société Générale": "Societe Generale",
         "O'Reilly": "O’Reilly"}  # fmt: skip


def test_add_import_and_contacts_use_the_first_spelling(nudge: Nudge, tmp_path: Path) -> None:
    for name in FIRST:
        nudge("add", name, "Analyst")
    for other in FIRST.values():
        nudge("add", other, "Engineer")
    nudge("add", "Mueller GmbH", "Intern")  # other letters: another company
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Company,Role,Applied\n"
        + "".join(f"{other.upper()},Writer,2026-02-02\n" for other in FIRST.values()),
        encoding="utf-8",
    )
    dry = nudge.json("import", str(sheet), "--dry-run")
    assert dry["counts"]["companies_new"] == 0 and dry["counts"]["opportunities_new"] == 3
    nudge("import", str(sheet))
    nudge("contact", "add", "Dana Lee", "--company", "societe  générale")
    listed = nudge.json("list")
    assert sorted({o["company"] for o in listed}) == sorted([*FIRST, "Mueller GmbH"])
    assert sum(o["company"] == "Société Générale" for o in listed) == 3
    people = nudge.json("contact", "list")
    assert [p.get("company") for p in people if p["name"] == "Dana Lee"] == ["Société Générale"]


def test_a_contact_typed_another_way_is_the_same_person(nudge: Nudge) -> None:
    nudge("contact", "add", "Dana O'Leary", "--company", "Acme")
    again = nudge("contact", "add", "dana o’leary", "--company", "ACME", ok=False)
    assert again.returncode == 6 and "already a contact" in again.stderr
    assert "Traceback" not in again.stderr
