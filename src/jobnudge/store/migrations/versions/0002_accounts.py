"""Accounts for the multi-user web app: credentials, sessions, invitations, shares, feed tokens.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written out in full (not imported from ``tables.py``), like 0001. Nothing secret is stored in
clear: argon2id password hashes, and the SHA-256 of every session, invitation and feed token.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _user(table: str, column: str, *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey("users.id", name=f"fk_{table}_{column}_users"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "credentials",
        _user("credentials", "owner_id"),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name="pk_credentials"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _user("web_sessions", "owner_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        _user("web_sessions", "viewing_id", nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_owner_id", "web_sessions", ["owner_id"])
    op.create_table(
        "invitations",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _user("invitations", "owner_id", nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        _user("invitations", "used_by", nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_invitations"),
    )
    op.create_index("ix_invitations_owner_id", "invitations", ["owner_id"])
    op.create_table(
        "shares",
        _user("shares", "owner_id"),
        _user("shares", "coach_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "coach_id", name="pk_shares"),
    )
    op.create_table(
        "feed_tokens",
        sa.Column("token_hash", sa.String(64), nullable=False),
        _user("feed_tokens", "owner_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_feed_tokens"),
        sa.UniqueConstraint("owner_id", name="uq_feed_tokens_owner_id"),
    )


def downgrade() -> None:
    for table in ("feed_tokens", "shares", "invitations", "web_sessions", "credentials"):
        op.drop_table(table)
