"""Background work's records: each account's last digest and mail pass, and queued imports.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-07

With the job queue on, digests and mail passes run on worker processes; ``job_status`` keeps
how each account's last pass went (and when to look at it again) where every web process can
read it. ``import_runs`` follows a large spreadsheet import from upload to its report.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "job_status",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_job_status_owner_id_users"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("logged", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("ok_at", sa.DateTime(), nullable=True),
        sa.Column("next_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("owner_id", "kind", name="pk_job_status"),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_import_runs_owner_id_users"),
            nullable=False,
        ),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("report", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_runs"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_import_runs_owner_id_id", "import_runs", ["owner_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_import_runs_owner_id_id", table_name="import_runs")
    op.drop_table("import_runs")
    op.drop_table("job_status")
