"""Bringing a database to the schema this code expects, safely.

Alembic runs programmatically with the migrations shipped in this package (no ``alembic.ini``).
An upgrade and its version record commit in one transaction: SQLite begins it IMMEDIATE, so a
second process waits rather than migrating twice, and PostgreSQL takes an advisory lock for the
same reason. A SQLite file that is behind is first copied with sqlite3's online backup API, so a
failed or unwanted upgrade can be undone by putting the copy back. A file already at
:data:`HEAD` costs two small queries and never imports Alembic.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from jobnudge.errors import StoreError
from jobnudge.store.engine import WRITE
from jobnudge.store.revision import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
_PG_LOCK_KEY = 0x6A6F626E  # any constant shared by every jobnudge process: "jobn"


@dataclass(frozen=True, slots=True)
class SchemaState:
    """What a database holds before any upgrade."""

    revision: str | None  # None: no version recorded (blank, or downgraded to base)
    has_version_table: bool
    tables: frozenset[str]

    @property
    def is_blank(self) -> bool:
        return not self.tables


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the shipped migrations, bound to ``connection``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def schema_state(connection: Connection) -> SchemaState:
    tables = frozenset(inspect(connection).get_table_names())
    if VERSION_TABLE not in tables:
        return SchemaState(None, False, tables)
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return SchemaState(revision, True, tables)


def known_revisions() -> set[str]:
    """Every revision the shipped migrations define."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def backup_path(path: Path, revision: str | None, now: datetime) -> Path:
    """``<file>.bak-<revision>-<UTC timestamp>``, numbered if that name is taken."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = path.with_name(f"{path.name}.bak-{revision or 'base'}-{stamp}")
    candidate, number = base, 1
    while candidate.exists():
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def backup_sqlite(path: Path, revision: str | None, now: datetime) -> Path:
    """Copy a live SQLite file consistently (WAL content included) and return the copy's path."""
    target = backup_path(path, revision, now)
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


def upgrade(engine: Engine, *, sqlite_path: Path | None, now: datetime) -> Path | None:
    """Migrate to :data:`HEAD`; return the path of the backup made first, if any."""
    with engine.connect() as connection:
        state = schema_state(connection)
    if state.revision == HEAD:
        return None
    where = str(sqlite_path) if sqlite_path else engine.url.render_as_string(hide_password=True)
    if not state.has_version_table and not state.is_blank:
        raise StoreError(
            f"{where} holds tables but no jobnudge schema version, so it is not a jobnudge "
            "database; point database.url at an empty or jobnudge database."
        )
    if state.revision is not None and state.revision not in known_revisions():
        raise StoreError(
            f"{where} was written by a newer jobnudge (schema {state.revision}); "
            "upgrade jobnudge to open it."
        )
    backup = None
    if sqlite_path is not None and not state.is_blank:
        backup = backup_sqlite(sqlite_path, state.revision, now)
    run_upgrade(engine)
    return backup


def run_upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic's upgrade inside one write transaction."""
    from alembic import command

    with engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
                )
            command.upgrade(alembic_config(connection), revision)
