"""Reading users, companies and contacts: the first layer of :class:`~jobnudge.store.reads.Reader`
(which says why reads are shared by the Store and Tx), apart from the opportunity and event reads
so each kind of record reads in a module of its own."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, select

from jobnudge import typography
from jobnudge.bounds import known_id
from jobnudge.domain.records import (
    Company,
    Contact,
)
from jobnudge.errors import NotFound
from jobnudge.store import convert
from jobnudge.store.tables import (
    companies,
    contacts,
    users,
)


class PeopleReads:
    """The user, company and contact reads; subclasses say which connection they run on."""

    def _connect(self, owner: int | None) -> AbstractContextManager[Connection]:
        """The connection a read for ``owner`` runs on (``None``: a read about no one user)."""
        raise NotImplementedError

    # Users

    def find_user(self, name: str) -> int | None:
        """The id of the user called ``name``, if there is one."""
        with self._connect(None) as conn:
            found: int | None = conn.scalar(select(users.c.id).where(users.c.name == name))
            return found

    def owners(self) -> list[int]:
        """Every user id, for jobs that run over all users (recomputing nudges)."""
        with self._connect(None) as conn:
            return list(conn.scalars(select(users.c.id).order_by(users.c.id)))

    def revision(self, owner: int) -> int:
        """How many write transactions have changed the user's search (0 for none or no user).

        Anything shown from the search can be kept until this number changes.
        """
        with self._connect(owner) as conn:
            found = conn.scalar(select(users.c.revision).where(users.c.id == owner))
        return int(found or 0)

    def user_settings(self, owner: int) -> dict[str, Any]:
        """The settings document stored for a user (``{}`` until one is set)."""
        with self._connect(owner) as conn:
            doc = conn.scalar(select(users.c.settings).where(users.c.id == owner))
        if doc is None:
            raise NotFound(f"No user with id {owner}; create the user first (Store.ensure_user).")
        return dict(doc)

    # Companies

    def companies(self, owner: int) -> list[Company]:
        """The user's companies, by name."""
        with self._connect(owner) as conn:
            rows = conn.execute(
                select(companies)
                .where(companies.c.owner_id == owner)
                .order_by(companies.c.name_key, companies.c.id)
            )
            return [convert.company(r) for r in rows]

    def company(self, owner: int, company_id: int) -> Company:
        with self._connect(owner) as conn:
            return self._company(conn, owner, company_id)

    def _company(self, conn: Connection, owner: int, company_id: int) -> Company:
        row = (
            None
            if not known_id(company_id)
            else conn.execute(
                select(companies).where(companies.c.owner_id == owner, companies.c.id == company_id)
            ).first()
        )
        if row is None:
            raise NotFound(
                f"No company with id {company_id} for this user; "
                "check the id, or look the company up by name."
            )
        return convert.company(row)

    def find_company(self, owner: int, name: str) -> Company | None:
        """The company whose name or one of whose aliases equals ``name``, ignoring case,
        accents and typographic marks (:func:`typography.name_key`): "Muller GmbH" finds
        "Müller GmbH". The official name wins over an alias; among aliases, the oldest company
        wins; among names (a pair a migration left apart), the oldest too.
        """
        key = typography.name_key(name)
        if not key:
            return None
        with self._connect(owner) as conn:
            row = conn.execute(
                select(companies)
                .where(companies.c.owner_id == owner, companies.c.name_key == key)
                .order_by(companies.c.id)
            ).first()
            if row is not None:
                return convert.company(row)
            rows = conn.execute(
                select(companies).where(companies.c.owner_id == owner).order_by(companies.c.id)
            )
            for candidate in rows:
                if any(typography.name_key(alias) == key for alias in candidate.aliases):
                    return convert.company(candidate)
        return None

    # Contacts

    def contacts(self, owner: int, *, company_id: int | None = None) -> list[Contact]:
        """The user's contacts by name, or only those of ``company_id``."""
        query = select(contacts).where(contacts.c.owner_id == owner)
        if company_id is not None:
            query = query.where(contacts.c.company_id == company_id)
        with self._connect(owner) as conn:
            rows = conn.execute(query.order_by(contacts.c.name_key, contacts.c.id))
            return [convert.contact(r) for r in rows]

    def contact(self, owner: int, contact_id: int) -> Contact:
        with self._connect(owner) as conn:
            return self._contact(conn, owner, contact_id)

    def _contact(self, conn: Connection, owner: int, contact_id: int) -> Contact:
        row = (
            None
            if not known_id(contact_id)
            else conn.execute(
                select(contacts).where(contacts.c.owner_id == owner, contacts.c.id == contact_id)
            ).first()
        )
        if row is None:
            raise NotFound(
                f"No contact with id {contact_id} for this user; "
                "check the id, or look the contact up by name."
            )
        return convert.contact(row)

    def find_contacts(self, owner: int, text: str) -> list[Contact]:
        """Contacts whose name contains ``text``, ignoring case, accents and typographic
        apostrophes ("jose nunez" finds "José Ñúñez"; ``typography.contains``), and titles
        ("Dr. Helen O'Brien" finds "Helen O'Brien": ``typography.person_key``), by name.

        The filter is a substring test on the stored ``name_key`` (the folded name), so only
        the matching contacts are read; blank text finds everyone.
        """
        query = select(contacts).where(contacts.c.owner_id == owner)
        needle = typography.person_key(text) if text.strip() else ""
        if needle:
            # Both sides are folded to lower case, so SQLite's LIKE ignoring ASCII case and
            # PostgreSQL's LIKE heeding it find the same rows.
            query = query.where(contacts.c.name_key.contains(needle, autoescape=True))
        with self._connect(owner) as conn:
            rows = conn.execute(query.order_by(contacts.c.name_key, contacts.c.id))
            return [convert.contact(r) for r in rows]
