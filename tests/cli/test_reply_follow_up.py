"""A reply logged without a decision date leaves the next status question planned, through the
`nudge` command: a week after a reply to an application (apply.check-in), by the interview's
stage after a reply to an interview (interview.status-check); a reply with a date waits for
the first working day after it."""

from __future__ import annotations

from tests.cli.conftest import Nudge

NOW = "2026-12-07 10:00"


def _planned(nudge: Nudge) -> dict[str, tuple[str, str, str]]:
    rows = nudge.json("today", "--days", "30", now=NOW)
    return {r["company"]: (r["rule"], r["due"][:10], r["reason"]) for r in rows if r["company"]}


def test_a_reply_without_a_date_plans_the_next_status_question(nudge: Nudge) -> None:
    nudge("add", "Acme", "Analyst", "--applied", "2026-11-20", now=NOW)
    logged = nudge("log", "acme", "received", "--at", "2026-11-23", now=NOW)
    assert "Check in on your application" in logged.stdout
    nudge("add", "Globex", "Engineer", "--applied", "2026-11-10", now=NOW)
    nudge("log", "globex", "interviewed", "--at", "2026-11-24 10:00", now=NOW)
    nudge("log", "globex", "received", "--at", "2026-11-25", now=NOW)
    nudge("add", "Initech", "Analyst", "--applied", "2026-11-20", now=NOW)
    nudge("log", "initech", "received", "--at", "2026-11-23", "--decision-by", "2026-12-11",
          now=NOW)  # fmt: skip

    planned = _planned(nudge)

    rule, due, why = planned["Acme"]
    assert (rule, due) == ("apply.check-in", "2026-11-30")
    assert "their reply on Mon 23 Nov gave no decision date" in why
    rule, due, why = planned["Globex"]
    assert (rule, due) == ("interview.status-check", "2026-12-03")  # 5 working days; Thanksgiving
    assert "their reply on Wed 25 Nov gave no decision date" in why
    rule, due, why = planned["Initech"]
    assert (rule, due) == ("apply.check-in", "2026-12-14")
    assert "stated a decision by Fri 11 Dec" in why
