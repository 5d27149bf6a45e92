"""Events: a flag for a day that is not known.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

A spreadsheet's status ("Rejected", "Interview 2") often comes without a date of its own. The
import records the stage with ``date_unknown`` set instead of borrowing another date; ``at``
then only orders the event, and the playbook starts no follow-up from it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite and PostgreSQL both take one with a constant default): a
    # batch copy of the table would drop SQLite's AUTOINCREMENT, and deleted ids could return.
    op.add_column(
        "events",
        sa.Column("date_unknown", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("date_unknown")
