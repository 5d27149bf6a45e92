"""Rows to domain records, and the checks every value passes on its way into a row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Row

from jobnudge import bounds, text_safety, zones
from jobnudge.domain.enums import Role
from jobnudge.domain.records import Company, Contact, Event, Nudge, Opportunity, Posting
from jobnudge.errors import UsageError
from jobnudge.plural import noun
from jobnudge.store.rows import AgendaRow

E = TypeVar("E", bound=StrEnum)


def aware(value: datetime, name: str) -> datetime:
    """``value`` if it carries its zone; a naive instant is a bug upstream, so it raises."""
    if value.__class__ is datetime and value.tzinfo is UTC:  # what the playbook computes
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a zone), not {value!r}")
    return value


def maybe_aware(value: datetime | None, name: str) -> datetime | None:
    return None if value is None else aware(value, name)


def zone(value: str, name: str) -> str:
    """``value`` if it is an IANA zone name, else a UsageError naming the field."""
    try:
        if not zones.looks_like_zone(value):
            raise ValueError(value)
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise UsageError(
            f"{name}: '{value}' is not an IANA time zone; use a name like 'America/New_York'."
        ) from exc
    return value


def member(enum: type[E], value: E | str, name: str) -> E:
    """The enum member for ``value`` (a member or its stored word), or a UsageError."""
    try:
        return enum(value)
    except ValueError as exc:
        words = ", ".join(m.value for m in enum)
        raise UsageError(f"{name}: '{value}' is not one of {words}.") from exc


def maybe_member(enum: type[E], value: E | str | None, name: str) -> E | None:
    return None if value is None else member(enum, value, name)


MULTILINE = frozenset({"notes", "note", "body"})
"""The text columns that hold several lines; every other one is a single line."""


def clean_text(value: object, name: str, *, required: bool = False) -> str:
    """Text as stored: trimmed; a single-line column with its whitespace made single spaces;
    control characters (terminal escapes) refused in any column, naming it; a required one
    that shows nothing (blank, or only zero-width characters) refused."""
    if not isinstance(value, str):
        raise UsageError(f"{name} must be text, not {value!r:.40}.")
    if name in MULTILINE:
        cleaned = text_safety.text(value, name).strip()
    else:
        cleaned = text_safety.trim(text_safety.line(value, name))
    if required and text_safety.is_blank(cleaned):
        raise UsageError(f"{name} must not be empty.")
    return cleaned


def whole(value: object, name: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} must be a whole number, not {value!r:.40}.")
    if minimum is not None and value < minimum:
        raise UsageError(f"{name} must be at least {minimum}, not {value}.")
    return bounds.whole(value, name, minimum=-bounds.MAX_ID - 1 if minimum is None else minimum)


def maybe_whole(value: object, name: str, *, minimum: int | None = None) -> int | None:
    return None if value is None else whole(value, name, minimum=minimum)


def no_unknown(changes: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    extra = sorted(set(changes) - allowed)
    if extra:
        raise UsageError(
            f"Unknown {what} {noun(len(extra), 'field')}: {', '.join(extra)}. "
            f"Fields: {', '.join(sorted(allowed))}."
        )


def text_list(values: Iterable[str]) -> list[str]:
    """Stripped, non-empty, first occurrence kept: how aliases and domains are stored."""
    out: list[str] = []
    for value in values:
        cleaned = text_safety.scrub_line(value)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


def company(row: Row[Any]) -> Company:
    return Company(
        id=row.id,
        name=row.name,
        aliases=tuple(row.aliases),
        domains=tuple(row.domains),
        is_staffing_firm=bool(row.is_staffing_firm),
    )


def contact(row: Row[Any]) -> Contact:
    return Contact(
        id=row.id,
        name=row.name,
        company_id=row.company_id,
        title=row.title,
        email=row.email,
        phone=row.phone,
        tz=row.tz,
        country=row.country,
        prefers=row.prefers,
        first_name_ok=bool(row.first_name_ok),
        roles=frozenset(Role(r) for r in row.roles),
        salutation=row.salutation,
        notes=row.notes,
    )


def opportunity(row: Row[Any]) -> Opportunity:
    """From an opportunities row joined with its company's name as ``company_name``."""
    return Opportunity(
        id=row.id,
        company_id=row.company_id,
        company=row.company_name,
        role=row.role,
        posting_url=row.posting_url,
        source=row.source,
        responds_within_days=row.responds_within_days,
        prefers=row.prefers,
        referrer_id=row.referrer_id,
        staffing_firm_id=row.staffing_firm_id,
        recruiter_id=row.recruiter_id,
        priority=row.priority,
        notes=row.notes,
        settings=dict(row.settings),
        created_at=row.created_at,
        posting_terms=dict(row.posting_terms or {}),
    )


def posting(row: Row[Any]) -> Posting:
    return Posting(
        opportunity_id=row.opportunity_id,
        url=row.url,
        text=row.text,
        page=row.page,
        findings=tuple(row.findings or ()),
        created_at=row.created_at,
    )


def event(row: Row[Any]) -> Event:
    return Event(
        id=row.id,
        opportunity_id=row.opportunity_id,
        type=row.type,
        at=row.at,
        date_unknown=bool(row.date_unknown),
        tz=row.tz,
        contact_ids=tuple(row.contact_ids),
        channel=row.channel,
        kind=row.kind,
        round=row.round,
        format=row.format,
        scheduled_for=row.scheduled_for,
        decision_by=row.decision_by,
        prefers=row.prefers,
        note=row.note,
        nudge_key=row.nudge_key,
        until=row.until,
        body=row.body,
    )


def nudge(row: Row[Any]) -> Nudge:
    return Nudge(
        key=row.key,
        rule=row.rule,
        opportunity_id=row.opportunity_id,
        contact_id=row.contact_id,
        channel=row.channel,
        due=row.due,
        due_by=row.due_by,
        reason=row.reason,
        tz=row.tz,
        expires=row.expires,
        anchor_event_id=row.anchor_event_id,
        message=row.message,
    )


def agenda_row(row: Row[Any]) -> AgendaRow:
    """From the agenda query's columns, labelled as the AgendaRow fields."""
    return AgendaRow(**row._asdict())
