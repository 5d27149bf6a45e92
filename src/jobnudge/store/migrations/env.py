"""Alembic environment: migrations run only through :mod:`jobnudge.store.migrate`.

The caller hands over a connection already inside a write transaction (and, on PostgreSQL,
holding the migration lock), so each upgrade and its version record commit together.
"""

from __future__ import annotations

from alembic import context

from jobnudge.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError(
        "jobnudge migrations run from jobnudge.store.migrate.upgrade(), which passes a connection"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
