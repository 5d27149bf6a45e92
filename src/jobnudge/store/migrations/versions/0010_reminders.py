"""Reminders: the morning digests prepared for each channel, and the items they carried.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A digest and its items are written in one transaction before delivery, so an item goes out
once per channel, and an undelivered digest is retried with the same content.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_reminders_owner_id_users"),
            nullable=False,
        ),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("slot", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.UniqueConstraint(
            "owner_id", "channel", "slot", name="uq_reminders_owner_id_channel_slot"
        ),
        sa.UniqueConstraint("owner_id", "id", name="uq_reminders_owner_id_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_reminders_owner_id_state", "reminders", ["owner_id", "state"])
    op.create_table(
        "reminder_items",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_reminder_items_owner_id_users"),
            nullable=False,
        ),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("item_key", sa.Text(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "channel", "item_key", name="pk_reminder_items"),
        sa.ForeignKeyConstraint(
            ["owner_id", "reminder_id"],
            ["reminders.owner_id", "reminders.id"],
            name="fk_reminder_items_owner_id_reminder_id_reminders",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_reminder_items_owner_id_reminder_id", "reminder_items", ["owner_id", "reminder_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_items_owner_id_reminder_id", table_name="reminder_items")
    op.drop_table("reminder_items")
    op.drop_index("ix_reminders_owner_id_state", table_name="reminders")
    op.drop_table("reminders")
