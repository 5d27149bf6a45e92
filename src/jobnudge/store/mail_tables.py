"""The mail tables (revision 0003): the outbox, what each mailbox was synced up to, the messages
already seen, the review list and the addresses that bounced.

They join the same :data:`~jobnudge.store.tables.metadata` (``tables.py`` imports this module at
its end), follow the same rules (an ``owner_id`` on every row, every index starting with it,
composite foreign keys to the user's own records) and are created by ``0003_mail.py``.
No password or token is ever stored here.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jobnudge.domain.enums import MessageKind
from jobnudge.store.tables import _owned, _owner, metadata
from jobnudge.store.types import EnumText, JSONText, UTCDateTime

# Approved messages, from approval until the server's answer. ``message_id`` and ``raw`` (the
# exact bytes handed over, fixed before the first connection) never change, so a retry sends
# the very same message and the Sent folder can be searched for it. ``event_id`` has no foreign
# key on purpose, like ``nudges.anchor_event_id``: undoing an event must not wait for the outbox.
mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("message_id", Text, nullable=False),  # "<...@domain>", made at approval
    Column("state", String(16), nullable=False),  # queued sending sent failed unknown cancelled
    Column("nudge_key", Text, nullable=True),
    Column("rule", String(64), nullable=True),
    Column("opportunity_id", Integer, nullable=True),
    Column("contact_id", Integer, nullable=True),
    Column("kind", EnumText(MessageKind), nullable=True),
    Column("from_name", Text, nullable=False),
    Column("from_address", Text, nullable=False),
    Column("to_name", Text, nullable=False),
    Column("to_address", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("in_reply_to", Text, nullable=True),
    Column("reference_ids", JSONText, nullable=False),
    Column("raw", Text, nullable=True),
    Column("send_after", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("claimed_by", Text, nullable=True),  # "host:pid" of the sender holding it
    Column("lease_until", UTCDateTime, nullable=True),
    Column("handed_over_at", UTCDateTime, nullable=True),  # set just before the final dot
    Column("server_reply", Text, nullable=False),
    Column("copy_saved", Boolean, nullable=False),  # a copy is in the Sent mailbox
    Column("event_id", Integer, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "message_id"),
    _owned(("opportunity_id",), "opportunities"),
    _owned(("contact_id",), "contacts"),
    Index("ix_mail_outbox_owner_id_state_send_after", "owner_id", "state", "send_after"),
    sqlite_autoincrement=True,
)

# Where each mailbox was read up to. A UIDVALIDITY other than the stored one means the server
# renumbered the mailbox: everything is read again, and the seen Message-IDs keep that harmless.
mail_sync_state = Table(
    "mail_sync_state",
    metadata,
    _owner(),
    Column("mailbox", Text, nullable=False),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("last_uid", BigInteger, nullable=False),
    Column("synced_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "mailbox"),
)

# Every message jobnudge has logged, sent, or acted on (a bounce), by Message-ID: the dedupe key
# of every sync, and the thread index replies are matched against (In-Reply-To, References).
mail_messages = Table(
    "mail_messages",
    metadata,
    _owner(),
    Column("message_id", Text, nullable=False),
    Column("direction", String(8), nullable=False),  # "in", "out" or "bounce"
    Column("mailbox", Text, nullable=False),
    Column("opportunity_id", Integer, nullable=True),
    Column("contact_id", Integer, nullable=True),
    Column("event_id", Integer, nullable=True),
    Column("outbox_id", Integer, nullable=True),
    Column("subject", Text, nullable=False),
    Column("reference_ids", JSONText, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "message_id"),
    _owned(("opportunity_id",), "opportunities"),
    _owned(("contact_id",), "contacts"),
    Index("ix_mail_messages_owner_id_opportunity_id_at", "owner_id", "opportunity_id", "at"),
)

# What a sync was not sure about, for the user to decide: a message that may belong to one of
# several opportunities (kind "match"), or one that reads like an offer or a rejection.
mail_review = Table(
    "mail_review",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("message_id", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # "match", "offer" or "rejected"
    Column("direction", String(8), nullable=False),
    Column("mailbox", Text, nullable=False),
    Column("from_address", Text, nullable=False),
    Column("from_name", Text, nullable=False),
    Column("to_addresses", JSONText, nullable=False),
    Column("subject", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("body", Text, nullable=False),
    Column("contact_id", Integer, nullable=True),
    Column("candidates", JSONText, nullable=False),  # opportunity ids, likeliest first
    Column("opportunity_id", Integer, nullable=True),  # the proposed one, if any
    Column("reason", Text, nullable=False),
    Column("state", String(16), nullable=False),  # "open", "accepted" or "ignored"
    Column("event_id", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
    UniqueConstraint("owner_id", "message_id", "kind"),
    _owned(("contact_id",), "contacts"),
    _owned(("opportunity_id",), "opportunities"),
    Index("ix_mail_review_owner_id_state", "owner_id", "state"),
    sqlite_autoincrement=True,
)

# Addresses a delivery status notification said cannot receive mail. Kept apart from
# ``contacts`` so a corrected address is simply not on the list.
mail_bad_addresses = Table(
    "mail_bad_addresses",
    metadata,
    _owner(),
    Column("address", Text, nullable=False),  # lower case
    Column("reason", Text, nullable=False),  # the server's diagnostic
    Column("message_id", Text, nullable=True),  # the bounce's own Message-ID
    Column("flagged_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "address"),
)

MAIL_TABLES = (mail_outbox, mail_sync_state, mail_messages, mail_review, mail_bad_addresses)
