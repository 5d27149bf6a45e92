"""The agenda row: what ``nudge today`` prints, shared by the fast path and the Store.

Kept free of SQLAlchemy so that the fast path can build it without paying for that import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jobnudge.domain.enums import Channel


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One pending nudge with the names a person needs to read it (all instants aware UTC)."""

    key: str
    short_id: str
    rule: str
    opportunity_id: int | None
    company: str | None
    role: str | None
    contact_id: int | None
    contact: str | None
    contact_tz: str | None
    contact_country: str | None
    channel: Channel | None
    due: datetime
    due_by: datetime | None
    expires: datetime | None
    tz: str
    reason: str
    message: str
