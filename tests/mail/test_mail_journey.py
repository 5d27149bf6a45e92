"""The issue's "done when", as a user types it, against the real servers: approve a thank-you
and a status check; both arrive once, threaded; the employer's reply to the status check is
logged at the next sync and the pending follow-up disappears with the reason shown; an
out-of-office does nothing. (Killing the sender: test_mail_faults.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from jobnudge.playbook.wording import title
from tests.pinned import as_env

from .conftest import MailWorld
from .servers import PASSWORD

NUDGE = str(Path(sys.executable).parent / "nudge")


def test_the_issue_done_when(world: MailWorld) -> None:
    home = world.home / "cli"
    home.mkdir()
    (home / "config.toml").write_text(world.toml(), encoding="utf-8")
    env = {
        **os.environ,
        "NUDGE_DATA_DIR": str(home / "data"),
        "NUDGE_CONFIG": str(home / "config.toml"),
        "NUDGE_MAIL_PASSWORD": PASSWORD,
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }
    env.pop("NUDGE_DB", None)
    now = world.now  # every command runs at the pinned moment
    env["NUDGE_NOW"] = as_env(now)

    def nudge(*args: str, code: int = 0) -> str:
        done = subprocess.run([NUDGE, *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == code, f"nudge {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def as_json(*args: str) -> Any:
        return json.loads(nudge("--json", *args))

    nudge("add", "Acme", "Data Analyst", "--applied", (now - timedelta(days=9)).isoformat())
    nudge(
        "contact", "add", "Dana Lee", "--company", "Acme", "--email", world.employer_address,
        "--tz", "America/New_York", "--role", "interviewer", "--salutation", "Ms.",
    )  # fmt: skip
    nudge(
        "log", "acme", "interviewed", "--with", "Dana Lee", "--round", "2",
        "--at", (now - timedelta(hours=3)).isoformat(), "--note", "the churn dashboard",
    )  # fmt: skip
    nudge("mail", "test")

    agenda = as_json("today", "--days", "30")
    ids = {item["rule"]: item["id"] for item in agenda}
    thanks, check = ids["interview.thank-you"], ids["interview.status-check"]
    for handle in (thanks, check):  # the user fills in (here: deletes) the optional slots
        path = Path(as_json("draft", handle)["path"])
        path.write_text(re.sub(r"\s*\[\[[^\]]*\]\]", "", path.read_text()), encoding="utf-8")

    shown = nudge("mail", "send", thanks)
    assert "Subject:" in shown and "Approve: nudge mail send" in shown
    assert world.dovecot.messages(world.employer) == []  # a preview sends nothing
    assert "sent:" in nudge("mail", "send", thanks, "--now")
    assert "sent:" in nudge("mail", "send", check, "--now")

    delivered = [
        message_from_bytes(m, policy=policy.default) for m in world.dovecot.messages(world.employer)
    ]
    assert len(delivered) == 2
    first, second = delivered
    assert len({m["Message-ID"] for m in delivered}) == 2
    assert second["In-Reply-To"] == first["Message-ID"]
    assert first["Message-ID"] in second["References"]
    assert nudge("mail", "flush").strip() == "Nothing to send now."
    assert len(world.dovecot.messages(world.employer)) == 2
    outbox = as_json("mail", "outbox", "--all")
    assert [o["state"] for o in outbox] == ["sent", "sent"]

    pending = {item["rule"] for item in as_json("show", "acme")["nudges"]}
    assert "interview.thank-you" not in pending and "interview.status-check" not in pending
    waiting = pending - {"interview.ask-timeline"}
    assert waiting, pending  # something still waits for their answer (silence.retry)

    world.employer_writes(
        "Automatic reply: Following up",
        "I am out of the office until Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    out = nudge("mail", "sync")
    assert "Not a reply (automatic)" in out and "Logged" not in out
    assert {item["rule"] for item in as_json("show", "acme")["nudges"]} == pending

    world.employer_writes(
        f"Re: {second['Subject']}",
        "Hi Alex, thanks for checking in. We will decide by the end of next week.",
        in_reply_to=second["Message-ID"],
        when=now,
    )
    out = nudge("mail", "sync")
    assert "Logged reply from Dana Lee on Acme — Data Analyst" in out
    for rule in waiting:  # named in words, as people read them
        assert f"“{title(rule)}” to Dana Lee" in out or f"“{title(rule)}” (" in out, out
        assert rule not in out
    assert "no longer pending: they replied." in out
    after = {item["rule"] for item in as_json("show", "acme")["nudges"]}
    assert not (after & waiting), after
    events = [e["type"] for e in as_json("show", "acme")["events"]]
    assert events.count("sent") == 2 and events.count("received") == 1
    contacts = as_json("contact", "list")
    assert contacts[0]["email_bounced"] is None
