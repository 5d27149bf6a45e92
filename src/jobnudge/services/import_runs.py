"""Large imports handed to the job queue: a spreadsheet over :func:`threshold` rows, uploaded
through the web with the queue on, is kept in the data dir (under its owner's id), imported by a
``nudge worker`` and then removed; its progress and outcome live in ``import_runs`` for the
page to show. The import itself is the same all-or-nothing one as ever
(``services.importing``): a failure leaves nothing imported and says why.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobnudge.bounds import is_digits
from jobnudge.errors import ConfigError, NudgeError

if TYPE_CHECKING:
    from jobnudge.services.import_report import ImportReport
    from jobnudge.services.session import Session
    from jobnudge.store import Store
    from jobnudge.store.job_records import ImportRun

log = logging.getLogger("jobnudge.jobs")

THRESHOLD_ENV = "NUDGE_IMPORT_QUEUE_ROWS"
THRESHOLD = 2_000


def threshold() -> int:
    """Rows above which a web import goes to the queue (``NUDGE_IMPORT_QUEUE_ROWS``)."""
    text = os.environ.get(THRESHOLD_ENV, "").strip()
    if not text:
        return THRESHOLD
    if not is_digits(text):
        raise ConfigError(f"{THRESHOLD_ENV}: {text!r} is not a number of rows; e.g. 2000.")
    return int(text)


def rows_over(path: Path, limit: int, encoding: str | None = None) -> int | None:
    """The file's data rows (read in ``encoding`` when the user named one) when there are more
    than ``limit`` (counting stops there), else None."""
    from jobnudge.tabular.table import open_table

    seen = 0
    with open_table(path, encoding) as table:
        for _row in table.rows:
            seen += 1
            if seen > limit:
                return seen
    return None


def folder(owner: int) -> Path:
    """Where a user's queued imports wait: the data dir, under the owner's id, private."""
    from jobnudge import config

    where = config.data_dir() / "imports" / str(int(owner))
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    return where


def queue(
    store: Store,
    owner: int,
    source: Path,
    name: str,
    rows: int,
    now: Any,
    *,
    overrides: Sequence[str] = (),
    mapping_name: str | None = None,
    save_as: str | None = None,
    dates: str | None = None,
    encoding: str | None = None,
) -> int:
    """Move ``source`` into the owner's import folder and queue its import; the run's id."""
    from jobnudge.services import jobs
    from jobnudge.store import job_records

    run = job_records.add_import(store, owner, name, rows, now)
    kept = folder(owner) / f"{run}-{Path(name).name}"
    try:
        shutil.move(str(source), kept)
        jobs.submit(
            store,
            "import_file",
            owner=owner,
            path=str(kept),
            overrides=list(overrides),
            run=run,
            mapping_name=mapping_name,
            save_as=save_as,
            dates=dates,
            encoding=encoding,
        )
    except BaseException:
        kept.unlink(missing_ok=True)
        job_records.import_state(store, owner, run, "failed", now, error="It could not be queued.")
        raise
    return run


def summary(report: ImportReport) -> dict[str, Any]:
    """What the page says about a finished import (JSON, kept with the run)."""
    return {
        "counts": dict(report.counts),
        "rejected": len(report.rejected),
        "saved_mapping": report.saved_mapping or "",
        "rows": report.rows,
    }


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def sentence(done: dict[str, Any], name: str) -> str:
    """ "Imported 3 new opportunities and 12 events from jobs.csv. ..." """
    counts = dict(done.get("counts", {}))
    parts = [
        _count(counts[key], one, many)
        for key, one, many in (
            ("opportunities_new", "new opportunity", "new opportunities"),
            ("events_new", "event", "events"),
            ("events_dated", "date for an event", "dates for events"),
            ("contacts_new", "contact", "contacts"),
            ("contacts_updated", "email for a contact", "emails for contacts"),
        )
        if counts.get(key)
    ] or ["nothing new"]
    listed = f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]
    message = f"Imported {listed} from {name}."
    rejected = int(done.get("rejected", 0))
    if rejected:
        message += f" {_count(rejected, 'row was', 'rows were')} skipped."
    kept = int(counts.get("warnings", 0))
    if kept:
        cells = _count(kept, "cell that could not be read was", "cells that could not be read were")
        message += f" {cells} kept in the notes."
    if done.get("saved_mapping"):
        message += f" Columns saved as “{done['saved_mapping']}”."
    return message


def run(
    session: Session,
    run_id: int,
    path: Path,
    *,
    overrides: Sequence[str] = (),
    mapping_name: str | None = None,
    save_as: str | None = None,
    dates: str | None = None,
    encoding: str | None = None,
) -> None:
    """The queued import (the worker's side): running, then done with its report or failed
    with its message; the file is removed once the outcome is kept. An unexpected error (the
    database away) is raised, the file kept, for the queue's next attempt."""
    from jobnudge import clock
    from jobnudge.services.importing import import_file
    from jobnudge.store import job_records

    store, owner = session.store, session.owner
    job_records.import_state(store, owner, run_id, "running", clock.now())
    try:
        report = import_file(
            session,
            path,
            overrides=overrides,
            mapping_name=mapping_name,
            save_as=save_as,
            dates="dmy" if dates == "dmy" else "mdy" if dates else None,
            encoding=encoding,
        )
    except NudgeError as exc:
        shown = path.name.split("-", 1)[-1]  # the name as uploaded, never the server's folder
        said = exc.message.replace(str(path), shown)
        job_records.import_state(store, owner, run_id, "failed", clock.now(), error=said)
        path.unlink(missing_ok=True)
        return
    except Exception as exc:
        job_records.import_state(
            store,
            owner,
            run_id,
            "failed",
            clock.now(),
            error=f"The import stopped on an unexpected problem ({type(exc).__name__}); "
            "nothing was imported. It is tried again shortly.",
        )
        raise
    job_records.import_state(store, owner, run_id, "done", clock.now(), report=summary(report))
    path.unlink(missing_ok=True)


def outcome(store: Store, owner: int, run_id: int) -> ImportRun:
    """One of the owner's queued imports, as the page shows it (another's reads as absent)."""
    from jobnudge.store import job_records

    return job_records.import_run(store, owner, run_id)
