"""Writing companies and contacts inside a transaction: the values checked and cleaned,
duplicates of a company's name refused, each write touching the user's revision."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert, select, update

from jobnudge.domain.enums import (
    Channel,
    Role,
)
from jobnudge.domain.records import (
    Company,
    Contact,
)
from jobnudge.errors import Conflict
from jobnudge.store import convert
from jobnudge.store.tables import (
    companies,
    contacts,
)
from jobnudge.store.write_base import TxBase, new_id
from jobnudge.typography import name_key

CONTACT_FIELDS = frozenset(
    {
        "name",
        "company_id",
        "title",
        "email",
        "phone",
        "tz",
        "country",
        "prefers",
        "first_name_ok",
        "roles",
        "salutation",
        "notes",
    }
)


class PeopleWrites(TxBase):
    """The company and contact writes of one open transaction."""

    # Companies

    def _company_values(
        self,
        name: str,
        aliases: Iterable[str],
        domains: Iterable[str],
        is_staffing_firm: bool,
    ) -> dict[str, Any]:
        cleaned = convert.clean_text(name, "company name", required=True)
        key = name_key(cleaned)
        seen = {key}  # an alias spelling the name, or an earlier alias, another way is dropped
        alias_list = []
        for alias in convert.text_list(aliases):
            if name_key(alias) not in seen:
                seen.add(name_key(alias))
                alias_list.append(alias)
        domain_list = convert.text_list(d.lower().lstrip("@") for d in domains)
        return {
            "name": cleaned,
            "name_key": key,
            "aliases": alias_list,
            "domains": domain_list,
            "is_staffing_firm": bool(is_staffing_firm),
        }

    def _duplicate_company(self, name: str) -> str:
        return (
            f"A company named '{name}' already exists (names are compared ignoring case, "
            "accents and typographic marks); "
            "use it, or give this one a different name."
        )

    def add_company(
        self,
        owner: int,
        name: str,
        *,
        aliases: Iterable[str] = (),
        domains: Iterable[str] = (),
        is_staffing_firm: bool = False,
        apart: bool = False,
    ) -> Company:
        """A new company; Conflict if the user already has one of that name (any case, accents
        or typographic marks: :func:`typography.name_key`). With ``apart`` (a restore of a
        backup whose older version kept "Muller" beside "Müller"), it is added beside that one
        under a key no typed name gives, as migration 0020 keeps such twins."""
        self.touch(owner)
        values = self._company_values(name, aliases, domains, is_staffing_firm)
        self._require_owner(owner)
        key = values["name_key"]
        for number in range(1, 1000):
            taken = self._conn.scalar(
                select(companies.c.id).where(
                    companies.c.owner_id == owner, companies.c.name_key == values["name_key"]
                )
            )
            if taken is None:
                break
            if not apart:
                raise Conflict(self._duplicate_company(values["name"]))
            values["name_key"] = f"{key}\x1f{number}"  # U+001F: never in a stored name
        result = self._execute(
            insert(companies).values(owner_id=owner, created_at=self._now, **values),
            duplicate=self._duplicate_company(values["name"]),
        )
        return self.company(owner, new_id(result))

    def get_or_add_company(
        self,
        owner: int,
        name: str,
        *,
        aliases: Iterable[str] = (),
        domains: Iterable[str] = (),
        is_staffing_firm: bool = False,
    ) -> Company:
        """The company called ``name`` (by name or alias, any case, accents or typographic
        marks), added if there is none, spelt as given; an existing one keeps its spelling.

        An existing company is returned unchanged: the other arguments apply only to a new one.
        """
        self.touch(owner)
        found = self.find_company(owner, name)
        if found is not None:
            return found
        return self.add_company(
            owner, name, aliases=aliases, domains=domains, is_staffing_firm=is_staffing_firm
        )

    def update_company(
        self,
        owner: int,
        company_id: int,
        *,
        name: str | None = None,
        aliases: Iterable[str] | None = None,
        domains: Iterable[str] | None = None,
        is_staffing_firm: bool | None = None,
    ) -> Company:
        """Change the given fields of a company; the others keep their values."""
        self.touch(owner)
        current = self.company(owner, company_id)
        values = self._company_values(
            current.name if name is None else name,
            current.aliases if aliases is None else aliases,
            current.domains if domains is None else domains,
            current.is_staffing_firm if is_staffing_firm is None else is_staffing_firm,
        )
        if name is None:  # the key stays: a company migration 0020 left beside its namesake
            del values["name_key"]  # can still have its aliases or domains changed
        else:
            taken = self._conn.scalar(
                select(companies.c.id).where(
                    companies.c.owner_id == owner,
                    companies.c.name_key == values["name_key"],
                    companies.c.id != company_id,
                )
            )
            if taken is not None:
                raise Conflict(self._duplicate_company(values["name"]))
        self._execute(
            update(companies)
            .where(companies.c.owner_id == owner, companies.c.id == company_id)
            .values(**values),
            duplicate=self._duplicate_company(values["name"]),
        )
        return self.company(owner, company_id)

    # Contacts

    def _contact_values(self, owner: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        convert.no_unknown(fields, CONTACT_FIELDS, "contact")
        values: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "name":
                values["name"] = convert.clean_text(value, "contact name", required=True)
                values["name_key"] = name_key(values["name"])
            elif name == "company_id":
                self._require(companies, owner, [value], "company_id")
                values[name] = value
            elif name in ("title", "email", "phone", "salutation", "notes"):
                values[name] = convert.clean_text(value, name)
            elif name == "tz":
                values[name] = None if value is None else convert.zone(value, "tz")
            elif name == "country":
                code = "" if value is None else convert.clean_text(value, "country").upper()
                values[name] = code or None
            elif name == "prefers":
                values[name] = convert.maybe_member(Channel, value, "prefers")
            elif name == "first_name_ok":
                values[name] = bool(value)
            elif name == "roles":
                values[name] = sorted({convert.member(Role, r, "roles").value for r in value})
        return values

    def add_contact(
        self,
        owner: int,
        *,
        name: str,
        company_id: int | None = None,
        title: str = "",
        email: str = "",
        phone: str = "",
        tz: str | None = None,
        country: str | None = None,
        prefers: Channel | None = None,
        first_name_ok: bool = False,
        roles: Iterable[Role] = (),
        salutation: str = "",
        notes: str = "",
    ) -> Contact:
        """A new contact (names need not be unique: two people can share one)."""
        self.touch(owner)
        self._require_owner(owner)
        values = self._contact_values(
            owner,
            {
                "name": name,
                "company_id": company_id,
                "title": title,
                "email": email,
                "phone": phone,
                "tz": tz,
                "country": country,
                "prefers": prefers,
                "first_name_ok": first_name_ok,
                "roles": roles,
                "salutation": salutation,
                "notes": notes,
            },
        )
        result = self._execute(
            insert(contacts).values(owner_id=owner, created_at=self._now, **values)
        )
        return self.contact(owner, new_id(result))

    def update_contact(self, owner: int, contact_id: int, **changes: Any) -> Contact:
        """Change the named fields of a contact (the keyword names of :meth:`add_contact`)."""
        self.touch(owner)
        self.contact(owner, contact_id)
        values = self._contact_values(owner, changes)
        if values:
            self._execute(
                update(contacts)
                .where(contacts.c.owner_id == owner, contacts.c.id == contact_id)
                .values(**values)
            )
        return self.contact(owner, contact_id)
