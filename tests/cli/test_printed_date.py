"""`nudge log` takes a date written the way jobnudge prints one, weekday and all; the weekday
decides a year-less date's year as in an import, and a weekday that contradicts a full date
(or fits no year near today) is refused naming the option and the fix, writing nothing."""

from __future__ import annotations

from tests.cli.conftest import Nudge


def test_the_cli_takes_a_printed_date(nudge: Nudge) -> None:
    nudge("add", "Café Lumière", "Barista")
    nudge("log", "café", "scheduled", "--for", "Thu 10 Dec 9:30pm")
    wrong = nudge("log", "café", "scheduled", "--for", "Mon 10 Dec 9:30pm", ok=False)
    assert wrong.returncode != 0
    assert "Traceback" not in wrong.stderr
    assert "--for: 'Mon 10 Dec 9:30pm': no 10 Dec within a year of today is a Monday" in (
        wrong.stderr
    )


def test_a_weekday_typed_in_january_dates_last_december(nudge: Nudge) -> None:
    january = "2027-01-12 10:00"  # a Tuesday, in the profile's America/New_York
    added = nudge.json("add", "Acme", "Analyst", "--applied", "Thu 10 Dec", now=january)
    (event,) = nudge.json("show", str(added["id"]), now=january)["events"]
    assert event["at"] == "2026-12-10T09:00-05:00"


def test_a_full_date_with_the_wrong_weekday_is_refused_and_nothing_written(nudge: Nudge) -> None:
    now = "2026-12-14 10:00"
    wrong = nudge("add", "Acme", "Analyst", "--applied", "Thu 11 Dec 2026", now=now, ok=False)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    assert (
        "--applied: 'Thu 11 Dec 2026': 11 Dec 2026 is a Friday, not a Thursday: either "
        "'Fri 11 Dec 2026' or 'Thu 10 Dec 2026' was meant; write the one you meant, or the "
        "date alone."
    ) in " ".join(wrong.stderr.split())
    assert nudge.json("list", now=now) == []
