"""Names stored by revision 0021 with invisible format characters in them (a direction mark, a
bidi isolate) are re-keyed by migration 0022: they answer to the name typed plainly, a company
that had a twin under the new key keeps it apart, and a downgrade gives the old keys back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, select

from jobnudge.errors import Conflict
from jobnudge.store import open_store
from jobnudge.store.migrate import alembic_config
from jobnudge.store.tables import companies, contacts, users
from tests.pinned import PINNED_NOW

STAMP = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
COMPANIES = {  # name: the key revision 0021 stored
    "Siemens": "siemens",
    "Sie\u200emens": "sie\u200emens",
    "\u2066Keller & Söhne\u2069": "\u2066keller & sohne\u2069",
    "Acme": "acme",
}
PEOPLE = {"Anna\u200e Keller": "anna\u200e keller", "Anna Keller": "anna keller"}


def test_migration_0022_rekeys_names_holding_format_characters(
    blank_url: str, tmp_path: Path
) -> None:
    with open_store(blank_url, data_dir=tmp_path) as store:
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0021")
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
        assert keys["Siemens"] == "siemens" and keys["Acme"] == "acme"
        assert keys["\u2066Keller & Söhne\u2069"] == "keller & sohne"
        assert keys["Sie\u200emens"].startswith("siemens\x1f")  # the later twin, kept apart
        assert people == {"Anna\u200e Keller": "anna keller", "Anna Keller": "anna keller"}
        with store.transaction(now=PINNED_NOW) as tx:
            found = tx.find_company(owner, "\u2067SIEMENS\u2069")
            assert found is not None and found.name == "Siemens"
            keller = tx.find_company(owner, "Keller & Sohne")
            assert keller is not None and keller.name == "\u2066Keller & Söhne\u2069"
            assert tx.get_or_add_company(owner, "Keller\u200f & Söhne").id == keller.id
            twin = next(c for c in tx.companies(owner) if c.name == "Sie\u200emens")
            tx.update_company(owner, twin.id, domains=["siemens.de"])  # editable as it is
            with pytest.raises(Conflict):
                tx.update_company(owner, twin.id, name="Siemens")
            named = sorted(c.name for c in tx.find_contacts(owner, "anna\u2060 keller"))
            assert named == ["Anna Keller", "Anna\u200e Keller"]
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0021")
            back = dict(conn.execute(select(companies.c.name, companies.c.name_key)).all())
            people_back = dict(conn.execute(select(contacts.c.name, contacts.c.name_key)).all())
            command.upgrade(alembic_config(conn), "head")
        assert back == COMPANIES and people_back == PEOPLE
