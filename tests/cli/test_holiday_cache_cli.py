"""The command line keeps holiday tables in the data dir and answers the same from them."""

from __future__ import annotations

import json

from .conftest import Nudge

NOW = "2026-12-22 10:00"


def test_holidays_are_kept_in_the_data_dir(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Analyst", "--applied", "2026-12-18", now=NOW)
    first = nudge.json("today", "--days", "14", now=NOW)
    kept = nudge.home / "data" / "cache" / "holidays.json"
    assert kept.exists()
    assert any(key.startswith("US/2026") for key in json.loads(kept.read_text())["years"])
    assert nudge.json("today", "--days", "14", now=NOW) == first
    # The check-in a week after Fri 18 Dec skips Christmas Day (a Friday) to Mon 28 Dec.
    check_in = next(i for i in first if i["rule"] == "apply.check-in")
    assert check_in["due"].startswith("2026-12-28")
