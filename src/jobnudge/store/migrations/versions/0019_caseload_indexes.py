"""Partial indexes of events for the caseload page: last activity, the turn, interviews.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07

A coach's caseload asks, for each of 100 job seekers, when they last did something, whether
each active opportunity waits for the employer (the latest event that passes the turn) and
which interviews fall this week. Each is now one probe of a small partial index per seeker or
per active opportunity, answered from the index alone, instead of reading the events of the
caseload. The conditions repeat ``store.tables`` (``IS_ACTION``, ``IS_TURN``,
``IS_INTERVIEW``) word for word, as each dialect writes them: a partial index serves only a
query that repeats its condition.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | None = None
depends_on: str | None = None

ACTIONS = (
    "accepted",
    "applied",
    "declined",
    "interviewed",
    "no-response",
    "nudge-done",
    "references",
    "sent",
    "withdrawn",
)
TURNS = (
    "applied",
    "interviewed",
    "offer",
    "received",
    "references",
    "rejected",
    "scheduled",
    "sent",
)


def _among(kinds: tuple[str, ...]) -> str:
    return "type IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    false = "0" if op.get_bind().dialect.name == "sqlite" else "false"
    action = sa.text(f"{_among(ACTIONS)} AND date_unknown IS {false}")
    turn = sa.text(_among(TURNS))
    interview = sa.text("type = 'scheduled'")
    op.create_index(
        "ix_events_actions",
        "events",
        ["owner_id", "at"],
        postgresql_where=action,
        sqlite_where=action,
    )
    op.create_index(
        "ix_events_turns",
        "events",
        ["owner_id", "opportunity_id", "at", "id", "type"],
        postgresql_where=turn,
        sqlite_where=turn,
    )
    op.create_index(
        "ix_events_interviews",
        "events",
        ["owner_id", "scheduled_for"],
        postgresql_where=interview,
        sqlite_where=interview,
    )


def downgrade() -> None:
    op.drop_index("ix_events_interviews", table_name="events")
    op.drop_index("ix_events_turns", table_name="events")
    op.drop_index("ix_events_actions", table_name="events")
