"""`nudge draft` for an interviewer in another zone: the day words are theirs."""

from __future__ import annotations

from tests.cli.conftest import Nudge

EVENING = "2026-12-10 23:30"  # Thu, New York (Fri 05:30 in Berlin)


def test_juergens_thank_you_says_today_for_his_friday_morning(nudge: Nudge) -> None:
    nudge("add", "Müller GmbH", "Data Analyst", "--applied", "2026-11-23", now=EVENING)
    nudge(
        "contact",
        "add",
        "Jürgen Müller",
        "--company",
        "Müller GmbH",
        "--email",
        "juergen@mueller.example",
        "--tz",
        "Europe/Berlin",
        "--country",
        "DE",
        "--role",
        "interviewer",
        now=EVENING,
    )
    nudge("log", "muller", "interviewed", "--at", "11pm", "--with", "Jürgen Müller", now=EVENING)
    agenda = nudge.json("today", now="2026-12-11 10:00")
    thanks = next(i for i in agenda if i["rule"] == "interview.thank-you")
    assert "Thu 10 Dec 23:00 (Fri 11 Dec 05:00 for Jürgen)" in thanks["reason"]
    shown = nudge.json("--now", "2026-12-11 10:00", "draft", thanks["id"])
    assert "today" in shown["body"] and "yesterday" not in shown["body"]
