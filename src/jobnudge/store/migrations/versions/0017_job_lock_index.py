"""An index of waiting jobs by lock (PostgreSQL with the job queue only).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

Fetching a job checks that no earlier waiting or running job holds the same lock (each re-plan
locks its user). Procrastinate's own indexes answer that by scanning every waiting job, so with
10,000 re-plans queued after a playbook change each fetch took seconds; this index answers it
with one look-up.
"""

from __future__ import annotations

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from sqlalchemy import inspect

    if "procrastinate_jobs" not in inspect(bind).get_table_names():
        return  # no queue yet: `nudge worker --init` makes the index with the tables
    bind.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS procrastinate_jobs_lock_waiting ON procrastinate_jobs "
        "(lock, priority, id) WHERE status IN ('todo', 'doing')"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP INDEX IF EXISTS procrastinate_jobs_lock_waiting")
