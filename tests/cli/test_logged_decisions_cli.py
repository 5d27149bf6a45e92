"""What `nudge log` decides when it is not told: an interview logged without --at the same day
after one was scheduled took place at the scheduled time; a message logged without --kind
completes a pending follow-up only when it is the only one that fits; each is said back with
how to record it otherwise. A prompt to record the timing gives the command that records it."""

from __future__ import annotations

from tests.cli.conftest import Nudge

GERMAN = """
[profile]
name = "Alex Morgan"
tz = "Europe/Berlin"
country = "DE"
"""


def _german(nudge: Nudge) -> None:
    (nudge.home / "config.toml").write_text(GERMAN, encoding="utf-8")


def test_an_interview_logged_later_that_day_took_place_as_scheduled(nudge: Nudge) -> None:
    _german(nudge)
    wednesday = "2027-01-06T12:00:00+01:00"
    nudge("add", "Acme", "Analyst", "--applied", "2026-12-10", now=wednesday)
    nudge("log", "acme", "scheduled", "--for", "Fri 18:30", "--with", "Dana Lee", now=wednesday)
    evening = "2027-01-08T19:40:00+01:00"
    out = nudge("log", "acme", "interviewed", now=evening).stdout
    assert "It took place at the time it was scheduled for, Fri 8 Jan 18:30." in out
    assert "--at WHEN" in out
    events = nudge.json("show", "acme", now=evening)["events"]
    (held,) = [e for e in events if e["type"] == "interviewed"]
    assert held["at"].startswith("2027-01-08T18:30")
    thanks = [i for i in nudge.json("today", now=evening) if i["rule"] == "interview.thank-you"]
    assert thanks and "Fri 8 Jan 18:30" in thanks[0]["reason"]
    assert "19:40" not in thanks[0]["reason"]


def test_at_wins_and_another_day_is_the_moment_of_logging(nudge: Nudge) -> None:
    _german(nudge)
    wednesday = "2027-01-06T12:00:00+01:00"
    nudge("add", "Acme", "Analyst", "--applied", "2026-12-10", now=wednesday)
    nudge("log", "acme", "scheduled", "--for", "Fri 18:30", now=wednesday)
    out = nudge("log", "acme", "interviewed", "--at", "18:45", now="2027-01-08T19:40:00+01:00")
    assert "scheduled for" not in out.stdout
    nudge("add", "Beta", "Analyst", "--applied", "2026-12-10", now=wednesday)
    nudge("log", "beta", "scheduled", "--for", "Fri 18:30", now=wednesday)
    out = nudge("log", "beta", "interviewed", now="2027-01-09T10:00:00+01:00")  # the day after
    assert "scheduled for" not in out.stdout
    events = nudge.json("show", "beta", now="2027-01-09T10:00:00+01:00")["events"]
    assert [e["at"][:16] for e in events if e["type"] == "interviewed"] == ["2027-01-09T10:00"]


def test_a_message_sent_before_the_interview_was_scheduled_is_not_its_confirmation(
    nudge: Nudge,
) -> None:
    _german(nudge)
    noon = "2026-12-30T12:00:00+01:00"
    nudge("add", "Testco", "Engineer", "--applied", "2026-12-10", now=noon)
    nudge("log", "testco", "scheduled", "--for", "2027-01-05 10:00", "--with", "Dana", now=noon)
    out = nudge("log", "testco", "sent", "--at", "Dec 30", now=noon).stdout
    assert "Recorded without a kind" in out and "--kind" in out
    sent = [e for e in nudge.json("show", "testco", now=noon)["events"] if e["type"] == "sent"]
    assert sent[0]["kind"] is None
    pending = {i["rule"] for i in nudge.json("today", "--all", now=noon)}
    assert "interview.confirm" in pending


def test_a_message_without_its_kind_completes_the_one_follow_up_it_fits(nudge: Nudge) -> None:
    _german(nudge)
    at = "2026-12-30T15:30:00+01:00"
    nudge("add", "Acme", "Analyst", "--applied", "2026-12-10", now=at)
    nudge("log", "acme", "interviewed", "--at", "today 10:00", "--with", "Dana Lee", now=at)
    out = nudge("log", "acme", "sent", "--with", "Dana Lee", now=at).stdout
    assert "Recorded as a thank-you: “Send a thank-you” is the one follow-up pending" in out
    assert "nudge delete event" in out and "--kind" in out
    sent = [e for e in nudge.json("show", "acme", now=at)["events"] if e["type"] == "sent"]
    assert sent[0]["kind"] == "thank-you"
    assert "interview.thank-you" not in {i["rule"] for i in nudge.json("today", now=at)}


def test_a_message_two_follow_ups_fit_completes_neither(nudge: Nudge) -> None:
    _german(nudge)
    at = "2026-12-30T15:30:00+01:00"
    nudge("add", "Acme", "Analyst", "--applied", "2026-12-10", now=at)
    nudge("log", "acme", "interviewed", "--at", "today 10:00", "--with", "Dana Lee", now=at)
    nudge("log", "acme", "references", "--with", "Pat Kim", now=at)
    before = {i["rule"] for i in nudge.json("today", now=at)}
    assert {"interview.thank-you", "references.heads-up"} <= before
    out = nudge("log", "acme", "sent", now=at).stdout
    assert "Recorded as a message of its own: it could be" in out
    assert "--kind update or --kind thank-you" in out  # the soonest due first
    sent = [e for e in nudge.json("show", "acme", now=at)["events"] if e["type"] == "sent"]
    assert sent[0]["kind"] == "note"
    assert before <= {i["rule"] for i in nudge.json("today", now=at)}


def test_the_timing_prompt_gives_the_command_that_records_it(nudge: Nudge) -> None:
    _german(nudge)
    at = "2026-12-30T15:00:00+01:00"
    nudge("add", "Acme", "Analyst", "--applied", "2026-12-10", now=at)
    out = nudge("log", "acme", "interviewed", "--at", "today 10:00", now=at).stdout
    command = 'nudge log 1 note --decision-by "next thu" --prefers email'
    assert command in out
    assert command in " ".join(nudge("today", now=at).stdout.replace("│", " ").split())
    (prompt,) = [i for i in nudge.json("today", now=at) if i["rule"] == "interview.ask-timeline"]
    refused = nudge("draft", prompt["id"], now=at, ok=False)
    assert refused.returncode == 2 and "prompt" in refused.stderr and command in refused.stderr
    nudge("log", "1", "note", "--decision-by", "next thu", "--prefers", "email", now=at)
    assert "interview.ask-timeline" not in {i["rule"] for i in nudge.json("today", now=at)}


def test_a_preferred_channel_alone_answers_the_timing_prompt(nudge: Nudge) -> None:
    _german(nudge)
    at = "2026-12-30T15:00:00+01:00"
    nudge("add", "Acme", "Analyst", "--applied", "2026-12-10", now=at)
    nudge("log", "acme", "interviewed", "--at", "today 10:00", "--with", "Dana Lee", now=at)
    nudge("log", "1", "note", "--prefers", "text", now=at)
    items = nudge.json("show", "acme", now=at)["nudges"]
    assert "interview.ask-timeline" not in {i["rule"] for i in items}
    (check,) = [i for i in items if i["rule"] == "interview.status-check"]
    assert check["channel"] == "text"
