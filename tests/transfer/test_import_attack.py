"""Messy inputs the import's batch path met in review, each on a real SQLite file and a real
PostgreSQL database, through the batch path and the one-by-one path.

A file named in another encoding than the system's (an old archive's "M\\xe4rz.csv" on a UTF-8
system) reaches Python as a name with a lone surrogate; every event's note names the file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from jobnudge.errors import NudgeError
from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.store.tables import OWNED_TABLES

from .conftest import Nudge, make_session
from .test_messy_properties import HEADER


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_session(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Session]:
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    session = make_session(url, tmp_path / "data")
    try:
        yield session
    finally:
        session.close()


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *(r + [""] * (len(HEADER) - len(r)) for r in rows)])
    return path


def _rows(session: Session) -> dict[str, int]:
    with session.store.engine.connect() as conn:
        return {
            t.name: len(conn.execute(select(t).where(t.c.owner_id == session.owner)).all())
            for t in OWNED_TABLES
        }


@pytest.mark.parametrize("one_by_one", [False, True])
def test_a_file_named_in_another_encoding_imports_or_is_refused_in_words(
    store_session: Session, tmp_path: Path, one_by_one: bool
) -> None:
    name = os.fsdecode(b"M\xe4rz.csv")  # "M\udce4rz.csv": Latin-1 bytes on a UTF-8 system
    path = _write(tmp_path / name, [["Acme", "Analyst", "2026-01-05", "Applied"]])
    before = _rows(store_session)
    try:
        report = importing.import_file(store_session, path, one_by_one=one_by_one)
    except NudgeError:  # refused with a message: nothing written
        assert _rows(store_session) == before
    else:
        assert report.counts["opportunities_new"] == 1
        with store_session.store.engine.connect() as conn:
            notes = conn.execute(text("SELECT note FROM events")).scalars().all()
        assert notes and all(n.encode("utf-8") for n in notes)


def test_the_command_never_shows_a_traceback_for_such_a_file(nudge: Nudge, tmp_path: Path) -> None:
    """Whatever the import does with the name, ``nudge`` ends in one line: even the crash
    report of an unforeseen error must be written when the command line holds such a name."""
    name = os.fsdecode(b"M\xe4rz.csv")
    path = _write(tmp_path / name, [["Acme", "Analyst", "2026-01-05", "Applied"]])
    result = nudge("import", str(path), ok=False)
    assert "Traceback" not in result.stderr, result.stderr[-600:]
