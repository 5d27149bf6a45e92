"""Users: a revision number that every write transaction touching their search increases.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

The web app keeps rendered pages per user and revision, so a page is rebuilt exactly when its
data changed, whichever process wrote it (the command line, another worker, the mail sync).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("revision")
