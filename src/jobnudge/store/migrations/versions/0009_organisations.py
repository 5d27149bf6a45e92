"""Organisations, roles, caseloads with consent, coaches' notes and comments.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Written out in full (not imported from ``org_tables.py``), like the earlier revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def _user(table: str, column: str) -> sa.Column[int]:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey("users.id", name=f"fk_{table}_{column}_users"),
        nullable=False,
    )


def _org(table: str) -> sa.Column[int]:
    return sa.Column(
        "org_id",
        sa.Integer(),
        sa.ForeignKey("organisations.id", name=f"fk_{table}_org_id_organisations"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "org_members",
        _user("org_members", "user_id"),
        _org("org_members"),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_org_members"),
    )
    op.create_index("ix_org_members_org_id_role", "org_members", ["org_id", "role"])
    op.create_table(
        "org_invitations",
        sa.Column(
            "token_hash",
            sa.String(64),
            sa.ForeignKey(
                "invitations.token_hash", name="fk_org_invitations_token_hash_invitations"
            ),
            nullable=False,
        ),
        _org("org_invitations"),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("mail_result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_org_invitations"),
    )
    op.create_index("ix_org_invitations_org_id", "org_invitations", ["org_id"])
    op.create_table(
        "caseloads",
        _user("caseloads", "coach_id"),
        _user("caseloads", "seeker_id"),
        _org("caseloads"),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("coach_id", "seeker_id", name="pk_caseloads"),
    )
    op.create_index("ix_caseloads_seeker_id", "caseloads", ["seeker_id"])
    op.create_index("ix_caseloads_org_id", "caseloads", ["org_id"])
    op.create_table(
        "coach_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _user("coach_notes", "coach_id"),
        _user("coach_notes", "seeker_id"),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coach_notes"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_coach_notes_coach_id_seeker_id", "coach_notes", ["coach_id", "seeker_id"])
    op.create_table(
        "coach_comments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _user("coach_comments", "seeker_id"),
        _user("coach_comments", "coach_id"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_coach_comments"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_coach_comments_seeker_id_created_at", "coach_comments", ["seeker_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_coach_comments_seeker_id_created_at", table_name="coach_comments")
    op.drop_table("coach_comments")
    op.drop_index("ix_coach_notes_coach_id_seeker_id", table_name="coach_notes")
    op.drop_table("coach_notes")
    op.drop_index("ix_caseloads_org_id", table_name="caseloads")
    op.drop_index("ix_caseloads_seeker_id", table_name="caseloads")
    op.drop_table("caseloads")
    op.drop_index("ix_org_invitations_org_id", table_name="org_invitations")
    op.drop_table("org_invitations")
    op.drop_index("ix_org_members_org_id_role", table_name="org_members")
    op.drop_table("org_members")
    op.drop_table("organisations")
