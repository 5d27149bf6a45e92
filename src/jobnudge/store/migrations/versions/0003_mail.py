"""Mail: the outbox, per-mailbox sync state, seen messages, the review list, bounced addresses.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Written out in full (not imported from ``store/mail_tables.py``), like 0001 and 0002. UIDVALIDITY
and UIDs are 32-bit unsigned numbers, hence BIGINT. No password is stored anywhere.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _owner(table: str) -> sa.Column[int]:
    return sa.Column(
        "owner_id",
        sa.Integer(),
        sa.ForeignKey("users.id", name=f"fk_{table}_owner_id_users"),
        nullable=False,
    )


def _owned(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["owner_id", column],
        [f"{target}.owner_id", f"{target}.id"],
        name=f"fk_{table}_owner_id_{column}_{target}",
    )


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _owner("mail_outbox"),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("nudge_key", sa.Text(), nullable=True),
        sa.Column("rule", sa.String(64), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("from_name", sa.Text(), nullable=False),
        sa.Column("from_address", sa.Text(), nullable=False),
        sa.Column("to_name", sa.Text(), nullable=False),
        sa.Column("to_address", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("in_reply_to", sa.Text(), nullable=True),
        sa.Column("reference_ids", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("send_after", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(), nullable=True),
        sa.Column("server_reply", sa.Text(), nullable=False),
        sa.Column("copy_saved", sa.Boolean(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_outbox"),
        sa.UniqueConstraint("owner_id", "message_id", name="uq_mail_outbox_owner_id_message_id"),
        _owned("mail_outbox", "opportunity_id", "opportunities"),
        _owned("mail_outbox", "contact_id", "contacts"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_mail_outbox_owner_id_state_send_after",
        "mail_outbox",
        ["owner_id", "state", "send_after"],
    )
    op.create_table(
        "mail_sync_state",
        _owner("mail_sync_state"),
        sa.Column("mailbox", sa.Text(), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "mailbox", name="pk_mail_sync_state"),
    )
    op.create_table(
        "mail_messages",
        _owner("mail_messages"),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("mailbox", sa.Text(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("reference_ids", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "message_id", name="pk_mail_messages"),
        _owned("mail_messages", "opportunity_id", "opportunities"),
        _owned("mail_messages", "contact_id", "contacts"),
    )
    op.create_index(
        "ix_mail_messages_owner_id_opportunity_id_at",
        "mail_messages",
        ["owner_id", "opportunity_id", "at"],
    )
    op.create_table(
        "mail_review",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _owner("mail_review"),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("mailbox", sa.Text(), nullable=False),
        sa.Column("from_address", sa.Text(), nullable=False),
        sa.Column("from_name", sa.Text(), nullable=False),
        sa.Column("to_addresses", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("candidates", sa.Text(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_review"),
        sa.UniqueConstraint(
            "owner_id", "message_id", "kind", name="uq_mail_review_owner_id_message_id_kind"
        ),
        _owned("mail_review", "contact_id", "contacts"),
        _owned("mail_review", "opportunity_id", "opportunities"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_mail_review_owner_id_state", "mail_review", ["owner_id", "state"])
    op.create_table(
        "mail_bad_addresses",
        _owner("mail_bad_addresses"),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("flagged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "address", name="pk_mail_bad_addresses"),
    )


def downgrade() -> None:
    for table in (
        "mail_bad_addresses",
        "mail_review",
        "mail_messages",
        "mail_sync_state",
        "mail_outbox",
    ):
        op.drop_table(table)
