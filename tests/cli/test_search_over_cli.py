"""Accepting an offer ends the search for the search-wide follow-ups, on a real database."""

from __future__ import annotations

from tests.cli.conftest import Nudge

NOW = "2027-01-04T10:00:00-05:00"  # America/New_York, the user's zone


def test_after_accepting_an_offer_the_search_stops_nudging(nudge: Nudge) -> None:
    nudge("add", "Globex", "Data Analyst", "--applied", "2026-12-01", now=NOW)
    nudge("add", "Acme", "BI Analyst", "--applied", "2026-12-20", now=NOW)
    nudge("contact", "add", "Jane Doe", "--company", "Robert Half", "--role", "staffing-firm")
    before = {i["rule"] for i in nudge.json("today", "--days", "30", now=NOW)}
    assert {"pipeline.keep-looking", "staffing.keep-in-touch"} <= before

    nudge("log", "globex", "offer", "--at", "2027-01-04 09:00", now=NOW)
    nudge("log", "globex", "accepted", "--at", "2027-01-04 09:30", now=NOW)
    after = nudge.json("today", "--days", "30", now=NOW)

    rules = {i["rule"] for i in after}
    assert "pipeline.keep-looking" not in rules
    assert "staffing.keep-in-touch" not in rules
    (move_on,) = [i for i in after if i["rule"] == "silence.move-on"]
    assert "1 other application" in str(move_on["reason"])

    nudge("log", "acme", "withdrawn", now=NOW)
    rules = {i["rule"] for i in nudge.json("today", "--days", "30", now=NOW)}
    assert "silence.move-on" not in rules and "apply.check-in" not in rules

    nudge("replan", now=NOW)  # the whole-user read gives the same answer
    rules = {i["rule"] for i in nudge.json("today", "--days", "30", now=NOW)}
    assert "pipeline.keep-looking" not in rules and "staffing.keep-in-touch" not in rules
