"""The one writer every bulk insert of an import goes through: a binary ``COPY ... FROM
STDIN`` on PostgreSQL, one driver ``executemany`` fed by a generator on SQLite.

Why: at 100,000 rows an import writes about half a million rows. Through SQLAlchemy each
parameter of each row went through its column's bind processor and a dict merge, and
PostgreSQL's ``executemany`` still sent the rows one statement at a time; the Python around
the insert cost more than the database's work. Here rows are plain tuples made as they are
written (nothing held per table), each value still goes through its column's own bind
processor (so the stored bytes are what an ``insert()`` stores) but a value seen before in the
column is converted once, and PostgreSQL receives the rows as one binary ``COPY`` stream.

Everything runs on the caller's connection, inside its transaction: a row the database refuses
(or an exception raised while the rows are made) aborts the whole import. Driver errors come
out as SQLAlchemy's exceptions (``IntegrityError`` and the like), as from any other statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

from jobnudge.store.ahead import Ahead
from jobnudge.store.writes import Tx

MAX_VARIABLES = 32_766
"""Parameters of one SQLite INSERT at most (SQLite's default limit since 3.32; the
connection's own limit is read and obeyed when it is lower)."""

ROWS_PER_INSERT = 500
"""Rows of one SQLite INSERT at most: the most a VALUES list could hold before SQLite 3.8.8,
and a prepared statement of about half a megabyte. Measured at 100,000 rows, 500, 1,000 and
2,000 rows a statement write as fast (250 was slower)."""

COPY_CHUNK = 2_000
"""Rows the thread making them hands over at a time on PostgreSQL."""

AHEAD_DEPTH = 8
"""Chunks made ahead at most: rows waiting for the database are held in memory."""

FLUSH_BYTES = 8 * 1024 * 1024
"""COPY data handed to the driver before waiting for it to reach the server: each wait lets
the row-making thread run, and the writer has to win the interpreter lock back after it."""

REMEMBERED = 50_000
"""Distinct values a column's conversion remembers (dates repeat; a free text rarely does)."""


class _Converter:
    """A column's bind processor, remembering what it returned for values seen before.

    Keys carry a datetime's ``fold``: two local times differing only in it compare equal yet
    are different instants. Lists and dicts (JSON documents) are converted every time."""

    __slots__ = ("keeps_none", "process", "seen")

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self.process = process
        self.seen: dict[Any, Any] = {}
        try:  # most columns store None as NULL: those need no call for it
            self.keeps_none = process(None) is None
        except (TypeError, ValueError, AttributeError):
            self.keeps_none = False

    def __call__(self, value: Any) -> Any:
        if isinstance(value, (list, dict, set)):
            return self.process(value)
        key = (value, value.fold) if isinstance(value, datetime) else (type(value), value)
        found = self.seen.get(key, self)
        if found is self:
            found = self.process(value)
            if len(self.seen) < REMEMBERED:
                self.seen[key] = found
        return found


def _converters(table: Table, names: Sequence[str], dialect: Dialect) -> list[_Converter | None]:
    found: list[_Converter | None] = []
    for name in names:
        column_type = table.c[name].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        found.append(None if process is None else _Converter(process))
    return found


def _convert_rows(
    rows: Iterable[Sequence[Any]], converters: list[_Converter | None], fixed: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    """Each row's values through their columns' conversions, the shared values appended."""
    width = len(converters)
    pairs = [(i, c) for i, c in enumerate(converters) if c is not None]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} values for {width} columns")
        values = list(row)
        for index, convert in pairs:
            value = values[index]
            if value is not None or not convert.keeps_none:
                values[index] = convert(value)
        values.extend(fixed)
        yield tuple(values)


def insert_rows(
    tx: Tx,
    table: Table,
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    same: Mapping[str, Any] | None = None,
) -> int:
    """Insert ``rows`` (tuples of the ``names`` columns' values, made lazily if need be) with
    ``same``'s values in every row; return how many were inserted."""
    conn: Connection = tx._conn
    dialect = conn.dialect
    same = same or {}
    columns = [*names, *same]
    if len(set(columns)) != len(columns):
        raise ValueError(f"{table.name}: a column is named twice")
    fixed_converters = _converters(table, list(same), dialect)
    fixed = tuple(
        value if convert is None else convert(value)
        for convert, value in zip(fixed_converters, same.values(), strict=True)
    )
    converted = _convert_rows(rows, _converters(table, names, dialect), fixed)
    quote = dialect.identifier_preparer.quote
    listed = ", ".join(quote(name) for name in columns)
    raw = conn.connection.driver_connection
    if dialect.name == "postgresql":
        return _copy(conn, raw, table, columns, listed, converted)
    return _insert_values(raw, quote(table.name), listed, len(columns), converted, dialect)


def _copy(
    conn: Connection,
    raw: Any,
    table: Table,
    columns: Sequence[str],
    listed: str,
    rows: Iterator[tuple[Any, ...]],
) -> int:
    """PostgreSQL: one binary COPY, its rows made ahead (the server works meanwhile)."""
    from psycopg.copy import LibpqWriter

    dialect = conn.dialect
    types = _column_types(conn, table.name, columns)
    quoted = dialect.identifier_preparer.quote(table.name)
    sql = f"COPY {quoted} ({listed}) FROM STDIN (FORMAT BINARY)"
    count = 0
    try:
        with (
            Ahead(rows, COPY_CHUNK, list, depth=AHEAD_DEPTH) as chunks,
            raw.cursor() as cursor,
        ):
            try:
                writer = LibpqWriter(cursor, flush_threshold=FLUSH_BYTES)
            except TypeError:  # psycopg before 3.3 flushes every MiB, with no setting for it
                writer = LibpqWriter(cursor)
            with cursor.copy(sql, writer=writer) as copy:
                copy.set_types(types)
                write = copy.write_row
                for chunk in chunks:
                    count += len(chunk)
                    for row in chunk:
                        write(row)
    except dialect.loaded_dbapi.Error as exc:
        raise _wrapped(sql, exc, dialect) from exc
    return count


def _insert_values(
    raw: Any,
    name: str,
    listed: str,
    width: int,
    rows: Iterator[tuple[Any, ...]],
    dialect: Dialect,
) -> int:
    """SQLite: INSERT statements of :data:`ROWS_PER_INSERT` rows (fewer when the parameter
    limit asks), each one step of the database with the interpreter lock released, the rows of
    the next one made ahead meanwhile; the last rows of the table, fewer than that, go through
    the one-row statement. A few hundred rows a statement already save most of the driver's
    per-row bind, step and reset of an ``executemany``, and keep the two statements the driver
    caches for each table small (one of 2,000 rows took 2 MB, and a statement cache full of
    them, one for each length of a file's last chunk, is memory a file could grow)."""
    per = max(1, min(_variable_limit(raw), MAX_VARIABLES) // width)
    per = min(per, ROWS_PER_INSERT)
    one = "(" + ", ".join("?" for _ in range(width)) + ")"
    # Names from the table's definition, quoted; every value is a parameter.
    single = f"INSERT INTO {name} ({listed}) VALUES {one}"  # noqa: S608
    full = f"INSERT INTO {name} ({listed}) VALUES " + ", ".join([one] * per)  # noqa: S608
    count = 0
    cursor = raw.cursor()
    sql = full
    try:
        with Ahead(rows, per, list, depth=AHEAD_DEPTH) as chunks:
            for chunk in chunks:
                if len(chunk) == per:
                    sql = full
                    cursor.execute(sql, _flat(chunk))
                else:
                    sql = single
                    cursor.executemany(sql, chunk)
                count += len(chunk)
    except dialect.loaded_dbapi.Error as exc:
        raise _wrapped(sql[:300], exc, dialect) from exc
    finally:
        cursor.close()
    return count


def _flat(chunk: list[tuple[Any, ...]]) -> list[Any]:
    return list(chain.from_iterable(chunk))


def _variable_limit(raw: Any) -> int:
    """How many parameters one SQLite statement may have (32,766 by default since 3.32)."""
    try:
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error):
        return 999  # the limit of SQLite before 3.32, where getlimit is unknown


def _column_types(conn: Connection, table: str, columns: Sequence[str]) -> list[int]:
    """The type (OID) of each of ``columns`` as the database declares it: a binary COPY
    sends each value in its column's own binary form, which psycopg writes in C with no text
    to format or for the server to parse (about a seventh of the client's time of a text COPY
    at 100,000 rows)."""
    rows = conn.execute(
        text(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = to_regclass(:t) "
            "AND attnum > 0 AND NOT attisdropped"
        ),
        {"t": table},
    )
    found = {str(name): int(oid) for name, oid in rows}
    return [found[name] for name in columns]


def _wrapped(sql: str, exc: Exception, dialect: Dialect) -> DBAPIError:
    """The driver's error as SQLAlchemy raises it for a statement (IntegrityError, ...)."""
    found = DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error, dialect=dialect)
    assert isinstance(found, DBAPIError)
    return found
