"""A new user's first week, end to end through the real `nudge` command on a SQLite file."""

from __future__ import annotations

from tests.cli.conftest import Nudge

MONDAY = "2026-03-02 10:00"  # America/New_York, the user's zone


def start(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now=MONDAY)
    nudge(
        "add",
        "Globex",
        "BI Developer",
        "--applied",
        "2026-02-25",
        "--responds-within",
        "14",
        now=MONDAY,
    )
    nudge("add", "Initech", "Reporting Analyst", "--applied", "2026-02-26", now=MONDAY)
    nudge(
        "contact",
        "add",
        "Dana Lee",
        "--company",
        "Acme Corp",
        "--email",
        "dana@acme.example",
        "--tz",
        "America/Denver",
        "--country",
        "US",
        "--role",
        "interviewer",
        "--salutation",
        "Ms.",
        now=MONDAY,
    )


def by_rule(agenda: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for item in agenda:
        out.setdefault(str(item["rule"]), []).append(item)
    return out


def test_check_ins_fall_due_a_week_after_applying_but_not_before_the_stated_response_time(
    nudge: Nudge,
) -> None:
    start(nudge)
    agenda = nudge.json("today", "--days", "30", now=MONDAY)
    check_ins = {i["company"]: i for i in by_rule(agenda)["apply.check-in"]}
    # Dana Lee is Acme's contact, in Denver: the check-in waits for the start of her day.
    assert check_ins["Acme Corp"]["due"] == "2026-03-02T11:00-05:00"
    assert check_ins["Acme Corp"]["contact"] == "Dana Lee"
    assert check_ins["Acme Corp"]["ok_now"] is False
    # Globex said it answers within 14 days of 25 Feb: nothing before Thu 12 Mar.
    assert check_ins["Globex"]["due"].startswith("2026-03-12")
    assert check_ins["Globex"]["ok_now"] is False
    assert "respond within 14 days" in check_ins["Globex"]["reason"]
    assert check_ins["Initech"]["due"].startswith("2026-03-05")


def test_an_interview_with_two_people_and_a_decision_date_brings_the_right_follow_ups(
    nudge: Nudge,
) -> None:
    start(nudge)
    nudge(
        "log",
        "acme",
        "scheduled",
        "--for",
        "2026-03-05 14:00",
        "--with",
        "Dana Lee",
        "--with",
        "Raj Patel",
        "--kind",
        "video",
        "--round",
        "1",
        now=MONDAY,
    )
    before = by_rule(nudge.json("today", now="2026-03-04 08:00"))
    confirm = before["interview.confirm"][0]
    assert confirm["company"] == "Acme Corp"
    assert confirm["contact"] == "Dana Lee"
    # The working day before Thu 5 Mar, from the start of Dana's day in Denver.
    assert confirm["due"] == "2026-03-04T11:00-05:00"
    assert confirm["ok_now"] is False
    assert by_rule(nudge.json("today", now="2026-03-04 11:30"))["interview.confirm"][0]["ok_now"]
    # The interview is Acme's answer to the application: no check-in for it any more.
    assert all(i["company"] != "Acme Corp" for i in before.get("apply.check-in", []))

    nudge(
        "log",
        "acme",
        "interviewed",
        "--at",
        "2026-03-05 14:00",
        "--with",
        "Dana Lee",
        "--with",
        "Raj Patel",
        "--round",
        "1",
        "--kind",
        "video",
        "--decision-by",
        "2026-03-13",
        "--note",
        "Discussed the churn dashboard",
        now="2026-03-05 15:10",
    )
    right_after = by_rule(nudge.json("today", now="2026-03-05 15:10"))
    thanks = {i["contact"]: i for i in right_after["interview.thank-you"]}
    assert set(thanks) == {"Dana Lee", "Raj Patel"}
    assert all(not t["ok_now"] for t in thanks.values())  # end of their day, not in the first hour
    assert "interview.confirm" not in right_after
    # Dana is in Denver: the end of her working day is two hours later than Raj's (user's zone).
    assert thanks["Dana Lee"]["due"] == "2026-03-05T18:00-05:00"
    assert thanks["Raj Patel"]["due"] == "2026-03-05T16:00-05:00"
    assert "Dana Lee" in thanks["Dana Lee"]["reason"]

    evening = by_rule(nudge.json("today", now="2026-03-05 18:30"))
    assert all(t["ok_now"] for t in evening["interview.thank-you"])

    status = by_rule(nudge.json("today", "--days", "30", now="2026-03-05 18:30"))
    check = status["interview.status-check"][0]
    # Decision by Fri 13 Mar: the status check waits for Mon 16 Mar.
    assert check["due"].startswith("2026-03-16")
    assert "Fri 13 Mar" in check["reason"]
    assert nudge.json("today", now="2026-03-16 11:30") and any(
        i["rule"] == "interview.status-check" and i["ok_now"]
        for i in nudge.json("today", now="2026-03-16 11:30")
    )

    nudge(
        "log", "acme", "sent", "--kind", "thank-you", "--with", "Dana Lee", now="2026-03-05 19:00"
    )
    after = by_rule(nudge.json("today", now="2026-03-05 19:05"))
    assert [t["contact"] for t in after["interview.thank-you"]] == ["Raj Patel"]


def test_a_reply_cancels_the_status_check(nudge: Nudge) -> None:
    start(nudge)
    nudge(
        "log",
        "acme",
        "interviewed",
        "--at",
        "2026-03-02 09:00",
        "--with",
        "Dana Lee",
        "--round",
        "2",
        now=MONDAY,
    )
    assert "interview.status-check" in by_rule(nudge.json("today", "--days", "30", now=MONDAY))
    nudge(
        "log",
        "acme",
        "received",
        "--with",
        "Dana Lee",
        "--note",
        "Next steps soon",
        now="2026-03-06 10:00",
    )
    later = by_rule(nudge.json("today", "--days", "30", now="2026-03-06 10:05"))
    assert "interview.status-check" not in later


def test_done_snooze_and_dismiss(nudge: Nudge) -> None:
    start(nudge)
    agenda = nudge.json("today", now=MONDAY)
    acme = next(i for i in agenda if i["company"] == "Acme Corp")
    nudge("snooze", acme["id"], "--until", "2026-03-04 09:00", now=MONDAY)
    snoozed = next(i for i in nudge.json("today", now=MONDAY) if i["key"] == acme["key"])
    assert snoozed["due"] == "2026-03-04T09:00-05:00"
    assert snoozed["ok_now"] is False
    nudge("dismiss", acme["id"], "--reason", "Applied through a friend instead", now=MONDAY)
    assert all(i["key"] != acme["key"] for i in nudge.json("today", now=MONDAY))
    initech = next(
        i for i in nudge.json("today", "--days", "9", now=MONDAY) if i["company"] == "Initech"
    )
    nudge("done", initech["id"], now=MONDAY)
    assert all(i["key"] != initech["key"] for i in nudge.json("today", "--days", "9", now=MONDAY))
    history = nudge.json("show", "initech", now=MONDAY)
    assert [e["type"] for e in history["events"]] == ["applied", "nudge-done"]


def test_the_agenda_prints_readably_at_80_columns(nudge: Nudge) -> None:
    start(nudge)
    out = nudge(now=MONDAY).stdout
    assert "Acme Corp" in out and "Check in on your application" in out and "Due today" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_message_logged_without_a_kind_takes_the_kind_of_the_pending_nudge(nudge: Nudge) -> None:
    start(nudge)
    nudge(
        "log",
        "acme",
        "interviewed",
        "--at",
        "2026-03-02 09:00",
        "--with",
        "Raj Patel",
        "--round",
        "1",
        now=MONDAY,
    )
    nudge("log", "acme", "sent", "--with", "Raj Patel", now="2026-03-02 17:00")
    events = nudge.json("show", "acme", now="2026-03-02 17:05")["events"]
    assert events[-1]["kind"] == "thank-you"
    rules = {
        i["rule"]
        for i in nudge.json("today", "--days", "30", now="2026-03-02 17:05")
        if i["company"] == "Acme Corp"
    }
    assert "interview.thank-you" not in rules
    assert "interview.status-check" in rules  # the thank-you is not a status question


def test_one_opportunity_can_override_a_playbook_number(nudge: Nudge) -> None:
    start(nudge)
    clash = nudge("tune", "initech", "apply_check_in_days=12", now=MONDAY, ok=False)
    assert clash.returncode == 2 and "apply_check_in_window_days" in clash.stderr
    assert nudge.json("tune", "initech", now=MONDAY)["settings"] == {}
    nudge("tune", "initech", "apply_check_in_days=12", "apply_check_in_window_days=15", now=MONDAY)
    check_in = next(
        i for i in nudge.json("today", "--days", "30", now=MONDAY) if i["company"] == "Initech"
    )
    assert check_in["due"].startswith("2026-03-10")
    bad = nudge("tune", "initech", "apply_check_in_dayz=3", now=MONDAY, ok=False)
    assert bad.returncode == 2 and "apply_check_in_dayz" in bad.stderr
    nudge("tune", "initech", "apply_check_in_days=", "apply_check_in_window_days=", now=MONDAY)
    assert nudge.json("tune", "initech", now=MONDAY)["settings"] == {}


def test_show_lists_the_people_of_an_opportunity_as_contact_list_does(nudge: Nudge) -> None:
    start(nudge)
    asked = nudge("log", "acme", "interview", "--with", "Dana Lee", now=MONDAY, ok=False)
    assert asked.returncode == 2 and "'scheduled' for an interview to come" in asked.stderr
    nudge("log", "acme", "interviewed", "--with", "Dana Lee", now=MONDAY)
    shown = nudge.json("show", "acme", now=MONDAY)["contacts"]
    listed = {c["name"]: c for c in nudge.json("contact", "list", now=MONDAY)}
    assert shown == [listed["Dana Lee"]]
    assert shown[0]["company"] == "Acme Corp" and shown[0]["email_bounced"] is None
