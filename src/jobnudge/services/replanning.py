"""Re-planning many accounts at once: after a playbook change, an upgrade that changes the
rules, or new defaults a server's operator sets (``nudge replan --everyone`` or
``--organisation NAME``).

With the job queue on, the accounts are queued as ``replan_many`` jobs of :data:`PER_JOB`
accounts each, in one statement: the queue's own cost per job (fetching it, finishing it, the
status events its triggers write: ~10-13 ms of PostgreSQL CPU and ~4 ms of the worker's,
docs/benchmarks.md) is paid once per batch instead of once per account. Without the queue the
same batches run here, one after the other.

A batch is one transaction (:func:`replan_batch`): every account of it is locked first, in id
order (``batch_users.claim_all``: the per-user advisory transaction lock that every writer of
a search takes on PostgreSQL; the file's write lock on SQLite), so two jobs touching one
account never interleave, whether two batches or a batch and that user's own ``replan``. The
records and settings of the whole batch are read in six queries, each account planned and
written as ``nudges.refresh_all`` would, and the whole batch committed at once: a worker
killed midway leaves every account of the batch as it was, and the job, taken up again,
re-plans them all. An account whose stored settings no longer parse is left out (and named),
not allowed to hold back the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jobnudge.errors import NotFound, NudgeError, UsageError

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.store import Store

log = logging.getLogger("jobnudge.jobs")

PER_JOB = 25
"""Accounts a queued job re-plans (docs/benchmarks.md, "Re-planning in batches")."""
MAX_PER_JOB = 200
"""The most accounts one job holds locked in one transaction."""
JOB = "replan_many"

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called after each batch run in this process."""


@dataclass
class Outcome:
    """What a re-plan of many accounts did."""

    accounts: int  # accounts chosen
    queued_jobs: int = 0  # with the queue on: jobs recorded for the workers
    replanned: int = 0  # without it: accounts re-planned here
    opportunities: int = 0  # ... and their opportunities
    skipped: list[tuple[int, str]] = field(default_factory=list)  # account id, why


def everyone(store: Store) -> list[int]:
    """Every account of the server (a user who can sign in), or NotFound when there is none."""
    from jobnudge.store import accounts

    found = accounts.account_ids(store)
    if not found:
        raise NotFound(
            "--everyone: this database has no accounts (it is not a server's with "
            "`nudge serve --accounts`); run `nudge replan` alone to re-plan your own search."
        )
    return found


def organisation(store: Store, name: str) -> list[int]:
    """Every member of the organisation called ``name`` (spaces and case aside), whatever
    their role, deactivated ones too (their history is kept, and re-planned with the rest)."""
    from jobnudge.store import orgs

    wanted = " ".join(name.split()).casefold()
    if not wanted:
        raise UsageError("--organisation: give the organisation's name, e.g. 'Northside Careers'.")
    known = orgs.organisation_names(store)
    found = [org_id for org_id, org_name in known if org_name.casefold() == wanted]
    if not found:
        names = ", ".join(f"'{n}'" for _id, n in known[:10]) or "none yet"
        more = f" and {len(known) - 10} more" if len(known) > 10 else ""
        raise NotFound(
            f"--organisation: no organisation is called '{name.strip()[:80]}'; "
            f"known: {names}{more}."
        )
    if len(found) > 1:
        raise UsageError(
            f"--organisation: {len(found)} organisations are called '{name.strip()[:80]}'; "
            "rename one of them (nothing was re-planned)."
        )
    return orgs.member_ids(store, found[0])


def check_per_job(per_job: int) -> int:
    if not 1 <= per_job <= MAX_PER_JOB:
        raise UsageError(f"--per-job: give a number of accounts from 1 to {MAX_PER_JOB}.")
    return per_job


def batches(owners: Sequence[int], per_job: int) -> list[list[int]]:
    """``owners`` in id order, cut into batches of ``per_job``."""
    ordered = sorted(set(owners))
    return [ordered[n : n + per_job] for n in range(0, len(ordered), per_job)]


def replan_many(
    store: Store,
    owners: Sequence[int],
    *,
    per_job: int = PER_JOB,
    progress: Progress | None = None,
) -> Outcome:
    """Re-plan ``owners``: queued as jobs of ``per_job`` accounts when the job queue is on
    (``per_job`` 1: one ``replan`` job each, locked by its account in the queue), else run
    here batch by batch, ``progress`` told after each."""
    from jobnudge.services import jobs

    cut = batches(owners, check_per_job(per_job))
    done = Outcome(accounts=sum(len(b) for b in cut))
    if jobs.queue_on(store):
        if per_job == 1:
            done.queued_jobs = jobs.submit_many(store, "replan", [{"owner": b[0]} for b in cut])
        else:
            done.queued_jobs = jobs.submit_many(store, JOB, [{"owners": b} for b in cut])
        return done
    seen = 0
    for batch in cut:
        ran = replan_batch_here(store, batch)
        done.replanned += ran.replanned
        done.opportunities += ran.opportunities
        done.skipped += ran.skipped
        seen += len(batch)
        if progress is not None:
            progress(seen, done.accounts)
    return done


def replan_batch(store: Store, owners: list[int]) -> None:
    """The ``replan_many`` job: :func:`replan_batch_here`, an account left out logged."""
    ran = replan_batch_here(store, owners)
    for owner, why in ran.skipped:
        log.warning("replan: account #%s left out: %s", owner, why)


def replan_batch_here(store: Store, owners: Sequence[int]) -> Outcome:
    """Re-plan ``owners`` in one transaction (see the module's docstring)."""
    from jobnudge import clock
    from jobnudge.services.nudges import replan_records
    from jobnudge.store import batch_users

    done = Outcome(accounts=len(owners))
    with store.transaction() as tx:
        documents = batch_users.settings_documents(tx, owners)  # locks them all, in id order
        chosen: dict[int, Settings] = {}
        for owner in sorted(set(owners)):
            if owner not in documents:
                continue  # deleted since it was queued: nothing to re-plan
            try:
                chosen[owner] = account_settings(documents[owner])
            except NudgeError as exc:
                done.skipped.append((owner, exc.message))
        records = batch_users.read_users(tx, list(chosen))
        for owner, settings in chosen.items():
            now = clock.now(settings.profile.tz)
            done.opportunities += replan_records(tx, owner, records[owner], settings, now)
            done.replanned += 1
    return done


def account_settings(document: dict[str, object]) -> Settings:
    """An account's settings from its stored document (as ``StoredPreferences`` reads them)."""
    from jobnudge import config
    from jobnudge.services.preferences import KEPT_KEYS, SERVER_KEYS

    kept = (*KEPT_KEYS, *SERVER_KEYS)
    return config.parse({k: v for k, v in document.items() if k not in kept}, "settings")
