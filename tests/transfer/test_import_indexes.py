"""A large import on SQLite writes its tables without their secondary indexes and builds them
again in the same transaction (``store.bulk_indexes``): afterwards the schema is the one the
migrations made, a failed import leaves it so too, and the indexes are only set aside when the
import at least doubles the table. On a real SQLite file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.store import bulk, bulk_indexes
from jobnudge.store.tables import events, nudges

from .conftest import make_session
from .test_batch_paths import _six_thousand_rows, _write
from .test_messy_properties import HEADER


def _schema(session: Session) -> list[tuple[str, str]]:
    with session.store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        )
        return [(r.name, r.sql) for r in rows]


@pytest.fixture
def session() -> Iterator[Session]:
    with tempfile.TemporaryDirectory() as folder:
        opened = make_session(None, Path(folder) / "data")
        try:
            yield opened
        finally:
            opened.close()


def test_after_a_large_import_every_index_is_back_as_the_migrations_made_it(
    session: Session, tmp_path: Path
) -> None:
    before = _schema(session)
    assert any(name == "ix_events_actions" for name, _sql in before)
    importing.import_file(session, _six_thousand_rows(tmp_path))
    assert _schema(session) == before
    with session.store.engine.connect() as conn:  # and they answer: the planner uses them
        plan = conn.execute(
            text("EXPLAIN QUERY PLAN SELECT key FROM nudges WHERE owner_id = 1 ORDER BY due")
        ).all()
        assert "ix_nudges_owner_id_due" in " ".join(str(r) for r in plan)
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_a_failed_large_import_leaves_the_indexes(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _schema(session)
    real = bulk.add_events

    def failing(tx: Any, owner: int, new: Any) -> None:
        real(tx, owner, new)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk, "add_events", failing)
    with pytest.raises(RuntimeError, match="the disk is full"):
        importing.import_file(session, _six_thousand_rows(tmp_path))
    assert _schema(session) == before
    monkeypatch.undo()
    importing.import_file(session, _six_thousand_rows(tmp_path))
    assert _schema(session) == before


def _indexes_inside(session: Session, expected: int) -> set[str]:
    """The names of the events and nudges indexes while ``set_aside`` holds them."""
    with (
        session.store.transaction() as tx,
        bulk_indexes.set_aside(tx, {events: expected, nudges: expected}),
    ):
        rows = tx._conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name IN ('events', 'nudges')"
            )
        )
        return {r.name for r in rows}


def test_indexes_are_kept_when_the_table_holds_more_than_the_import_adds(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        [f"Firm {n}", "Analyst", "2026-01-05", "Rejected", "2026-01-20"] + [""] * (len(HEADER) - 5)
        for n in range(300)
    ]
    importing.import_file(session, _write(tmp_path, rows))  # 600 events, 300 follow-ups
    every = {name for name, _sql in _schema(session)}
    kept = _indexes_inside(session, 100)
    assert {"ix_events_owner_id_type_at", "ix_nudges_owner_id_due"} <= kept
    set_aside = _indexes_inside(session, 5_000)
    # Random-order indexes go; those the new rows append to in order stay, as do constraints.
    assert "ix_events_owner_id_type_at" not in set_aside
    assert "ix_nudges_owner_id_due" not in set_aside
    assert "ix_nudges_owner_id_short_id" not in set_aside
    assert {"ix_events_owner_id_opportunity_id_at", "ix_events_turns"} <= set_aside
    assert "ix_nudges_owner_id_opportunity_id" in set_aside
    assert {n for n in every if n.startswith("sqlite_autoindex_nudges")} <= set_aside
    assert {name for name, _sql in _schema(session)} == every
