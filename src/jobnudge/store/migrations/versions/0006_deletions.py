"""Deletions: what the user deleted, kept so that it can be undone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Deleting an opportunity, a contact or an event removes its rows and everything that depends
on them in one transaction; the rows as they were go into ``deletions`` in the same
transaction, and an undo puts them back with their own ids.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "deletions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_deletions_owner_id_users"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deletions"),
        sa.UniqueConstraint("owner_id", "id", name="uq_deletions_owner_id_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_deletions_owner_id_created_at", "deletions", ["owner_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_deletions_owner_id_created_at", table_name="deletions")
    op.drop_table("deletions")
