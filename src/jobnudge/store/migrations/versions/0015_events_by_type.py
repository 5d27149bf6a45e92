"""Events by owner, type and time: the caseload's "last activity" and "interviews this week".

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

A coach's caseload asks, for each of 100 job seekers, when they last did something (the latest
event of a handful of types) and which interviews fall this week. With only the index by
owner, opportunity and time, each question read every event of the caseload (100,000 rows at
100 opportunities a seeker); with this one, each is a few index probes per seeker.
"""

from __future__ import annotations

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_events_owner_id_type_at", "events", ["owner_id", "type", "at"])


def downgrade() -> None:
    op.drop_index("ix_events_owner_id_type_at", table_name="events")
