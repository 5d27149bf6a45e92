"""On SQLite, a large import's tables written without their secondary indexes, which are built
again, in the same transaction, once the rows are in.

Why: an index kept up row by row takes each new row into its B-tree in key order (due dates,
short ids, event types by day: random orders), touching a page per row per index; built after
the rows are in, an index is one sorted pass. At 100,000 rows that is the larger share of
SQLite's own work (events: 2.6 s with their five indexes kept up, 1.0 s without them plus
0.65 s to build them). Only worth it when the import at least doubles the table: rebuilding an
index over rows the user had before costs as much as the rows it saves.

All of it is inside the import's transaction (the driver leaves BEGIN and COMMIT to the store,
so DDL is transactional): a failed import rolls back the dropped indexes with everything else,
and other connections, reading the last commit, never see a table without them. Indexes that
carry a constraint (primary keys, UNIQUE) stay: SQLite has no SQL to drop them, and they are
what refuses a duplicate. PostgreSQL keeps its indexes: dropping one takes a lock that would
stop every other user of the server reading the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Table, text

from jobnudge.store.writes import Tx


def _indexes(tx: Tx, table: Table) -> list[tuple[str, str]]:
    """(name, CREATE statement) of ``table``'s indexes that can be dropped and made again."""
    rows = tx._conn.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
            "AND sql IS NOT NULL ORDER BY name"
        ),
        {"t": table.name},
    )
    return [(str(r.name), str(r.sql)) for r in rows]


def _in_id_order(tx: Tx, index: str) -> bool:
    columns = [r[2] for r in tx._conn.exec_driver_sql(f'PRAGMA index_info("{index}")')]
    return columns[1:2] == ["opportunity_id"]


def _rows_now(tx: Tx, table: Table) -> int:
    """About how many rows ``table`` holds: its largest rowid (an index seek, where a count
    reads the whole table; deleted rows make it an overestimate, which only keeps the
    indexes)."""
    found = tx._conn.execute(text(f"SELECT max(rowid) FROM {table.name}")).scalar()  # noqa: S608
    return int(found or 0)


class Aside:
    """The indexes :func:`set_aside` dropped, by table, until they are built again."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self.dropped: dict[str, list[str]] = {}

    def built(self, table: Table) -> None:
        """Build ``table``'s indexes again now that all its rows are in: SQLite builds them
        with the interpreter lock released, so the rows of the tables after it (the
        follow-ups, derived on their own thread) are made meanwhile."""
        for sql in self.dropped.pop(table.name, []):
            self._tx._conn.exec_driver_sql(sql)


@contextmanager
def set_aside(tx: Tx, expected: Mapping[Table, int]) -> Iterator[Aside]:
    """Drop the secondary indexes of each table that ``expected`` new rows (an estimate) will
    at least double; each is built again when the caller says its table is done
    (:meth:`Aside.built`), the rest when the block ends without an error. SQLite only;
    elsewhere nothing is dropped."""
    aside = Aside(tx)
    conn = tx._conn
    if conn.dialect.name != "sqlite":
        yield aside
        return
    for table, count in expected.items():
        if count <= 0 or count < _rows_now(tx, table):
            continue
        for name, sql in _indexes(tx, table):
            if _in_id_order(tx, name):
                continue
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
            aside.dropped.setdefault(table.name, []).append(sql)
    yield aside
    for statements in list(aside.dropped.values()):
        for sql in statements:
            conn.exec_driver_sql(sql)
    aside.dropped.clear()
