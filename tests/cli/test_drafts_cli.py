"""`nudge draft`, `nudge check` and `nudge sent` through the real command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Nudge

NOW = "2026-03-05 15:10"


def interviewed(nudge: Nudge) -> dict[str, str]:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now=NOW)
    nudge("add", "Globex", "BI Developer", "--applied", "2026-02-25", now=NOW)
    nudge(
        "contact",
        "add",
        "Dana Lee",
        "--company",
        "Acme Corp",
        "--email",
        "dana@acme.example",
        "--salutation",
        "Ms.",
        "--role",
        "interviewer",
        now=NOW,
    )
    nudge(
        "log",
        "acme",
        "interviewed",
        "--at",
        "2026-03-05 14:00",
        "--with",
        "Dana Lee",
        "--round",
        "1",
        "--decision-by",
        "2026-03-13",
        "--note",
        "the churn dashboard",
        now=NOW,
    )
    agenda = nudge.json("today", now=NOW)
    return {i["contact"]: i["id"] for i in agenda if i["rule"] == "interview.thank-you"}


def test_a_draft_names_the_right_people_and_passes_its_own_checker(nudge: Nudge) -> None:
    thanks = interviewed(nudge)
    shown = nudge.json("draft", thanks["Dana Lee"], now=NOW)
    assert shown["rule"] == "interview.thank-you"
    assert shown["to_address"] == "dana@acme.example"
    assert "Dear Ms. Lee" in shown["body"]
    assert "Acme Corp" in shown["text"] and "Globex" not in shown["text"]
    assert "the churn dashboard" in shown["body"]
    # Only the timing guard (sending within the first hour) and unfilled slots, never a mistake.
    assert {f["code"] for f in shown["findings"]} <= {"timing", "placeholder"}


def test_check_catches_the_wrong_company_and_a_misspelled_name(nudge: Nudge) -> None:
    interviewed(nudge)
    text = (
        "Dear Ms. Lea,\n\nThank you for meeting me about the Data Analyst role at Globex. "
        "I'm desperate for this job.\n\nBest regards,\nAlex"
    )
    result = nudge(
        "check",
        "-",
        "--to",
        "acme",
        "--contact",
        "Dana Lee",
        "--json",
        now=NOW,
        ok=False,
        stdin=text,
    )
    assert result.returncode == 1  # errors found: a script can stop the send
    codes = {f["code"] for f in json.loads(result.stdout)}
    assert {"wrong-company", "name-spelling", "pleading"} <= codes
    for f in json.loads(result.stdout):
        assert set(f) == {"code", "severity", "start", "end", "message"}
    human = nudge(
        "check", "-", "--to", "acme", "--contact", "Dana Lee", now=NOW, ok=False, stdin=text
    )
    assert "Globex" in human.stdout and "Lea" in human.stdout


def test_sent_logs_the_text_and_completes_only_that_nudge(nudge: Nudge) -> None:
    thanks = interviewed(nudge)
    nudge("draft", thanks["Dana Lee"], now=NOW)
    nudge("sent", thanks["Dana Lee"], now="2026-03-05 18:00")
    after = nudge.json("today", now="2026-03-05 18:05")
    assert not any(i["rule"] == "interview.thank-you" for i in after)
    sent = [e for e in nudge.json("show", "acme", now=NOW)["events"] if e["type"] == "sent"]
    assert sent and sent[0]["kind"] == "thank-you" and sent[0]["with"] == ["Dana Lee"]


def test_prompts_have_no_draft(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", now=NOW)
    nudge("log", "acme", "interviewed", "--at", "2026-03-05 14:00", now=NOW)
    prompt = next(i for i in nudge.json("today", now=NOW) if i["rule"] == "interview.ask-timeline")
    result = nudge("draft", prompt["id"], now=NOW, ok=False)
    assert result.returncode == 2 and "prompt" in result.stderr


def test_sent_with_checker_errors_needs_anyway_and_never_says_sent(
    nudge: Nudge, tmp_path: Path
) -> None:
    thanks = interviewed(nudge)
    wrong = tmp_path / "thanks.txt"
    wrong.write_text(
        "Dear Ms. Lee,\n\nThank you for meeting me today about the Data Analyst role at "
        "Globex.\n\nBest regards,\nAlex Morgan\n",
        encoding="utf-8",
    )

    refused = nudge("sent", thanks["Dana Lee"], "--file", str(wrong), now=NOW, ok=False)

    assert refused.returncode == 6
    assert "--anyway" in refused.stderr and "wrong-company" in refused.stderr
    assert "Globex" in refused.stdout  # the findings, shown where they are
    assert any(i["rule"] == "interview.thank-you" for i in nudge.json("today", now=NOW))

    done = nudge("sent", thanks["Dana Lee"], "--file", str(wrong), "--anyway", now=NOW)

    assert done.stdout.startswith("Logged as sent: “Send a thank-you” to Dana Lee (Acme Corp).")
    assert "interview.thank-you" not in done.stdout
    assert not any(i["rule"] == "interview.thank-you" for i in nudge.json("today", now=NOW))


def test_an_offer_is_answered_by_accepting_or_declining_it(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now=NOW)
    early = nudge("log", "acme", "accepted", now=NOW, ok=False)
    assert early.returncode == 2 and "log the offer first" in early.stderr

    nudge("log", "acme", "offer", "--with", "Dana Lee", "--decision-by", "2026-03-10", now=NOW)
    decide = [i for i in nudge.json("today", now=NOW) if i["rule"] == "offer.decide"]
    assert len(decide) == 1 and "Tue 10 Mar" in decide[0]["reason"]

    logged = nudge.json("log", "acme", "declined", now=NOW)
    assert logged["stage"] == "withdrawn"
    assert not any(i["rule"] == "offer.decide" for i in nudge.json("today", now=NOW))
    again = nudge("log", "acme", "accepted", now=NOW, ok=False)
    assert again.returncode == 2 and "already declined" in again.stderr


def test_a_draft_to_someone_with_no_address_says_how_to_add_one(nudge: Nudge) -> None:
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now=NOW)
    nudge("contact", "add", "Raj Patel", "--company", "Acme Corp", now=NOW)
    nudge("log", "acme", "interviewed", "--at", "2026-03-05 14:00", "--with", "Raj Patel", now=NOW)
    agenda = nudge.json("today", now=NOW)
    (thanks,) = [i["id"] for i in agenda if i["rule"] == "interview.thank-you"]
    out = nudge("draft", thanks, now=NOW).stdout
    assert "To: Raj Patel\n" in out
    assert "Raj Patel has no e-mail address on record" in " ".join(out.split())
    assert 'nudge contact edit "Raj Patel" --email EMAIL' in " ".join(out.split())
    nudge("contact", "edit", "Raj Patel", "--email", "raj@acme.example", now=NOW)
    shown = nudge.json("draft", thanks, now=NOW)
    assert shown["to_address"] == "raj@acme.example"
    assert "no-address" not in {f["code"] for f in shown["findings"]}
