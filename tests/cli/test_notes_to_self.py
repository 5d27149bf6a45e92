"""A follow-up that is a note for the user (nobody to contact, no channel) names no addressee."""

from __future__ import annotations

from tests.cli.conftest import Nudge

NOW = "2026-03-02T10:00:00-05:00"


def test_recording_the_timeline_is_not_sent_to_the_hiring_team(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-16", now=NOW)
    logged = nudge("log", "acme", "interviewed", "--at", "2026-03-02 09:00", now=NOW).stdout
    shown = nudge("show", "acme", now=NOW).stdout
    for out in (logged, shown):
        line = next(x for x in out.splitlines() if "Record what they said" in x)
        assert "→" not in line, line
    assert "→ hiring team" in shown  # a status check still goes to the employer
