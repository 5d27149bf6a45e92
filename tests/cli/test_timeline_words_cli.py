"""`nudge show` and the export word a decided follow-up by its title ("Follow-up snoozed:
Check in on your application"), never "nudge-snoozed (apply.check-in)"; ``--json`` keeps the
stored type and adds the words."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.cli.conftest import Nudge

LABEL = re.compile(r"nudge-(?:done|snoozed|dismissed)|\b[a-z]+\.[a-z]+-[a-z-]+\b")


def test_decided_follow_ups_read_by_their_title(nudge: Nudge, tmp_path: Path) -> None:
    nudge("add", "Globex", "BI Developer", "--applied", "2026-11-10")
    nudge("add", "Acme", "Analyst", "--applied", "2026-11-11")
    ids = [row["id"] for row in nudge.json("today", "--days", "30")]
    assert len(ids) >= 2
    nudge("snooze", ids[0], "--until", "tomorrow 9am")
    nudge("done", ids[1])
    shown = nudge("show", "globex").stdout + nudge("show", "acme").stdout
    assert LABEL.findall(shown) == [], shown
    assert "Follow-up snoozed: Check in on your application until" in shown
    assert "Follow-up done: Check in on your application" in shown
    events = nudge.json("show", "globex")["events"] + nudge.json("show", "acme")["events"]
    decided = [e for e in events if e["type"].startswith("nudge-")]
    assert {e["follow_up"] for e in decided} == {"Check in on your application"}
    assert all(e["title"].startswith("Follow-up ") for e in decided)
    out = tmp_path / "events.csv"
    nudge("export", str(out), "--sheet", "events")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert LABEL.findall(" ".join(" ".join(r) for r in rows)) == []
    assert any("Follow-up done: Check in on your application" in r for r in rows)
    out = tmp_path / "nudges.csv"
    nudge("export", str(out), "--sheet", "nudges")
    assert LABEL.findall(out.read_text(encoding="utf-8-sig")) == []
