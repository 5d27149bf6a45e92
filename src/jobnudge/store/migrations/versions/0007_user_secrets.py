"""Secrets a server keeps for its users, sealed with the server key.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Only sealed values are stored (``jobnudge.secretbox``: AES-256-GCM, the key outside the
database, the owner and the secret's name bound to each value).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "user_secrets",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_user_secrets_owner_id_users"),
            nullable=False,
        ),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "name", name="pk_user_secrets"),
    )


def downgrade() -> None:
    op.drop_table("user_secrets")
