"""Writes, available only inside ``with store.transaction() as tx:``.

A :class:`Tx` is one database transaction: everything done through it commits together when the
``with`` block ends, or not at all if it raises. It also has every read method, running inside
the same transaction, so a service can write an event, read the history back and store the
recomputed nudges atomically. References to another user's records are refused with
:class:`NotFound`, exactly as if they did not exist. After a :class:`Conflict` or any database
error the transaction is finished (PostgreSQL refuses further statements): let it propagate.

The first read or write for a user takes that user's write lock (``store.locking``), so two
transactions writing one search run one after the other, never interleaved.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Executable, delete, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from jobnudge import text_safety
from jobnudge.config import check_numbers
from jobnudge.domain.enums import (
    Channel,
    EventType,
    InterviewFormat,
    MessageKind,
    Role,
    Stage,
)
from jobnudge.domain.records import (
    Company,
    Contact,
    Event,
    Nudge,
    Opportunity,
    Posting,
    short_id,
    stage_of,
)
from jobnudge.errors import Conflict, NotFound, StoreError, UsageError
from jobnudge.store import convert
from jobnudge.store.locking import lock_user
from jobnudge.store.reads import Reader, ids_present
from jobnudge.store.revisions import CHANNEL as REVISION_CHANNEL
from jobnudge.store.revisions import announcements
from jobnudge.store.tables import (
    companies,
    contacts,
    event_contacts,
    events,
    nudges,
    opportunities,
    opportunity_contacts,
    postings,
    users,
)
from jobnudge.store.waiting import Notice, log_notice
from jobnudge.typography import name_key

CONTACT_FIELDS = frozenset(
    {
        "name",
        "company_id",
        "title",
        "email",
        "phone",
        "tz",
        "country",
        "prefers",
        "first_name_ok",
        "roles",
        "salutation",
        "notes",
    }
)
OPPORTUNITY_FIELDS = frozenset(
    {
        "company_id",
        "role",
        "posting_url",
        "source",
        "responds_within_days",
        "prefers",
        "referrer_id",
        "staffing_firm_id",
        "recruiter_id",
        "priority",
        "notes",
        "settings",
        "posting_terms",
    }
)

TERMS = frozenset({"responds_within", "wait_until", "shortlist_only", "no_calls", "prefers"})


def _terms(value: Any) -> dict[str, dict[str, Any]]:
    """A posting's terms as stored: known names only, each a value and its sentence."""
    if not isinstance(value, Mapping):
        raise UsageError("posting terms must be a mapping of statements.")
    out = {}
    for name, term in value.items():
        if name not in TERMS or not isinstance(term, Mapping):
            raise UsageError(f"posting terms: '{name}' is not a statement jobnudge acts on.")
        source = text_safety.line(str(term.get("source", "")), "posting sentence")
        out[name] = {"value": term.get("value"), "source": source.strip()}
    return out


_NOUNS = {"companies": "company", "contacts": "contact", "opportunities": "opportunity"}


