"""Searching contacts by name filters in the query (a substring of the stored ``name_key``) and
finds exactly the contacts the name test in Python finds (``typography.contains``): any
case, accents, typographic marks, and the characters LIKE treats specially; on SQLite and
PostgreSQL, and on the command line's fast path (``store.fastrecords``)."""

from __future__ import annotations

import itertools
import sqlite3

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from jobnudge import typography
from jobnudge.errors import UsageError
from jobnudge.store import Store, fastrecords
from tests.pinned import PINNED_NOW

USERS = itertools.count()
PIECES = ["José", "Ñúñez", "O'Brien", "O’Brien", "Zoë", "ß", "SS", "İ", "𝙰", "ﬁ", "%", "_",
          "/", "\\", " ", "\u00a0", "-", "\u2011", "a", "E", "\u0301", "\u200b", "Å"]  # fmt: skip
NAMES = st.lists(st.sampled_from(PIECES), min_size=1, max_size=5).map("".join) | st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=12
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(NAMES, min_size=1, max_size=6), NAMES | st.sampled_from(["", "  ", "%", "_"]))
@example(["José Ñúñez", "Jose Nunez", "Joseph"], "jose")
@example(["100% Dana", "Dana_Lee", "Dana/Lee"], "%")
@example(["100% Dana", "Dana_Lee", "Dana/Lee"], "a_l")
@example(["Straße", "STRASSE", "strase"], "ss")
@example(["𝙰da", "ADA", "ａｄａ"], "ADA")
def test_the_query_finds_what_the_python_filter_finds(
    store: Store, names: list[str], needle: str
) -> None:
    owner = store.ensure_user(f"search {next(USERS)}")
    with store.transaction(now=PINNED_NOW) as tx:
        for name in names:
            try:
                tx.add_contact(owner, name=name)
            except UsageError:  # blank or control characters: refused as on every path
                continue
    everyone = store.contacts(owner)
    assume(everyone)
    expected = [c for c in everyone if not needle.strip() or typography.contains(c.name, needle)]
    assert store.find_contacts(owner, needle) == expected
    if store.sqlite_path is not None:  # the command line's fast path reads the file itself
        conn = sqlite3.connect(store.sqlite_path)
        try:
            fast = fastrecords.find_contacts(conn, owner, needle)
        finally:
            conn.close()
        assert [(c.id, c.name) for c in fast] == [(c.id, c.name) for c in expected]


def test_posting_search_takes_percent_and_underscore_literally(store: Store, owner: int) -> None:
    with store.transaction(now=PINNED_NOW) as tx:
        firm = tx.add_company(owner, "Acme").id
        for role, text in (("Analyst", "Pay: 100% remote, ref A_1"), ("Clerk", "Pay: 100 remote")):
            made = tx.add_opportunity(owner, company_id=firm, role=role).id
            tx.keep_posting(owner, made, url="", text=text, page="", findings=[])
    assert [o.role for o, _s in store.search_postings(owner, "100%")] == ["Analyst"]
    assert [o.role for o, _s in store.search_postings(owner, "a_1")] == ["Analyst"]
    assert store.search_postings(owner, "ab_") == []
