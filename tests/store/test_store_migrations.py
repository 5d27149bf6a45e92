"""Migrations build exactly the tables' schema, and an older SQLite file is copied first."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from jobnudge.errors import StoreError
from jobnudge.store import Store, default_sqlite_path, open_store, sqlite_file
from jobnudge.store import migrate as migrate_module
from jobnudge.store.engine import normalise_url, parse_url
from jobnudge.store.migrate import MIGRATIONS_DIR, alembic_config
from jobnudge.store.revision import HEAD
from jobnudge.store.tables import metadata

from .helpers import sqlite_only

STAMP = datetime(2025, 6, 1, 8, 9, 10, tzinfo=UTC)


def _queue(name: str | None) -> bool:
    """The job queue's own tables (Procrastinate's schema, migration 0011, PostgreSQL only)."""
    return bool(name) and str(name).startswith("procrastinate_")


def _diffs(store: Store) -> list[object]:
    def ours(obj: object, name: str | None, kind: str, reflected: bool, _to: object) -> bool:
        return not (kind == "table" and _queue(name))

    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": ours}
        )
        return list(compare_metadata(context, metadata))


def test_head_constant_is_the_migrations_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()


def test_a_blank_database_migrates_to_the_tables_schema(blank_url: str, tmp_path: Path) -> None:
    with open_store(blank_url, data_dir=tmp_path) as store:
        assert _diffs(store) == []
        assert store.backup_path is None
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            every = set(inspect(conn).get_table_names())
            names = {n for n in every if not _queue(n)}
            if store.engine.dialect.name == "postgresql":
                assert {"procrastinate_jobs", "procrastinate_workers"} <= every
            indexes = {
                table: inspect(conn).get_indexes(table) for table in names if table != "users"
            }
    assert names == {t.name for t in metadata.sorted_tables} | {"alembic_version"}
    owned = {t.name for t in metadata.sorted_tables if "owner_id" in t.c}
    for table, found in indexes.items():
        for index in found:  # a user's rows are found by their owner first
            if table in owned:
                assert index["column_names"][0] == "owner_id", (table, index)


def test_downgrade_to_base_and_up_again(blank_url: str, tmp_path: Path) -> None:
    with open_store(blank_url, data_dir=tmp_path) as store:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        with store.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    with open_store(blank_url, data_dir=tmp_path, now=STAMP) as store:
        assert _diffs(store) == []
        assert store.ensure_user("local") == 1


def test_opening_twice_is_harmless(store: Store, owner: int, tmp_path: Path) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    with open_store(url, data_dir=tmp_path) as again:
        assert again.owners() == [owner]
        assert again.backup_path is None


@sqlite_only
def test_an_older_sqlite_file_is_copied_before_the_upgrade(
    store: Store, owner: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file one revision behind (simulated by a newer expected head) is backed up first."""
    path = store.sqlite_path
    assert path is not None
    with store.transaction() as tx:
        tx.add_company(owner, "Acme")
    store.close()
    newer = f"{int(HEAD) + 1:04d}"
    monkeypatch.setattr(migrate_module, "HEAD", newer)
    monkeypatch.setattr(migrate_module, "known_revisions", lambda: {HEAD, newer})
    with open_store(f"sqlite:///{path}", data_dir=path.parent, now=STAMP) as reopened:
        backup = reopened.backup_path
    assert backup == path.with_name(f"jobnudge.sqlite.bak-{HEAD}-20250601T080910Z")
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert copy.execute("SELECT name FROM companies").fetchall() == [("Acme",)]
    finally:
        copy.close()
    with open_store(f"sqlite:///{path}", data_dir=path.parent, now=STAMP) as third:
        assert third.backup_path == path.with_name(f"{backup.name}-2")


@sqlite_only
def test_a_file_downgraded_to_base_is_copied_then_rebuilt(store: Store) -> None:
    path = store.sqlite_path
    assert path is not None
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    store.close()
    with open_store(None, data_dir=path.parent, now=STAMP) as reopened:
        assert reopened.backup_path == path.with_name("jobnudge.sqlite.bak-base-20250601T080910Z")
        assert _diffs(reopened) == []
    copy = sqlite3.connect(reopened.backup_path)
    try:
        tables = copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        assert ("alembic_version",) in tables and ("companies",) not in tables
    finally:
        copy.close()


def test_a_new_file_is_not_backed_up(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    with open_store(None, data_dir=data) as store:
        assert store.backup_path is None
        assert store.sqlite_path == default_sqlite_path(data)
    assert [p.name for p in data.iterdir() if ".bak-" in p.name] == []


def test_a_database_from_a_newer_jobnudge_is_refused(blank_url: str, tmp_path: Path) -> None:
    with open_store(blank_url, data_dir=tmp_path) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer jobnudge"):
        open_store(blank_url, data_dir=tmp_path)


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (x TEXT)")
    connection.close()
    with pytest.raises(StoreError, match="not a jobnudge database"):
        open_store(f"sqlite:///{path}", data_dir=tmp_path)


def test_unreachable_and_unsupported_databases_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Cannot open the database"):
        open_store("postgresql://nobody@127.0.0.1:1/none", data_dir=tmp_path)
    with pytest.raises(StoreError, match="Unsupported database 'mysql'"):
        open_store("mysql://u@h/d", data_dir=tmp_path)
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("not a url", data_dir=tmp_path)


def test_postgres_urls_use_psycopg() -> None:
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql://u:p@h:5/d") == "postgresql+psycopg://u:p@h:5/d"
    assert normalise_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert parse_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_file_reads_urls_as_sqlalchemy_does(tmp_path: Path) -> None:
    assert sqlite_file(None, tmp_path) == tmp_path / "jobnudge.sqlite"
    for url in ["sqlite:///rel/a%20b.db", "sqlite:////abs/x.db?mode=ro", "sqlite+pysqlite:///y.db"]:
        assert sqlite_file(url, tmp_path) == Path(str(make_url(url).database))
    for url in ["sqlite://", "sqlite:///:memory:", "postgresql://u@h/d"]:
        assert sqlite_file(url, tmp_path) is None


def test_in_memory_sqlite_works(tmp_path: Path) -> None:
    with open_store("sqlite://", data_dir=tmp_path) as store:
        owner = store.ensure_user("local")
        with store.transaction() as tx:
            tx.add_company(owner, "Acme")
        assert [c.name for c in store.companies(owner)] == ["Acme"]
        assert store.sqlite_path is None


def test_importing_the_store_creates_no_engine(tmp_path: Path) -> None:
    code = (
        "import sqlalchemy, sqlalchemy.engine\n"
        "def refuse(*a, **k): raise SystemExit('an engine was created at import time')\n"
        "sqlalchemy.create_engine = sqlalchemy.engine.create_engine = refuse\n"
        "import jobnudge.store.core, jobnudge.store.migrate, jobnudge.store.writes\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


@sqlite_only
def test_opening_a_current_file_does_not_load_alembic(store: Store) -> None:
    assert store.sqlite_path is not None
    code = (
        "import sys; from pathlib import Path; from jobnudge.store import open_store\n"
        f"open_store(None, data_dir=Path({str(store.sqlite_path.parent)!r})).close()\n"
        "sys.exit('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
