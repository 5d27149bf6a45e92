"""Bringing a search in: a spreadsheet (CSV/XLSX), an interview invitation (.ics), an address
book (.vcf).

Every import is one transaction: a file that turns out broken halfway (too many rows, damaged
XML) leaves nothing behind. Importing the same file again creates nothing new: opportunities
are matched by company and role, events by type and day, contacts by email or by name at the
company. Afterwards the follow-ups are recomputed as if everything had been typed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge.domain import EventType
from jobnudge.errors import NotFound, UsageError
from jobnudge.postings.duplicates import Candidate, Tracked
from jobnudge.services import import_writes, nudges
from jobnudge.services.import_report import LISTED, LISTED_ROWS, ImportReport, Line
from jobnudge.services.preferences import MAPPINGS_KEY
from jobnudge.store import bulk
from jobnudge.store.bulk import NewEvent

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx
    from jobnudge.store.reads import Reader
    from jobnudge.tabular.dates import ColumnOrder, Order
    from jobnudge.tabular.mapping import ColumnMap
    from jobnudge.tabular.rows import PlannedContact, PlannedEvent, RowPlan

__all__ = ["LISTED", "LISTED_ROWS", "ImportReport", "Line", "import_file", "import_vcards"]

SAMPLE_ROWS = 10_000
"""Rows read ahead to decide each date column's day/month order (and which columns are mostly
dates); a longer file's later rows are read the same way, and its rows are counted against the
limit before the import starts writing."""

Progress = Callable[[str, int, int | None], None]
"""``progress(phase, done, total)``: phase "reading" counts bytes or rows, "planning" counts
opportunities whose follow-ups are recomputed."""


def saved_mappings(session: Session) -> dict[str, dict[str, str]]:
    """The column mappings saved with ``--save-mapping``, by name."""
    found = session.store.user_settings(session.owner).get(MAPPINGS_KEY, {})
    return dict(found) if isinstance(found, dict) else {}


def _column_map(
    session: Session, headers: list[str], corrections: dict[str, str], mapping_name: str | None
) -> ColumnMap:
    from jobnudge.tabular import mapping

    columns = mapping.auto(headers)
    if mapping_name:
        saved = saved_mappings(session)
        if mapping_name not in saved:
            known = ", ".join(sorted(saved)) or "none yet (save one with --save-mapping NAME)"
            raise NotFound(f"--mapping: no saved mapping '{mapping_name}'; saved: {known}.")
        columns = mapping.apply(
            columns, saved[mapping_name], where=f"--mapping {mapping_name}", strict=False
        )
    columns = mapping.apply(columns, corrections)
    missing = columns.missing()
    if missing:
        shown = ", ".join(repr(h) for h in headers if h.strip())
        need = " and ".join(missing)
        example = next((h for h in headers if h.strip()), "Column")
        raise UsageError(
            f"No column holds the {need}; the columns are {shown}. Say which one does, e.g. "
            f'--map "{example}={missing[0]}".'
        )
    return columns


class _Index:
    """What the user already has (and what this import added), to match rows against."""

    def __init__(self, reader: Reader, owner: int, tz: str) -> None:
        self.reader, self.owner, self.zone = reader, owner, ZoneInfo(tz)
        self.companies: dict[str, int] = {}
        for company in reader.companies(owner):
            for name in company.names:
                self.companies.setdefault(name.casefold(), company.id)
        self.opportunities: dict[tuple[int, str], int] = {}
        # The opportunities tracked before this import, as the duplicate check sees them: a
        # row spelling one another way ("Sr. Data Analyst" at "ACME Inc.") is that job, not a
        # new one. Rows of the file itself are matched exactly, as before, so a large import
        # into an empty search costs no fuzzy comparisons.
        self.tracked = Tracked()
        self.company_of: dict[int, int] = {}  # opportunity id → its company's id
        for opp, _stage in reader.opportunities(owner):
            self.opportunities.setdefault((opp.company_id, opp.role.casefold()), opp.id)
            self.tracked.add(Candidate(opp.id, opp.company, opp.role, url=opp.posting_url))
            self.company_of[opp.id] = opp.company_id
        self.by_email: dict[str, int] = {}
        self.by_name: dict[tuple[str, int | None], int] = {}
        self.emails: dict[int, str] = {}  # contact id → its address ("" when it has none)
        for person in reader.contacts(owner):
            self.emails[person.id] = person.email
            if person.email:
                self.by_email.setdefault(person.email.casefold(), person.id)
            self.by_name.setdefault((person.name.casefold(), person.company_id), person.id)
        self.events: dict[int, set[tuple[EventType, date | None, int | None]]] = {}
        self.undated: dict[int, dict[tuple[EventType, int | None], int]] = {}
        self.links: set[tuple[int, int]] = set()
        self._fake = 0

    def fake_id(self) -> int:
        """An id for a record a dry run would create (negative, never a real one)."""
        self._fake -= 1
        return self._fake

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def take_undated(self, opportunity_id: int, event: PlannedEvent) -> int | None:
        """The id of a recorded event of ``event``'s type (and round) whose date is unknown,
        forgotten here since the dated one replaces it; None when there is none."""
        undated = self.undated.get(opportunity_id, {})
        for (kind, round_), event_id in undated.items():
            if kind is event.type and (
                event.round is None or round_ is None or round_ == event.round
            ):
                del undated[(kind, round_)]
                self.events[opportunity_id].discard((kind, None, round_))
                return event_id
        return None

    def events_of(self, opportunity_id: int) -> set[tuple[EventType, date | None, int | None]]:
        """(type, local day, round) of the opportunity's events; the day is None when unknown."""
        if opportunity_id not in self.events:
            found: set[tuple[EventType, date | None, int | None]] = set()
            undated: dict[tuple[EventType, int | None], int] = {}
            if opportunity_id > 0:
                for event in self.reader.events(self.owner, opportunity_id):
                    moment = event.scheduled_for or event.at
                    day = None if event.date_unknown else self.day_of(moment)
                    found.add((event.type, day, event.round))
                    if event.date_unknown:
                        undated.setdefault((event.type, event.round), event.id)
            self.events[opportunity_id] = found
            self.undated[opportunity_id] = undated
        return self.events[opportunity_id]


