"""Failed sign-ins, shared by every web worker.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Until now each worker process counted failures on its own, so the sign-in waits grew only as
fast as one worker saw failures. Names and addresses are kept as SHA-256 only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "signin_runs",
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name="pk_signin_runs"),
    )
    op.create_index("ix_signin_runs_last_at", "signin_runs", ["last_at"])
    op.create_table(
        "signin_known",
        sa.Column("account_hash", sa.String(64), nullable=False),
        sa.Column("address_hash", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account_hash", "address_hash", name="pk_signin_known"),
    )


def downgrade() -> None:
    op.drop_table("signin_known")
    op.drop_index("ix_signin_runs_last_at", table_name="signin_runs")
    op.drop_table("signin_runs")
