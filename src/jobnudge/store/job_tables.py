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
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
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
