"""`nudge log` finds a company typed without the apostrophe of its name."""

from __future__ import annotations

from tests.cli.conftest import Nudge


def test_nudge_log_finds_a_name_typed_without_its_apostrophe(nudge: Nudge) -> None:
    nudge("add", "O’Reilly Media", "Editor")
    logged = nudge("log", "oreilly", "scheduled", "--for", "2026-12-10 14:00")
    assert "O’Reilly Media" in logged.stdout
