"""The tables, as SQLAlchemy Core metadata: the definition migrations are checked against.

Every row belongs to a user (``owner_id``) and every secondary index starts with it, so each
query touches one user's rows only. References between a user's records are composite foreign
keys ``(owner_id, x_id) -> (owner_id, id)``: the database itself refuses a link to another
user's record. Ids are never reused (AUTOINCREMENT on SQLite), since nudge keys may name them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
    literal_column,
)

from jobnudge.domain.activity import TURNS, USER_ACTIONS
from jobnudge.domain.enums import Channel, EventType, InterviewFormat, MessageKind, Stage
from jobnudge.store.types import EnumText, JSONText, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _owner() -> Column[int]:
    return Column("owner_id", Integer, ForeignKey("users.id"), nullable=False)


def _owned(columns: tuple[str, ...], table: str) -> ForeignKeyConstraint:
    """A reference to another record of the same user."""
    return ForeignKeyConstraint(["owner_id", *columns], [f"{table}.owner_id", f"{table}.id"])


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("settings", JSONText, nullable=False),
    # Increased by every transaction that writes to this user's search (see Tx.touch).
    Column("revision", BigInteger, nullable=False, server_default="0"),
    sqlite_autoincrement=True,
)

companies = Table(
    "companies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # typography.name_key: the uniqueness that matters
    Column("aliases", JSONText, nullable=False),
    Column("domains", JSONText, nullable=False),
    Column("is_staffing_firm", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "name_key"),
    UniqueConstraint("owner_id", "id"),
    sqlite_autoincrement=True,
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # typography.name_key, for substring search
    Column("company_id", Integer, nullable=True),
    Column("title", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("phone", Text, nullable=False),
    Column("tz", String(64), nullable=True),
    Column("country", String(8), nullable=True),
    Column("prefers", EnumText(Channel), nullable=True),
    Column("first_name_ok", Boolean, nullable=False),
    Column("roles", JSONText, nullable=False),
    Column("salutation", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "id"),
    _owned(("company_id",), "companies"),
    Index("ix_contacts_owner_id_company_id", "owner_id", "company_id"),
    sqlite_autoincrement=True,
)

opportunities = Table(
    "opportunities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("company_id", Integer, nullable=False),
    Column("role", Text, nullable=False),
    Column("posting_url", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("responds_within_days", Integer, nullable=True),
    Column("prefers", EnumText(Channel), nullable=True),
    Column("referrer_id", Integer, nullable=True),
    Column("staffing_firm_id", Integer, nullable=True),
    Column("recruiter_id", Integer, nullable=True),
    Column("priority", Integer, nullable=False),
    Column("notes", Text, nullable=False),
    Column("settings", JSONText, nullable=False),
    Column("stage", EnumText(Stage), nullable=False),  # materialised from the events
    # What the posting says about being contacted, each with its sentence (revision 0012).
    Column("posting_terms", JSONText, nullable=False, server_default="{}"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "id"),
    _owned(("company_id",), "companies"),
    _owned(("referrer_id",), "contacts"),
    _owned(("staffing_firm_id",), "companies"),
    _owned(("recruiter_id",), "contacts"),
    Index("ix_opportunities_owner_id_stage", "owner_id", "stage"),
    Index("ix_opportunities_owner_id_company_id", "owner_id", "company_id"),
    sqlite_autoincrement=True,
)

opportunity_contacts = Table(
    "opportunity_contacts",
    metadata,
    _owner(),
    Column("opportunity_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    PrimaryKeyConstraint("owner_id", "opportunity_id", "contact_id"),
    _owned(("opportunity_id",), "opportunities"),
    _owned(("contact_id",), "contacts"),
    Index("ix_opportunity_contacts_owner_id_contact_id", "owner_id", "contact_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("opportunity_id", Integer, nullable=True),  # None: about a contact alone
    Column("type", EnumText(EventType), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # True when the day it happened is unknown (a status imported without a date of its own):
    # ``at`` then only orders it, and the playbook starts no follow-up from it.
    Column("date_unknown", Boolean, nullable=False, server_default=false()),
    Column("tz", String(64), nullable=False),
    Column("contact_ids", JSONText, nullable=False),
    Column("channel", EnumText(Channel), nullable=True),
    Column("kind", EnumText(MessageKind), nullable=True),
    Column("round", Integer, nullable=True),
    Column("format", EnumText(InterviewFormat), nullable=True),
    Column("scheduled_for", UTCDateTime, nullable=True),
    Column("decision_by", Date, nullable=True),
    Column("prefers", EnumText(Channel), nullable=True),
    Column("note", Text, nullable=False),
    Column("nudge_key", Text, nullable=True),
    Column("until", UTCDateTime, nullable=True),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "id"),
    _owned(("opportunity_id",), "opportunities"),
    Index("ix_events_owner_id_opportunity_id_at", "owner_id", "opportunity_id", "at"),
    Index("ix_events_owner_id_type_at", "owner_id", "type", "at"),  # revision 0015
    sqlite_autoincrement=True,
)


def _types(kinds: frozenset[EventType]) -> list[ColumnElement[str]]:
    """Event types as constants in the SQL, in one order: a partial index serves a query only
    when the query repeats the index's condition, which a bound parameter does not."""
    return [literal_column(f"'{kind.value}'") for kind in sorted(kinds)]


