"""An application through a staffing firm with nobody named there is followed up through the
firm: the check-in and keep-in-touch go to it, and it shows among the opportunity's people."""

from __future__ import annotations

from tests.cli.conftest import Nudge

SUNDAY = "2026-12-06T10:00:00-05:00"  # America/New_York, the user's zone


def _by_rule(agenda: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(item["rule"]): item for item in agenda}


def test_a_firm_without_a_named_recruiter_is_the_one_followed_up(nudge: Nudge) -> None:
    added = nudge(
        "add",
        "Unnamed client",
        "Reporting Analyst",
        "--applied",
        "yesterday",
        "--staffing-firm",
        "Hays",
        now=SUNDAY,
    )
    assert "→ Hays" in added.stdout and "hiring team" not in added.stdout
    shown = nudge("show", "1", now=SUNDAY).stdout
    people = shown.split("People", 1)[1].split("Timeline", 1)[0]
    assert "Hays (staffing-firm)" in people
    assert "hiring team" not in shown
    plan = _by_rule(nudge.json("today", "--days", "30", now=SUNDAY))
    check_in = plan["apply.check-in"]
    assert check_in["contact"] == "Hays"
    assert "Ask through Hays" in str(check_in["reason"])
    keep = plan["staffing.keep-in-touch"]
    assert keep["contact"] == "Hays"
    assert "Hays (Hays)" not in str(keep["reason"])


def test_the_firm_s_known_recruiter_is_reused_rather_than_the_firm(nudge: Nudge) -> None:
    nudge("add", "First client", "Analyst", "--staffing-firm", "Hays", "--recruiter", "Kim Park")
    nudge("add", "Second client", "Analyst", "--applied", "yesterday", "--staffing-firm", "Hays")
    plan = nudge.json("today", "--days", "30")
    check_in = [i for i in plan if i["rule"] == "apply.check-in"]
    assert [i["contact"] for i in check_in] == ["Kim Park"]
    contacts = nudge.json("contact", "list")
    assert [c["name"] for c in contacts] == ["Kim Park"]
