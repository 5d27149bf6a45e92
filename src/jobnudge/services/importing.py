"""Bringing a search in: a spreadsheet (CSV/XLSX), an interview invitation (.ics), an address
book (.vcf).

Every import is one transaction: a file that turns out broken halfway (too many rows, damaged
XML) leaves nothing behind. Importing the same file again creates nothing new: opportunities
are matched by company and role, events by type and day, contacts by email or by name at the
company. Afterwards the follow-ups are recomputed as if everything had been typed in.

This module reads the file and runs the import; the row matching is ``services.import_rows``
(against ``services.import_index``), the batch writes ``services.import_writes``, and the
address books ``services.import_contacts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jobnudge import collecting
from jobnudge.errors import NotFound, UsageError
from jobnudge.services import import_writes, nudges
from jobnudge.services.import_contacts import ContactsReport, import_vcards, read_text
from jobnudge.services.import_report import LISTED, LISTED_ROWS, ImportReport, Line
from jobnudge.services.import_rows import Importer
from jobnudge.services.preferences import MAPPINGS_KEY

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx
    from jobnudge.tabular.dates import ColumnOrder, Order
    from jobnudge.tabular.mapping import ColumnMap

__all__ = [
    "LISTED",
    "LISTED_ROWS",
    "ContactsReport",
    "ImportReport",
    "Line",
    "import_file",
    "import_vcards",
    "read_text",
]

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
    encoding: str | None = None,
) -> ImportReport:
    """Import a spreadsheet of applications (see the module docstring), or with ``dry_run``
    report what it would do without writing anything.

    ``encoding`` is the text encoding of a CSV the user named (``--encoding``); without it,
    one that cannot be told for sure is refused (``tabular.csv_read``).
    ``one_by_one`` writes each event and re-plans each opportunity on its own, as imports did
    before the batch paths: the reference the tests and the benchmark compare them with.

    The garbage collector is held back meanwhile (``jobnudge.collecting``): the records of
    the file stay in memory to the end, and walking them over and over cost a sixth of the
    import."""
    with collecting.held_back():
        return _import_file(
            session,
            path,
            dry_run=dry_run,
            overrides=overrides,
            mapping_name=mapping_name,
            save_as=save_as,
            dates=dates,
            progress=progress,
            one_by_one=one_by_one,
            encoding=encoding,
        )


def _import_file(
    session: Session,
    path: Path,
    *,
    dry_run: bool,
    overrides: Sequence[str],
    mapping_name: str | None,
    save_as: str | None,
    dates: Order | None,
    progress: Progress | None,
    one_by_one: bool,
    encoding: str | None,
) -> ImportReport:
    from jobnudge.tabular import mapping
    from jobnudge.tabular.date_orders import column_orders
    from jobnudge.tabular.dates import is_date
    from jobnudge.tabular.rows import plan_row
    from jobnudge.tabular.table import open_table

    if save_as is not None:
        save_as = " ".join(save_as.split())
        if not save_as or len(save_as) > 60:
            raise UsageError("--save-mapping: give a short name (up to 60 characters).")
    corrections = mapping.parse_overrides(overrides)
    with open_table(path, encoding) as table:
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

        def run(importer: Importer) -> None:
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
            run(Importer(session, None, report))
            return report
        with session.store.transaction() as tx:
            importer = Importer(session, tx, report, one_by_one)
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
