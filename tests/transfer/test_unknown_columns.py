"""A hand-kept sheet's own columns ("Next step", "Feeling") are kept in the notes under their
headers: what someone wrote down for months is not dropped unless they say so."""

from __future__ import annotations

import csv
from pathlib import Path

from jobnudge.services import importing

from .conftest import make_session


def test_a_column_no_field_matches_is_kept_in_the_opportunitys_notes(tmp_path: Path) -> None:
    path = tmp_path / "tracker.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["Company", "Position", "Date applied", "Status", "Next step", "Notes"],
                ["Café Noir", "Analyst", "2026-03-02", "Applied", "Decide by 11 Mar", "warm"],
                ["Hooli", "Engineer", "2026-03-03", "Applied", "", ""],
            ]
        )
    session = make_session(None, tmp_path / "data")
    try:
        report = importing.import_file(session, path)
        columns = {c["header"]: c for c in report.columns}
        assert columns["Next step"]["field"] == "notes"
        assert "kept in the notes under its header" in str(columns["Next step"]["why"])
        notes = {o.company: o.notes for o, _ in session.store.opportunities(session.owner)}
        assert notes["Café Noir"] == "warm\nNext step: Decide by 11 Mar"
        assert notes["Hooli"] == ""
    finally:
        session.close()
