"""Writers of one search go one at a time, wait as long as it takes, and say that they wait.

PostgreSQL takes a per-user lock at a transaction's first read or write for that user; SQLite
holds the file's write lock from BEGIN IMMEDIATE. These tests hold a transaction open in one
thread (or process) and watch what a second writer does meanwhile.
"""

from __future__ import annotations

import contextlib
import inspect
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text

from jobnudge.domain import Channel, Stage
from jobnudge.errors import Conflict, NotFound, StoreError
from jobnudge.store import Store, Tx, mail_flagged, open_store, waiting
from jobnudge.store import engine as engine_module
from jobnudge.store import mail as mailstore
from jobnudge.store.locking import LOCK_SPACE
from jobnudge.store.reads import Reader
from jobnudge.store.tables import nudges

from .helpers import T0, World, nudge

NUDGE = str(Path(sys.executable).parent / "nudge")
PATIENCE = 20.0  # seconds a test waits for something that should happen much sooner


def _until(condition: Callable[[], object]) -> None:
    """Return once ``condition()`` holds (checked every 50 ms), or fail after PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


@pytest.fixture
def url(store: Store, backend: str, request: pytest.FixtureRequest) -> str:
    """The store's database, for a second Store or a `nudge` process on it."""
    if backend == "sqlite":
        return f"sqlite:///{store.sqlite_path}"
    return str(request.getfixturevalue("pg_session_url"))


@pytest.fixture
def second(url: str, tmp_path: Path) -> Iterator[Store]:
    """Another Store on the same database, as another process would have."""
    opened = open_store(url, data_dir=tmp_path / "second")
    try:
        yield opened
    finally:
        opened.close()


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Start ``work`` in a thread; the list receives its result or the exception it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:  # handed to the test, which asserts on it
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _waiting_on_locks(store: Store) -> int:
    """How many sessions of the store's PostgreSQL database are waiting for a lock."""
    with store.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar()
    return int(found or 0)


def _lock_holders(store: Store, owner: int) -> int:
    with store.engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                " WHERE d.datname = current_database() AND l.locktype = 'advisory'"
                " AND l.classid = :space AND l.objid = :owner AND l.objsubid = 2 AND l.granted"
            ),
            {"space": LOCK_SPACE, "owner": owner},
        ).scalar()
    return int(found or 0)


def test_a_second_writer_waits_then_sees_the_first_and_says_it_waited(
    store: Store, second: Store, owner: int, world: World
) -> None:
    told: list[str] = []
    second.notice = told.append

    def write_second() -> bool:
        with second.transaction(now=T0) as tx:
            saw_first = tx.find_company(owner, "First") is not None  # waits here (or at BEGIN)
            tx.add_company(owner, "Second")
        return saw_first

    with store.transaction(now=T0) as tx:
        tx.add_company(owner, "First")
        thread, outcome = _in_thread(write_second)
        _until(lambda: told)
        assert outcome == []  # still waiting: it cannot read before the first commits
        assert len(told) == 1 and "Waiting for another jobnudge process" in told[0]
    thread.join(timeout=30)
    assert outcome == [True]
    assert {"First", "Second"} <= {c.name for c in store.companies(owner)}


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_postgres_locks_one_user_not_the_others(
    store: Store, second: Store, owner: int, world: World
) -> None:
    other = store.ensure_user("someone else")

    def write_other() -> str:
        with second.transaction(now=T0) as tx:
            return tx.add_company(other, "Theirs").name

    with store.transaction(now=T0) as tx:
        tx.companies(owner)  # a read is enough to hold the user's lock
        assert _lock_holders(store, owner) == 1
        assert _lock_holders(store, other) == 0
        thread, outcome = _in_thread(write_other)
        thread.join(timeout=30)
        assert outcome == ["Theirs"]  # another user's writer did not wait
    assert _lock_holders(store, owner) == 0  # released at commit


def _argument(name: str, annotation: str, owner: int) -> Any:
    """A plausible value for a read method's parameter, from its name and annotation."""
    if name == "owner":
        return owner
    if "datetime" in annotation:
        return T0
    if "None" in annotation:
        return None
    if annotation == "int":
        return 10**6
    if annotation == "str":
        return "abc"  # also a well-formed short id prefix, so the query runs
    if "Stage" in annotation:
        return [Stage.APPLIED]
    if "Iterable" in annotation or "Collection" in annotation:
        return ["<nothing@example.com>"]
    raise AssertionError(f"no value for {name}: {annotation}; extend _argument")


