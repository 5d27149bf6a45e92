"""Bringing a search in and taking it anywhere: spreadsheets, reports, backups, calendars and
address books. Each command parses its options, calls one service and renders the outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jobnudge.cli.state import echo_json, handles_errors, state, wants_json
from jobnudge.plural import count

if TYPE_CHECKING:
    from jobnudge.services.importing import ImportReport, Progress

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SHOWN = 20  # opportunities listed one by one in the human form of a report
WARNINGS_SHOWN = 50  # cells kept as notes listed one by one in the human form


class _Bar:
    """A Rich progress bar on stderr, only on a terminal and only for a long file."""

    def __init__(self, path: Path) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}
        try:
            big = path.stat().st_size > 512 * 1024
        except OSError:
            big = False
        if big and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            from jobnudge.text_safety import unwrapped

            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                console=Console(file=unwrapped(sys.stderr)),  # its labels are fixed text
                transient=True,
            )

    def __enter__(self) -> Progress | None:
        if self.progress is None:
            return None
        self.progress.start()
        return self.update

    def update(self, phase: str, done: int, total: int | None) -> None:
        if phase not in self.tasks:
            label = "Reading rows" if phase == "reading" else "Planning follow-ups"
            self.tasks[phase] = self.progress.add_task(label, total=total)
        self.progress.update(self.tasks[phase], completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def _rows_word(count: int) -> str:
    return "row" if count == 1 else "rows"


def _more(count: int) -> str:
    return f" and {count} more" if count > 0 else ""


def _print_import(report: ImportReport) -> None:
    echo = typer.echo
    c = report.counts
    tracker = f" — looks like a {report.tracker} export" if report.tracker else ""
    echo(f"Read {report.path}: {report.kind}, {count(report.rows, 'row')}{tracker}.")
    echo("Columns:")
    for col in report.columns:
        target = col["field"] or "not imported"
        how = " (corrected)" if col["how"] == "corrected" else ""
        if col["how"] == "demoted":
            how = f" ({col['why']})"
        echo(f"  {col['column']:>3} {col['header'] or '(no header)'} → {target}{how}")
    for header, why in report.dates.items():
        echo(f"Dates in '{header}': {why}.")
    verb = "Would create" if report.dry_run else "Created"
    echo(
        f"{verb}: {count(c['opportunities_new'], 'opportunity')}, "
        f"{count(c['events_new'], 'event')}, {count(c['contacts_new'], 'contact')}, "
        f"{count(c['companies_new'], 'company')}."
    )
    if c["contacts_updated"]:
        filled = "Would fill in" if report.dry_run else "Filled in"
        echo(f"{filled} the email of {count(c['contacts_updated'], 'contact')} already there.")
    if c["opportunities_existing"]:
        echo(
            f"Already there: {count(c['opportunities_existing'], 'opportunity')}, "
            f"{count(c['events_existing'], 'event')}"
            + (
                f"; dated {count(c['events_dated'], 'event')} recorded with the date unknown."
                if c["events_dated"]
                else "."
            )
        )
    if report.dry_run:
        for line in report.new[:SHOWN]:
            events = ", ".join(line.events) or "no events (a lead)"
            echo(f"  row {line.row}: {line.company} — {line.role}: {events}")
        more = c["opportunities_new"] - min(len(report.new), SHOWN)
        if more > 0:
            echo(f"  ... and {more} more (--json lists them all)")
        for line in report.existing[:SHOWN]:
            extra = ", ".join(line.events) or "nothing new"
            echo(f"  row {line.row}: {line.company} — {line.role} is already there: {extra}")
    if report.firms:
        echo(report.firms_line())
    if report.rejected:
        skipped = "would be skipped" if report.dry_run else "were skipped"
        echo(f"Rows that cannot be read ({len(report.rejected)}) {skipped}:")
        for row, why in report.rejected:
            echo(f"  row {row}: {why}")
        echo("Fix them in the file and import it again: what is already in comes in only once.")
    if report.unknown_statuses:
        counts = report.unknown_counts
        echo(
            f"Statuses jobnudge does not know ({len(report.unknown_statuses)}); those rows "
            f"{'would come' if report.dry_run else 'came'} in at the stage their dates make "
            "certain, the status kept in the notes:"
        )
        for status, rows in report.unknown_statuses.items():
            listed = ", ".join(str(r) for r in rows)
            more = counts[status] - len(rows)
            echo(f"  '{status}': {_rows_word(counts[status])} {listed}{_more(more)}")
        echo(f"  {report.status_hint()}")
    if report.warnings:
        kept = "would be kept" if report.dry_run else "were kept"
        echo(f"Cells that cannot be read as their column says ({c['warnings']}) {kept} as notes:")
        for row, column, what in report.warnings[:WARNINGS_SHOWN]:
            echo(f"  row {row}, {column}: {what}")
        if c["warnings"] > WARNINGS_SHOWN:
            echo(f"  ... and {c['warnings'] - WARNINGS_SHOWN} more (--json lists them)")
    if report.saved_mapping:
        echo(
            f"Saved the column mapping as '{report.saved_mapping}': next time use "
            f"--mapping '{report.saved_mapping}'."
        )
    if report.dry_run:
        echo('Nothing was written (dry run). Correct a column with --map "Header=field".')


def register(app: typer.Typer) -> None:
    @app.command("import")
    @handles_errors
    def import_(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A CSV, TSV or XLSX file.")],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
        ] = False,
        map_: Annotated[
            list[str] | None,
            typer.Option(
                "--map",
                help="Correct a column: 'Header=field' (repeatable); the field 'ignore' skips "
                "it. Fields: company, role, applied_on, status, status_on, interview_on, "
                "follow_up_on, contact, recruiter, email, phone, posting_url, source, notes, "
                "salary, location.",
            ),
        ] = None,
        save_mapping: Annotated[
            str | None,
            typer.Option("--save-mapping", help="Save the final column mapping under a name."),
        ] = None,
        mapping: Annotated[
            str | None, typer.Option("--mapping", help="Start from a saved column mapping.")
        ] = None,
        dates: Annotated[
            str | None,
            typer.Option(
                "--dates",
                help="Read numeric dates day first (dmy) or month first (mdy); default: "
                "decided from the file, else your country.",
            ),
        ] = None,
        encoding: Annotated[
            str | None,
            typer.Option(
                "--encoding",
                help="The CSV's text encoding, e.g. cp1252 (Windows), latin-1, mac-roman; "
                "default: UTF-8 or what its byte-order mark says.",
            ),
        ] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Import a spreadsheet of applications (CSV in any encoding, or XLSX).

        Columns are recognised from their headers; check with --dry-run and correct with
        --map. Importing the same file twice adds nothing new.

        Examples:

          nudge import tracker.csv --dry-run

          nudge import tracker.xlsx --map "Stage=status" --save-mapping mine
        """
        from jobnudge.errors import UsageError
        from jobnudge.services import importing

        order = (dates or "").strip().lower() or None
        if order not in (None, "dmy", "mdy"):
            raise UsageError(f"--dates: '{dates}' is not dmy or mdy.")
        session = state(ctx).session()
        with _Bar(file) as progress:
            report = importing.import_file(
                session,
                file,
                dry_run=dry_run,
                overrides=map_ or [],
                mapping_name=mapping,
                save_as=save_mapping,
                dates=order,  # type: ignore[arg-type]  # checked to be dmy or mdy above
                progress=progress,
                encoding=encoding,
            )
        if wants_json(ctx, as_json):
            echo_json(report.as_json())
            return
        _print_import(report)
        if dry_run and save_mapping:
            typer.echo(f"The mapping will be saved as '{save_mapping}' with the real import.")

    @app.command()
    @handles_errors
    def export(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Where to write (.xlsx or .csv).")],
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="xlsx or csv (default: from the file name, else xlsx)."),
        ] = None,
        sheet: Annotated[
            str | None,
            typer.Option(
                "--sheet",
                help="Only one sheet: opportunities, contacts, events or nudges (CSV holds one; "
                "default opportunities).",
            ),
        ] = None,
    ) -> None:
        """Export your search to a spreadsheet: opportunities, contacts, events (the follow-up
        history) and pending nudges.

        Examples:

          nudge export search.xlsx

          nudge export events.csv --sheet events
        """
        from jobnudge.errors import UsageError
        from jobnudge.services import exporting

        if sheet is not None and sheet not in exporting.SHEETS:
            raise UsageError(f"--sheet: '{sheet}' is not one of {', '.join(exporting.SHEETS)}.")
        typer.echo(exporting.export(state(ctx).session(), file, fmt=fmt, name=sheet))

    @app.command()
    @handles_errors
    def report(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Where to write (.html or .csv).")],
        from_: Annotated[
            str | None,
            typer.Option("--from", help="First day (default: 4 weeks before --to)."),
        ] = None,
        to: Annotated[str | None, typer.Option("--to", help="Last day (default: today).")] = None,
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="html or csv (default: from the file name, else html)."),
        ] = None,
    ) -> None:
        """Write a job-search activity report: the employers you contacted, when, how, and the
        outcome, as unemployment offices ask for (a printable page or CSV).

        Example: nudge report march.html --from 2026-03-01 --to 2026-03-31
        """
        from datetime import timedelta
        from functools import partial
        from zoneinfo import ZoneInfo

        from jobnudge.services import activity_report
        from jobnudge.timeparse import Tense, parse_day

        session = state(ctx).session()
        tz, country = session.tz, session.settings.profile.country
        read = partial(parse_day, tz=tz, base=session.now, tense=Tense.PAST, country=country)
        end = read(to, field="--to") if to else session.now.astimezone(ZoneInfo(tz)).date()
        start = read(from_, field="--from") if from_ else end - timedelta(days=27)
        typer.echo(activity_report.report(session, file, start, end, fmt=fmt))

    @app.command()
    @handles_errors
    def backup(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Where to write the backup (JSON).")],
    ) -> None:
        """Write a full backup of your search (JSON, versioned); `nudge restore` reads it.

        Example: nudge backup ~/jobnudge-backup.json
        """
        from jobnudge.services import backup as service
        from jobnudge.services.exporting import write_file

        session = state(ctx).session()
        data = service.backup_json(session)
        write_file(file, data)
        typer.echo(f"Wrote the backup to {file} ({len(data):,} bytes).")

    @app.command()
    @handles_errors
    def restore(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A backup written by `nudge backup`.")],
    ) -> None:
        """Restore a backup into an empty database (refused when it holds a search).

        Example: nudge --db sqlite:////tmp/restored.sqlite restore ~/jobnudge-backup.json
        """
        from jobnudge.services import restoring

        counts = restoring.restore(state(ctx).session(), file)
        typer.echo(
            f"Restored {count(counts['opportunities'], 'opportunity')}, "
            f"{count(counts['contacts'], 'contact')}, {count(counts['companies'], 'company')} "
            f"and {count(counts['events'], 'event')}; the follow-ups were recomputed."
        )

    @app.command()
    @handles_errors
    def calendar(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="Where to write the calendar (.ics).")],
    ) -> None:
        """Write your interviews and pending follow-ups as an iCalendar file.

        Import it into your calendar; import it again after changes and the entries update
        instead of doubling.

        Example: nudge calendar ~/jobnudge.ics
        """
        from jobnudge.services import calendar_feed

        typer.echo(calendar_feed.write_calendar(state(ctx).session(), file))

    @app.command("import-invite")
    @handles_errors
    def import_invite(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="An invitation (.ics) from your calendar.")],
        opportunity: Annotated[
            str | None,
            typer.Option("--opportunity", help="The opportunity it is about (id or name)."),
        ] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Schedule an interview from a calendar invitation (Google Calendar, Outlook, Zoom).

        The opportunity is found by the organiser's email domain and the company's name in
        the title; the people invited (not you) become contacts.

        Example: nudge import-invite ~/Downloads/invite.ics
        """
        from zoneinfo import ZoneInfo

        from jobnudge.services import calendar_feed

        session = state(ctx).session()
        out = calendar_feed.import_invite(session, file, opportunity_ref=opportunity)
        if wants_json(ctx, as_json):
            echo_json(out.as_json(session.tz))
            return
        opp = out.opportunity
        start = out.invite.start.astimezone(ZoneInfo(out.invite.tz))
        when = f"{start:%a %d %b %Y %H:%M} ({out.invite.tz})"
        if out.event is None:
            typer.echo(f"Already scheduled: #{opp.id} {opp.company} — {opp.role} on {when}.")
        else:
            verb = "Rescheduled" if out.rescheduled else "Scheduled"
            typer.echo(
                f"{verb} the interview on #{opp.id} {opp.company} — {opp.role} for {when} "
                f"(matched by {out.matched_by})."
            )
        for person in out.created_contacts:
            typer.echo(f"New contact: {person.name} <{person.email}> (interviewer).")