class _Importer:
    def __init__(
        self, session: Session, tx: Tx | None, report: ImportReport, one_by_one: bool = False
    ) -> None:
        self.session, self.tx, self.report = session, tx, report
        self.one_by_one = one_by_one
        self.owner, self.tz = session.owner, session.tz
        self.index = _Index(tx or session.store, session.owner, session.tz)
        self.touched: set[int] = set()
        self.file_name = Path(report.path).name
        # What the batch path writes at the end (new records under provisional ids); None
        # for a dry run, which writes nothing, and for the one-by-one path, which writes as
        # it goes.
        self.new = import_writes.Pending() if tx is not None and not one_by_one else None
        # The links the user already has, so a bulk insert never repeats one.
        self.linked = set() if tx is None or self.new is None else bulk.links(tx, self.owner)

    def add_event(self, event: NewEvent) -> None:
        if self.new is not None:
            self.new.events.append(event)
        elif self.tx is not None:
            self.tx.add_event(
                self.owner,
                opportunity_id=event.opportunity_id,
                type=event.type,
                at=event.at,
                tz=event.tz,
                round=event.round,
                format=event.format,
                scheduled_for=event.scheduled_for,
                date_unknown=event.date_unknown,
                note=event.note,
            )

    def moment(self, day: date, at: time | None = None) -> datetime:
        """09:00 (or the given time) on ``day`` in the user's zone."""
        return datetime.combine(day, at or time(9), ZoneInfo(self.tz)).astimezone(UTC)

    def company(self, name: str) -> int:
        key = name.casefold()
        found = self.index.companies.get(key)
        if found is not None:
            return found
        if self.new is not None and self.tx is not None:
            made = self.index.fake_id()
            self.new.companies[made] = bulk.company_values(self.tx, name)
        elif self.tx is not None:
            made = self.tx.add_company(self.owner, name).id
        else:
            made = self.index.fake_id()
        self.index.companies[key] = made
        self.report.counts["companies_new"] += 1
        return made

    def contact(self, plan: RowPlan, company_id: int, opportunity_id: int) -> bool:
        """Add the row's people (matched first by email, then by name at the company) and
        link them to the opportunity; True when anything was added or linked."""
        changed = False
        for person in plan.contacts:
            found = self.index.by_email.get(person.email.casefold()) if person.email else None
            if found is None:
                found = self.index.by_name.get((person.name.casefold(), company_id))
                if found is not None and person.email:
                    changed = self.address(plan, person, found, opportunity_id) or changed
            if found is None:
                if self.tx is not None and self.new is None:
                    found = self.tx.add_contact(
                        self.owner,
                        name=person.name,
                        company_id=company_id,
                        email=person.email,
                        phone=person.phone,
                        title=person.title,
                        roles=frozenset({person.role}),
                    ).id
                else:
                    found = self.index.fake_id()
                if self.new is not None:
                    self.new.contacts[found] = bulk.contact_values(
                        name=person.name,
                        company_id=company_id,
                        email=person.email,
                        phone=person.phone,
                        title=person.title,
                        roles=frozenset({person.role}),
                    )
                self.report.counts["contacts_new"] += 1
                self.index.emails[found] = person.email
                if person.email:
                    self.index.by_email[person.email.casefold()] = found
                self.index.by_name[(person.name.casefold(), company_id)] = found
            link = (opportunity_id, found)
            if link not in self.index.links:
                self.index.links.add(link)
                if self.new is not None:
                    if link not in self.linked:
                        self.new.links.append(link)
                elif self.tx is not None:
                    self.tx.link_contact(self.owner, opportunity_id, found)
                changed = True
        return changed

    def address(
        self, plan: RowPlan, person: PlannedContact, contact_id: int, opportunity_id: int
    ) -> bool:
        """A row's address for a contact matched by name: it fills a blank email (as a vCard
        does), and one that differs from the contact's is kept in the opportunity's notes with
        a warning, never dropped. True when the contact was changed."""
        had = self.index.emails.get(contact_id, "")
        if had.casefold() == person.email.casefold():
            return False
        if not had:
            self.index.emails[contact_id] = person.email
            self.index.by_email.setdefault(person.email.casefold(), contact_id)
            self.report.counts["contacts_updated"] += 1
            if self.new is not None and contact_id in self.new.contacts:
                self.new.contacts[contact_id]["email"] = bulk.contact_email(person.email)
            elif self.tx is not None and contact_id > 0:
                self.tx.update_contact(self.owner, contact_id, email=person.email)
            return True
        column = person.column or "Email"
        self.report.counts["warnings"] += 1
        if len(self.report.warnings) < LISTED:
            self.report.warnings.append(
                (
                    plan.row,
                    column,
                    f"{person.name} already has the address {had}; {person.email} is kept "
                    "in the notes",
                )
            )
        line = f"{column}: {person.name} <{person.email}>"
        if self.new is not None and opportunity_id in self.new.opportunities:
            values = self.new.opportunities[opportunity_id]
            notes = values["notes"]
            if line not in notes.splitlines():
                values["notes"] = bulk.opportunity_notes(f"{notes}\n{line}" if notes else line)
        elif self.tx is not None and opportunity_id > 0:
            notes = self.tx.opportunity(self.owner, opportunity_id).notes
            if line not in notes.splitlines():
                self.tx.update_opportunity(
                    self.owner, opportunity_id, notes=f"{notes}\n{line}" if notes else line
                )
        return False

    def same_job(self, plan: RowPlan) -> int | None:
        """A tracked opportunity the row names under another spelling, noted as a warning."""
        new = Candidate(None, plan.company, plan.role, url=plan.posting_url)
        found = self.index.tracked.matches(new)
        if not found:
            return None
        match = found[0]
        old = self.index.tracked.get(match.id)
        assert old is not None
        self.report.counts["warnings"] += 1
        if len(self.report.warnings) < LISTED:
            self.report.warnings.append(
                (
                    plan.row,
                    "Role",
                    f"{plan.company} — {plan.role} is taken as the {old.company} — {old.role} "
                    f"you already track ({match.why}); for a second application to it, add "
                    "one with `nudge add ... --again`",
                )
            )
        return match.id

    def row(self, plan: RowPlan) -> None:
        known_company = self.index.companies.get(plan.company.casefold())
        opportunity_id = None
        if known_company is not None:
            opportunity_id = self.index.opportunities.get((known_company, plan.role.casefold()))
        if opportunity_id is None:
            opportunity_id = self.same_job(plan)
        if opportunity_id is None:
            company_id = self.company(plan.company)
        else:
            company_id = self.index.company_of.get(opportunity_id, known_company or 0)
        key = (company_id, plan.role.casefold())
        is_new = opportunity_id is None
        if opportunity_id is None:
            if self.tx is not None and self.new is None:
                opportunity_id = self.tx.add_opportunity(
                    self.owner,
                    company_id=company_id,
                    role=plan.role,
                    source=plan.source,
                    posting_url=plan.posting_url,
                    notes=plan.notes,
                ).id
            else:
                opportunity_id = self.index.fake_id()
                if self.new is not None:
                    self.new.opportunities[opportunity_id] = bulk.opportunity_values(
                        company_id=company_id,
                        role=plan.role,
                        source=plan.source,
                        posting_url=plan.posting_url,
                        notes=plan.notes,
                    )
            self.index.events.setdefault(opportunity_id, set())  # nothing recorded yet
            self.index.undated.setdefault(opportunity_id, {})
            self.index.opportunities[key] = opportunity_id
            self.index.company_of[opportunity_id] = company_id
            self.report.counts["opportunities_new"] += 1
        else:
            self.report.counts["opportunities_existing"] += 1
        line = Line(plan.row, plan.company, plan.role, plan.stage)
        known = self.index.events_of(opportunity_id)
        for event in plan.events:
            replaced = None
            if event.day is not None and not _recorded(event, known):
                replaced = self.index.take_undated(opportunity_id, event)
            if replaced is None and _recorded(event, known):
                self.report.counts["events_existing"] += 1
                continue
            known.add((event.type, event.day, event.round))
            if replaced is None:
                self.report.counts["events_new"] += 1
                line.events.append(event.describe())
            else:  # the file now says the day of an event recorded with its date unknown
                self.report.counts["events_dated"] += 1
                line.events.append(f"{event.describe()} (its date was unknown)")
            if self.tx is None:
                continue
            if replaced is not None:  # a recorded event: the new ones' ids are not affected
                self.tx.delete_event(self.owner, replaced)
            note = f"Imported from {self.file_name}, row {plan.row}."
            if event.day is None:  # ordered at the import; its own day stays unknown
                self.add_event(
                    NewEvent(
                        opportunity_id=opportunity_id,
                        type=event.type,
                        at=self.session.now,
                        date_unknown=True,
                        tz=self.tz,
                        round=event.round,
                        format=event.format,
                        note=note,
                    )
                )
                continue
            scheduled = event.type is EventType.SCHEDULED
            when = self.moment(event.day, event.at_time)
            self.add_event(
                NewEvent(
                    opportunity_id=opportunity_id,
                    type=event.type,
                    at=min(self.session.now, when) if not scheduled else self.session.now,
                    tz=self.tz,
                    round=event.round,
                    format=event.format,
                    scheduled_for=when if scheduled else None,
                    note=note,
                )
            )
        linked = self.contact(plan, company_id, opportunity_id)
        if is_new or line.events or linked:
            self.touched.add(opportunity_id)
        target = self.report.new if is_new else self.report.existing
        if len(target) < LISTED:
            target.append(line)


