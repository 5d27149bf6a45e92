"""A long backlog: the table stops at 20 a group and says how many more; --all and JSON list all."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import Nudge

NOW = "2026-03-16 10:00"


def test_a_long_agenda_is_cut_and_says_how_to_see_the_rest(nudge: Nudge, tmp_path: Path) -> None:
    sheet = tmp_path / "applied.csv"
    rows = [f"Company {n:02},Analyst,2026-03-06" for n in range(25)]
    sheet.write_text("Company,Role,Date applied\n" + "\n".join(rows) + "\n", encoding="utf-8")
    nudge("import", str(sheet), now=NOW)
    agenda = nudge.json("today", now=NOW)
    check_ins = [i for i in agenda if i["rule"] == "apply.check-in"]
    assert len(check_ins) == 25
    groups = {i["group"] for i in check_ins}
    assert len(groups) == 1
    short = nudge("today", now=NOW).stdout
    shown = [i["id"] for i in check_ins if re.search(rf"\b{i['id']}\b", short)]
    assert len(shown) == 20
    [group] = groups
    in_group = [i for i in agenda if i["group"] == group]  # the weekly review may join them
    hidden = len(in_group) - 20
    more = rf"… and {hidden} more (overdue|due today|coming up): nudge today --all"
    assert re.search(more, short)
    everything = nudge("today", "--all", now=NOW).stdout
    assert all(re.search(rf"\b{i['id']}\b", everything) for i in check_ins)
    assert "--all lists them" not in everything
