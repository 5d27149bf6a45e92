"""Restoring a backup (``services.backup``) into an empty database: the document read and
checked field by field (every problem a BadFile naming where it is), the settings checked, and
every record written in one transaction with its references and nudge keys re-pointed to the
new ids; the nudges are then recomputed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from jobnudge import bounds
from jobnudge.bounds import is_digits
from jobnudge.domain import Channel, EventType, InterviewFormat, MessageKind, Role
from jobnudge.errors import BadFile, ConfigError, Conflict, UsageError
from jobnudge.plural import count
from jobnudge.services.backup import FORMAT, VERSION

if TYPE_CHECKING:
    from jobnudge.services.session import Session

T = TypeVar("T")


def remap_key(
    key: str,
    opportunities: Mapping[int, int],
    contacts: Mapping[int, int],
    events: Mapping[int, int],
) -> str:
    """A nudge key (``rule:opportunity:contact:anchor`` or ``rule:user:contact:slot``) with
    its ids re-pointed; parts that are not ids stay as they are."""
    parts = key.split(":")
    if len(parts) != 4:
        return key
    rule, scope, person, anchor = parts

    def moved(text: str, table: Mapping[int, int]) -> str:
        return str(table.get(int(text), int(text))) if is_digits(text) else text

    if scope != "user":
        scope = moved(scope, opportunities)
        anchor = moved(anchor, events)
    return ":".join((rule, scope, moved(person, contacts), anchor))


class _Reader:
    """Typed access to the backup document, every problem a BadFile naming where it is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.current = "settings"  # the record being restored, for the store's refusals

    def fail(self, where: str, problem: str) -> BadFile:
        return BadFile(f"{self.path}: {where} {problem.rstrip('.')}; the backup was not restored.")

    def get(self, record: Mapping[str, Any], key: str, kind: type[T], where: str) -> T:
        if key not in record:
            raise self.fail(f"{where}.{key}", "is missing")
        value = record[key]
        if kind is int and isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "must be a whole number")
        if not isinstance(value, kind):
            raise self.fail(f"{where}.{key}", f"must be {kind.__name__}, not {value!r:.40}")
        return value

    def maybe(self, record: Mapping[str, Any], key: str, kind: type[T], where: str) -> T | None:
        if record.get(key) is None:
            return None
        return self.get(record, key, kind, where)

    def when(self, record: Mapping[str, Any], key: str, where: str) -> datetime | None:
        text = self.maybe(record, key, str, where)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(
                f"{where}.{key}", f"is not an ISO 8601 instant ({text!r:.40})"
            ) from None
        if value.tzinfo is None:
            raise self.fail(f"{where}.{key}", "has no UTC offset")
        try:
            return bounds.instant(value, f"{where}.{key}").astimezone(UTC)
        except (UsageError, OverflowError):
            raise self.fail(f"{where}.{key}", f"is out of range ({text!r:.40})") from None

    def word(
        self, record: Mapping[str, Any], key: str, make: Callable[[str], T], where: str
    ) -> T | None:
        text = self.maybe(record, key, str, where)
        if text is None:
            return None
        try:
            return make(text)
        except ValueError:
            raise self.fail(f"{where}.{key}", f"has an unknown value {text!r:.40}") from None

    def ref(self, table: Mapping[int, int], old: int | None, where: str) -> int | None:
        if old is None:
            return None
        if old not in table:
            raise self.fail(where, f"refers to id {old}, which the backup does not hold")
        return table[old]

    def records(self, doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        found = doc.get(key, [])
        if not isinstance(found, list) or not all(isinstance(r, dict) for r in found):
            raise self.fail(key, "must be a list of objects")
        return found


def load_document(path: Path) -> dict[str, Any]:
    """The backup file parsed and its format and version checked."""
    from jobnudge.tabular import safety

    safety.check_size(path, safety.MAX_BACKUP_BYTES, "backup")
    try:
        doc = json.loads(path.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadFile(f"{path}: is not a jobnudge backup (not valid JSON: {exc}).") from None
    except RecursionError:
        raise BadFile(f"{path}: is nested too deeply to be a jobnudge backup.") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadFile(f'{path}: is not a jobnudge backup (no "format": "{FORMAT}").')
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadFile(f"{path}: the backup has no valid format version.")
    if version > VERSION:
        raise BadFile(
            f"{path}: was written by a newer jobnudge (backup format {version}; this one reads "
            f"up to {VERSION}). Upgrade jobnudge, then restore."
        )
    return doc


def check_settings(document: Mapping[str, Any], r: _Reader) -> None:
    """The settings document passes the rules of the settings file (``config.parse``) and
    its draft templates those of the Settings page, or nothing is restored."""
    from jobnudge import config
    from jobnudge.services.preferences import KEPT_KEYS, TEMPLATES_KEY, check_template

    try:
        config.parse({k: v for k, v in document.items() if k not in KEPT_KEYS}, "settings")
        templates = document.get(TEMPLATES_KEY, {})
        if not isinstance(templates, Mapping):
            raise UsageError("templates: must be an object of template texts.")
        for name, text in templates.items():
            check_template(str(name), text if isinstance(text, str) else "")
    except (ConfigError, UsageError) as exc:
        raise r.fail("settings", f"are refused: {exc.message}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise r.fail("settings", f"are not a settings document ({exc})") from None


def restore(session: Session, path: Path) -> dict[str, int]:
    """Restore a backup into this user's part of the database, which must be empty.

    One transaction: a backup that fails halfway restores nothing. Returns the counts restored.
    """
    doc = load_document(path)
    r = _Reader(path)
    settings = doc.get("settings", {})
    if not isinstance(settings, dict):
        raise r.fail("settings", "must be an object")
    check_settings(settings, r)
    try:
        return _restore(session, doc, settings, r)
    except BadFile:
        raise
    except UsageError as exc:  # a value the store refuses: a control character, a number
        raise r.fail(r.current, f"is refused: {exc.message}") from None


def _restore(
    session: Session, doc: Mapping[str, Any], settings: dict[str, Any], r: _Reader
) -> dict[str, int]:
    from jobnudge.services.importing import replan

    owner = session.owner
    with session.store.transaction() as tx:
        held = (
            len(tx.opportunities(owner)),
            len(tx.contacts(owner)),
            len(tx.companies(owner)),
            len(tx.events(owner, None)),
        )
        if any(held):
            raise Conflict(
                f"The database already holds a search ({count(held[0], 'opportunity')}, "
                f"{count(held[1], 'contact')}, {count(held[2], 'company')}), so nothing was "
                "restored: restore only into "
                "an empty database, e.g. `nudge --db sqlite:////path/to/new.sqlite restore "
                "FILE`."
            )
        tx.set_user_settings(owner, settings)
        companies: dict[int, int] = {}
        for i, c in enumerate(r.records(doc, "companies")):
            where = r.current = f"companies[{i}]"
            made = tx.add_company(
                owner,
                r.get(c, "name", str, where),
                aliases=[str(a) for a in r.get(c, "aliases", list, where)],
                domains=[str(d) for d in r.get(c, "domains", list, where)],
                is_staffing_firm=r.get(c, "is_staffing_firm", bool, where),
                apart=True,  # kept apart by an older version: restored as they were
            )
            companies[r.get(c, "id", int, where)] = made.id
        contacts: dict[int, int] = {}
        for i, c in enumerate(r.records(doc, "contacts")):
            where = r.current = f"contacts[{i}]"
            roles = r.get(c, "roles", list, where)
            try:
                role_set = frozenset(Role(str(x)) for x in roles)
            except ValueError:
                raise r.fail(f"{where}.roles", f"holds an unknown role in {roles!r:.60}") from None
            made_contact = tx.add_contact(
                owner,
                name=r.get(c, "name", str, where),
                company_id=r.ref(companies, r.maybe(c, "company_id", int, where), where),
                title=r.get(c, "title", str, where),
                email=r.get(c, "email", str, where),
                phone=r.get(c, "phone", str, where),
                tz=r.maybe(c, "tz", str, where),
                country=r.maybe(c, "country", str, where),
                prefers=r.word(c, "prefers", Channel, where),
                first_name_ok=r.get(c, "first_name_ok", bool, where),
                roles=role_set,
                salutation=r.get(c, "salutation", str, where),
                notes=r.get(c, "notes", str, where),
            )
            contacts[r.get(c, "id", int, where)] = made_contact.id
        opportunities: dict[int, int] = {}
        for i, o in enumerate(r.records(doc, "opportunities")):
            where = r.current = f"opportunities[{i}]"
            settings_doc = r.get(o, "settings", dict, where)
            made_opp = tx.add_opportunity(
                owner,
                company_id=r.ref(companies, r.get(o, "company_id", int, where), where) or 0,
                role=r.get(o, "role", str, where),
                posting_url=r.get(o, "posting_url", str, where),
                source=r.get(o, "source", str, where),
                responds_within_days=r.maybe(o, "responds_within_days", int, where),
                prefers=r.word(o, "prefers", Channel, where),
                referrer_id=r.ref(contacts, r.maybe(o, "referrer_id", int, where), where),
                staffing_firm_id=r.ref(
                    companies, r.maybe(o, "staffing_firm_id", int, where), where
                ),
                recruiter_id=r.ref(contacts, r.maybe(o, "recruiter_id", int, where), where),
                priority=r.get(o, "priority", int, where),
                notes=r.get(o, "notes", str, where),
                settings=settings_doc,
                posting_terms=r.maybe(o, "posting_terms", dict, where) or {},
            )
            opportunities[r.get(o, "id", int, where)] = made_opp.id
            kept = r.maybe(o, "posting", dict, where)
            if kept is not None:
                findings = r.get(kept, "findings", list, f"{where}.posting")
                if not all(isinstance(f, dict) for f in findings):
                    raise r.fail(f"{where}.posting.findings", "must hold records")
                tx.keep_posting(
                    owner,
                    made_opp.id,
                    url=r.get(kept, "url", str, f"{where}.posting"),
                    text=r.get(kept, "text", str, f"{where}.posting"),
                    page=r.get(kept, "page", str, f"{where}.posting"),
                    findings=findings,
                )
            for person in r.get(o, "contact_ids", list, where):
                if not isinstance(person, int):
                    raise r.fail(f"{where}.contact_ids", "must hold whole numbers")
                tx.link_contact(owner, made_opp.id, r.ref(contacts, person, where) or 0)
        events: dict[int, int] = {}
        records = sorted(
            r.records(doc, "events"),
            key=lambda e: e["id"] if isinstance(e.get("id"), int) else -1,
        )
        for i, e in enumerate(records):
            where = r.current = f"events[{i}]"
            people = r.get(e, "contact_ids", list, where)
            if not all(isinstance(p, int) and not isinstance(p, bool) for p in people):
                raise r.fail(f"{where}.contact_ids", "must hold whole numbers")
            key = r.maybe(e, "nudge_key", str, where)
            decision = r.maybe(e, "decision_by", str, where)
            try:
                decision_day = (
                    bounds.day(date.fromisoformat(decision), "decision_by") if decision else None
                )
            except (ValueError, UsageError):
                raise r.fail(f"{where}.decision_by", "is not a date") from None
            at = r.when(e, "at", where)
            kind = r.word(e, "type", EventType, where)
            if at is None or kind is None:
                raise r.fail(f"{where}.{'at' if at is None else 'type'}", "is missing")
            made_event = tx.add_event(
                owner,
                opportunity_id=r.ref(
                    opportunities, r.maybe(e, "opportunity_id", int, where), where
                ),
                type=kind,
                at=at,
                tz=r.get(e, "tz", str, where),
                contact_ids=[r.ref(contacts, p, where) or 0 for p in people],
                channel=r.word(e, "channel", Channel, where),
                kind=r.word(e, "kind", MessageKind, where),
                round=r.maybe(e, "round", int, where),
                format=r.word(e, "format", InterviewFormat, where),
                scheduled_for=r.when(e, "scheduled_for", where),
                decision_by=decision_day,
                prefers=r.word(e, "prefers", Channel, where),
                note=r.get(e, "note", str, where),
                nudge_key=remap_key(key, opportunities, contacts, events) if key else None,
                until=r.when(e, "until", where),
                body=r.get(e, "body", str, where),
                date_unknown=bool(r.maybe(e, "date_unknown", bool, where)),
            )
            events[r.get(e, "id", int, where)] = made_event.id
        replan(session, tx, sorted(opportunities.values()))
    return {
        "companies": len(companies),
        "contacts": len(contacts),
        "opportunities": len(opportunities),
        "events": len(events),
    }
