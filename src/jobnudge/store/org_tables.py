"""Organisations (revision 0009): career centres with administrators, coaches and job seekers.

An account belongs to at most one organisation. A job seeker is in a coach's caseload only
while they consent (``caseloads.state``); the coach's private notes and the comments a job
seeker sees on Today are kept per (coach, seeker) pair. Every index starts with the column the
pages filter by, so a caseload or an organisation is one range scan.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from jobnudge.store.tables import metadata
from jobnudge.store.types import UTCDateTime

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)

org_members = Table(
    "org_members",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),  # "admin", "coach" or "seeker"
    Column("full_name", Text, nullable=False),  # as the invitation named them
    Column("email", Text, nullable=False),
    Column("active", Boolean, nullable=False),  # False: deactivated (history kept)
    Column("joined_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("user_id"),
    Index("ix_org_members_org_id_role", "org_id", "role"),
)

# An invitation (``invitations``) sent on behalf of an organisation: the role it gives and
# to whom it was mailed. Signing up with it makes the new account a member, in one transaction.
org_invitations = Table(
    "org_invitations",
    metadata,
    Column("token_hash", String(64), ForeignKey("invitations.token_hash"), nullable=False),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("full_name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("mail_result", Text, nullable=False),  # "sent", or why the mail did not go
    PrimaryKeyConstraint("token_hash"),
    Index("ix_org_invitations_org_id", "org_id"),
)

caseloads = Table(
    "caseloads",
    metadata,
    Column("coach_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("seeker_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("state", String(16), nullable=False),  # "asked", "consented", "declined", "withdrawn"
    Column("asked_at", UTCDateTime, nullable=False),
    Column("answered_at", UTCDateTime, nullable=True),
    PrimaryKeyConstraint("coach_id", "seeker_id"),
    Index("ix_caseloads_seeker_id", "seeker_id"),
    Index("ix_caseloads_org_id", "org_id"),
)

coach_notes = Table(  # private to the coach who wrote them
    "coach_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("coach_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("seeker_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_coach_notes_coach_id_seeker_id", "coach_id", "seeker_id"),
    sqlite_autoincrement=True,
)

coach_comments = Table(  # what the job seeker sees on Today: a comment or a suggested follow-up
    "coach_comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seeker_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("coach_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # "comment" or "follow-up"
    Column("body", Text, nullable=False),
    Column("opportunity_id", Integer, nullable=True),  # the seeker's; no key: deletes stay free
    Column("due_on", Text, nullable=True),  # ISO day a suggested follow-up is for
    Column("created_at", UTCDateTime, nullable=False),
    Column("dismissed_at", UTCDateTime, nullable=True),
    Index("ix_coach_comments_seeker_id_created_at", "seeker_id", "created_at"),
    sqlite_autoincrement=True,
)

ORG_TABLES = (organisations, org_members, org_invitations, caseloads, coach_notes, coach_comments)
