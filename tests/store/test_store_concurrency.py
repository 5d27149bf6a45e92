"""Several processes writing to one search at once: every command succeeds, nothing is lost, and
the stored follow-ups are exactly what a fresh replan computes.

Eight writer processes run `nudge` commands (see ``writer_child``) against a real SQLite file
and a throwaway PostgreSQL database. The commands share what makes writers collide: the same
employer, the same staffing firm and recruiter (and with them the search-wide follow-ups that
every write recomputes). A property test then draws other mixes of colliding writes and runs
them from concurrent threads, each with its own store.
"""

from __future__ import annotations

import multiprocessing
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge import config
from jobnudge.errors import Conflict
from jobnudge.services import nudges, records
from jobnudge.services.session import Session, open_session
from jobnudge.store import Store, open_store

from . import writer_child

NOW = "2025-03-03 10:00"  # a Monday morning in the user's zone (New York)
PROFILE = '[profile]\nname = "Alex Morgan"\ntz = "America/New_York"\ncountry = "US"\n'
WRITERS = 8
ROUNDS = 25  # commands per writer: 200 in all


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database nobody has opened yet: the first command creates its tables."""
    if backend == "sqlite":
        (tmp_path / "shared").mkdir(exist_ok=True)  # a missing folder is refused, not made
        return f"sqlite:///{tmp_path / 'shared' / 'jobnudge.sqlite'}"
    make: Callable[[], str] = request.getfixturevalue("make_pg_database")
    return make()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of every writer (and of this test): one settings file, a pinned clock."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(PROFILE, encoding="utf-8")
    values = {
        "NUDGE_DATA_DIR": str(home / "data"),
        "NUDGE_CONFIG": str(home / "config.toml"),
        "NUDGE_NOW": NOW,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def commands(writer: int, rounds: int) -> list[list[str]]:
    """What one writer types: new applications through the shared staffing firm, more roles at
    the shared employer, leads, and contacts at those leads' companies. Every command also
    recomputes the search-wide follow-ups, which all the writers share."""
    typed: list[list[str]] = []
    for n in range(rounds):
        tag = f"{writer}-{n}"
        kind = n % 4
        if kind == 0:
            where = ("--staffing-firm", "Shared Staffing", "--recruiter", "Raj Patel")
            typed.append(
                ["add", f"Firm {tag}", "Platform Engineer", "--applied", "2025-02-24", *where]
            )
        elif kind == 1:
            again = ("--again", "--applied", "2025-02-20", "--via", "email")
            typed.append(["add", "Acme", f"Role {tag}", *again])
        elif kind == 2:
            typed.append(["add", f"Solo {tag}", "Analyst"])
        else:  # at the company of the lead just added: re-plans that one opportunity
            lead = f"Solo {writer}-{n - 1}"
            typed.append(["contact", "add", f"Person {tag}", "--company", lead])
    return typed


def expected(rounds: int) -> tuple[set[tuple[str, str]], set[str]]:
    """The opportunities (company, role) and contact names all the writers' commands make."""
    opportunities: set[tuple[str, str]] = set()
    people = {"Raj Patel"}
    for writer in range(WRITERS):
        for args in commands(writer, rounds):
            if args[0] == "add":
                opportunities.add((args[1], args[2]))
            else:
                people.add(args[2])
    return opportunities, people


FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.mark.slow
def test_eight_writers_at_once_fail_nothing_and_lose_nothing(
    fresh_url: str, env: dict[str, str]
) -> None:
    url = fresh_url
    ctx = multiprocessing.get_context("spawn")
    start, reports = ctx.Barrier(WRITERS), ctx.Queue()
    writers = [
        ctx.Process(
            target=writer_child.run, args=(env, url, commands(writer, ROUNDS), start, reports)
        )
        for writer in range(WRITERS)
    ]
    for process in writers:
        process.start()
    try:
        results = [reports.get(timeout=600) for _ in writers]
    finally:
        for process in writers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    failures = [failure for result in results for failure in result]
    assert failures == [], f"{len(failures)} of {WRITERS * ROUNDS} commands failed"

    session = open_session(url, settings=config.load())
    try:
        store, owner = session.store, session.owner
        opportunities = [(o.company, o.role) for o, _stage in store.opportunities(owner)]
        people = [c.name for c in store.contacts(owner)]
        want_opportunities, want_people = expected(ROUNDS)
        assert sorted(opportunities) == sorted(want_opportunities)  # none lost, none twice
        assert sorted(people) == sorted(want_people)
        assert sorted(c.name for c in store.companies(owner)).count("Acme") == 1

        stored = store.nudges(owner, until=FAR_FUTURE, now=FAR_PAST)
        assert any(n.opportunity_id is None for n in stored)  # search-wide ones were written
        nudges.refresh_all(session)
        assert store.nudges(owner, until=FAR_FUTURE, now=FAR_PAST) == stored
    finally:
        session.close()


# The property: any mix of colliding writes, run at once, ends as if run one after another.

Op = tuple[str, str, bool]  # (what, company or person, through the staffing firm)
OPS = st.one_of(
    st.tuples(st.just("apply"), st.sampled_from(["Acme", "Globex"]), st.booleans()),
    st.tuples(st.just("contact"), st.sampled_from(["Kim Park", "Lee Wong"]), st.just(False)),
)


def _run(session: Session, writer: int, ops: list[Op]) -> list[str]:
    """One writer's operations through the services; what each did (or the error's kind)."""
    done: list[str] = []
    for n, (what, name, staffed) in enumerate(ops):
        try:
            if what == "apply":
                records.add_opportunity(
                    session,
                    name,
                    f"Role {writer}-{n}",
                    applied=session.now - timedelta(days=5),
                    staffing_firm="Hire Fast" if staffed else None,
                    recruiter="Raj Patel" if staffed else None,
                    again=True,
                )
                done.append("applied")
            else:
                records.add_contact(session, name, company="Acme")
                done.append("added")
        except Conflict:
            done.append("conflict")  # the contact exists: refused, as one after another
        except Exception as exc:  # any other failure is the test's to report
            done.append(f"{type(exc).__name__}: {exc}")
    return done


@pytest.fixture
def writers(
    store: Store, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[list[Store]]:
    """Three more stores on the test's database, one per writer thread."""
    url = (
        f"sqlite:///{store.sqlite_path}"
        if backend == "sqlite"
        else str(request.getfixturevalue("pg_session_url"))
    )
    opened = [open_store(url, data_dir=tmp_path / f"w{n}") for n in range(3)]
    try:
        yield opened
    finally:
        for each in opened:
            each.close()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(st.lists(OPS, min_size=1, max_size=4), min_size=3, max_size=3))
def test_concurrent_writes_end_as_if_run_one_after_another(
    store: Store, writers: list[Store], env: dict[str, str], plans: list[list[Op]]
) -> None:
    settings_ = config.load()
    now = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)  # NOW, as the writers' clock also says
    owner = store.ensure_user(f"example-{secrets.token_hex(4)}")  # a new search per example
    sessions = [Session(store=w, settings=settings_, owner=owner, now=now) for w in writers]
    with ThreadPoolExecutor(len(plans)) as pool:
        results = list(pool.map(_run, sessions, range(len(plans)), plans))

    done = [what for result in results for what in result]
    assert set(done) <= {"applied", "added", "conflict"}, done
    applied = [op for plan in plans for op in plan if op[0] == "apply"]
    people = {op[1] for plan in plans for op in plan if op[0] == "contact"}
    assert len(store.opportunities(owner)) == len(applied) == done.count("applied")
    names = [c.name for c in store.contacts(owner)]
    for person in people:
        assert names.count(person) == 1  # whoever came second was told it exists
    assert done.count("added") == len(people)
    mine = Session(store=store, settings=settings_, owner=owner, now=now)
    stored = store.nudges(owner, until=FAR_FUTURE, now=FAR_PAST)
    nudges.refresh_all(mine)
    assert store.nudges(owner, until=FAR_FUTURE, now=FAR_PAST) == stored
