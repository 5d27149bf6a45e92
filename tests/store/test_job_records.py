"""Background work's records on both databases: a pass's outcome carries the last time it
worked while it fails, next looks are written in bulk and found again, a changed setting
forgets the wait, and an import's state moves on but never leaves "done"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jobnudge.errors import NotFound
from jobnudge.store import Store, job_records
from tests.pinned import PINNED_NOW


def test_pass_outcomes_and_next_looks(store: Store) -> None:
    ann, bob, cat = (store.ensure_user(n) for n in ("ann", "bob", "cat"))
    now = PINNED_NOW
    assert job_records.status(store, ann, "mail") is None
    job_records.record(store, ann, "mail", now, None, logged=2, sent=1)
    job_records.record(store, ann, "mail", now + timedelta(minutes=5), "server down")
    found = job_records.status(store, ann, "mail")
    assert found is not None and found.error == "server down" and found.logged == 0
    assert found.ok_at == now and found.at == now + timedelta(minutes=5)

    later = now + timedelta(hours=1)
    job_records.set_next(store, "remind", {ann: later, bob: now - timedelta(minutes=1)}, now)
    job_records.set_next(store, "remind", {bob: later, cat: later}, now)  # again: updated
    assert job_records.waiting(store, "remind", now) == {ann, bob, cat}
    assert job_records.waiting(store, "mail", now) == set()
    job_records.forget(store, bob, "remind")
    assert job_records.waiting(store, "remind", now) == {ann, cat}
    assert job_records.waiting(store, "remind", later) == set()


def test_an_import_moves_on_and_stays_done(store: Store) -> None:
    owner, other = store.ensure_user("ivy"), store.ensure_user("max")
    run = job_records.add_import(store, owner, "big.csv", 5000, PINNED_NOW)
    assert job_records.import_run(store, owner, run).state == "queued"
    job_records.import_state(store, owner, run, "running", PINNED_NOW)
    job_records.import_state(store, owner, run, "done", PINNED_NOW, report={"rows": 5000})
    job_records.import_state(store, owner, run, "failed", PINNED_NOW, error="late")
    done = job_records.import_run(store, owner, run)
    assert (done.state, done.report, done.error) == ("done", {"rows": 5000}, "")
    with pytest.raises(NotFound):
        job_records.import_run(store, other, run)
