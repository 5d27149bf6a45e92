"""A batch re-plan job (``replan_many``) on the real job queue: a `nudge worker` killed in the
middle of the job, after it wrote the plans of some of its accounts, leaves every account as it
was; a second worker takes the job up once the first one's heartbeat is stale and re-plans
every account exactly once.

The job is caught midway without a test hook: the test holds the row of the batch's last
account (``FOR NO KEY UPDATE``), which the job needs only at the very end, to count the
revision of each account it wrote (``Tx.bump_revisions``, in id order). The worker is killed
while its transaction waits there, with the plans of every account written but not committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from jobnudge.config import Settings
from jobnudge.domain import EventType
from jobnudge.services import jobs, nudges, replanning
from jobnudge.services.session import Session
from jobnudge.store import Store, open_store
from jobnudge.store.tables import nudges as nudge_rows
from jobnudge.store.tables import users
from tests.pinned import PINNED_NOW
from tests.web import queue_workers

pytestmark = pytest.mark.postgres


@pytest.fixture
def queued(
    make_pg_database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Store]]:
    url = make_pg_database()
    store = open_store(url, data_dir=tmp_path / "data")
    monkeypatch.setenv(jobs.QUEUE_ENV, "on")
    try:
        yield url, store
    finally:
        store.close()


def _plan(store: Store) -> tuple[list[Any], list[Any]]:
    """Every stored check-in and every user's revision."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(nudge_rows.c.owner_id, nudge_rows.c.key, nudge_rows.c.due)
            .where(nudge_rows.c.rule == "apply.check-in")
            .order_by(nudge_rows.c.owner_id, nudge_rows.c.key)
        ).all()
        revisions = conn.execute(select(users.c.id, users.c.revision).order_by(users.c.id)).all()
    return [tuple(r) for r in found], [tuple(r) for r in revisions]


def test_a_killed_worker_leaves_the_batch_undone_and_the_next_one_does_it_once(
    queued: tuple[str, Store], tmp_path: Path
) -> None:
    url, store = queued
    owners = [store.ensure_user(f"seeker {n}") for n in range(3)]
    for owner in owners:
        with store.transaction(now=PINNED_NOW) as tx:
            firm = tx.add_company(owner, "Acme")
            opp = tx.add_opportunity(owner, company_id=firm.id, role="Analyst")
            tx.add_event(owner, opportunity_id=opp.id, type=EventType.APPLIED,
                         at=PINNED_NOW - timedelta(days=1))  # fmt: skip
        nudges.refresh_all(Session(store, Settings(), owner, PINNED_NOW))
        with store.transaction(now=PINNED_NOW) as tx:
            tx.set_user_settings(owner, {"playbook": {"apply_check_in_days": 9}})
    before = _plan(store)
    assert replanning.replan_many(store, owners, per_job=3).queued_jobs == 1
    job_id = queue_workers.scalar(store, "SELECT id FROM procrastinate_jobs")

    holder = store.engine.connect()
    holding = holder.begin()
    holder.execute(
        text("SELECT id FROM users WHERE id = :id FOR NO KEY UPDATE"), {"id": max(owners)}
    )
    quiet = ("--remind-every", "0", "--mail-every", "0")  # no periodic work in the way
    victim = queue_workers.start(url, tmp_path / "worker1.log", *quiet)
    try:
        queue_workers.until(
            lambda: bool(
                queue_workers.scalar(
                    store,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE users SET revision%'",
                )
            ),
            60,
            "the job to wait at its last account's revision",
        )
        backend = queue_workers.scalar(
            store,
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE users SET revision%'",
        )
        victim.kill()
        victim.wait(10)
    finally:
        holding.rollback()
        holder.close()
    queue_workers.until(
        lambda: (
            not queue_workers.scalar(
                store, "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid", pid=backend
            )
        ),
        60,
        "the killed worker's transaction to end",
    )
    assert _plan(store) == before  # not one account of the batch re-planned

    with queue_workers.running(url, tmp_path, 1, *quiet):
        queue_workers.until(
            lambda: (
                queue_workers.scalar(
                    store, "SELECT status FROM procrastinate_jobs WHERE id = :id", id=job_id
                )
                == "succeeded"
            ),
            90,
            "the job to be taken up again and finish",
        )
    assert queue_workers.scalar(
        store, "SELECT attempts FROM procrastinate_jobs WHERE id = :id", id=job_id
    ) == 2  # fmt: skip
    after_nudges, after_revisions = _plan(store)
    assert after_revisions == [(owner, revision + 1) for owner, revision in before[1]]
    assert len(after_nudges) == 3
    assert [key for _o, key, _d in after_nudges] == [key for _o, key, _d in before[0]]
    assert all(
        due == old + timedelta(days=2)
        for (_o, _k, due), (_o2, _k2, old) in zip(after_nudges, before[0], strict=True)
    )
