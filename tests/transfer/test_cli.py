"""The import/export commands through the real `nudge` command: human and JSON forms, and bad
input ending in one line on stderr with an exit code, never a traceback."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.cli.conftest import Nudge

from .conftest import CORPUS

NOW = "2026-03-20 10:00"


def test_import_human_and_json_forms(nudge: Nudge, tmp_path: Path) -> None:
    sheet = tmp_path / "t.csv"
    sheet.write_text(
        "Employer;Title;Applied on;Stage\n"
        "Acme;Analyst;02/03/2026;Applied\n"
        "Globex;Engineer;25/02/2026;phone screen\n"
        "Bad;Row;31/02/2026;Applied\n",
        encoding="utf-8",
    )
    dry = nudge("import", str(sheet), "--dry-run", now=NOW)
    assert "Would create: 3 opportunities" in dry.stdout
    assert (
        "row 4, Applied on: '31/02/2026' is not a day of the calendar; kept in the notes"
        in dry.stdout
    )
    assert "Nothing was written" in dry.stdout
    data = nudge.json("import", str(sheet), "--save-mapping", "mine", now=NOW)
    assert data["counts"]["opportunities_new"] == 3 and data["saved_mapping"] == "mine"
    assert data["dates"] == {"Applied on": "day first, from values like '25/02/2026'"}
    again = nudge("import", str(sheet), "--mapping", "mine", "--dates", "dmy", now=NOW)
    assert "Created: 0 opportunities, 0 events" in again.stdout
    assert "Already there: 3 opportunities" in again.stdout
    stages = {o["company"]: o["stage"] for o in nudge.json("list", now=NOW)}
    assert stages == {"Acme": "applied", "Globex": "interviewing", "Bad": "applied"}


def test_exports_reports_backups_and_calendars(nudge: Nudge, tmp_path: Path) -> None:
    nudge("demo", now=NOW)
    out = nudge("export", str(tmp_path / "all.xlsx"), now=NOW)
    assert "opportunities, contacts, events and pending nudges" in out.stdout
    nudge("export", str(tmp_path / "people.csv"), "--sheet", "contacts", now=NOW)
    assert (tmp_path / "people.csv").read_text(encoding="utf-8-sig").startswith("ID,Name")
    nudge("export", str(tmp_path / "x.data"), "--format", "csv", now=NOW)
    out = nudge(
        "report", str(tmp_path / "r.html"), "--from", "2026-02-01", "--to", "2026-03-20", now=NOW
    )
    assert "activities from 2026-02-01 to 2026-03-20" in out.stdout
    nudge("report", str(tmp_path / "r.txt"), "--format", "csv", now=NOW)
    nudge("calendar", str(tmp_path / "c.ics"), now=NOW)
    assert (tmp_path / "c.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    nudge("backup", str(tmp_path / "b.json"), now=NOW)
    assert json.loads((tmp_path / "b.json").read_text())["format"] == "jobnudge-backup"
    nudge("contact", "export", str(tmp_path / "c.vcf"), "--vcard", "4.0", now=NOW)
    invite = nudge.json("import-invite", str(CORPUS / "zoom.ics"), now=NOW)
    assert invite["company"] == "Quellwerk GmbH" and invite["tz"] == "Europe/Berlin"
    assert invite["scheduled_for"] == "2026-03-26T09:00:00+01:00"
    again = nudge("import-invite", str(CORPUS / "zoom.ics"), now=NOW)
    assert again.stdout.startswith("Already scheduled")
    cards = nudge.json("contact", "import", str(CORPUS / "broken.vcf"), now=NOW)
    assert cards["unchanged"] == ["Chris Wong"] and cards["rejected"]  # in the demo already


def test_bad_input_is_one_line_and_an_exit_code(nudge: Nudge, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 << 20))
    cases = [
        (("import", str(tmp_path / "missing.csv")), 2, "no such file"),
        (("import", str(bomb)), 2, "zip bomb"),
        (("import", str(CORPUS / "google.ics")), 2, "is a calendar file, not a spreadsheet"),
        (("import", str(bomb), "--dates", "ymd"), 2, "--dates"),
        (("import", str(bomb), "--map", "X"), 2, "COLUMN=FIELD"),
        (("export", str(tmp_path / "a.pdf")), 2, "--format"),
        (("export", str(tmp_path / "no-such-dir" / "a.xlsx")), 2, "does not exist"),
        (("export", str(tmp_path / "a.csv"), "--sheet", "people"), 2, "--sheet"),
        (
            ("report", str(tmp_path / "r.html"), "--from", "2026-03-01", "--to", "2026-02-01"),
            2,
            "swap",
        ),
        (("restore", str(CORPUS / "google.ics")), 2, "not a jobnudge backup"),
        (("import-invite", str(CORPUS / "cancel.ics")), 2, "CANCEL"),
        (("import-invite", str(CORPUS / "google.ics")), 4, "No opportunity matches"),
        (("contact", "import", str(CORPUS / "zoom.ics")), 2, "no vCard"),
        (("contact", "export", str(tmp_path / "c.vcf"), "--vcard", "2.1"), 2, "--vcard"),
    ]
    for args, code, words in cases:
        result = nudge(*args, now=NOW, ok=False)
        assert result.returncode == code, (args, result.stderr)
        assert words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    nudge("demo", now=NOW)
    nudge("backup", str(tmp_path / "b.json"), now=NOW)
    refused = nudge("restore", str(tmp_path / "b.json"), now=NOW, ok=False)
    assert refused.returncode == 6 and "empty database" in refused.stderr
