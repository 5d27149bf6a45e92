"""The agenda: one indexed query, the same rows from the Store and from the stdlib fast path."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from jobnudge.domain import Channel, Nudge
from jobnudge.store import Store, fastread
from jobnudge.store.reads import agenda_select, nudges_select
from jobnudge.store.revision import HEAD

from .helpers import T0, World, nudge, sqlite_only

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
DENVER = ZoneInfo("America/Denver")


@pytest.fixture
def agenda(store: Store, owner: int, world: World) -> dict[str, Nudge]:
    """Nudges around NOW and the end of the day, some expired, some user-level."""
    opp = world.opportunity.id
    made = {
        "late": nudge("late", NOW + timedelta(hours=5), opportunity_id=opp),
        "soon": nudge(
            "soon", NOW - timedelta(hours=1), opportunity_id=opp, contact_id=world.dana.id
        ),
        "overdue": nudge(
            "overdue", NOW - timedelta(days=2), opportunity_id=opp, expires=NOW + timedelta(1)
        ),
        "expired": nudge("expired", NOW - timedelta(days=3), opportunity_id=opp, expires=NOW),
        "tomorrow": nudge("tomorrow", NOW + timedelta(days=1, hours=1), opportunity_id=opp),
        "staffing": nudge(
            "staffing",
            datetime(2025, 3, 10, 6, 30, tzinfo=DENVER),  # 12:30 UTC: DST began on the 9th
            opportunity_id=None,
            contact_id=world.raj.id,
            channel=None,
        ),
        "review": nudge("review", NOW, opportunity_id=None),
    }
    with store.transaction() as tx:
        tx.replace_nudges(owner, opp, [n for n in made.values() if n.opportunity_id == opp])
        tx.replace_nudges(owner, None, [n for n in made.values() if n.opportunity_id is None])
    return made


def test_agenda_order_until_and_expiry(store: Store, owner: int, agenda: dict[str, Nudge]) -> None:
    end_of_day = NOW + timedelta(hours=6)
    keys = [n.key for n in store.nudges(owner, until=end_of_day, now=NOW)]
    # "expired" expires exactly at NOW: gone. "tomorrow" is after ``until``.
    assert keys == ["overdue", "soon", "review", "staffing", "late"]
    assert [n.key for n in store.nudges(owner, until=NOW, now=NOW)] == ["overdue", "soon", "review"]
    early = NOW - timedelta(days=5)
    everything = store.nudges(owner, until=NOW + timedelta(days=9), now=early)
    assert [n.key for n in everything][:2] == ["expired", "overdue"]
    assert len(everything) == len(agenda)
    assert store.nudges(owner, until=early, now=early) == []


def test_agenda_rows_carry_the_names(
    store: Store, owner: int, world: World, agenda: dict[str, Nudge]
) -> None:
    rows = {r.key: r for r in store.agenda_rows(owner, NOW + timedelta(hours=6), NOW)}
    soon = rows["soon"]
    assert (soon.company, soon.role, soon.contact) == ("Acme", "Data Engineer", "Dana Smith")
    assert (soon.contact_tz, soon.contact_country) == ("America/Denver", None)
    assert soon.short_id == agenda["soon"].id and soon.channel is Channel.EMAIL
    staffing = rows["staffing"]
    assert staffing.company is None and staffing.role is None and staffing.contact == "Raj Patel"
    assert staffing.due == datetime(2025, 3, 10, 12, 30, tzinfo=UTC) and staffing.channel is None
    review = rows["review"]
    assert review.contact is None and review.contact_id is None and review.opportunity_id is None


def test_replace_nudges_touches_one_scope_only(
    store: Store, owner: int, world: World, agenda: dict[str, Nudge]
) -> None:
    opp = world.opportunity.id
    with store.transaction() as tx:
        tx.replace_nudges(owner, opp, [nudge("fresh", NOW, opportunity_id=opp)])
    assert [n.key for n in store.opportunity_nudges(owner, opp)] == ["fresh"]
    assert [n.key for n in store.opportunity_nudges(owner, None)] == ["review", "staffing"]
    with store.transaction() as tx:
        tx.replace_nudges(owner, None, [])
        with pytest.raises(ValueError, match="belongs to opportunity"):
            tx.replace_nudges(owner, None, [nudge("wrong", NOW, opportunity_id=opp)])
    assert store.opportunity_nudges(owner, None) == []
    assert [n.key for n in store.opportunity_nudges(owner, opp)] == ["fresh"]


def test_nudge_by_short_id_prefix(store: Store, owner: int, agenda: dict[str, Nudge]) -> None:
    for item in agenda.values():
        assert item in store.nudge_by_short_id(owner, item.id[:4])
        assert store.nudge_by_short_id(owner, item.id.upper()) == [item]
    everyone = [store.nudge_by_short_id(owner, digit) for digit in "0123456789abcdef"]
    assert sum(len(found) for found in everyone) == len(agenda)
    assert store.nudge_by_short_id(owner, "xyz") == []
    assert store.nudge_by_short_id(owner, "") == []


@sqlite_only
def test_fastread_returns_what_the_store_returns(
    store: Store, owner: int, agenda: dict[str, Nudge]
) -> None:
    path = store.sqlite_path
    assert path is not None and fastread.schema_is_current(path)
    for until, now in [
        (NOW + timedelta(hours=6), NOW),
        (NOW, NOW),
        (NOW + timedelta(days=30), NOW - timedelta(days=30)),
        (NOW - timedelta(days=30), NOW),
    ]:
        fast = fastread.agenda_rows(path, "local", until.astimezone(DENVER), now)
        assert fast == store.agenda_rows(owner, until, now)
    assert len(fastread.agenda_rows(path, "local", NOW + timedelta(days=30), T0)) == len(agenda)
    assert fastread.agenda_rows(path, "somebody else", NOW, NOW) == []
    with pytest.raises(ValueError, match="aware"):
        fastread.agenda_rows(path, "local", datetime(2025, 1, 1), NOW)


@sqlite_only
def test_agenda_query_uses_the_owner_due_index(
    store: Store, owner: int, agenda: dict[str, Nudge]
) -> None:
    path = store.sqlite_path
    assert path is not None
    statements = [(fastread._AGENDA_SQL, [owner, "2025-03-10 12:00:00.000000", "x"])]
    for select in (agenda_select(owner, NOW, NOW), nudges_select(owner, NOW, NOW)):
        compiled = select.compile(dialect=store.engine.dialect)
        params = [compiled.params[name] for name in compiled.positiontup or ()]
        statements.append((str(compiled), [str(p) for p in params]))
    connection = sqlite3.connect(path)
    try:
        for sql, params in statements:
            plan = [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, params)]
            # A range search of (owner_id, due) first; every join by primary key; no scan.
            assert re.match(r"SEARCH (n|nudges) USING INDEX ix_nudges_owner_id_due ", plan[0])
            assert not any(step.startswith("SCAN") for step in plan), plan
    finally:
        connection.close()


@sqlite_only
def test_schema_is_current(store: Store, tmp_path: Path) -> None:
    path = store.sqlite_path
    assert path is not None
    assert fastread.schema_is_current(path)
    missing = tmp_path / "missing.sqlite"
    assert not fastread.schema_is_current(missing)
    assert not missing.exists()
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database")
    assert not fastread.schema_is_current(junk)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    assert not fastread.schema_is_current(path)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD})
    assert fastread.schema_is_current(path)


def test_fastread_imports_no_sqlalchemy() -> None:
    code = (
        "import sys, jobnudge.store.fastread, jobnudge.store.location, jobnudge.store; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')); "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
