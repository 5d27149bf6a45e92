"""A company is one company however its name is typed: case, accents, typographic apostrophes,
hyphens and spaces ("Muller GmbH" after "Müller GmbH" is the same employer, and keeps the first
spelling), while names that differ in letters stay apart; on SQLite and PostgreSQL, and after
migration 0020 re-keys what an older version stored."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import UTC, datetime

import pytest
from alembic import command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text

from jobnudge.errors import Conflict
from jobnudge.store import Store, open_store
from jobnudge.store.migrate import alembic_config
from jobnudge.store.tables import companies, contacts, users
from tests.pinned import PINNED_NOW

USERS = itertools.count()
WORDS = st.lists(
    st.sampled_from(
        ["Müller", "Société", "Générale", "O'Reilly", "Zoë", "Ñúñez", "Straße", "Čapek",
         "Hewlett-Packard", "Acme", "Data", "Labs", "Café", "GmbH", "&", "Åsa"]
    ),
    min_size=1,
    max_size=4,
).map(" ".join)  # fmt: skip


def _no_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


VARIANTS = [
    str.upper,
    str.lower,
    _no_accents,
    lambda t: unicodedata.normalize("NFD", t),  # "é" as "e" and a combining accent
    lambda t: t.replace("'", "’"),
    lambda t: t.replace("-", "\u2011").replace(" ", "\u00a0"),  # no-break hyphen and space
    lambda t: t.replace(" ", "  "),
    lambda t: t.replace("a", "a\u200b", 1),  # a zero-width space pasted inside
]


def _variant(name: str, picks: list[int]) -> str:
    for pick in picks:
        name = VARIANTS[pick](name)
    return name


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(WORDS, st.lists(st.integers(0, len(VARIANTS) - 1), min_size=1, max_size=3))
@example("Müller GmbH", [2])
@example("Société Générale", [2])
@example("O'Reilly", [4])
def test_a_name_typed_another_way_is_the_same_company(
    store: Store, name: str, picks: list[int]
) -> None:
    owner = store.ensure_user(f"keys {next(USERS)}")
    other = _variant(name, picks)
    with store.transaction(now=PINNED_NOW) as tx:
        first = tx.get_or_add_company(owner, name)
        again = tx.get_or_add_company(owner, other)
        found = tx.find_company(owner, other)
        with pytest.raises(Conflict, match="already exists"):
            tx.add_company(owner, other)
    assert again.id == first.id and found is not None and found.id == first.id
    assert [c.name for c in store.companies(owner)] == [name]  # the first spelling stays


@pytest.mark.parametrize(
    ("one", "other"),
    [("Müller GmbH", "Mueller GmbH"), ("Acme", "Acme Labs"), ("Ł Corp", "L Corp 2"),
     ("Data-Labs", "Data Labs"), ("Café", "Cafe Zoe")],
)  # fmt: skip
def test_names_that_differ_in_letters_stay_two_companies(
    store: Store, owner: int, one: str, other: str
) -> None:
    with store.transaction(now=PINNED_NOW) as tx:
        first = tx.get_or_add_company(owner, one)
        second = tx.get_or_add_company(owner, other)
    assert first.id != second.id
    assert sorted(c.name for c in store.companies(owner)) == sorted([one, other])


def test_an_alias_typed_another_way_finds_its_company(store: Store, owner: int) -> None:
    with store.transaction(now=PINNED_NOW) as tx:
        made = tx.add_company(owner, "SG", aliases=["Société Générale", "societe generale"])
        assert made.aliases == ("Société Générale",)  # the second alias was the first again
        found = tx.find_company(owner, "SOCIETE GENERALE")
    assert found is not None and found.id == made.id


def test_renaming_onto_another_spelling_of_a_company_is_refused(store: Store, owner: int) -> None:
    with store.transaction(now=PINNED_NOW) as tx:
        tx.add_company(owner, "Müller GmbH")
        other = tx.add_company(owner, "Schmidt AG")
        with pytest.raises(Conflict, match="accents"):
            tx.update_company(owner, other.id, name="muller  gmbh")
        renamed = tx.update_company(owner, other.id, name="Schmidt A.G.")
    assert renamed.name == "Schmidt A.G."


STAMP = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_migration_0020_rekeys_and_keeps_older_twins_apart(blank_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What an older version stored (case-folded keys, "Muller" beside "Müller") is re-keyed:
    the oldest of a pair answers to the name, the later one stays reachable and editable,
    and a downgrade gives the case-folded keys back."""
    with open_store(blank_url, data_dir=tmp_path) as store:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0019")
            owner = conn.execute(
                insert(users).values(name="old", created_at=STAMP, settings={})
            ).inserted_primary_key[0]
            for name in ("Müller GmbH", "Muller GmbH", "O’Reilly", "Acme"):
                conn.execute(
                    insert(companies).values(
                        owner_id=owner, name=name, name_key=name.casefold(), aliases=[],
                        domains=[], is_staffing_firm=False, created_at=STAMP,
                    )
                )  # fmt: skip
            for name in ("José Ñúñez", "Dana O’Leary"):
                conn.execute(
                    insert(contacts).values(
                        owner_id=owner, name=name, name_key=name.casefold(), title="",
                        email="", phone="", first_name_ok=False, roles=[], salutation="", notes="",
                        created_at=STAMP,
                    )
                )  # fmt: skip
            command.upgrade(alembic_config(conn), "head")
        with store.engine.connect() as conn:
            keys = dict(conn.execute(select(companies.c.name, companies.c.name_key)).all())
            people = dict(conn.execute(select(contacts.c.name, contacts.c.name_key)).all())
        assert keys["Müller GmbH"] == "muller gmbh" and keys["Acme"] == "acme"
        assert keys["O’Reilly"] == "o'reilly"
        assert keys["Muller GmbH"].startswith("muller gmbh\x1f")
        assert people == {"José Ñúñez": "jose nunez", "Dana O’Leary": "dana o'leary"}
        with store.transaction(now=PINNED_NOW) as tx:
            found = tx.find_company(owner, "MULLER GMBH")
            assert found is not None and found.name == "Müller GmbH"
            twin = next(c for c in tx.companies(owner) if c.name == "Muller GmbH")
            tx.update_company(owner, twin.id, domains=["muller.de"])  # editable as it is
            with pytest.raises(Conflict):
                tx.update_company(owner, twin.id, name="Müller GmbH")
            assert tx.find_company(owner, "o'reilly") is not None
            assert [c.name for c in tx.find_contacts(owner, "nunez")] == ["José Ñúñez"]
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0019")
            back = dict(conn.execute(text("SELECT name, name_key FROM companies")).all())
            command.upgrade(alembic_config(conn), "head")
        assert back == {n: n.casefold() for n in back}