def _recorded(event: PlannedEvent, known: set[tuple[EventType, date | None, int | None]]) -> bool:
    """Whether the opportunity already has this event: the same type on the same day; for a
    stage whose date is unknown, the same type (of the same round, for an interview) on any
    day, so a second copy of the sheet adds nothing and a dated entry is not doubled."""
    if event.day is not None:
        return any(t is event.type and d == event.day for t, d, _r in known)
    return any(
        t is event.type and (event.round is None or r is None or r == event.round)
        for t, _d, r in known
    )


def import_file(
    session: Session,
    path: Path,
    *,
    dry_run: bool = False,
    overrides: Sequence[str] = (),
    mapping_name: str | None = None,
    save_as: str | None = None,
    dates: Order | None = None,
    progress: Progress | None = None,
    one_by_one: bool = False,
) -> ImportReport:
    """Import a spreadsheet of applications (see the module docstring), or with ``dry_run``
    report what it would do without writing anything.

    ``one_by_one`` writes each event and re-plans each opportunity on its own, as imports did
    before the batch paths: the reference the tests and the benchmark compare them with."""
    from jobnudge.tabular import mapping
    from jobnudge.tabular.dates import column_orders, is_date
    from jobnudge.tabular.rows import plan_row
    from jobnudge.tabular.table import open_table

    if save_as is not None:
        save_as = " ".join(save_as.split())
        if not save_as or len(save_as) > 60:
            raise UsageError("--save-mapping: give a short name (up to 60 characters).")
    corrections = mapping.parse_overrides(overrides)
    with open_table(path) as table:
        columns = _column_map(session, table.headers, corrections, mapping_name)
        report = ImportReport(path=str(path), kind=table.kind, dry_run=dry_run)
        report.tracker = columns.tracker
        ahead = list(islice(table.rows, SAMPLE_ROWS))
        columns = mapping.demote_non_dates(
            columns,
            {
                index: [cells[index] for _n, cells in ahead if index < len(cells)]
                for index, name in columns.fields.items()
                if name in mapping.DATE_FIELDS
            },
            is_date,
        )
        report.columns = mapping.describe(columns)
        status_index = columns.column("status")
        if status_index is not None:
            report.status_column = columns.headers[status_index] or mapping.letter(status_index)
        if not dry_run and len(ahead) == SAMPLE_ROWS:
            table.precheck()  # the row limit (and a broken record) before the write lock
        country = session.settings.profile.country
        orders: dict[int, ColumnOrder] = column_orders(
            {
                index: [cells[index] for _n, cells in ahead if index < len(cells)]
                for index, name in columns.fields.items()
                if name in mapping.DATE_FIELDS
            },
            country,
            dates,
        )
        for index, order in orders.items():
            report.dates[columns.headers[index] or f"column {index + 1}"] = order.why
        today = session.now.astimezone(ZoneInfo(session.tz)).date()
        rows: Iterator[tuple[int, list[Any]]] = chain(ahead, table.rows)

        def run(importer: _Importer) -> None:
            for count, (number, cells) in enumerate(rows, start=1):
                report.rows += 1
                planned = plan_row(number, cells, columns, orders, today)
                if isinstance(planned, str):
                    report.rejected.append((number, planned))
                else:
                    report.note_plan(planned)
                    importer.row(planned)
                if progress is not None and count % 250 == 0:
                    progress("reading", *table.position())
            if progress is not None:
                done, total = table.position()
                progress("reading", total or done, total or done)

        if dry_run:
            run(_Importer(session, None, report))
            return report
        with session.store.transaction() as tx:
            importer = _Importer(session, tx, report, one_by_one)
            run(importer)
            planned = 0
            if importer.new is not None:
                if progress is not None:
                    progress("planning", 0, len(importer.touched))
                planned = import_writes.write(tx, session.owner, importer.new, session.settings)
            # The new opportunities (provisional ids) are planned: the others are re-planned.
            ids = sorted(i for i in importer.touched if i > 0)
            replan(session, tx, ids, progress, one_by_one=one_by_one, planned=planned)
            if save_as:
                doc = tx.user_settings(session.owner)
                saved = dict(doc.get(MAPPINGS_KEY) or {})
                saved[save_as] = columns.as_saved()
                doc[MAPPINGS_KEY] = saved
                tx.set_user_settings(session.owner, doc)
                report.saved_mapping = save_as
    return report


