"""Reads and writes of background work's records (``store.job_tables``): each account's last
periodic pass, and the large imports handed to the job queue. Each function is one short
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, update

from jobnudge.errors import NotFound
from jobnudge.store.core import Store
from jobnudge.store.job_tables import import_runs, job_status

KINDS = ("remind", "mail")


@dataclass(frozen=True, slots=True)
class PassStatus:
    """How the last pass went for one account."""

    at: datetime
    error: str | None
    logged: int
    sent: int
    ok_at: datetime | None
    next_at: datetime | None


@dataclass(frozen=True, slots=True)
class ImportRun:
    id: int
    owner: int
    file_name: str
    rows: int
    state: str  # "queued", "running", "done", "failed"
    report: dict[str, Any] | None
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def status(store: Store, owner: int, kind: str) -> PassStatus | None:
    with store.reading() as conn:
        row = conn.execute(
            select(job_status).where(job_status.c.owner_id == owner, job_status.c.kind == kind)
        ).first()
    if row is None:
        return None
    return PassStatus(row.at, row.error, row.logged, row.sent, row.ok_at, row.next_at)


def record(
    store: Store,
    owner: int,
    kind: str,
    at: datetime,
    error: str | None,
    *,
    logged: int = 0,
    sent: int = 0,
    next_at: datetime | None = None,
) -> None:
    """Keep how ``owner``'s pass of ``kind`` went (and when to look again), in one transaction;
    the last time it worked is carried over while it fails."""
    values: dict[str, Any] = {
        "at": at,
        "error": error,
        "logged": logged,
        "sent": sent,
        "next_at": next_at,
    }
    if error is None:
        values["ok_at"] = at
    with store.writing() as conn:
        done = conn.execute(
            update(job_status)
            .where(job_status.c.owner_id == owner, job_status.c.kind == kind)
            .values(**values)
        )
        if not done.rowcount:
            conn.execute(
                insert(job_status).values(
                    {"owner_id": owner, "kind": kind, "ok_at": None, **values}
                )
            )


def forget(store: Store, owner: int, kind: str) -> None:
    """Look at ``owner`` at the next pass (their settings changed)."""
    with store.writing() as conn:
        conn.execute(
            update(job_status)
            .where(job_status.c.owner_id == owner, job_status.c.kind == kind)
            .values(next_at=None)
        )


def waiting(store: Store, kind: str, now: datetime) -> set[int]:
    """The accounts not to look at before a later moment (their ``next_at`` is after ``now``)."""
    with store.reading() as conn:
        rows = conn.execute(
            select(job_status.c.owner_id).where(
                and_(job_status.c.kind == kind, job_status.c.next_at > now)
            )
        )
        return {int(r[0]) for r in rows}


def set_next(store: Store, kind: str, later: dict[int, datetime], at: datetime) -> None:
    """Remember when to look at each account again (an account with nothing to send yet), in
    one transaction and one batched statement: a first look at 10,000 accounts writes them all."""
    if not later:
        return
    rows = [
        {
            "owner_id": owner,
            "kind": kind,
            "at": at,
            "error": None,
            "logged": 0,
            "sent": 0,
            "ok_at": None,
            "next_at": when,
        }
        for owner, when in later.items()
    ]
    with store.writing() as conn:
        keys = [job_status.c.owner_id, job_status.c.kind]
        statement: Any
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects import postgresql

            made = postgresql.insert(job_status)
            statement = made.on_conflict_do_update(
                index_elements=keys, set_={"next_at": made.excluded.next_at}
            )
        else:
            from sqlalchemy.dialects import sqlite

            done = sqlite.insert(job_status)
            statement = done.on_conflict_do_update(
                index_elements=keys, set_={"next_at": done.excluded.next_at}
            )
        conn.execute(statement, rows)


# Large imports


def _run(row: Any) -> ImportRun:
    return ImportRun(
        row.id,
        row.owner_id,
        row.file_name,
        row.rows,
        row.state,
        row.report,
        row.error,
        row.created_at,
        row.started_at,
        row.finished_at,
    )


def add_import(store: Store, owner: int, file_name: str, rows: int, now: datetime) -> int:
    with store.writing() as conn:
        made = conn.execute(
            insert(import_runs).values(
                owner_id=owner,
                file_name=file_name[:200],
                rows=rows,
                state="queued",
                report=None,
                error="",
                created_at=now,
            )
        )
        key = made.inserted_primary_key
        assert key is not None
        return int(key[0])


def import_run(store: Store, owner: int, run: int) -> ImportRun:
    """One of ``owner``'s imports (another user's reads as not found)."""
    with store.reading() as conn:
        row = conn.execute(
            select(import_runs).where(import_runs.c.owner_id == owner, import_runs.c.id == run)
        ).first()
    if row is None:
        raise NotFound(f"No import with id {run}.")
    return _run(row)


def import_state(
    store: Store,
    owner: int,
    run: int,
    state: str,
    now: datetime,
    *,
    report: dict[str, Any] | None = None,
    error: str = "",
) -> None:
    """Move an import on: "running" (stamped as started), "done" or "failed" (finished)."""
    values: dict[str, Any] = {"state": state}
    if state == "running":
        values.update(started_at=now, error="")
    else:
        values.update(finished_at=now, report=report, error=error)
    with store.writing() as conn:
        conn.execute(
            update(import_runs)
            .where(
                import_runs.c.owner_id == owner,
                import_runs.c.id == run,
                import_runs.c.state != "done",
            )
            .values(**values)
        )
