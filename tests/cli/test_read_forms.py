"""The JSON forms of every read command, the demo search, and the fast start-up path."""

from __future__ import annotations

import json
import subprocess
import sys

from jobnudge.playbook.engine import RULE_IDS
from tests.cli.conftest import Nudge

NOW = "2026-03-04 12:00"
AGENDA_KEYS = {
    "id",
    "key",
    "rule",
    "group",
    "opportunity_id",
    "company",
    "role",
    "contact",
    "contact_id",
    "contact_tz",
    "channel",
    "due",
    "due_by",
    "ok_now",
    "blocked_by",
    "reason",
    "message",
}


def test_the_demo_covers_most_rules_and_every_json_form(nudge: Nudge) -> None:
    nudge("demo", now=NOW)
    agenda = nudge.json("today", "--days", "120", now=NOW)
    assert agenda, "the demo search must have follow-ups"
    for item in agenda:
        assert set(item) == AGENDA_KEYS
        assert item["rule"] in RULE_IDS
        assert item["reason"].endswith((".", ")"))
        assert item["due"][-6] in "+-"  # ISO 8601 with an offset
    assert len({i["rule"] for i in agenda}) >= 10

    listing = nudge.json("list", now=NOW)
    assert len(listing) == 12
    assert {o["stage"] for o in listing} >= {
        "applied",
        "interviewing",
        "offer",
        "rejected",
        "withdrawn",
        "no-response",
        "lead",
    }
    shown = nudge.json("show", str(listing[0]["id"]), now=NOW)
    assert {"events", "contacts", "nudges", "company", "role", "stage"} <= set(shown)
    people = nudge.json("contact", "list", now=NOW)
    assert {"Dana Lee", "Tess Marlow"} <= {p["name"] for p in people}
    assert all(set(p) >= {"tz", "country", "roles", "first_name_ok"} for p in people)
    again = nudge("demo", now=NOW, ok=False)
    assert again.returncode == 6 and "already holds" in again.stderr
    assert nudge("demo", "--quiet", now=NOW).returncode == 0


def test_the_agenda_on_sqlite_never_imports_sqlalchemy(nudge: Nudge) -> None:
    nudge("demo", now=NOW)
    probe = (
        "import sys; sys.argv = ['nudge', '--json']\n"
        "from jobnudge.cli.main import run\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "print('SQLA' if 'sqlalchemy' in sys.modules else 'LIGHT', file=sys.stderr)\n"
    )
    env = dict(nudge.env, NUDGE_NOW=NOW)
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stderr.strip().endswith("LIGHT"), result.stderr
    assert json.loads(result.stdout) == nudge.json(now=NOW)


def test_settings_lists_every_number_with_its_reason(nudge: Nudge) -> None:
    shown = nudge.json("settings")
    assert shown["profile"]["tz"] == "America/New_York"
    assert all(row["why"] for row in shown["playbook"])
    (nudge.home / "config.toml").write_text(
        '[profile]\ntz = "America/New_York"\n[playbook]\napply_check_in_days = 9\n'
    )
    nudge("add", "Acme", "Analyst", "--applied", "2026-03-02", now=NOW)
    check_in = next(
        i for i in nudge.json("today", "--days", "30", now=NOW) if i["rule"] == "apply.check-in"
    )
    assert check_in["due"].startswith("2026-03-11")
