"""A hand-kept tracker as a new user brings it in: what the import writes must read right in
the follow-ups and drafts that come from it (names, upcoming interviews, interview topics)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Nudge

NOW = "2026-03-20 10:00"  # a Friday


def _import(nudge: Nudge, tmp_path: Path, rows: str) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_bytes(
        ("Company;Position;Date applied;Status;Interview;Contact\r\n" + rows).encode("cp1252")
    )
    nudge("import", str(sheet), "--encoding", "cp1252", now=NOW)


def test_the_import_note_is_not_what_the_thank_you_says_was_discussed(
    nudge: Nudge, tmp_path: Path
) -> None:
    _import(
        nudge,
        tmp_path,
        "Café Noir;Marketing Analyst;10/03/2026;Interview;19/03/2026;José Núñez\r\n",
    )
    thanks = [
        n for n in nudge.json("show", "1", now=NOW)["nudges"] if n["rule"] == "interview.thank-you"
    ]
    assert thanks
    draft = nudge("draft", thanks[0]["id"], now=NOW).stdout
    assert "Imported from" not in draft and "tracker.csv" not in draft, draft


def test_a_weekday_dated_interview_ahead_is_scheduled_on_that_day(
    nudge: Nudge, tmp_path: Path
) -> None:
    # Tue 24 Mar is a Tuesday in 2026 only: the interview is next week, not a year ago.
    _import(
        nudge, tmp_path, "Siemens;Reporting Analyst;2026-03-12;Interview;Tue 24 Mar;Tom Baker\r\n"
    )
    events = nudge.json("show", "1", now=NOW)["events"]
    assert any(
        e["type"] == "scheduled"
        and str(e.get("scheduled_for") or e.get("at")).startswith("2026-03-24")
        for e in events
    ), events


def test_a_contact_cell_with_the_firm_in_brackets_keeps_the_name_as_typed(
    nudge: Nudge, tmp_path: Path
) -> None:
    _import(nudge, tmp_path, "Siemens;Reporting Analyst;2026-03-12;Applied;;Tom Baker (Hays)\r\n")
    people = [c["name"] for c in nudge.json("show", "1", now=NOW)["contacts"]]
    assert people == ["Tom Baker"], people
