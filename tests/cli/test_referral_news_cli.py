"""The update to a referrer tells the news the follow-up is about, through the real command:
a booked interview as booked, with its day; a new round, not the round already reported."""

from __future__ import annotations

from tests.cli.conftest import Nudge


def _update(nudge: Nudge, now: str) -> str:
    agenda = nudge.json("today", now=now)
    [handle] = [i["id"] for i in agenda if i["rule"] == "referral.update"]
    return str(nudge.json("draft", handle, now=now)["body"])


def test_the_referrer_hears_of_each_booking_with_its_day(nudge: Nudge) -> None:
    nudge("contact", "add", "Sam Park", "--email", "sam@example.com", now="2026-12-07 10:00")
    nudge(
        "add", "Globex", "Data Analyst", "--applied", "2026-12-03", "--referred-by", "Sam Park",
        now="2026-12-07 10:00",
    )  # fmt: skip
    nudge(
        "log", "globex", "scheduled", "--for", "2026-12-15 10:00", "--kind", "video",
        "--with", "Renee Dubois", now="2026-12-09 10:00",
    )  # fmt: skip
    booked = _update(nudge, "2026-12-09 10:05")
    assert "[[" not in booked
    assert "have a video interview booked" in booked
    assert "Tuesday, December 15" in booked

    agenda = nudge.json("today", now="2026-12-09 10:05")
    [handle] = [i["id"] for i in agenda if i["rule"] == "referral.update"]
    nudge("sent", handle, now="2026-12-09 10:10")
    nudge(
        "log", "globex", "interviewed", "--at", "2026-12-15 10:00", "--with", "Renee Dubois",
        "--round", "1", now="2026-12-15 12:00",
    )  # fmt: skip
    agenda = nudge.json("today", now="2026-12-15 12:05")
    [handle] = [i["id"] for i in agenda if i["rule"] == "referral.update"]
    nudge("sent", handle, now="2026-12-15 12:10")
    nudge(
        "log", "globex", "scheduled", "--for", "2027-01-04 14:00", "--round", "2",
        "--with", "Renee Dubois", now="2026-12-16 09:00",
    )  # fmt: skip
    second = _update(nudge, "2026-12-16 09:05")
    assert "have a second-round interview booked" in second
    assert "Monday, January 4" in second
    assert "December 15" not in second and "had" not in second