# The caseload page's questions (revision 0019), each answered from a small partial index
# without reading the events themselves (``store.caseload_reads``).
IS_ACTION = and_(events.c.type.in_(_types(USER_ACTIONS)), events.c.date_unknown.is_(False))
"""A dated event of something the user did: "last activity" is the latest."""
IS_TURN = events.c.type.in_(_types(TURNS))
"""An event that passes the turn: the latest says whether the employer is to answer."""
IS_INTERVIEW = events.c.type == literal_column(f"'{EventType.SCHEDULED.value}'")
"""An interview set up: "interviews this week" counts them by ``scheduled_for``."""
Index(
    "ix_events_actions",
    events.c.owner_id,
    events.c.at,
    postgresql_where=IS_ACTION,
    sqlite_where=IS_ACTION,
)
Index(
    "ix_events_turns",
    events.c.owner_id,
    events.c.opportunity_id,
    events.c.at,
    events.c.id,
    events.c.type,
    postgresql_where=IS_TURN,
    sqlite_where=IS_TURN,
)
Index(
    "ix_events_interviews",
    events.c.owner_id,
    events.c.scheduled_for,
    postgresql_where=IS_INTERVIEW,
    sqlite_where=IS_INTERVIEW,
)

# The people an event names (its ``contact_ids``), one row each: an index for "when was this
# person last in touch" that costs one lookup, and a foreign key the JSON list cannot have.
event_contacts = Table(
    "event_contacts",
    metadata,
    _owner(),
    Column("event_id", Integer, nullable=False),
    Column("contact_id", Integer, nullable=False),
    PrimaryKeyConstraint("owner_id", "event_id", "contact_id"),
    ForeignKeyConstraint(
        ["owner_id", "event_id"], ["events.owner_id", "events.id"], ondelete="CASCADE"
    ),
    _owned(("contact_id",), "contacts"),
    Index("ix_event_contacts_owner_id_contact_id", "owner_id", "contact_id"),
)

# Materialised: recomputed from the events, never edited by hand. ``anchor_event_id`` has no
# foreign key on purpose: deleting an event must not wait for its nudges to be recomputed.
nudges = Table(
    "nudges",
    metadata,
    _owner(),
    Column("key", Text, nullable=False),
    Column("short_id", String(16), nullable=False),
    Column("rule", String(64), nullable=False),
    Column("opportunity_id", Integer, nullable=True),
    Column("contact_id", Integer, nullable=True),
    Column("channel", EnumText(Channel), nullable=True),
    Column("due", UTCDateTime, nullable=False),
    Column("due_by", UTCDateTime, nullable=True),
    Column("expires", UTCDateTime, nullable=True),
    Column("tz", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("anchor_event_id", Integer, nullable=True),
    Column("computed_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "key"),
    _owned(("opportunity_id",), "opportunities"),
    _owned(("contact_id",), "contacts"),
    Index("ix_nudges_owner_id_due", "owner_id", "due"),
    Index("ix_nudges_owner_id_short_id", "owner_id", "short_id"),
    Index("ix_nudges_owner_id_opportunity_id", "owner_id", "opportunity_id"),
)

# What the user deleted (revision 0005): the rows as they were, so that an undo puts them back
# with their ids. Kept for a while (services/deleting.py), then gone for good.
deletions = Table(
    "deletions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _owner(),
    Column("kind", String(16), nullable=False),  # "opportunity", "contact" or "event"
    Column("summary", Text, nullable=False),  # what it was, in words, for "Undo" and the list
    Column("document", JSONText, nullable=False),  # the rows and the links (store/removal.py)
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner_id", "id"),
    Index("ix_deletions_owner_id_created_at", "owner_id", "created_at"),
    sqlite_autoincrement=True,
)

# The posting an opportunity started from (revision 0012): its text, the page (size-limited)
# and the values read from it, each with the sentence or page field it came from.
postings = Table(
    "postings",
    metadata,
    _owner(),
    Column("opportunity_id", Integer, nullable=False),
    Column("url", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("page", Text, nullable=False),
    Column("findings", JSONText, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("owner_id", "opportunity_id"),
    _owned(("opportunity_id",), "opportunities"),
)

OWNED_TABLES = (
    companies,
    contacts,
    opportunities,
    opportunity_contacts,
    events,
    event_contacts,
    nudges,
    deletions,
    postings,
)

from jobnudge.store import account_tables as account_tables  # noqa: E402 - revision 0002 joins
from jobnudge.store import job_tables as job_tables  # noqa: E402 - revision 0014 joins metadata
from jobnudge.store import mail_tables as mail_tables  # noqa: E402 - revision 0003 joins metadata
from jobnudge.store import org_tables as org_tables  # noqa: E402 - revision 0009 joins metadata
from jobnudge.store import remind_tables as remind_tables  # noqa: E402 - revision 0010 joins
