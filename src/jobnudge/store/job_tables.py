"""Background work's own records (revision 0014): how each account's last periodic pass went,
and each large import handed to the job queue.

With the job queue on, the morning digests and the mail passes run on ``nudge worker``
processes, not in the web process that shows Settings: the outcome the page shows (when, what
went wrong, how many messages) must therefore live in the database. ``job_status`` also holds
when an account needs looking at again (``next_at``), which spares the periodic pass a look at
every account every minute.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
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
from jobnudge.store.types import JSONText, UTCDateTime

# One row per (user, kind): kind "remind" (the morning digest) or "mail" (sync, then send).
job_status = Table(
    "job_status",
    metadata,
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),  # when the last pass for this user ended
    Column("error", Text, nullable=True),  # what went wrong then, or NULL
    Column("logged", Integer, nullable=False),  # messages the mail sync logged
    Column("sent", Integer, nullable=False),  # messages sent, or digests delivered
    Column("ok_at", UTCDateTime, nullable=True),  # when a pass last went without error
    Column("next_at", UTCDateTime, nullable=True),  # look again from then on (NULL: now)
    PrimaryKeyConstraint("owner_id", "kind"),
)

# A spreadsheet too large to import during the request: kept in the data dir until a worker has
# imported it. States: "queued", "running", "done" (``report`` holds what the import did) and
# "failed" (``error`` says why; nothing was imported).
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("file_name", Text, nullable=False),  # as uploaded, for the page
    Column("rows", Integer, nullable=False),  # data rows counted at upload
    Column("state", String(16), nullable=False),
    Column("report", JSONText, nullable=True),
    Column("error", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime, nullable=True),
    Column("finished_at", UTCDateTime, nullable=True),
    Index("ix_import_runs_owner_id_id", "owner_id", "id"),
    sqlite_autoincrement=True,
)

# Cohort numbers kept (revision 0018): an organisation's numbers for a quarter read millions of
# events (84 s at 10,000 seekers), too slow for a request and for each of five CSV downloads.
# One row per (scope, whose, period, time zone) as ``key``; ``numbers`` is the last computed
# Cohort (JSON), kept while a recompute runs. States: "queued", "running", "done", "failed".
cohort_results = Table(
    "cohort_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),  # "organisation:ORG:..." or "caseload:COACH:..."
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("coach_id", Integer, ForeignKey("users.id"), nullable=True),  # NULL: the organisation
    Column("first", Date, nullable=False),
    Column("last", Date, nullable=False),  # inclusive
    Column("tz", String(64), nullable=False),  # whose days the period counts in
    Column("state", String(16), nullable=False),
    Column("asked_at", UTCDateTime, nullable=False),  # the moment the next computation describes
    Column("started_at", UTCDateTime, nullable=True),
    Column("numbers", JSONText, nullable=True),
    Column("as_of", UTCDateTime, nullable=True),  # the moment ``numbers`` describe
    Column("computed_at", UTCDateTime, nullable=True),  # when they were finished
    Column("seconds", Float, nullable=True),  # how long computing them took
    Column("people", Integer, nullable=True),  # the job seekers they were computed over
    Column("fingerprint", String(64), nullable=True),  # those seekers' ids and revisions, hashed
    Column("error", Text, nullable=False),
    Column("members", String(64), nullable=True),  # the seekers' ids alone, hashed (who, not what)
    Column("viewed_at", UTCDateTime, nullable=True),  # last shown; unviewed for 30 days: pruned
    UniqueConstraint("key"),
    Index("ix_cohort_results_org_id", "org_id"),
    Index("ix_cohort_results_coach_id", "coach_id"),
    sqlite_autoincrement=True,
)
