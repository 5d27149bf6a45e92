""" "Due today" is the user's day everywhere: the Quick start (`nudge demo --quiet && nudge`) run
just after midnight UTC, with no zone in the profile, reads the day, the heading and every time
in the machine's zone; a follow-up that fell due on an earlier day and is not late yet shows its
deadline under "Due today", never the earlier day."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.cli.conftest import Nudge

JUST_AFTER_MIDNIGHT = datetime(2026, 12, 8, 0, 44, tzinfo=UTC)  # Tuesday in UTC
DAY = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) (Dec|Jan)\b")


def _due_column(table: str) -> list[str]:
    """The due column of a boxed table, one string per row."""
    rows: list[str] = []
    for line in table.splitlines():
        if line.startswith(("├", "┡")):
            rows.append("")
        elif line.startswith("│") and rows:
            rows[-1] = " ".join((rows[-1] + " " + line.split("│")[2].strip()).split())
    return rows


def _section(out: str, title: str) -> str:
    """The table under ``title``: up to the next group's heading."""
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"{title} ("))
    end = next(
        (n for n in range(start + 1, len(lines)) if re.match(r"\w.* \(\d+\) *$", lines[n])),
        len(lines),
    )
    return "\n".join(lines[start:end])


@pytest.mark.parametrize(
    ("zone", "today"),
    [("Etc/UTC", date(2026, 12, 8)), ("America/Los_Angeles", date(2026, 12, 7))],
)
def test_due_today_is_the_users_day_in_the_machines_zone(
    nudge: Nudge, zone: str, today: date
) -> None:
    (nudge.home / "config.toml").write_text('[profile]\nname = "Alex Morgan"\n', "utf-8")
    nudge.env["TZ"] = zone  # no profile.tz: the machine's zone is the user's
    now = JUST_AFTER_MIDNIGHT.isoformat()
    nudge("demo", "--quiet", now=now)
    out = nudge(now=now).stdout
    local = JUST_AFTER_MIDNIGHT.astimezone(ZoneInfo(zone))
    assert f"Follow-ups as of {local:%a} {local.day} {local:%b} {local:%H:%M} ({zone})" in out

    rows = _due_column(_section(out, "Due today"))
    assert rows, out
    for row in rows:
        days = [int(d) for d, _ in DAY.findall(row.split("(")[0])]
        assert days, row
        if row.startswith("by "):  # fell due earlier, not late yet: its deadline
            assert days[0] >= today.day, row
        else:
            assert days == [today.day], row

    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    for item in nudge.json("today", now=now):  # every time in the user's zone
        assert item["due"].endswith(offset), item
        if item["group"] == "today":
            due = datetime.fromisoformat(item["due"])
            assert due.date() == today or (
                due.date() < today and datetime.fromisoformat(item["due_by"]) > local
            ), item
        if item["group"] == "upcoming":
            assert datetime.fromisoformat(item["due"]).date() > today, item