def replan(
    session: Session,
    tx: Tx,
    opportunity_ids: Iterable[int],
    progress: Progress | None = None,
    *,
    one_by_one: bool = False,
    planned: int = 0,
) -> None:
    """Recompute the follow-ups of the opportunities an import touched, then the search's
    (``planned``: how many the import has planned already, for the progress shown)."""
    ids = list(opportunity_ids)
    total = planned + len(ids)
    if progress is not None:
        progress("planning", planned, total)
    if one_by_one:
        for opportunity_id in ids:
            nudges.refresh(session.store, tx, session.owner, opportunity_id, session.settings)
    else:
        nudges.refresh_many(session.store, tx, session.owner, session.settings, ids)
    nudges.refresh_search(session.store, tx, session.owner, session.settings, session.now)
    if progress is not None:
        progress("planning", total, total)


@dataclass
class ContactsReport:
    """What a vCard import did: names created, updated (blank fields filled, roles added),
    unchanged, and the cards that could not be read with their number and reason."""

    path: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"card": n, "reason": why} for n, why in self.rejected],
        }


def read_text(path: Path, limit: int, what: str) -> str:
    """A small text file (vCard, iCalendar) in whatever encoding it was saved in."""
    from jobnudge.tabular import safety
    from jobnudge.tabular.csv_read import detect_encoding

    safety.check_size(path, limit, what)
    data = path.read_bytes()
    if not data.strip():
        from jobnudge.errors import BadFile

        raise BadFile(f"{path}: is empty.")
    encoding = detect_encoding(path, data[:262_144])
    return data.decode(encoding, errors="replace")


