"""The cohort numbers as CSV, one table at a time: suppressed cells say so instead of a number,
and no cell starts a spreadsheet formula. Apart from the counting (services.cohort), which
knows nothing of how its results are shown."""

from __future__ import annotations

import csv
import io

from jobnudge.errors import UsageError
from jobnudge.services.cohort import MIN_PEOPLE, TABLES, Cohort


def table(cohort: Cohort, name: str) -> tuple[list[str], list[list[str]]]:
    """One table as header and rows of text (for the CSV); suppressed cells say so."""

    def n(value: float | int | None, digits: int = 0) -> str:
        if value is None:
            return ""
        return f"{value:.{digits}f}" if digits else str(value)

    hidden = f"fewer than {MIN_PEOPLE} people"
    if name in ("channel", "stage", "source"):
        cells = {"channel": cohort.by_channel, "stage": cohort.by_stage, "source": cohort.by_source}
        header = [name, "people", "asked", "answered", "response rate", "median hours to answer"]
        return header, [
            [c.label, hidden, "", "", "", ""]
            if c.suppressed
            else [
                c.label,
                str(c.people),
                str(c.count),
                str(c.answered),
                n(c.rate, 3),
                n(c.median_hours, 1),
            ]
            for c in cells[name]
        ]
    if name == "interviews":
        c = cohort.interviews
        header = ["people", "applications", "interviews", "interviews per application"]
        if c.suppressed:
            return header, [[hidden, "", "", ""]]
        return header, [[str(c.people), str(c.count), str(c.answered), n(c.rate, 3)]]
    if name == "closure":
        header = ["ended as", "people", "processes", "share of ended"]
        return header, [
            [c.label, hidden, "", ""]
            if c.suppressed
            else [c.label, str(c.people), str(c.count), n(c.share, 3)]
            for c in cohort.closure
        ]
    raise UsageError(f"table: choose one of {', '.join(TABLES)}.")


def to_csv(cohort: Cohort, name: str) -> str:
    header, rows = table(cohort, name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a source named "=HYPERLINK(...)")."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
