"""The job queue's tables (PostgreSQL only).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Background work (re-plans, large imports, digests, mail passes) can run as jobs that any number
of `nudge worker` processes share. The queue is Procrastinate's: its schema (tables
procrastinate_*, their types, functions and triggers) is applied as Procrastinate ships it.
SQLite has no queue (background work runs inside `nudge serve`), so nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import inspect

    if "procrastinate_jobs" in inspect(bind).get_table_names():
        return  # made earlier by `nudge worker --init`
    try:
        from procrastinate.schema import SchemaManager
    except ImportError:  # installed without the postgres extra: `nudge worker --init` later
        return
    # Straight to the driver, without parameters: the script holds literal '%' signs.
    cursor = bind.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(SchemaManager.get_schema()))
    finally:
        cursor.close()


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for kind, names in (
        (
            "TABLE",
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND left(tablename, 13) = 'procrastinate'",
        ),
        (
            "FUNCTION",
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
            "AND left(p.proname, 13) = 'procrastinate'",
        ),
        (
            "TYPE",
            "SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = current_schema() AND left(typname, 13) = 'procrastinate' "
            "AND t.typtype IN ('e', 'c')",
        ),
    ):
        for (name,) in bind.exec_driver_sql(names).all():
            bind.exec_driver_sql(f"DROP {kind} IF EXISTS {name} CASCADE")