def _readers() -> dict[str, Callable[..., Any]]:
    """Every read that takes an owner: Reader's methods and the mail store's readers."""
    found: dict[str, Callable[..., Any]] = {}
    for name, member in inspect.getmembers(Reader, inspect.isfunction):
        if not name.startswith("_") and "owner" in inspect.signature(member).parameters:
            found[f"Reader.{name}"] = member
    for module in (mailstore, mail_flagged):
        for name, member in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(member).parameters)
            public = member.__module__ == module.__name__ and not name.startswith("_")
            if public and params[:2] == ["reader", "owner"]:
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = member
    return found


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("name", sorted(_readers()))
def test_every_read_inside_a_transaction_takes_the_users_lock_first(
    store: Store, owner: int, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read in a Tx that skipped the lock could act on what another writer is changing."""
    claimed: list[int] = []
    real_claim = Tx.claim

    def claim(self: Tx, who: int) -> None:
        claimed.append(who)
        real_claim(self, who)

    monkeypatch.setattr(Tx, "claim", claim)
    function = _readers()[name]
    params = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.name not in ("self", "reader") and p.default is inspect.Parameter.empty
    ]
    args = [_argument(p.name, str(p.annotation), owner) for p in params]
    kwargs = {p.name: a for p, a in zip(params, args, strict=True) if p.kind is p.KEYWORD_ONLY}
    positional = [a for p, a in zip(params, args, strict=True) if p.kind is not p.KEYWORD_ONLY]
    with store.transaction(now=T0) as tx, contextlib.suppress(NotFound):  # made-up ids
        function(tx, *positional, **kwargs)
    assert claimed[:1] == [owner]


def test_a_transaction_cannot_be_opened_inside_another_on_the_same_database(
    store: Store, second: Store, owner: int
) -> None:
    """It would wait for itself forever; it is refused at once instead."""
    with store.transaction(now=T0) as tx:
        tx.add_company(owner, "Outer")
        with pytest.raises(RuntimeError, match="already open"), second.transaction(now=T0):
            pass
    assert store.find_company(owner, "Outer") is not None
    with second.transaction(now=T0) as tx:  # and once closed, the next one opens
        tx.add_company(owner, "Next")


def test_duplicate_keys_from_one_computation_are_a_rule_bug(
    store: Store, owner: int, world: World
) -> None:
    opp = world.opportunity.id
    twice = [nudge("same", T0, opportunity_id=opp), nudge("same", T0, opportunity_id=opp)]
    with pytest.raises(Conflict, match="bug in the rule"), store.transaction() as tx:
        tx.replace_nudges(owner, opp, twice)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_a_key_written_meanwhile_by_another_program_is_not_called_a_rule_bug(
    store: Store, owner: int, world: World
) -> None:
    """A program writing follow-ups without the user's lock (an older jobnudge, a script)
    races a replan: the failure says so and blames no rule."""
    row = {
        "owner_id": owner,
        "key": "staffing.check-in:user:raj",
        "short_id": "abc1234",
        "rule": "staffing.check-in",
        "opportunity_id": None,
        "channel": Channel.EMAIL,
        "due": T0,
        "tz": "UTC",
        "reason": "because",
        "message": "",
        "computed_at": T0,
    }
    with store.engine.connect() as outsider:
        outsider.begin()
        outsider.execute(insert(nudges).values(**row))  # not committed yet

        def replan() -> None:
            with store.transaction(now=T0) as tx:
                tx.replace_nudges(owner, None, [nudge(row["key"], T0, opportunity_id=None)])

        thread, outcome = _in_thread(replan)
        _until(lambda: _waiting_on_locks(store) == 1)  # the replan's insert, on that row
        outsider.commit()
    thread.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], StoreError)
    assert "another program writing at the same moment" in outcome[0].message
    assert "bug" not in outcome[0].message


@pytest.mark.slow
def test_a_command_waits_out_a_long_import_and_says_what_it_waits_for(
    store: Store, owner: int, url: str
) -> None:
    """`nudge add` started while an import holds its (single, long) write transaction waits
    well past the old 5 s limit, says why on stderr, and succeeds when the import commits."""
    command: subprocess.Popen[str] | None = None
    try:
        with store.transaction(now=T0) as tx:
            tx.add_company(owner, "Imported")
            command = subprocess.Popen(
                [NUDGE, "--db", url, "add", "Initech", "Analyst"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert command.stderr is not None
            said = command.stderr.readline()  # returns once the command says it waits
            waiting_since = time.monotonic() - waiting.NOTICE_AFTER
            assert said.startswith("Waiting for another jobnudge process that is writing to ")
            assert "(an import?)" in said
            time.sleep(max(0.0, waiting_since + 6 - time.monotonic()))  # > 5 s in all
            assert command.poll() is None  # still waiting, not given up
        _out, err = command.communicate(timeout=60)  # the import has committed
    finally:
        if command is not None and command.poll() is None:
            command.kill()
    assert command.returncode == 0, err
    assert err == ""
    assert {"Imported", "Initech"} <= {c.name for c in store.companies(owner)}


# Opening one new SQLite file from several processes at once (commands started together, web and
# worker processes): the first to open it switches it to write-ahead logging, which SQLite refuses
# at once ("database is locked", without waiting) while another connection holds a lock on the
# file still in rollback mode. The switch is retried for a bounded time.


def _held_in_rollback_mode(path: Path) -> sqlite3.Connection:
    """A connection holding the write lock of a new file still in rollback mode, as a process
    that opened it a moment earlier would."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE made_first (x)")
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_new_file_opened_while_another_holds_it_waits_for_it(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    holder = _held_in_rollback_mode(path)
    holder.execute("DROP TABLE made_first")  # empty again once committed: a blank database
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        opened = open_store(f"sqlite:///{path}", data_dir=tmp_path)
    finally:
        release.join()
        holder.close()
    try:
        with opened.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "wal"
    finally:
        opened.close()


def test_a_file_held_past_the_bound_is_refused_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "WAL_SWITCH_WAIT", 0.3)
    path = tmp_path / "held.sqlite"
    holder = _held_in_rollback_mode(path)
    try:
        started = time.monotonic()
        refusal = f"Cannot open the database {re.escape(str(path))}: database is locked"
        with pytest.raises(StoreError, match=refusal):
            open_store(f"sqlite:///{path}", data_dir=tmp_path)
        assert time.monotonic() - started >= 0.3
    finally:
        holder.close()
