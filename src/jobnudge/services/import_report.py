"""What a spreadsheet import did, or in a dry run would do: counts, the opportunities with
the events each adds, the rows skipped, the cells kept as notes and the unknown statuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobnudge.tabular.rows import RowPlan

LISTED = 5_000
"""Opportunities, warnings and distinct unknown statuses listed one by one in a report (the
counts are always complete)."""

LISTED_ROWS = 20
"""Row numbers listed for each unknown status."""


@dataclass
class Line:
    row: int
    company: str
    role: str
    stage: str
    events: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "company": self.company,
            "role": self.role,
            "stage": self.stage,
            "events": self.events,
        }


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    path: str
    kind: str
    dry_run: bool
    tracker: str | None = None
    columns: list[dict[str, object]] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # header → how its dates are read
    rows: int = 0
    new: list[Line] = field(default_factory=list)
    existing: list[Line] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, what
    unknown_statuses: dict[str, list[int]] = field(default_factory=dict)  # status → rows
    status_column: str = ""
    firms: dict[str, list[int]] = field(default_factory=dict)  # staffing firm → rows
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "opportunities_new",
                "opportunities_existing",
                "events_new",
                "events_existing",
                "events_dated",
                "contacts_new",
                "contacts_updated",
                "companies_new",
                "warnings",
            ),
            0,
        )
    )
    saved_mapping: str | None = None
    _unknown_counts: dict[str, int] = field(default_factory=dict, repr=False)
    _unknown_names: dict[str, str] = field(default_factory=dict, repr=False)  # casefold → shown
    _firm_counts: dict[str, int] = field(default_factory=dict, repr=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "format": self.kind,
            "dry_run": self.dry_run,
            "tracker": self.tracker,
            "columns": self.columns,
            "dates": self.dates,
            "rows": self.rows,
            "counts": self.counts,
            "new": [line.as_json() for line in self.new],
            "existing": [line.as_json() for line in self.existing],
            "rejected": [{"row": r, "reason": why} for r, why in self.rejected],
            "warnings": [
                {"row": r, "column": column, "warning": what} for r, column, what in self.warnings
            ],
            "unknown_statuses": [
                {
                    "status": status,
                    "column": self.status_column,
                    "rows": rows[:LISTED_ROWS],
                    "count": self.unknown_counts[status],
                }
                for status, rows in self.unknown_statuses.items()
            ],
            "staffing_firms": [
                {"firm": firm, "rows": rows[:LISTED_ROWS], "count": self._firm_counts[firm]}
                for firm, rows in self.firms.items()
            ],
            "saved_mapping": self.saved_mapping,
        }

    @property
    def unknown_counts(self) -> dict[str, int]:
        return {s: self._unknown_counts.get(s, len(r)) for s, r in self.unknown_statuses.items()}

    def note_plan(self, plan: RowPlan) -> None:
        """Collect a planned row's warnings, unknown status and staffing firm for the report."""
        if plan.staffing_firm:
            self.note_firm(plan.staffing_firm, plan.row)
        for warning in plan.warnings:
            self.counts["warnings"] += 1
            if len(self.warnings) < LISTED:
                self.warnings.append((plan.row, warning.column, warning.message))
        if plan.unknown_status:
            shown = " ".join(plan.unknown_status.split())
            key = self._unknown_names.setdefault(shown.casefold(), shown)
            rows = self.unknown_statuses.get(key)
            if rows is None:
                if len(self.unknown_statuses) >= LISTED:
                    return
                rows = self.unknown_statuses[key] = []
            self._unknown_counts[key] = self._unknown_counts.get(key, 0) + 1
            if len(rows) < LISTED_ROWS:
                rows.append(plan.row)

    def note_firm(self, firm: str, row: int) -> None:
        """A staffing firm recognised in ``row``: shown, so that a wrong reading is seen."""
        rows = self.firms.get(firm)
        if rows is None:
            if len(self.firms) >= LISTED:
                return
            rows = self.firms[firm] = []
        self._firm_counts[firm] = self._firm_counts.get(firm, 0) + 1
        if len(rows) < LISTED_ROWS:
            rows.append(row)

    def firm_counts(self, firm: str) -> int:
        """The rows that came through ``firm`` (all of them; ``firms`` lists the first few)."""
        return self._firm_counts.get(firm, 0)

    def firms_line(self) -> str:
        """ "Staffing firms: Hays for row 2; Randstad for rows 3, 5 and 1 more." """
        from jobnudge.plural import noun

        parts = []
        for firm, rows in self.firms.items():
            total = self.firm_counts(firm)
            more = total - len(rows)
            listed = ", ".join(str(r) for r in rows) + (f" and {more} more" if more > 0 else "")
            parts.append(f"{firm} for {noun(total, 'row')} {listed}")
        return f"Staffing firms: {'; '.join(parts)}." if parts else ""

    def status_hint(self) -> str:
        """How to read the unknown statuses: a cell to fix, or the column as notes."""
        from jobnudge.tabular.statuses import KNOWN_EXAMPLES

        column = self.status_column or "Status"
        return (
            f"Change such a cell to a status jobnudge knows ({KNOWN_EXAMPLES}) and import "
            f'again, or read the whole column as notes with --map "{column}=notes".'
        )
