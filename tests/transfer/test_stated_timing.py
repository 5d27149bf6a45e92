"""A decision date or response time written in a tracker's notes holds back the follow-ups
(``guard.not-too-early``): nothing to the employer before the time they stated has passed.

On real SQLite files, with the clock pinned to Mon 7 Dec 2026 10:00 in the user's zone."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jobnudge.services import importing
from jobnudge.store.tables import events as events_table
from jobnudge.store.tables import nudges as nudges_table

from .conftest import make_session
from .test_batch_paths import _dump

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)  # a Monday
TODAY = NOW.date()
HEADER = ["Company", "Role", "Applied", "Status", "Interview", "Follow up", "Notes"]
ROWS: list[list[object]] = [
    [
        "Umbrella AG",
        "Data Analyst",
        date(2026, 11, 30),
        "Interview",
        datetime(2026, 12, 7, 8, 0),
        "decide by 18 Dec",
        "They said they decide by Fri 18 Dec",
    ],
    [
        "Initech",
        "Analyst",
        date(2026, 12, 1),
        "Applied",
        None,
        None,
        "posting said: response within 2 weeks",
    ],
]
TO_EMPLOYER = ("interview.status-check", "apply.check-in", "silence.")


def _follow_ups(session: object) -> list[tuple[str, int, date]]:
    """The stored follow-ups to an employer: rule, opportunity, local due day."""
    with session.store.engine.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(
            select(nudges_table.c.rule, nudges_table.c.opportunity_id, nudges_table.c.due)
        ).all()
    return [
        (rule, oid, due.astimezone(ZONE).date())
        for rule, oid, due in rows
        if rule.startswith(TO_EMPLOYER)
    ]


def _decisions(session: object) -> list[date]:
    with session.store.engine.connect() as conn:  # type: ignore[attr-defined]
        found = conn.execute(select(events_table.c.decision_by)).scalars().all()
    return [d for d in found if d is not None]


def _import(path: Path, folder: Path, one_by_one: bool) -> tuple[object, object]:
    session = make_session(None, folder, now=NOW)
    try:
        report = importing.import_file(session, path, one_by_one=one_by_one)
        return report, (_dump(session), _follow_ups(session), _decisions(session))
    finally:
        session.close()


def test_stated_decision_and_response_time_hold_back_the_follow_ups(
    write_xlsx: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_xlsx([HEADER, *ROWS])
    report, (_tables, follow_ups, decided) = _import(path, tmp_path / "fast", False)
    assert decided == [date(2026, 12, 18)]
    due = {oid: day for rule, oid, day in follow_ups}
    rules = {rule for rule, _oid, _day in follow_ups}
    assert {"interview.status-check", "apply.check-in"} <= rules, follow_ups
    assert due[1] > date(2026, 12, 18), follow_ups  # the first working day after it: Mon 21
    assert due[1] == date(2026, 12, 21)
    assert due[2] >= date(2026, 12, 15), follow_ups
    shown = {line.row: line.events for line in report.new}  # type: ignore[attr-defined]
    assert any("decision stated by Fri 2026-12-18" in e for e in shown[2]), shown
    assert "response stated within 14 days" in shown[3], shown
    # The one-by-one path writes the same rows.
    _report, slow = _import(path, tmp_path / "slow", True)
    _report, fast = _import(path, tmp_path / "again", False)
    assert slow == fast


def test_a_date_that_is_not_understood_changes_nothing(
    write_xlsx: Callable[..., Path], tmp_path: Path
) -> None:
    rows = [[*ROWS[0][:5], "", "they decide by the end of the quarter, maybe"]]
    path = write_xlsx([HEADER, *rows])
    _report, (_tables, follow_ups, decided) = _import(path, tmp_path, False)
    assert decided == []
    assert [rule for rule, _o, _d in follow_ups] == ["interview.status-check"]


FORMATS = st.sampled_from(
    ["%d %b", "%a %d %b", "%A %d %B", "%A, %d %B %Y", "%B %d, %Y", "%Y-%m-%d", "%d.%m.", "%d %B"]
)
SAYINGS = st.sampled_from(
    [
        "decide by {}",
        "They said they decide by {}.",
        "decision by {}",
        "will let me know by {}",
        "hear back by {}; then call",
        "Entscheidung bis {}",
    ]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ahead=st.integers(0, 60),
    fmt=FORMATS,
    saying=SAYINGS,
    interviewed=st.booleans(),
)
@example(ahead=0, fmt="%Y-%m-%d", saying="They said they decide by {}.", interviewed=False)
def test_any_stated_decision_day_is_stored_and_nothing_falls_due_before_it(
    write_xlsx: Callable[..., Path], ahead: int, fmt: str, saying: str, interviewed: bool
) -> None:
    day = TODAY + timedelta(days=ahead)
    note = saying.format(day.strftime(fmt))
    interview = datetime(2026, 12, 4, 14, 0) if interviewed else None
    status = "Interview" if interviewed else "Applied"
    row = ["Umbrella AG", "Data Analyst", date(2026, 11, 20), status, interview, None, note]
    path = write_xlsx([HEADER, row], name=f"t{ahead}.xlsx")
    with tempfile.TemporaryDirectory() as folder:
        _report, (_tables, follow_ups, decided) = _import(path, Path(folder), False)
    assert decided == [day], note
    assert all(due > day for _rule, _oid, due in follow_ups), (note, follow_ups)
