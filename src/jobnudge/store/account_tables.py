"""The accounts' tables (revision 0002 and after): credentials, web sessions, invitations,
shares with a coach, calendar-feed tokens, sealed secrets and failed sign-ins. Apart from the
search's own tables (store.tables) since they are used only when the web app runs with
accounts; they join the same metadata when store.tables is imported.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jobnudge.store.tables import metadata
from jobnudge.store.types import UTCDateTime

# Accounts (revision 0002): only used when the web app runs with accounts switched on. Nothing
# secret is stored in clear: passwords as argon2id hashes, session, invitation and calendar-feed
# tokens as the SHA-256 of the token (the token itself lives only in the user's cookie or link).

credentials = Table(
    "credentials",
    metadata,
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id, with its parameters and salt
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), nullable=False),  # SHA-256 hex of the cookie's token
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    # A coach looking at a search shared with them: whose search the pages show (read-only).
    Column("viewing_id", Integer, ForeignKey("users.id"), nullable=True),
    PrimaryKeyConstraint("token_hash"),
    Index("ix_web_sessions_owner_id", "owner_id"),
)

invitations = Table(
    "invitations",
    metadata,
    Column("token_hash", String(64), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=True),  # who invited; None: setup
    Column("note", Text, nullable=False),  # whom it is for, as the inviter wrote it
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("used_at", UTCDateTime, nullable=True),
    PrimaryKeyConstraint("token_hash"),
    Index("ix_invitations_owner_id", "owner_id"),
)

shares = Table(
    "shares",
    metadata,
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),  # whose search
    Column("coach_id", Integer, ForeignKey("users.id"), nullable=False),  # who may read it
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "coach_id"),
)

feed_tokens = Table(
    "feed_tokens",
    metadata,
    Column("token_hash", String(64), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("token_hash"),
    UniqueConstraint("owner_id"),
)

user_secrets = Table(  # revision 0007: sealed with the server key (jobnudge.secretbox)
    "user_secrets",
    metadata,
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(80), nullable=False),  # e.g. "mail.password"
    Column("sealed", Text, nullable=False),  # "jn1:<key id>:<nonce and ciphertext>"
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "name"),
)

# Failed sign-ins (revision 0008), shared by every web worker (web/signin_limits.py). Names and
# addresses are stored as SHA-256 only; times are seconds on the workers' common clock.

signin_runs = Table(
    "signin_runs",
    metadata,
    Column("key_hash", String(64), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("last_at", Float, nullable=False),
    PrimaryKeyConstraint("key_hash"),
    Index("ix_signin_runs_last_at", "last_at"),
)

signin_known = Table(
    "signin_known",
    metadata,
    Column("account_hash", String(64), nullable=False),
    Column("address_hash", String(64), nullable=False),
    Column("seen_at", Float, nullable=False),
    PrimaryKeyConstraint("account_hash", "address_hash"),
)

ACCOUNT_TABLES = (
    credentials,
    web_sessions,
    invitations,
    shares,
    feed_tokens,
    user_secrets,
    signin_runs,
    signin_known,
)
