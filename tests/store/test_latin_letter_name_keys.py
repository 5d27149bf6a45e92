"""Names stored by revision 0022 with Latin letters NFKD does not decompose ("ı", "ł", "ø") are
re-keyed by migration 0023: they answer to the name typed on a keyboard without those letters, a
company that had a twin under the new key keeps it apart, and a downgrade gives the old keys
back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import insert, select

from jobnudge.store import open_store
from jobnudge.store.migrate import alembic_config
from jobnudge.store.tables import companies, contacts, users
from tests.pinned import PINNED_NOW

STAMP = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
COMPANIES = {  # name: the key revision 0022 stored
    "Łódź Logistics": "łodz logistics",
    "Lodz Logistics": "lodz logistics",
    "Øresund Æble": "øresund æble",
    "Acme": "acme",
}
PEOPLE = {"Oğuz Yılmaz": "oguz yılmaz", "Þórður Guðmundsson": "þorður guðmundsson"}


def test_migration_0023_rekeys_names_holding_undecomposable_letters(
    blank_url: str, tmp_path: Path
) -> None:
    with open_store(blank_url, data_dir=tmp_path) as store:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0022")
            owner = conn.execute(
                insert(users).values(name="old", created_at=STAMP, settings={})
            ).inserted_primary_key[0]
            for name, key in COMPANIES.items():
                conn.execute(
                    insert(companies).values(
                        owner_id=owner, name=name, name_key=key, aliases=[], domains=[],
                        is_staffing_firm=False, created_at=STAMP,
                    )
                )  # fmt: skip
            for name, key in PEOPLE.items():
                conn.execute(
                    insert(contacts).values(
                        owner_id=owner, name=name, name_key=key, title="", email="", phone="",
                        first_name_ok=False, roles=[], salutation="", notes="", created_at=STAMP,
                    )
                )  # fmt: skip
            command.upgrade(alembic_config(conn), "head")
        with store.engine.connect() as conn:
            keys = dict(conn.execute(select(companies.c.name, companies.c.name_key)).all())
            people = dict(conn.execute(select(contacts.c.name, contacts.c.name_key)).all())
        assert keys["Łódź Logistics"] == "lodz logistics" and keys["Acme"] == "acme"
        assert keys["Lodz Logistics"].startswith("lodz logistics\x1f")  # the later twin
        assert keys["Øresund Æble"] == "oresund aeble"
        assert people == {
            "Oğuz Yılmaz": "oguz yilmaz",
            "Þórður Guðmundsson": "thordur gudmundsson",
        }
        with store.transaction(now=PINNED_NOW) as tx:
            found = tx.find_company(owner, "oresund aeble")
            assert found is not None and found.name == "Øresund Æble"
            assert [c.name for c in tx.find_contacts(owner, "Oguz Yilmaz")] == ["Oğuz Yılmaz"]
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0022")
            back = dict(conn.execute(select(companies.c.name, companies.c.name_key)).all())
            people_back = dict(conn.execute(select(contacts.c.name, contacts.c.name_key)).all())
            command.upgrade(alembic_config(conn), "head")
        assert back == COMPANIES and people_back == PEOPLE
