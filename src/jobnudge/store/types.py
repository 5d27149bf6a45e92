"""Column types that keep the database's representation out of the domain records."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, String, Text
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC, returned aware in UTC.

    SQLite keeps it as ``'YYYY-MM-DD HH:MM:SS.ffffff'`` text, which sorts in time order (the
    agenda's range scan relies on it); PostgreSQL as ``timestamp without time zone``. Naive
    values are refused: their zone is unknown, and guessing one shifts every follow-up.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, not {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store the naive datetime {value.isoformat()}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class JSONText(TypeDecorator[Any]):
    """A JSON document in a text column, identical on both databases and easy to read by eye."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return load_json(value)


def load_json(value: str | None) -> Any:
    """A stored JSON document read back (None stays None)."""
    # Most stored documents are empty lists (an event naming nobody) or objects: a re-plan
    # reads thousands of them, and the parser costs ~10x the comparison.
    if value == "[]":
        return []
    if value == "{}":
        return {}
    return None if value is None else json.loads(value)


class EnumText(TypeDecorator[StrEnum]):
    """A member of a string enum stored as its value, the word users type and exports carry."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: StrEnum | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)
