"""`nudge delete` and `nudge undo` as a user and a script run them: a question on a terminal,
a clear refusal without one, --yes for scripts; and `nudge log scheduled` refusing a second
interview at the same time unless --again."""

from __future__ import annotations

import os
import pty
import subprocess

from tests.cli.conftest import NUDGE, Nudge

NOW = "2026-03-02 10:00"


def start(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now=NOW)
    nudge("log", "acme", "interviewed", "--at", "2026-02-27 11:00", "--with", "Dana Lee", now=NOW)


def events(nudge: Nudge) -> list[dict[str, object]]:
    found: list[dict[str, object]] = nudge.json("show", "acme", now=NOW)["events"]
    return found


def on_a_terminal(nudge: Nudge, answer: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `nudge` with a real terminal on standard input and type ``answer``."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, answer.encode())
        return subprocess.run(
            [NUDGE, *args],
            env={**nudge.env, "NUDGE_NOW": NOW},
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)


def test_without_a_terminal_a_deletion_needs_yes(nudge: Nudge) -> None:
    start(nudge)
    refused = nudge("delete", "opportunity", "acme", now=NOW, ok=False)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "error: --yes: there is no terminal to ask for a confirmation; add --yes to delete "
        "without asking."
    )
    assert refused.stdout == ""
    assert len(nudge.json("list", now=NOW)) == 1


def test_the_question_on_a_terminal_says_what_goes_and_stays(nudge: Nudge) -> None:
    start(nudge)
    kept = on_a_terminal(nudge, "n\n", "delete", "contact", "Dana Lee")
    assert kept.returncode == 0, kept.stderr
    assert "Delete Dana Lee?" in kept.stdout
    assert "goes: their link to Acme Corp — Data Analyst (the opportunity stays)" in kept.stdout
    assert "goes: their name on 1 event (the event stays)" in kept.stdout
    assert "Go ahead? (`nudge undo` puts it all back)" in kept.stderr
    assert "Nothing was deleted." in kept.stdout
    assert [c["name"] for c in nudge.json("contact", "list", now=NOW)] == ["Dana Lee"]

    gone = on_a_terminal(nudge, "y\n", "delete", "contact", "Dana Lee")
    assert gone.returncode == 0, gone.stderr
    assert "Deleted Dana Lee. Undo with: nudge undo 1" in gone.stdout
    assert nudge.json("contact", "list", now=NOW) == []
    shown = nudge.json("show", "acme", now=NOW)
    assert [e["type"] for e in shown["events"]] == ["applied", "interviewed"]  # events stay
    assert all(not e["with"] for e in shown["events"])


def test_delete_with_yes_then_undo_gives_everything_back(nudge: Nudge) -> None:
    start(nudge)
    before = nudge.json("show", "acme", now=NOW), nudge.json("today", "--days", "30", now=NOW)
    out = nudge.json("delete", "opportunity", "acme", "--yes", now=NOW)
    assert out == {"deleted": "opportunity", "summary": "Acme Corp — Data Analyst", "undo": 1}
    assert nudge.json("list", now=NOW) == []
    assert nudge.json("today", "--days", "30", now=NOW) == []
    assert [c["name"] for c in nudge.json("contact", "list", now=NOW)] == ["Dana Lee"]
    listed = nudge.json("undo", "--list", now=NOW)
    assert [(d["id"], d["kind"]) for d in listed] == [(1, "opportunity")]
    back = nudge("undo", now=NOW)
    assert back.stdout.strip() == (
        "Put back Acme Corp — Data Analyst; its follow-ups are planned again."
    )
    assert (
        nudge.json("show", "acme", now=NOW),
        nudge.json("today", "--days", "30", now=NOW),
    ) == before
    nothing = nudge("undo", now=NOW, ok=False)
    assert nothing.returncode == 4 and "Nothing to undo" in nothing.stderr


def test_an_entry_is_deleted_by_the_number_show_prints(nudge: Nudge) -> None:
    start(nudge)
    shown = nudge("show", "acme", now=NOW).stdout
    interviewed = next(
        e for e in nudge.json("show", "acme", now=NOW)["events"] if e["type"] == "interviewed"
    )
    assert f"#{interviewed['id']}" in shown
    out = nudge("delete", "event", str(interviewed["id"]), "--yes", now=NOW).stdout
    assert "Deleted “Interviewed” of 27 Feb 2026 on Acme Corp — Data Analyst." in out
    assert [e["type"] for e in nudge.json("show", "acme", now=NOW)["events"]] == ["applied"]
    missing = nudge("delete", "event", "999", "--yes", now=NOW, ok=False)
    assert missing.returncode == 4


def test_a_second_interview_at_the_same_time_needs_again(nudge: Nudge) -> None:
    start(nudge)
    args = ("log", "acme", "scheduled", "--for", "2026-03-10 10:00", "--with", "Raj Patel")
    nudge(*args, now=NOW)
    twice = nudge(*args, now=NOW, ok=False)
    assert twice.returncode == 6
    assert "error: --for: an interview on Acme Corp — Data Analyst is already scheduled for" in (
        twice.stderr
    )
    assert "add --again" in twice.stderr
    scheduled = [
        e for e in nudge.json("show", "acme", now=NOW)["events"] if e["type"] == "scheduled"
    ]
    assert len(scheduled) == 1
    nudge(*args, "--again", now=NOW)
    nudge("log", "acme", "scheduled", "--for", "2026-03-10 14:00", now=NOW)  # another time: fine
    scheduled = [
        e for e in nudge.json("show", "acme", now=NOW)["events"] if e["type"] == "scheduled"
    ]
    assert len(scheduled) == 3


def test_undoing_a_contact_s_deletion_speaks_of_a_person(nudge: Nudge) -> None:
    start(nudge)
    nudge("delete", "contact", "Dana Lee", "--yes", now=NOW)
    back = nudge("undo", now=NOW)
    assert back.stdout.strip() == "Put back Dana Lee; their follow-ups are planned again."
