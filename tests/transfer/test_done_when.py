"""Issue #6's "Done when", end to end through the real `nudge` command:

A user with a year-old spreadsheet of 300 applications in a messy format imports it in one go
after correcting one column mapping, sees the right nudges, subscribes their calendar to the
feed, and can export everything back to a spreadsheet and a backup that restores exactly.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.cli.conftest import Nudge

NOW = "2026-03-20 10:00"  # the user's zone, America/New_York
FIRST_DAY = date(2025, 3, 1)
HEADER = [
    "Where",  # the employer, under a header nobody would guess: the one mapping to correct
    "Job title",
    "Date applied",
    "Stage",
    "Last update",
    "Interview date",
    "Contact person",
    "Contact e-mail",
    "Salary",
    "Link",
    "Comments",
]
EMPLOYERS = [
    "Société Générale",
    "Müller & Söhne GmbH",
    "Blue Harbor Health",
    "Northwind Analytics",
    "Cobalt Retail",
    "Fenwick & Co",
    "Lumen Logistics",
    "Quellwerk GmbH",
    "Trellis Foods",
    "Vantage Energy",
]
ROLES = ["Data Analyst", "BI Developer", "Reporting Analyst", "Analytics Engineer", "Data Lead"]
STATUSES = [
    "Applied",
    "applied ",
    "Phone screen",
    "Interview 2",
    "2nd interview",
    "Offer",
    "Rejected",
    "rejected",
    "Ghosted",
    "Withdrawn",
    "Wishlist",
    "In review",
]
FORMATS = [
    lambda d: d.strftime("%d/%m/%Y"),
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: d.strftime("%b %d, %Y"),
    lambda d: d.isoformat(),
    lambda d: str((d - date(1899, 12, 30)).days),  # an Excel serial number
    lambda d: d.strftime("%d-%b-%y"),
]
# The three recent rows whose follow-ups the test checks against typed-in records.
RECENT = [
    ["Acme Corp", "Data Analyst", "16/03/2026", "Applied", "", "", "Dana Lee", "dana@acme.example"],
    ["Globex", "BI Developer", "02/03/2026", "Interview 2", "18/03/2026", "", "", ""],
    ["Initech", "Analyst", "20/02/2026", "Rejected", "19/03/2026", "", "", ""],
]
BAD = {
    "date": ["Badly Dated Ltd", "Analyst", "30/02/2026", "Applied"],
    "status": ["Odd Status Inc", "Analyst", "03/03/2025", "??? call mum"],
    "role": ["No Role Corp", "", "04/04/2025", "Applied"],
    "future": ["Future Corp", "Analyst", "01/12/2026", "Applied"],
}


def messy_spreadsheet(path: Path) -> tuple[int, int]:
    """300 data rows (plus blank rows and a title line), Windows-1252, semicolons, dates in six
    formats; returns (new opportunities expected, rows skipped: only the one without a role)."""
    rng = random.Random(6)
    rows: list[list[str]] = []
    seen: list[list[str]] = []
    for i in range(300 - len(RECENT) - len(BAD) - 5):
        applied = FIRST_DAY + timedelta(days=rng.randrange(0, 330))
        status = rng.choice(STATUSES)
        update = applied + timedelta(days=rng.randrange(3, 25))
        fmt = rng.choice(FORMATS)
        interview = ""
        if "interview" in status.lower() or "screen" in status.lower():
            interview = fmt(update)
        contact = rng.choice(["", "", "Jordan Blake", "Sam Rivera", f"Recruiter {i}"])
        email = f"{contact.lower().replace(' ', '.')}@example.com" if contact else ""
        row = [
            f"  {rng.choice(EMPLOYERS)} #{i}  ",
            rng.choice(ROLES),
            fmt(applied) if status != "Wishlist" else "",
            status,
            fmt(update)
            if status.strip().lower() not in ("applied", "in review", "wishlist")
            else "",
            interview,
            contact,
            email,
            rng.choice(["", "€55k", "$90,000", "70-80k"]),
            rng.choice(["", f"https://jobs.example.com/{i}"]),
            rng.choice(["", "via LinkedIn", "referral from Sam; follow up", '=HYPERLINK("x")']),
        ]
        rows.append(row)
        seen.append(row)
    for row in seen[:5]:
        rows.insert(rng.randrange(len(rows)), list(row))  # the same application typed twice
    rows += [[*r, "", "", ""] for r in RECENT]
    rows += [[*r, "", "", "", "", "", "", ""] for r in BAD.values()]
    for _ in range(3):
        rows.insert(rng.randrange(len(rows)), [""] * len(HEADER))
    lines = ["Job hunt 2025-26 (keep this updated!);;;;;;;;;;"]  # a title line above the header
    lines += [";".join(HEADER)] + [";".join(r) for r in rows]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return 300 - 5 - 1, 1


def agenda_of(nudge: Nudge, companies: set[str]) -> list[tuple[Any, ...]]:
    rows = nudge.json("today", "--days", "30", now=NOW)
    return sorted(
        (r["rule"], r["company"], r["role"], r["contact"], r["due"], r["due_by"], r["reason"])
        for r in rows
        if r["company"] in companies
    )


def without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: without_ids(v)
            for k, v in value.items()
            if k not in ("id", "key", "event_id", "opportunity_id", "contact_id")
            and not k.endswith("_id")
        }
    if isinstance(value, list):
        return sorted((without_ids(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def everything(nudge: Nudge, folder: Path) -> dict[str, Any]:
    """Every record, read back through the exports and the JSON forms, ids left out (they
    differ after a restore; the exports name companies, roles and people instead)."""
    import csv

    folder.mkdir()
    sheets: dict[str, Any] = {}
    for name in ("opportunities", "contacts", "events", "nudges"):
        path = folder / f"{name}.csv"
        nudge("export", str(path), "--sheet", name, now=NOW)
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        body = sorted(row[1:] for row in rows[1:])
        if name == "opportunities":  # the "Created" column is stamped at the restore
            body = sorted(row[:-1] for row in body)
        sheets[name] = [rows[0], body]
    return {
        "sheets": sheets,
        "list": without_ids(nudge.json("list", now=NOW)),
        "contacts": without_ids(nudge.json("contact", "list", now=NOW)),
        "agenda": without_ids(nudge.json("today", "--days", "400", now=NOW)),
    }


def test_done_when(nudge: Nudge, tmp_path: Path) -> None:
    from icalendar import Calendar
    from openpyxl import load_workbook

    sheet = tmp_path / "my applications.csv"
    expected_new, expected_rejected = messy_spreadsheet(sheet)

    # The first look: a Windows file without a mark of its encoding; the message names it.
    guessed = nudge("import", str(sheet), "--dry-run", now=NOW, ok=False)
    assert guessed.returncode == 2 and "Traceback" not in guessed.stderr
    assert "my applications.csv: is not UTF-8" in guessed.stderr
    assert "--encoding cp1252" in guessed.stderr

    # Then the employer column is not recognised; the message says how to fix it.
    first = nudge("import", str(sheet), "--dry-run", "--encoding", "cp1252", now=NOW, ok=False)
    assert first.returncode == 2
    assert "No column holds the company" in first.stderr and '--map "Where=company"' in first.stderr
    assert "Traceback" not in first.stderr

    # One corrected column, checked with a dry run: nothing is written.
    cp1252 = ("--encoding", "cp1252")
    dry = nudge.json("import", str(sheet), "--dry-run", *cp1252, "--map", "Where=company", now=NOW)
    assert dry["counts"]["opportunities_new"] == expected_new
    assert len(dry["rejected"]) == expected_rejected
    assert dry["format"] == "CSV (cp1252, semicolon-separated)"
    assert {c["header"]: c["field"] for c in dry["columns"]}["Where"] == "company"
    assert nudge.json("list", now=NOW) == []

    # The import, in one go, saving the corrected mapping.
    done = nudge.json(
        "import",
        str(sheet),
        *cp1252,
        "--map",
        "Where=company",
        "--save-mapping",
        "old sheet",
        now=NOW,
    )
    assert done["counts"] == dry["counts"]
    assert [r["reason"] for r in done["rejected"]] == ["has no role (job title)"]
    warned = " | ".join(f"{w['column']}: {w['warning']}" for w in done["warnings"])
    for words in ("applied: '30/02/2026' is not a day of the calendar", "is in the future"):
        assert words in warned
    assert [s["status"] for s in done["unknown_statuses"]] == ["??? call mum"]
    assert len(nudge.json("list", now=NOW)) == expected_new

    # Next month's copy of the same sheet, with the saved mapping: nothing new.
    again = nudge.json("import", str(sheet), *cp1252, "--mapping", "old sheet", now=NOW)
    assert again["counts"]["opportunities_new"] == 0 and again["counts"]["events_new"] == 0

    # The right nudges: the same as if those applications had been typed in.
    (tmp_path / "typed").mkdir()
    typed = Nudge(tmp_path / "typed")
    typed(
        "add",
        "Acme Corp",
        "Data Analyst",
        "--applied",
        "2026-03-16",
        "--contact",
        "Dana Lee",
        now=NOW,
    )
    typed("add", "Globex", "BI Developer", "--applied", "2026-03-02", now=NOW)
    typed("log", "Globex", "interviewed", "--at", "2026-03-18", "--round", "2", now=NOW)
    typed("add", "Initech", "Analyst", "--applied", "2026-02-20", now=NOW)
    typed("log", "Initech", "rejected", "--at", "2026-03-19", now=NOW)
    recent = {"Acme Corp", "Globex", "Initech"}
    mine = agenda_of(nudge, recent)
    assert mine == agenda_of(typed, recent)
    assert {"apply.check-in", "interview.status-check", "rejection.gracious-note"} <= {
        r[0] for r in mine
    }

    # The calendar: every pending follow-up with its reason and an alarm, stable UIDs.
    nudge("calendar", str(tmp_path / "cal.ics"), now=NOW)
    cal = Calendar.from_ical((tmp_path / "cal.ics").read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    pending = nudge.json("today", "--days", "366", now=NOW)
    follow_ups = [e for e in events.values() if str(e["SUMMARY"]).startswith("Follow up")]
    assert len(follow_ups) == len(pending)
    assert all(e.walk("VALARM") for e in follow_ups)
    assert {p["reason"] for p in pending} <= {
        str(e["DESCRIPTION"]).splitlines()[0] for e in follow_ups
    }
    nudge("log", "Acme Corp", "note", "--note", "Read about their product", now=NOW)
    nudge("calendar", str(tmp_path / "cal2.ics"), now=NOW)
    later = Calendar.from_ical((tmp_path / "cal2.ics").read_bytes())
    assert {str(e["UID"]) for e in later.walk("VEVENT")} == set(events)

    # Export everything back to a spreadsheet.
    nudge("export", str(tmp_path / "search.xlsx"), now=NOW)
    book = load_workbook(tmp_path / "search.xlsx", read_only=True)
    assert book.sheetnames == ["Opportunities", "Contacts", "Events", "Nudges"]
    assert len(list(book["Opportunities"].iter_rows(values_only=True))) == expected_new + 1

    # And a backup that restores exactly, into a new database.
    nudge("backup", str(tmp_path / "backup.json"), now=NOW)
    (tmp_path / "restored-home").mkdir()
    restored = Nudge(tmp_path / "restored-home")
    out = restored("restore", str(tmp_path / "backup.json"), now=NOW)
    assert f"Restored {expected_new} opportunities" in out.stdout
    assert everything(restored, tmp_path / "after") == everything(nudge, tmp_path / "before")
    refused = nudge("restore", str(tmp_path / "backup.json"), now=NOW, ok=False)
    assert refused.returncode == 6 and "empty database" in refused.stderr
