"""The agenda straight from a SQLite file with the standard library alone.

``nudge today`` must print in well under a quarter of a second, and importing SQLAlchemy alone
costs about that much. This module reads the materialised nudges with :mod:`sqlite3` and must
never import SQLAlchemy or Alembic (a test enforces it). It trusts a file only when
:func:`schema_is_current` says the schema is the one this code was written for; otherwise the
caller opens the full store, which migrates.

The command line's fast path (``cli/quick.py``) imports it before anything else, so it also
keeps clear of ``pathlib``, ``typing`` and ``dataclasses``: :func:`agenda_records` gives plain
tuples; :func:`agenda_rows` the Store's :class:`AgendaRow`.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

from jobnudge.store.revision import HEAD

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jobnudge.store.rows import AgendaRow

Place = str | os.PathLike[str]
"""A file's path, as text or as a ``Path``."""

# The same statement the Store builds with SQLAlchemy (store/reads.py, ``agenda_rows``).
_AGENDA_SQL = """
SELECT n.key, n.short_id, n.rule, n.opportunity_id, c.name, o.role,
       n.contact_id, ct.name, ct.tz, ct.country, n.channel,
       n.due, n.due_by, n.expires, n.tz, n.reason, n.message
FROM nudges AS n
LEFT OUTER JOIN opportunities AS o ON o.owner_id = n.owner_id AND o.id = n.opportunity_id
LEFT OUTER JOIN companies AS c ON c.owner_id = o.owner_id AND c.id = o.company_id
LEFT OUTER JOIN contacts AS ct ON ct.owner_id = n.owner_id AND ct.id = n.contact_id
WHERE n.owner_id = ? AND n.due <= ? AND (n.expires IS NULL OR n.expires > ?)
ORDER BY n.due, n.key
"""


def _uri(path: Place) -> str:
    """The ``file:`` URI of ``path`` (resolved), with the characters a URI reserves escaped."""
    full = os.path.realpath(os.fspath(path))
    escaped = "".join(_URI_ESCAPES.get(char, char) for char in full)
    return f"file:{escaped}"


_URI_ESCAPES = {"%": "%25", "?": "%3f", "#": "%23"}


def _connect(path: Place) -> sqlite3.Connection:
    """Open an existing file (never create one) for reading."""
    uri = _uri(path) + "?mode=rw"
    connection = sqlite3.connect(uri, uri=True, timeout=5.0)
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


def _stored(value: datetime, name: str) -> str:
    """An instant as the store writes it: naive UTC text with microseconds."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {value!r}")
    return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _maybe_instant(text: str | None) -> datetime | None:
    return None if text is None else _instant(text)


def schema_is_current(path: Place) -> bool:
    """True when ``path`` is a jobnudge SQLite file already at :data:`HEAD`."""
    try:
        if not os.path.isfile(path):  # noqa: PTH113 - pathlib costs the fast path ~5 ms
            return False
        connection = _connect(path)
    except (sqlite3.Error, OSError):  # a name too long and the like: the full store says why
        return False
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return rows == [(HEAD,)]


Record = tuple[
    str, str, str, int | None, str | None, str | None, int | None, str | None, str | None,
    str | None, str | None, datetime, datetime | None, datetime | None, str, str, str,
]  # fmt: skip
"""An agenda row as plain values, in :class:`AgendaRow`'s field order (the channel as text)."""


def agenda_records(path: Place, owner_name: str, until: datetime, now: datetime) -> list[Record]:
    """Pending nudges of user ``owner_name`` due by ``until`` and not expired at ``now``.

    Ordered by due moment (then key); an unknown user has an empty agenda. Call only after
    :func:`schema_is_current` returned True for ``path``.
    """
    until_text, now_text = _stored(until, "until"), _stored(now, "now")
    connection = _connect(path)
    try:
        user = connection.execute("SELECT id FROM users WHERE name = ?", (owner_name,)).fetchone()
        if user is None:
            return []
        cursor = connection.execute(_AGENDA_SQL, (user[0], until_text, now_text))
        rows = cursor.fetchall()
    finally:
        connection.close()
    return [
        (*row[:11], _instant(row[11]), _maybe_instant(row[12]), _maybe_instant(row[13]), *row[14:])
        for row in rows
    ]


def agenda_rows(path: Place, owner_name: str, until: datetime, now: datetime) -> list[AgendaRow]:
    """:func:`agenda_records` as the Store's rows."""
    from jobnudge.domain.enums import Channel
    from jobnudge.store.rows import AgendaRow

    return [
        AgendaRow(
            key=key,
            short_id=short,
            rule=rule,
            opportunity_id=opportunity_id,
            company=company,
            role=role,
            contact_id=contact_id,
            contact=contact,
            contact_tz=contact_tz,
            contact_country=contact_country,
            channel=None if channel is None else Channel(channel),
            due=due,
            due_by=due_by,
            expires=expires,
            tz=tz,
            reason=reason,
            message=message,
        )
        for (
            key,
            short,
            rule,
            opportunity_id,
            company,
            role,
            contact_id,
            contact,
            contact_tz,
            contact_country,
            channel,
            due,
            due_by,
            expires,
            tz,
            reason,
            message,
        ) in agenda_records(path, owner_name, until, now)
    ]
