"""Cohort numbers kept: computed in the background, served to the page and its CSV downloads.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

An organisation's numbers for a quarter read millions of events; computing them in the request
(and again for each CSV download) times out at 10,000 job seekers. ``cohort_results`` keeps the
last numbers of each (scope, whose, period, time zone), when and over which data they were
computed, and whether a computation is waiting or running.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column(
            "org_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", name="fk_cohort_results_org_id_organisations"),
            nullable=False,
        ),
        sa.Column(
            "coach_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_cohort_results_coach_id_users"),
            nullable=True,
        ),
        sa.Column("first", sa.Date(), nullable=False),
        sa.Column("last", sa.Date(), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("numbers", sa.Text(), nullable=True),
        sa.Column("as_of", sa.DateTime(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cohort_results"),
        sa.UniqueConstraint("key", name="uq_cohort_results_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_cohort_results_org_id", "cohort_results", ["org_id"])
    op.create_index("ix_cohort_results_coach_id", "cohort_results", ["coach_id"])


def downgrade() -> None:
    op.drop_index("ix_cohort_results_coach_id", table_name="cohort_results")
    op.drop_index("ix_cohort_results_org_id", table_name="cohort_results")
    op.drop_table("cohort_results")
