"""The reminder tables (revision 0010): each digest as prepared for one channel, and the items
it carried.

A digest and its items are written in one transaction, before anything leaves: an item is in
``reminder_items`` once per channel (the primary key), so no later digest on that channel can
carry it again, and a digest that was not delivered (``state`` still "pending") is retried with
the very same content. No Apprise URL, password or token is ever stored here.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jobnudge.store.tables import _owner, metadata
from jobnudge.store.types import UTCDateTime

# One row per (user, channel, slot): the slot is the user's local day of a morning digest
# ("2026-12-07"). States: "pending" (prepared, not yet delivered), "handed" (an e-mail whose
# data went to the server without an answer recorded: counted as delivered, never resent),
# "delivered", and "empty" (nothing to say that day: no message, and no second look).
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("channel", String(16), nullable=False),
    Column("slot", String(32), nullable=False),
    Column("state", String(16), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),  # plain text
    Column("html", Text, nullable=False),
    Column("item_count", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("lease_until", UTCDateTime, nullable=True),  # a run delivering it holds it until then
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
    UniqueConstraint("owner_id", "channel", "slot"),
    UniqueConstraint("owner_id", "id"),
    Index("ix_reminders_owner_id_state", "owner_id", "state"),
    sqlite_autoincrement=True,
)

reminder_items = Table(
    "reminder_items",
    metadata,
    _owner(),
    Column("channel", String(16), nullable=False),
    Column("item_key", Text, nullable=False),  # "nudge:KEY@DUE", "interview:ID@WHEN", ...
    Column("reminder_id", Integer, nullable=False),
    PrimaryKeyConstraint("owner_id", "channel", "item_key"),
    ForeignKeyConstraint(
        ["owner_id", "reminder_id"], ["reminders.owner_id", "reminders.id"], ondelete="CASCADE"
    ),
    Index("ix_reminder_items_owner_id_reminder_id", "owner_id", "reminder_id"),
)

# Revision 0016: on a server with accounts, the e-mail digest goes only to an address whose
# holder opened the link sent to it (``remind_addresses``); "send a test" and the confirmation
# messages are counted (``remind_sends``) so that no account can make the server mail anyone
# over and over. The link's token is kept as its SHA-256 only.
remind_addresses = Table(
    "remind_addresses",
    metadata,
    _owner(),
    Column("address", String(254), nullable=False),  # as typed, compared casefolded
    Column("token_hash", String(64), nullable=True),  # the link still open, if any
    Column("asked_at", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=True),
    PrimaryKeyConstraint("owner_id", "address"),
    # No index on token_hash: every index here starts with the owner, and a link is opened
    # rarely, over a table of one row per account's address.
)

remind_sends = Table(
    "remind_sends",
    metadata,
    _owner(),
    Column("kind", String(16), nullable=False),  # "test" or "confirm"
    Column("address", String(254), nullable=True),  # a confirmation link's address
    Column("sent_at", UTCDateTime, nullable=False),
    Index("ix_remind_sends_owner_id_kind_sent_at", "owner_id", "kind", "sent_at"),
)

REMIND_TABLES = (reminders, reminder_items, remind_addresses, remind_sends)
