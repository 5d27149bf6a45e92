"""Kept cohort numbers name the people they were computed over, and when they were last viewed.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

``members`` is the hash of the job seekers' ids alone (the fingerprint mixes in their
revisions): kept numbers are served only while it equals the hash of the people the viewer may
see now, so numbers computed over someone who withdrew consent, left or was deleted are never
shown again. ``viewed_at`` lets results nobody looked at for 30 days be pruned. Rows kept before
this revision have no ``members`` and are computed again on the next visit.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("cohort_results", sa.Column("members", sa.String(64), nullable=True))
    op.add_column("cohort_results", sa.Column("viewed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "cohort_results", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_column("viewed_at")
        batch.drop_column("members")
