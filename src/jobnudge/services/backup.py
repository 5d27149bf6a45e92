"""A full, versioned JSON backup of everything a user owns; its restore into an empty database
(SQLite or PostgreSQL) is ``services.restoring``.

The file holds the settings document, companies, contacts, opportunities (with the contacts
involved in each and the posting kept with it) and every event, each with the id it had;
references between them use those ids and are re-pointed to the new ids on restore (nudge
keys included, so a snoozed follow-up stays snoozed). Nudges are not stored: they are
derived, and recomputed on restore.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from jobnudge.services.session import Session

FORMAT = "jobnudge-backup"
VERSION = 1
T = TypeVar("T")


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def backup(session: Session) -> dict[str, Any]:
    """The backup document (what :func:`backup_json` serialises)."""
    from importlib.metadata import PackageNotFoundError, version

    store, owner = session.store, session.owner
    try:
        app_version = version("jobnudge")
    except PackageNotFoundError:
        app_version = "unknown"
    opportunities = store.opportunities(owner)
    events = [e for opp, _s in opportunities for e in store.events(owner, opp.id)]
    events += store.events(owner, None)
    events.sort(key=lambda e: e.id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": app_version,
        "exported_at": _when(session.now),
        "settings": store.user_settings(owner),
        "companies": [
            {
                "id": c.id,
                "name": c.name,
                "aliases": list(c.aliases),
                "domains": list(c.domains),
                "is_staffing_firm": c.is_staffing_firm,
            }
            for c in store.companies(owner)
        ],
        "contacts": [
            {
                "id": c.id,
                "name": c.name,
                "company_id": c.company_id,
                "title": c.title,
                "email": c.email,
                "phone": c.phone,
                "tz": c.tz,
                "country": c.country,
                "prefers": c.prefers.value if c.prefers else None,
                "first_name_ok": c.first_name_ok,
                "roles": sorted(r.value for r in c.roles),
                "salutation": c.salutation,
                "notes": c.notes,
            }
            for c in store.contacts(owner)
        ],
        "opportunities": [
            {
                "id": o.id,
                "company_id": o.company_id,
                "role": o.role,
                "posting_url": o.posting_url,
                "source": o.source,
                "responds_within_days": o.responds_within_days,
                "prefers": o.prefers.value if o.prefers else None,
                "referrer_id": o.referrer_id,
                "staffing_firm_id": o.staffing_firm_id,
                "recruiter_id": o.recruiter_id,
                "priority": o.priority,
                "notes": o.notes,
                "settings": dict(o.settings),
                "created_at": _when(o.created_at),
                "stage": stage.value,
                "contact_ids": [c.id for c in store.opportunity_contacts(owner, o.id)],
                "posting_terms": {k: dict(v) for k, v in o.posting_terms.items()},
                "posting": _posting(store, owner, o.id),
            }
            for o, stage in opportunities
        ],
        "events": [
            {
                "id": e.id,
                "opportunity_id": e.opportunity_id,
                "type": e.type.value,
                "at": _when(e.at),
                "date_unknown": e.date_unknown,
                "tz": e.tz,
                "contact_ids": list(e.contact_ids),
                "channel": e.channel.value if e.channel else None,
                "kind": e.kind.value if e.kind else None,
                "round": e.round,
                "format": e.format.value if e.format else None,
                "scheduled_for": _when(e.scheduled_for),
                "decision_by": e.decision_by.isoformat() if e.decision_by else None,
                "prefers": e.prefers.value if e.prefers else None,
                "note": e.note,
                "nudge_key": e.nudge_key,
                "until": _when(e.until),
                "body": e.body,
            }
            for e in events
        ],
    }


def _posting(store: Any, owner: int, opportunity_id: int) -> dict[str, Any] | None:
    """The posting kept with an opportunity (its text, page and what was read), if any."""
    kept = store.posting(owner, opportunity_id)
    if kept is None:
        return None
    return {
        "url": kept.url,
        "text": kept.text,
        "page": kept.page,
        "findings": [dict(f) for f in kept.findings],
        "created_at": _when(kept.created_at),
    }


def backup_json(session: Session) -> bytes:
    """The backup as UTF-8 JSON bytes (keys sorted, so two backups of the same search diff
    cleanly)."""
    return json.dumps(backup(session), indent=1, ensure_ascii=False, sort_keys=True).encode()
