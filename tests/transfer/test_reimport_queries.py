"""Importing a tracker again reads what it is matched against in a number of statements that
does not grow with its rows (a statement a row cost a minute of a 20,000-row re-import on
PostgreSQL), and the matching is the same as reading each opportunity's events on its own."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from jobnudge.services import importing
from jobnudge.services.import_index import ONE_BY_ONE
from tests.transfer.bigfiles import write_csv

from .conftest import make_session


def _statements_of_a_reimport(folder: Path, rows: int) -> tuple[int, int]:
    """(statements run, opportunities created) by importing a file of ``rows`` applications a
    second time."""
    folder.mkdir(parents=True)
    sheet = write_csv(folder / "tracker.csv", rows)
    session = make_session(None, folder / "data")
    try:
        importing.import_file(session, sheet)
        run: list[str] = []
        engine = session.store.engine
        listener = lambda *args: run.append(args[2])  # noqa: E731  # (conn, cursor, statement, ...)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            again = importing.import_file(session, sheet)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(run), again.counts["opportunities_new"] + again.counts["events_new"]
    finally:
        session.close()


def test_a_reimport_reads_in_statements_that_do_not_grow_with_its_rows(tmp_path: Path) -> None:
    small, made_small = _statements_of_a_reimport(tmp_path / "small", 2 * ONE_BY_ONE)
    large, made_large = _statements_of_a_reimport(tmp_path / "large", 8 * ONE_BY_ONE)
    assert made_small == made_large == 0  # nothing new the second time
    assert large - small <= 5, (small, large)