def _new_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row just inserted."""
    key = result.inserted_primary_key
    if key is None or key[0] is None:
        raise RuntimeError("the database returned no id for the inserted row")
    return int(key[0])


def _is_unique_violation(exc: IntegrityError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def _is_fk_violation(exc: IntegrityError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate == "23503" or "FOREIGN KEY constraint failed" in str(exc.orig)


class Tx(Reader):
    """The write methods (and all the reads) of one open transaction."""

    def __init__(
        self, connection: Connection, now: datetime, *, notice: Notice = log_notice
    ) -> None:
        self._conn = connection
        self._now = convert.aware(now, "now")
        self._touched: set[int] = set()
        self._claimed: set[int] = set()
        self._user_locks = connection.dialect.name == "postgresql"
        self._notice = notice

    @property
    def now(self) -> datetime:
        """The instant stamped on rows created or changed in this transaction."""
        return self._now

    def claim(self, owner: int) -> None:
        """Hold ``owner``'s write lock until this transaction ends (see ``store.locking``).

        Every read and write method for a user calls it first, so whatever the transaction
        reads already includes the commits of the writers before it. On SQLite it has nothing
        to do: BEGIN IMMEDIATE already holds the whole file.
        """
        if owner not in self._claimed:
            if self._user_locks:
                lock_user(self._conn, owner, self._notice)
            self._claimed.add(owner)

    def touch(self, owner: int) -> None:
        """Note that this transaction changes ``owner``'s search: their revision goes up at commit.

        Every write method calls it; code writing through the connection directly (mail) must
        too, or pages kept for that user would not be rebuilt.
        """
        self.claim(owner)
        self._touched.add(owner)

    def bump_revisions(self) -> dict[int, int]:
        """Increase the revision of every user this transaction wrote for (just before commit)
        and return the new numbers. On PostgreSQL they are also announced on the revisions
        channel, which delivers them only if the transaction commits."""
        bumped: dict[int, int] = {}
        touched = sorted(self._touched)
        for start in range(0, len(touched), 500):  # short lists: SQLite caps bound values
            rows = self._conn.execute(
                update(users)
                .where(users.c.id.in_(touched[start : start + 500]))
                .values(revision=users.c.revision + 1)
                .returning(users.c.id, users.c.revision)
            )
            bumped.update((int(owner), int(value)) for owner, value in rows)
        self._touched.clear()
        if bumped and self._conn.dialect.name == "postgresql":
            for payload in announcements(dict(sorted(bumped.items()))):
                self._conn.execute(select(func.pg_notify(REVISION_CHANNEL, payload)))
        return bumped

    @contextmanager
    def _same(self, owner: int | None) -> Iterator[Connection]:
        if owner is not None:
            self.claim(owner)
        yield self._conn

    def _connect(self, owner: int | None) -> AbstractContextManager[Connection]:
        return self._same(owner)

    def _execute(
        self,
        statement: Executable,
        params: Any = None,
        *,
        duplicate: str = "",
        missing: str = "",
    ) -> CursorResult[Any]:
        """Run a write, turning integrity errors into sentences a person can act on."""
        try:
            return self._conn.execute(statement, params)
        except IntegrityError as exc:
            if _is_unique_violation(exc):
                raise Conflict(duplicate or "That record already exists.") from exc
            if _is_fk_violation(exc):
                raise NotFound(
                    missing or "A referenced record does not exist for this user; check the ids."
                ) from exc
            raise

    # Checks that referenced records exist for this owner, with the field named.

    def _require(self, table: Any, owner: int, ids: Iterable[int | None], field: str) -> None:
        wanted = {convert.whole(i, field) for i in ids if i is not None}
        missing = sorted(wanted - ids_present(self._conn, table, owner, wanted))
        if missing:
            noun = _NOUNS[table.name]
            listed = ", ".join(str(i) for i in missing)
            raise NotFound(
                f"{field}: no {noun} with id {listed} for this user; check the id or add the "
                f"{noun} first."
            )

    def _require_owner(self, owner: int) -> None:
        if self._conn.scalar(select(users.c.id).where(users.c.id == owner)) is None:
            raise NotFound(f"No user with id {owner}; create the user first (ensure_user).")

    # Users

    def ensure_user(self, name: str) -> int:
        """The id of the user called ``name``, created with empty settings if missing."""
        cleaned = convert.clean_text(name, "user name", required=True)
        found = self._conn.scalar(select(users.c.id).where(users.c.name == cleaned))
        if found is not None:
            return int(found)
        result = self._execute(
            insert(users).values(name=cleaned, created_at=self._now, settings={}),
            duplicate=f"The user '{cleaned}' was created at the same moment; try again.",
        )
        return _new_id(result)

    def set_user_settings(self, owner: int, doc: Mapping[str, Any]) -> None:
        """Replace the user's settings document (any JSON-serialisable mapping)."""
        self.touch(owner)
        result = self._execute(update(users).where(users.c.id == owner).values(settings=dict(doc)))
        if result.rowcount == 0:
            raise NotFound(f"No user with id {owner}; create the user first (ensure_user).")

    # Companies

    def _company_values(
        self,
        name: str,
        aliases: Iterable[str],
        domains: Iterable[str],
        is_staffing_firm: bool,
    ) -> dict[str, Any]:
        cleaned = convert.clean_text(name, "company name", required=True)
        key = name_key(cleaned)
        seen = {key}  # an alias spelling the name, or an earlier alias, another way is dropped
        alias_list = []
        for alias in convert.text_list(aliases):
            if name_key(alias) not in seen:
                seen.add(name_key(alias))
                alias_list.append(alias)
        domain_list = convert.text_list(d.lower().lstrip("@") for d in domains)
        return {
            "name": cleaned,
            "name_key": key,
            "aliases": alias_list,
            "domains": domain_list,
            "is_staffing_firm": bool(is_staffing_firm),
        }

    def _duplicate_company(self, name: str) -> str:
        return (
            f"A company named '{name}' already exists (names are compared ignoring case, "
            "accents and typographic marks); "
            "use it, or give this one a different name."
        )

    def add_company(
        self,
        owner: int,
        name: str,
        *,
        aliases: Iterable[str] = (),
        domains: Iterable[str] = (),
        is_staffing_firm: bool = False,
        apart: bool = False,
    ) -> Company:
        """A new company; Conflict if the user already has one of that name (any case, accents
        or typographic marks: :func:`typography.name_key`). With ``apart`` (a restore of a
        backup whose older version kept "Muller" beside "Müller"), it is added beside that one
        under a key no typed name gives, as migration 0020 keeps such twins."""
        self.touch(owner)
        values = self._company_values(name, aliases, domains, is_staffing_firm)
        self._require_owner(owner)
        key = values["name_key"]
        for number in range(1, 1000):
            taken = self._conn.scalar(
                select(companies.c.id).where(
                    companies.c.owner_id == owner, companies.c.name_key == values["name_key"]
                )
            )
            if taken is None:
                break
            if not apart:
                raise Conflict(self._duplicate_company(values["name"]))
            values["name_key"] = f"{key}\x1f{number}"  # U+001F: never in a stored name
        result = self._execute(
            insert(companies).values(owner_id=owner, created_at=self._now, **values),
            duplicate=self._duplicate_company(values["name"]),
        )
        return self.company(owner, _new_id(result))

    def get_or_add_company(
        self,
        owner: int,
        name: str,
        *,
        aliases: Iterable[str] = (),
        domains: Iterable[str] = (),
        is_staffing_firm: bool = False,
    ) -> Company:
        """The company called ``name`` (by name or alias, any case, accents or typographic
        marks), added if there is none, spelt as given; an existing one keeps its spelling.

        An existing company is returned unchanged: the other arguments apply only to a new one.
        """
        self.touch(owner)
        found = self.find_company(owner, name)
        if found is not None:
            return found
        return self.add_company(
            owner, name, aliases=aliases, domains=domains, is_staffing_firm=is_staffing_firm
        )

    def update_company(
        self,
        owner: int,
        company_id: int,
        *,
        name: str | None = None,
        aliases: Iterable[str] | None = None,
        domains: Iterable[str] | None = None,
        is_staffing_firm: bool | None = None,
    ) -> Company:
        """Change the given fields of a company; the others keep their values."""
        self.touch(owner)
        current = self.company(owner, company_id)
        values = self._company_values(
            current.name if name is None else name,
            current.aliases if aliases is None else aliases,
            current.domains if domains is None else domains,
            current.is_staffing_firm if is_staffing_firm is None else is_staffing_firm,
        )
        if name is None:  # the key stays: a company migration 0020 left beside its namesake
            del values["name_key"]  # can still have its aliases or domains changed
        else:
            taken = self._conn.scalar(
                select(companies.c.id).where(
                    companies.c.owner_id == owner,
                    companies.c.name_key == values["name_key"],
                    companies.c.id != company_id,
                )
            )
            if taken is not None:
                raise Conflict(self._duplicate_company(values["name"]))
        self._execute(
            update(companies)
            .where(companies.c.owner_id == owner, companies.c.id == company_id)
            .values(**values),
            duplicate=self._duplicate_company(values["name"]),
        )
        return self.company(owner, company_id)

    # Contacts

    def _contact_values(self, owner: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        convert.no_unknown(fields, CONTACT_FIELDS, "contact")
        values: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "name":
                values["name"] = convert.clean_text(value, "contact name", required=True)
                values["name_key"] = name_key(values["name"])
            elif name == "company_id":
                self._require(companies, owner, [value], "company_id")
                values[name] = value
            elif name in ("title", "email", "phone", "salutation", "notes"):
                values[name] = convert.clean_text(value, name)
            elif name == "tz":
                values[name] = None if value is None else convert.zone(value, "tz")
            elif name == "country":
                code = "" if value is None else convert.clean_text(value, "country").upper()
                values[name] = code or None
            elif name == "prefers":
                values[name] = convert.maybe_member(Channel, value, "prefers")
            elif name == "first_name_ok":
                values[name] = bool(value)
            elif name == "roles":
                values[name] = sorted({convert.member(Role, r, "roles").value for r in value})
        return values

    def add_contact(
        self,
        owner: int,
        *,
        name: str,
        company_id: int | None = None,
        title: str = "",
        email: str = "",
        phone: str = "",
        tz: str | None = None,
        country: str | None = None,
        prefers: Channel | None = None,
        first_name_ok: bool = False,
        roles: Iterable[Role] = (),
        salutation: str = "",
        notes: str = "",
    ) -> Contact:
        """A new contact (names need not be unique: two people can share one)."""
        self.touch(owner)
        self._require_owner(owner)
        values = self._contact_values(
            owner,
            {
                "name": name,
                "company_id": company_id,
                "title": title,
                "email": email,
                "phone": phone,
                "tz": tz,
                "country": country,
                "prefers": prefers,
                "first_name_ok": first_name_ok,
                "roles": roles,
                "salutation": salutation,
                "notes": notes,
            },
        )
        result = self._execute(
            insert(contacts).values(owner_id=owner, created_at=self._now, **values)
        )
        return self.contact(owner, _new_id(result))

    def update_contact(self, owner: int, contact_id: int, **changes: Any) -> Contact:
        """Change the named fields of a contact (the keyword names of :meth:`add_contact`)."""
        self.touch(owner)
        self.contact(owner, contact_id)
        values = self._contact_values(owner, changes)
        if values:
            self._execute(
                update(contacts)
                .where(contacts.c.owner_id == owner, contacts.c.id == contact_id)
                .values(**values)
            )
        return self.contact(owner, contact_id)

    # Opportunities

    def _opportunity_values(self, owner: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        convert.no_unknown(fields, OPPORTUNITY_FIELDS, "opportunity")
        values: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "company_id":
                self._require(companies, owner, [convert.whole(value, name)], name)
                values[name] = value
            elif name == "staffing_firm_id":
                self._require(companies, owner, [value], name)
                values[name] = value
            elif name in ("referrer_id", "recruiter_id"):
                self._require(contacts, owner, [value], name)
                values[name] = value
            elif name == "role":
                values[name] = convert.clean_text(value, "role", required=True)
            elif name in ("posting_url", "source", "notes"):
                values[name] = convert.clean_text(value, name)
            elif name == "responds_within_days":
                values[name] = convert.maybe_whole(value, name, minimum=0)
            elif name == "prefers":
                values[name] = convert.maybe_member(Channel, value, "prefers")
            elif name == "priority":
                values[name] = convert.whole(value, name)
            elif name == "settings":
                values[name] = check_numbers(dict(value or {}), "opportunity settings")
            elif name == "posting_terms":
                values[name] = _terms(value)
        return values

    def add_opportunity(
        self,
        owner: int,
        *,
        company_id: int,
        role: str,
        posting_url: str = "",
        source: str = "",
        responds_within_days: int | None = None,
        prefers: Channel | None = None,
        referrer_id: int | None = None,
        staffing_firm_id: int | None = None,
        recruiter_id: int | None = None,
        priority: int = 0,
        notes: str = "",
        settings: Mapping[str, float] | None = None,
        posting_terms: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Opportunity:
        """A new opportunity, in stage LEAD until events say otherwise."""
        self.touch(owner)
        self._require_owner(owner)
        values = self._opportunity_values(
            owner,
            {
                "company_id": company_id,
                "role": role,
                "posting_url": posting_url,
                "source": source,
                "responds_within_days": responds_within_days,
                "prefers": prefers,
                "referrer_id": referrer_id,
                "staffing_firm_id": staffing_firm_id,
                "recruiter_id": recruiter_id,
                "priority": priority,
                "notes": notes,
                "settings": settings,
                "posting_terms": posting_terms or {},
            },
        )
        result = self._execute(
            insert(opportunities).values(
                owner_id=owner,
                stage=Stage.LEAD,
                created_at=self._now,
                updated_at=self._now,
                **values,
            )
        )
        return self.opportunity(owner, _new_id(result))

    def update_opportunity(self, owner: int, opportunity_id: int, **changes: Any) -> Opportunity:
        """Change the named fields (the keyword names of :meth:`add_opportunity`)."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        values = self._opportunity_values(owner, changes)
        if values:
            self._execute(
                update(opportunities)
                .where(opportunities.c.owner_id == owner, opportunities.c.id == opportunity_id)
                .values(updated_at=self._now, **values)
            )
        return self.opportunity(owner, opportunity_id)

    def keep_posting(
        self,
        owner: int,
        opportunity_id: int,
        *,
        url: str,
        text: str,
        page: str,
        findings: Sequence[Mapping[str, Any]],
    ) -> Posting:
        """Store (or replace) the posting an opportunity started from."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        values = {
            "url": convert.clean_text(url, "posting url"),
            "text": text_safety.text(text, "posting text").strip(),
            "page": page,
            "findings": [dict(f) for f in findings],
        }
        self._execute(
            delete(postings).where(
                postings.c.owner_id == owner, postings.c.opportunity_id == opportunity_id
            )
        )
        self._execute(
            insert(postings).values(
                owner_id=owner, opportunity_id=opportunity_id, created_at=self._now, **values
            )
        )
        found = self.posting(owner, opportunity_id)
        assert found is not None
        return found

    def link_contact(self, owner: int, opportunity_id: int, contact_id: int) -> None:
        """Record that a contact takes part in an opportunity (linking twice is harmless)."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        self._require(contacts, owner, [contact_id], "contact_id")
        linked = self._conn.scalar(
            select(opportunity_contacts.c.contact_id).where(
                opportunity_contacts.c.owner_id == owner,
                opportunity_contacts.c.opportunity_id == opportunity_id,
                opportunity_contacts.c.contact_id == contact_id,
            )
        )
        if linked is None:
            self._execute(
                insert(opportunity_contacts).values(
                    owner_id=owner, opportunity_id=opportunity_id, contact_id=contact_id
                )
            )

    def unlink_contact(self, owner: int, opportunity_id: int, contact_id: int) -> None:
        """Undo :meth:`link_contact` (contacts named in events stay involved)."""
        self.touch(owner)
        self.opportunity(owner, opportunity_id)
        self._execute(
            delete(opportunity_contacts).where(
                opportunity_contacts.c.owner_id == owner,
                opportunity_contacts.c.opportunity_id == opportunity_id,
                opportunity_contacts.c.contact_id == contact_id,
            )
        )

    def set_stage(self, owner: int, opportunity_id: int, stage: Stage) -> None:
        """Store an opportunity's stage; :meth:`add_event` and :meth:`delete_event` already
        keep it equal to ``stage_of(events)``, so this is for repairs and imports.
        """
        self.touch(owner)
        value = convert.member(Stage, stage, "stage")
        result = self._execute(
            update(opportunities)
            .where(opportunities.c.owner_id == owner, opportunities.c.id == opportunity_id)
            .values(stage=value, updated_at=self._now)
        )
        if result.rowcount == 0:
            self.opportunity(owner, opportunity_id)

    def refresh_stage(self, owner: int, opportunity_id: int) -> Stage:
        """Recompute the stored stage from the opportunity's events and return it."""
        self.touch(owner)
        stage = stage_of(self.events(owner, opportunity_id))
        self.set_stage(owner, opportunity_id, stage)
        return stage

    # Events

    def add_event(
        self,
        owner: int,
        *,
        opportunity_id: int | None,
        type: EventType,
        at: datetime,
        tz: str = "UTC",
        contact_ids: Iterable[int] = (),
        channel: Channel | None = None,
        kind: MessageKind | None = None,
        round: int | None = None,
        format: InterviewFormat | None = None,
        scheduled_for: datetime | None = None,
        decision_by: date | None = None,
        prefers: Channel | None = None,
        note: str = "",
        nudge_key: str | None = None,
        until: datetime | None = None,
        body: str = "",
        date_unknown: bool = False,
    ) -> Event:
        """Record an event (the database assigns its id) and refresh the opportunity's stage.

        ``opportunity_id`` None records an event about contacts alone (a staffing firm) or a
        decision about a search-wide nudge. Keyword names are those of :class:`Event`.
        """
        self.touch(owner)
        if opportunity_id is not None:
            self.opportunity(owner, opportunity_id)
        else:
            self._require_owner(owner)
        people = tuple(dict.fromkeys(contact_ids))
        self._require(contacts, owner, people, "contact_ids")
        if decision_by is not None and (
            isinstance(decision_by, datetime) or not isinstance(decision_by, date)
        ):
            raise UsageError(f"decision_by must be a date, not {decision_by!r}.")
        values = {
            "owner_id": owner,
            "opportunity_id": opportunity_id,
            "type": convert.member(EventType, type, "type"),
            "at": convert.aware(at, "at"),
            "date_unknown": bool(date_unknown),
            "tz": convert.zone(tz, "tz"),
            "contact_ids": list(people),
            "channel": convert.maybe_member(Channel, channel, "channel"),
            "kind": convert.maybe_member(MessageKind, kind, "kind"),
            "round": convert.maybe_whole(round, "round", minimum=1),
            "format": convert.maybe_member(InterviewFormat, format, "format"),
            "scheduled_for": convert.maybe_aware(scheduled_for, "scheduled_for"),
            "decision_by": decision_by,
            "prefers": convert.maybe_member(Channel, prefers, "prefers"),
            "note": convert.clean_text(note, "note"),
            "nudge_key": nudge_key,
            "until": convert.maybe_aware(until, "until"),
            "body": convert.clean_text(body, "body"),
            "created_at": self._now,
        }
        event_id = _new_id(self._execute(insert(events).values(**values)))
        if people:
            self._execute(
                insert(event_contacts),
                [{"owner_id": owner, "event_id": event_id, "contact_id": c} for c in people],
            )
        if opportunity_id is not None:
            self.refresh_stage(owner, opportunity_id)
        return self.event(owner, event_id)

    def delete_event(self, owner: int, event_id: int) -> Event:
        """Remove an event (an undo), refresh the stage, and return what was removed."""
        self.touch(owner)
        removed = self.event(owner, event_id)
        self._execute(
            delete(event_contacts).where(
                event_contacts.c.owner_id == owner, event_contacts.c.event_id == event_id
            )
        )
        self._execute(delete(events).where(events.c.owner_id == owner, events.c.id == event_id))
        if removed.opportunity_id is not None:
            self.refresh_stage(owner, removed.opportunity_id)
        return removed

    # Nudges

    def replace_nudges(self, owner: int, opportunity_id: int | None, new: Sequence[Nudge]) -> None:
        """Make ``new`` the pending nudges of one opportunity (``None``: the user-level ones).

        The opportunity's previous rows are deleted first, so recomputing is idempotent. Every
        nudge must belong to that opportunity; keys must be unique for the user.
        """
        self.touch(owner)
        self._require_owner(owner)
        if opportunity_id is not None:
            self.opportunity(owner, opportunity_id)
        for item in new:
            if item.opportunity_id != opportunity_id:
                raise ValueError(
                    f"nudge {item.key!r} belongs to opportunity {item.opportunity_id}, "
                    f"not {opportunity_id}"
                )
        self._require(contacts, owner, (n.contact_id for n in new), "contact_id")
        rows = [
            {
                "owner_id": owner,
                "key": item.key,
                "short_id": short_id(item.key),
                "rule": item.rule,
                "opportunity_id": item.opportunity_id,
                "contact_id": item.contact_id,
                "channel": convert.maybe_member(Channel, item.channel, "channel"),
                "due": convert.aware(item.due, "due"),
                "due_by": convert.maybe_aware(item.due_by, "due_by"),
                "expires": convert.maybe_aware(item.expires, "expires"),
                "tz": convert.zone(item.tz, "tz"),
                "reason": item.reason,
                "message": item.message,
                "anchor_event_id": item.anchor_event_id,
                "computed_at": self._now,
            }
            for item in new
        ]
        scope = (
            nudges.c.opportunity_id.is_(None)
            if opportunity_id is None
            else nudges.c.opportunity_id == opportunity_id
        )
        if len({row["key"] for row in rows}) < len(rows):
            raise Conflict(
                "Two follow-ups computed together share a key (keys must be unique for a "
                "user); this is a bug in the rule that made them."
            )
        self._execute(delete(nudges).where(nudges.c.owner_id == owner, scope))
        if rows:
            try:
                self._conn.execute(insert(nudges), rows)
            except IntegrityError as exc:
                if not _is_unique_violation(exc):
                    raise
                raise StoreError(
                    "A follow-up with the same key was already stored for this user, by "
                    "another program writing at the same moment or for another opportunity; "
                    "nothing was written. Run the command again; if this repeats, run "
                    "`nudge replan`."
                ) from exc
