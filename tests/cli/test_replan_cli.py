"""`nudge replan --everyone` and `--organisation NAME` through the real command, on a SQLite file
and on PostgreSQL: run here with a progress line and a count without the job queue, queued as
batch jobs that a real `nudge worker` runs with it; and the refusals (no accounts, unknown
organisation, options that do not go together, the queue on SQLite, settings that do not
parse)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import insert, select, text

from jobnudge.config import Settings
from jobnudge.domain import EventType
from jobnudge.services import accounts, jobs, nudges, orgs
from jobnudge.services.session import Session
from jobnudge.store import Store, open_store
from jobnudge.store.org_tables import org_members
from jobnudge.store.tables import nudges as nudge_rows
from jobnudge.store.tables import users
from tests.pinned import PINNED_NOW

from .conftest import Nudge


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite'}"
        return
    from tests.store.conftest import _database

    with _database() as url:
        yield url


@pytest.fixture
def store(db: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(db, data_dir=tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


def _account(store: Store, name: str) -> int:
    """An account signed up as the web's sign-up page does, with one application planned
    under the default settings (a check-in 7 days after applying)."""
    token = accounts.create_invitation(store, None, name, PINNED_NOW)
    owner = accounts.sign_up(store, token, name, "a long passphrase 1", PINNED_NOW)
    _search(store, owner)
    return owner


def _search(store: Store, owner: int) -> None:
    with store.transaction(now=PINNED_NOW) as tx:
        firm = tx.add_company(owner, "Acme")
        opp = tx.add_opportunity(owner, company_id=firm.id, role="Analyst")
        tx.add_event(
            owner, opportunity_id=opp.id, type=EventType.APPLIED, at=PINNED_NOW - timedelta(days=1)
        )
    nudges.refresh_all(Session(store, Settings(), owner, PINNED_NOW))


def _settings(store: Store, owner: int, doc: dict[str, Any]) -> None:
    with store.engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == owner).values(settings=doc))


def _due(store: Store, owner: int) -> datetime:
    with store.engine.connect() as conn:
        found = conn.scalar(
            select(nudge_rows.c.due).where(
                nudge_rows.c.owner_id == owner, nudge_rows.c.rule == "apply.check-in"
            )
        )
    assert found is not None
    return found


def _member(store: Store, org_id: int, user: int, role: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            insert(org_members).values(
                user_id=user, org_id=org_id, role=role, full_name=f"Member {user}",
                email=f"m{user}@north.example", active=True, joined_at=PINNED_NOW,
            )
        )  # fmt: skip


SLOWER = {"playbook": {"apply_check_in_days": 9}}


def test_every_account_or_an_organisation_is_replanned_here_without_the_queue(
    nudge: Nudge, db: str, store: Store
) -> None:
    adam, alice, bo = (_account(store, name) for name in ("adam", "alice", "bo"))
    local = store.ensure_user("local")  # a user who cannot sign in: not an account
    _search(store, local)
    org = orgs.start(store, adam, "Northside Careers", "Adam Reyes", "adam@north.example",
                     PINNED_NOW)  # fmt: skip
    _member(store, org, alice, "seeker")
    first = {who: _due(store, who) for who in (adam, alice, bo, local)}
    for who in (adam, alice, bo, local):
        _settings(store, who, SLOWER)

    done = nudge("--db", db, "replan", "--organisation", "  northside   CAREERS ")
    assert done.stdout == "Re-planned the follow-ups of 2 accounts (2 opportunities).\n"
    assert "Re-planning: 2 of 2 accounts" in done.stderr
    moved = {who: _due(store, who) for who in (adam, alice, bo, local)}
    assert moved[adam] > first[adam] and moved[alice] > first[alice]
    assert (moved[bo], moved[local]) == (first[bo], first[local])

    done = nudge("--db", db, "replan", "--everyone", "--per-job", "2")
    assert done.stdout == "Re-planned the follow-ups of 3 accounts (3 opportunities).\n"
    assert "Re-planning: 3 of 3 accounts" in done.stderr
    assert _due(store, bo) == moved[adam]
    assert _due(store, local) == first[local]  # not an account: left to `nudge replan`

    _settings(store, bo, {"playbook": {"apply_check_in_days": "soon"}})
    refused = nudge("--db", db, "replan", "--everyone", ok=False)
    assert refused.returncode == 3
    assert refused.stdout == "Re-planned the follow-ups of 2 accounts (2 opportunities).\n"
    assert f"not re-planned: 1 account whose settings do not parse (account #{bo}: " in (
        refused.stderr
    )
    assert "Traceback" not in refused.stderr


def test_wrong_requests_are_refused_with_what_to_do(
    nudge: Nudge, db: str, store: Store, tmp_path: Path
) -> None:
    def refused(*args: str, queue: bool = False) -> tuple[int, str]:
        if queue:
            nudge.env[jobs.QUEUE_ENV] = "on"
        try:
            done = nudge("--db", db, "replan", *args, ok=False)
        finally:
            nudge.env.pop(jobs.QUEUE_ENV, None)
        assert "Traceback" not in done.stderr and done.stdout == ""
        return done.returncode, done.stderr

    code, said = refused("--everyone")
    assert code == 4 and "--everyone: this database has no accounts" in said
    adam = _account(store, "adam")
    orgs.start(store, adam, "Northside Careers", "Adam Reyes", "adam@north.example", PINNED_NOW)
    code, said = refused("--everyone", "--organisation", "Northside Careers")
    assert code == 2 and "--everyone and --organisation: choose one" in said
    code, said = refused("--per-job", "5")
    assert code == 2 and "--per-job: only with --everyone or --organisation NAME" in said
    code, said = refused("--everyone", "--per-job", "0")
    assert code == 2 and "'--per-job': 0 is not in the range 1<=x<=200" in said
    code, said = refused("--organisation", "Southside")
    assert code == 4
    assert "--organisation: no organisation is called 'Southside'; known: 'Northside Careers'" in (
        said
    )
    code, said = refused("--organisation", "  ")
    assert code == 2 and "--organisation: give the organisation's name" in said
    if db.startswith("sqlite"):
        code, said = refused("--everyone", queue=True)
        assert code == 3 and "NUDGE_JOB_QUEUE=on needs a PostgreSQL database" in said


@pytest.mark.postgres
@pytest.mark.parametrize(
    "db", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_with_the_queue_the_accounts_are_queued_in_batches_for_the_workers(
    nudge: Nudge, db: str, store: Store
) -> None:
    owners = [_account(store, name) for name in ("adam", "alice", "bo")]
    first = _due(store, owners[0])
    for who in owners:
        _settings(store, who, SLOWER)
    nudge.env[jobs.QUEUE_ENV] = "on"
    done = nudge("--db", db, "replan", "--everyone", "--per-job", "2")
    assert done.stdout == (
        "Queued 2 re-plan jobs for 3 accounts (2 a job); `nudge worker` processes run them.\n"
    )
    with store.engine.connect() as conn:
        queued = conn.execute(
            text("SELECT task_name, args, lock, status FROM procrastinate_jobs ORDER BY id")
        ).all()
    assert [tuple(r) for r in queued] == [
        ("jobnudge.replan_many", {"owners": owners[:2]}, None, "todo"),
        ("jobnudge.replan_many", {"owners": owners[2:]}, None, "todo"),
    ]
    assert [_due(store, who) for who in owners] == [first] * 3  # nothing ran yet

    worked = nudge("--db", db, "worker", "--once", "--remind-every", "0", "--mail-every", "0")
    assert worked.returncode == 0
    with store.engine.connect() as conn:
        states = conn.execute(
            text("SELECT status, attempts FROM procrastinate_jobs ORDER BY id")
        ).all()
    assert [tuple(r) for r in states] == [("succeeded", 1), ("succeeded", 1)]
    assert len({_due(store, who) for who in owners}) == 1
    assert _due(store, owners[0]) > first

    done = nudge("--db", db, "replan", "--everyone", "--per-job", "1")
    assert done.stdout.startswith("Queued 3 re-plan jobs for 3 accounts (1 a job)")
    with store.engine.connect() as conn:
        single = conn.execute(
            text("SELECT args, lock FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id")
        ).all()
    assert [tuple(r) for r in single] == [({"owner": o}, f"owner:{o}") for o in owners]


def test_the_per_job_bound_is_the_services() -> None:
    """The option's range is spelt out (the command line is built without the service): it
    must stay the service's own bound."""
    from jobnudge.cli.main import whole_app
    from jobnudge.services import replanning

    command = typer.main.get_command(whole_app()).commands["replan"]  # type: ignore[attr-defined]
    option = next(p for p in command.params if p.name == "per_job")
    assert (option.type.min, option.type.max) == (1, replanning.MAX_PER_JOB)
