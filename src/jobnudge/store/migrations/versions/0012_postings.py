"""Postings: the job posting kept with its opportunity, and what it says about being contacted.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

``postings`` holds one posting per opportunity: its text (searchable), the original page
(size-limited), where it came from and the values read from it with their sentences.
``opportunities.posting_terms`` carries the few statements the playbook acts on ("only
shortlisted candidates will be contacted", "no phone calls"), each with its sentence, so a plan
never needs the posting's text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default (a batch copy would drop AUTOINCREMENT).
    op.add_column(
        "opportunities",
        sa.Column("posting_terms", sa.Text(), nullable=False, server_default="{}"),
    )
    op.create_table(
        "postings",
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_postings_owner_id_users"),
            nullable=False,
        ),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("page", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "opportunity_id", name="pk_postings"),
        sa.ForeignKeyConstraint(
            ["owner_id", "opportunity_id"],
            ["opportunities.owner_id", "opportunities.id"],
            name="fk_postings_owner_id_opportunity_id_opportunities",
        ),
    )


def downgrade() -> None:
    op.drop_table("postings")
    with op.batch_alter_table(
        "opportunities", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_column("posting_terms")