def _control_in(card: Any) -> str | None:
    """Why a card is refused for a control character in one of its fields, if it is."""
    from jobnudge import text_safety
    from jobnudge.errors import UsageError

    for name in ("name", "company", "title", "email", "phone", "salutation", "notes"):
        value = getattr(card, name, "") or ""
        try:
            (text_safety.text if name == "notes" else text_safety.line)(value, name)
        except UsageError as exc:
            return exc.message
    return None


def import_vcards(session: Session, path: Path) -> ContactsReport:
    """Add the contacts of a .vcf file; a contact already there (same email, or same name at
    the same company) gets its blank fields filled and new roles added, nothing overwritten."""
    from jobnudge import vcard
    from jobnudge.errors import BadFile
    from jobnudge.tabular import safety

    text = read_text(path, safety.MAX_VCARD_BYTES, "vCard")
    try:
        cards, rejected = vcard.parse(text, limit=safety.MAX_VCARDS)
    except BadFile as exc:
        raise BadFile(f"{path}: {exc.message}") from None
    report = ContactsReport(path=str(path), rejected=rejected)
    owner = session.owner
    with session.store.transaction() as tx:
        companies: dict[str, int] = {}
        for company in tx.companies(owner):
            for name in company.names:
                companies.setdefault(name.casefold(), company.id)
        people = tx.contacts(owner)
        by_email = {c.email.casefold(): c for c in people if c.email}
        by_name = {(c.name.casefold(), c.company_id): c for c in people}
        for number, card in cards:
            problem = _control_in(card)
            if problem:
                report.rejected.append((number, problem))
                continue
            company_id: int | None = None
            if card.company:
                company_id = companies.get(card.company.casefold())
                if company_id is None:
                    company_id = tx.add_company(owner, card.company).id
                    companies[card.company.casefold()] = company_id
            found = by_email.get(card.email) if card.email else None
            found = found or by_name.get((card.name.casefold(), company_id))
            if found is None:
                made = tx.add_contact(
                    owner,
                    name=card.name,
                    company_id=company_id,
                    title=card.title,
                    email=card.email,
                    phone=card.phone,
                    tz=card.tz,
                    country=card.country,
                    prefers=card.prefers,
                    first_name_ok=card.first_name_ok,
                    roles=card.roles,
                    salutation=card.salutation,
                    notes=card.notes,
                )
                if made.email:
                    by_email[made.email.casefold()] = made
                by_name[(made.name.casefold(), company_id)] = made
                report.created.append(made.name)
                continue
            changes: dict[str, Any] = {}
            for name in ("title", "email", "phone", "salutation", "notes", "tz", "country"):
                if not getattr(found, name) and getattr(card, name):
                    changes[name] = getattr(card, name)
            if found.company_id is None and company_id is not None:
                changes["company_id"] = company_id
            if found.prefers is None and card.prefers is not None:
                changes["prefers"] = card.prefers
            if card.first_name_ok and not found.first_name_ok:
                changes["first_name_ok"] = True
            if not card.roles <= found.roles:
                changes["roles"] = found.roles | card.roles
            if changes:
                tx.update_contact(owner, found.id, **changes)
                report.updated.append(found.name)
            else:
                report.unchanged.append(found.name)
        if report.created or report.updated:
            replan(session, tx, tx.all_opportunity_ids(owner))
    return report
