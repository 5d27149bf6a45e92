"""SQLite's bulk INSERTs: every row written once and in order, whatever the count of rows and the
connection's parameter limit; the driver keeps at most two statements a table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite as sqlite_dialect

from jobnudge.store.bulk_insert import ROWS_PER_INSERT, _insert_values

DIALECT = sqlite_dialect.dialect()


def _table(path: Path, limit: int | None = None) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    if limit is not None:
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    conn.execute("CREATE TABLE t (n INTEGER, word TEXT, at TEXT)")
    return conn


@settings(max_examples=40, deadline=None)
@given(count=st.integers(0, 3 * ROWS_PER_INSERT + 7), limit=st.none() | st.integers(3, 1000))
def test_every_row_once_in_order(tmp_path_factory: object, count: int, limit: int | None) -> None:
    folder = tmp_path_factory.mktemp("chunks")  # type: ignore[attr-defined]
    conn = _table(folder / "t.sqlite", limit)
    rows = [(n, f"wörd {n}", f"2026-01-{n % 28 + 1:02d}") for n in range(count)]
    written = _insert_values(conn, '"t"', "n, word, at", 3, iter(rows), DIALECT)
    assert written == count
    assert conn.execute("SELECT n, word, at FROM t ORDER BY rowid").fetchall() == rows


def test_the_statements_stay_few_and_small(tmp_path: Path) -> None:
    """Files of many different lengths leave the driver two statements of this table, not one
    for each length of the last chunk (a cache of 128 large statements was 300 MB)."""
    conn = _table(tmp_path / "t.sqlite")
    rows_a_statement: set[int] = set()  # the rows of each statement run: "(n, word, at)" + rows
    conn.set_trace_callback(lambda sql: rows_a_statement.add(sql.count("(") - 1))
    for count in (1, 7, ROWS_PER_INSERT - 1, ROWS_PER_INSERT + 3, 2 * ROWS_PER_INSERT + 11):
        rows = [(n, "w", "d") for n in range(count)]
        _insert_values(conn, '"t"', "n, word, at", 3, iter(rows), DIALECT)
    assert rows_a_statement == {1, ROWS_PER_INSERT}
