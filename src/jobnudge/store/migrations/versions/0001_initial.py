"""Initial schema: users and their companies, contacts, opportunities, events and nudges.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written out in full rather than imported from ``tables.py`` so that later edits to the tables
never change what this revision did; a test compares the migrated schema with the tables.
Ids are AUTOINCREMENT on SQLite so a deleted event's id is never handed out again (nudge keys
and undo records may still name it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _owned(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["owner_id", column],
        [f"{target}.owner_id", f"{target}.id"],
        name=f"fk_{table}_owner_id_{column}_{target}",
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("domains", sa.Text(), nullable=False),
        sa.Column("is_staffing_firm", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_companies_owner_id_users"),
        sa.UniqueConstraint("owner_id", "name_key", name="uq_companies_owner_id_name_key"),
        sa.UniqueConstraint("owner_id", "id", name="uq_companies_owner_id_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("tz", sa.String(64), nullable=True),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("prefers", sa.String(32), nullable=True),
        sa.Column("first_name_ok", sa.Boolean(), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("salutation", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contacts"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_contacts_owner_id_users"),
        sa.UniqueConstraint("owner_id", "id", name="uq_contacts_owner_id_id"),
        _owned("contacts", "company_id", "companies"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_contacts_owner_id_company_id", "contacts", ["owner_id", "company_id"])
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("posting_url", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("responds_within_days", sa.Integer(), nullable=True),
        sa.Column("prefers", sa.String(32), nullable=True),
        sa.Column("referrer_id", sa.Integer(), nullable=True),
        sa.Column("staffing_firm_id", sa.Integer(), nullable=True),
        sa.Column("recruiter_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_opportunities"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_opportunities_owner_id_users"),
        sa.UniqueConstraint("owner_id", "id", name="uq_opportunities_owner_id_id"),
        _owned("opportunities", "company_id", "companies"),
        _owned("opportunities", "referrer_id", "contacts"),
        _owned("opportunities", "staffing_firm_id", "companies"),
        _owned("opportunities", "recruiter_id", "contacts"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_opportunities_owner_id_stage", "opportunities", ["owner_id", "stage"])
    op.create_index(
        "ix_opportunities_owner_id_company_id", "opportunities", ["owner_id", "company_id"]
    )
    op.create_table(
        "opportunity_contacts",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "owner_id", "opportunity_id", "contact_id", name="pk_opportunity_contacts"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_opportunity_contacts_owner_id_users"
        ),
        _owned("opportunity_contacts", "opportunity_id", "opportunities"),
        _owned("opportunity_contacts", "contact_id", "contacts"),
    )
    op.create_index(
        "ix_opportunity_contacts_owner_id_contact_id",
        "opportunity_contacts",
        ["owner_id", "contact_id"],
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("contact_ids", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(32), nullable=True),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(32), nullable=True),
        sa.Column("scheduled_for", sa.DateTime(), nullable=True),
        sa.Column("decision_by", sa.Date(), nullable=True),
        sa.Column("prefers", sa.String(32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("nudge_key", sa.Text(), nullable=True),
        sa.Column("until", sa.DateTime(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_events_owner_id_users"),
        sa.UniqueConstraint("owner_id", "id", name="uq_events_owner_id_id"),
        _owned("events", "opportunity_id", "opportunities"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_events_owner_id_opportunity_id_at", "events", ["owner_id", "opportunity_id", "at"]
    )
    op.create_table(
        "event_contacts",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "event_id", "contact_id", name="pk_event_contacts"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_event_contacts_owner_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id", "event_id"],
            ["events.owner_id", "events.id"],
            name="fk_event_contacts_owner_id_event_id_events",
            ondelete="CASCADE",
        ),
        _owned("event_contacts", "contact_id", "contacts"),
    )
    op.create_index(
        "ix_event_contacts_owner_id_contact_id", "event_contacts", ["owner_id", "contact_id"]
    )
    op.create_table(
        "nudges",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("short_id", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("due", sa.DateTime(), nullable=False),
        sa.Column("due_by", sa.DateTime(), nullable=True),
        sa.Column("expires", sa.DateTime(), nullable=True),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("anchor_event_id", sa.Integer(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", "key", name="pk_nudges"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_nudges_owner_id_users"),
        _owned("nudges", "opportunity_id", "opportunities"),
        _owned("nudges", "contact_id", "contacts"),
    )
    op.create_index("ix_nudges_owner_id_due", "nudges", ["owner_id", "due"])
    op.create_index("ix_nudges_owner_id_short_id", "nudges", ["owner_id", "short_id"])
    op.create_index("ix_nudges_owner_id_opportunity_id", "nudges", ["owner_id", "opportunity_id"])


def downgrade() -> None:
    for table in (
        "nudges",
        "event_contacts",
        "events",
        "opportunity_contacts",
        "opportunities",
        "contacts",
        "companies",
        "users",
    ):
        op.drop_table(table)
