"""Reads within a lease (one web request) share one connection on PostgreSQL, run without a
transaction there, still see what was committed in between, never share a connection between
two reads at once, and recover from a connection the server dropped. On SQLite nothing changes:
each read has its own short snapshot."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError

from jobnudge.store import Store
from jobnudge.store.lease import lease

from .helpers import build_world


@pytest.fixture
def checkouts(store: Store) -> Iterator[list[int]]:
    seen = [0]

    def count(*_: object) -> None:
        seen[0] += 1

    event.listen(store.engine, "checkout", count)
    yield seen
    event.remove(store.engine, "checkout", count)


def _reads(store: Store, owner: int) -> None:
    store.find_user("local")
    store.opportunities(owner)
    store.all_opportunity_ids(owner)
    store.contacts(owner)


def test_reads_in_a_lease_take_one_connection(
    store: Store, owner: int, checkouts: list[int], backend: str
) -> None:
    build_world(store, owner)
    checkouts[0] = 0
    _reads(store, owner)
    alone = checkouts[0]
    assert alone >= 4
    checkouts[0] = 0
    with lease():
        _reads(store, owner)
        _reads(store, owner)
    assert checkouts[0] == (1 if backend == "postgres" else 2 * alone)


def test_a_read_in_a_lease_sees_what_was_committed_since(store: Store, owner: int) -> None:
    world = build_world(store, owner)
    with lease():
        before = store.all_opportunity_ids(owner)
        with store.transaction() as tx:
            tx.add_opportunity(owner, company_id=world.acme.id, role="Second role")
        after = store.all_opportunity_ids(owner)
    assert len(after) == len(before) + 1


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_postgres_reads_run_outside_a_transaction(store: Store, backend: str) -> None:
    with lease(), store.reading() as conn:
        conn.execute(text("SELECT 1"))
        status = conn.exec_driver_sql("SHOW transaction_isolation").scalar()
        driver = conn.connection.driver_connection
        assert getattr(driver, "autocommit", None) is True, status
    with store.reading() as conn:
        assert getattr(conn.connection.driver_connection, "autocommit", None) is True


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_a_held_connection_is_lent_to_one_read_at_a_time(store: Store, backend: str) -> None:
    with lease():
        with store.reading() as first:
            with store.reading() as nested:
                assert nested is not first
            seen: list[object] = []
            context = contextvars.copy_context()  # as Starlette's thread pool passes it on
            worker = threading.Thread(target=lambda: context.run(_take, store, seen))
            worker.start()
            worker.join(30)
            assert seen and seen[0] is not first
        with store.reading() as again:
            assert again is first


def _take(store: Store, seen: list[object]) -> None:
    with store.reading() as conn:
        seen.append(conn)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_a_connection_the_server_dropped_is_replaced(
    store: Store, owner: int, backend: str
) -> None:
    with lease():
        with store.reading() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with store.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError), store.reading() as conn:
            conn.exec_driver_sql("SELECT 1")
        assert store.all_opportunity_ids(owner) == []  # a new connection, checked out afresh


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_work_that_reads_then_writes_holds_one_connection_at_a_time(
    store: Store, backend: str, pg_session_url: str
) -> None:
    """More pieces of work at once than the pool has connections, each reading then writing
    in its lease (as a form post does): a write gives the idle read connection back before
    taking its own, so none waits for a connection another holds while waiting itself."""
    # The migrated database of ``store``, through an engine with a pool of two.
    small = Store(create_engine(pg_session_url, pool_size=2, max_overflow=0, pool_timeout=20))
    owner = small.ensure_user("lease-pool")
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            with lease():
                small.find_user("lease-pool")
                with small.transaction() as tx:
                    tx.add_company(owner, f"Firm {n}")
                small.all_opportunity_ids(owner)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    small.close()
    assert not failures, failures
    assert all(not thread.is_alive() for thread in threads)


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"])
def test_a_lease_gives_back_only_an_idle_connection(store: Store, backend: str) -> None:
    taken = [0]
    event.listen(store.engine, "checkin", lambda *_: taken.__setitem__(0, taken[0] + 1))
    with lease() as held:
        store.find_user("local")
        with store.reading():
            held.give_back(store._key)  # a read has it: kept
            assert taken[0] == 0
        held.give_back(store._key)
        assert taken[0] == 1
        store.find_user("local")  # taken again when next needed
