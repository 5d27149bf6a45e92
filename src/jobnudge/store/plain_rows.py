"""Many rows to records at once, without the column types' per-value calls: for the batch
reads, where a re-plan of a whole user turns ~1,000 event rows into records.

Why: through the table's own columns every value of every row passes through its column
type (``UTCDateTime``, ``EnumText``, ``JSONText``: a Python call each) and the rows are
fetched one at a time; that cost ~3x the driver's own fetch. Here the statement asks for the
stored representation (``plain``: the type's ``impl``, so SQLite's text dates are still parsed
by the dialect), every row is fetched in one call, and each value becomes what the column type
would have made of it by a dictionary lookup or one method call. The records are equal to
those of ``convert`` (``tests/store/test_plain_rows.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, select, type_coerce
from sqlalchemy.sql.schema import Column

from jobnudge.domain.enums import Channel, EventType, InterviewFormat, MessageKind
from jobnudge.domain.records import Event
from jobnudge.store.tables import events
from jobnudge.store.types import EnumText, JSONText, UTCDateTime, load_json

E = TypeVar("E", bound=StrEnum)


def plain(column: Column[Any]) -> ColumnElement[Any]:
    """``column`` as stored (its type's ``impl``), under its own name."""
    kind = column.type
    if isinstance(kind, UTCDateTime | EnumText | JSONText):
        return type_coerce(column, kind.impl).label(column.name)
    return column


class Members(dict[str | None, E | None], Generic[E]):
    """A stored word to its enum member (None to None); a word the enum does not know
    raises the enum's own ValueError, as the column type does."""

    def __init__(self, enum: type[E]) -> None:
        super().__init__({m.value: m for m in enum})
        self[None] = None
        self.enum = enum

    def __missing__(self, word: str | None) -> E | None:
        assert word is not None  # None is a key
        return self.enum(word)


def ids(document: str) -> tuple[int, ...]:
    """A stored JSON list of ids (``[]``, ``[12,40]``) as a tuple, without the JSON parser
    for the lists of plain numbers every writer stores."""
    if document == "[]":
        return ()
    try:
        return tuple(int(part) for part in document[1:-1].split(","))
    except ValueError:
        return tuple(load_json(document))


def utc(value: datetime | None) -> datetime | None:
    """A stored naive UTC instant made aware (``UTCDateTime``'s reading)."""
    return None if value is None else value.replace(tzinfo=UTC)


_TYPES = Members(EventType)
_CHANNELS = Members(Channel)
_KINDS = Members(MessageKind)
_FORMATS = Members(InterviewFormat)

EVENT_COLUMNS = (
    "id",
    "opportunity_id",
    "type",
    "at",
    "date_unknown",
    "tz",
    "contact_ids",
    "channel",
    "kind",
    "round",
    "format",
    "scheduled_for",
    "decision_by",
    "prefers",
    "note",
    "nudge_key",
    "until",
    "body",
)
"""The event columns a record needs, in the order ``events_of`` unpacks them."""


def event_select(*where: ColumnElement[bool]) -> Select[Any]:
    """The events matching ``where`` as stored, in the columns of :data:`EVENT_COLUMNS`."""
    return select(*(plain(events.c[name]) for name in EVENT_COLUMNS)).where(*where)


def events_of(rows: Iterable[Any]) -> Iterator[Event]:
    """Records of rows of :func:`event_select`, in their order."""
    for (
        id_,
        opportunity_id,
        type_,
        at,
        date_unknown,
        tz,
        contact_ids,
        channel,
        kind,
        round_,
        format_,
        scheduled_for,
        decision_by,
        prefers,
        note,
        nudge_key,
        until,
        body,
    ) in rows:
        yield Event(
            id=id_,
            opportunity_id=opportunity_id,
            type=_TYPES[type_],  # type: ignore[arg-type]  # never None: NOT NULL
            at=at.replace(tzinfo=UTC),
            date_unknown=bool(date_unknown),
            tz=tz,
            contact_ids=ids(contact_ids),
            channel=_CHANNELS[channel],
            kind=_KINDS[kind],
            round=round_,
            format=_FORMATS[format_],
            scheduled_for=None if scheduled_for is None else scheduled_for.replace(tzinfo=UTC),
            decision_by=decision_by,
            prefers=_CHANNELS[prefers],
            note=note,
            nudge_key=nudge_key,
            until=None if until is None else until.replace(tzinfo=UTC),
            body=body,
        )


def fetch(conn: Connection, statement: Select[Any]) -> list[Any]:
    """Every row of ``statement`` in one fetch."""
    return list(conn.execute(statement).all())
