"""Reminder addresses: the e-mail digest of a server's account goes only to a confirmed
address, and tests and confirmation messages are counted.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "remind_addresses",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_remind_addresses_owner_id_users"),
            nullable=False,
        ),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("owner_id", "address", name="pk_remind_addresses"),
    )
    op.create_table(
        "remind_sends",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_remind_sends_owner_id_users"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(254), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "ix_remind_sends_owner_id_kind_sent_at", "remind_sends", ["owner_id", "kind", "sent_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_remind_sends_owner_id_kind_sent_at", table_name="remind_sends")
    op.drop_table("remind_sends")
    op.drop_table("remind_addresses")
