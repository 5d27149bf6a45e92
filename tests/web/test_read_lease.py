"""A page's reads on PostgreSQL take one connection from the pool for each piece of work handed
to a worker thread (the request's context, then the page), whatever number of store functions
the page calls (``store.lease``): a caseload page used to take fourteen, each with a ping, a
BEGIN and a ROLLBACK."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from starlette.applications import Starlette

from .conftest import store_of
from .orgs_world import consent, members, start_org, user_id
from .test_orgs import _demo

pytestmark = pytest.mark.postgres


def test_a_page_takes_a_connection_per_piece_of_work_not_per_read(pg_app: Starlette) -> None:
    admin = start_org(pg_app, "adam", "Northside Careers")
    people = members(pg_app, admin, [("carol", "coach"), ("alice", "seeker"), ("bob", "seeker")])
    for seeker in ("alice", "bob"):
        _demo(pg_app, seeker)
        consent(people["carol"], "carol", people[seeker], seeker, pg_app)
    carol, alice = people["carol"], people["alice"]
    alice_id = user_id(pg_app, "alice")
    engine = store_of(pg_app).engine
    taken = [0]

    def count(*_: object) -> None:
        taken[0] += 1

    event.listen(engine, "checkout", count)
    try:
        for client, path in [
            (carol, "/caseload"),
            (carol, f"/caseload/{alice_id}"),
            (carol, "/org"),
            (alice, "/pipeline?fresh=1"),
            (alice, "/contacts"),
        ]:
            taken[0] = 0
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text[:500])
            assert taken[0] <= 2, f"{path} took {taken[0]} connections"
    finally:
        event.remove(engine, "checkout", count)
