"""Bringing people in from an address book (.vcf), and reading the small text files (vCard,
iCalendar) an import starts from. One transaction: a contact already there gets its blank
fields filled and new roles added, nothing overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobnudge.services.session import Session


@dataclass
class ContactsReport:
    """What a vCard import did: names created, updated (blank fields filled, roles added),
    unchanged, and the cards that could not be read with their number and reason."""

    path: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"card": n, "reason": why} for n, why in self.rejected],
        }


def read_text(path: Path, limit: int, what: str) -> str:
    """A small text file (vCard, iCalendar) in whatever encoding it was saved in."""
    from jobnudge.tabular import safety
    from jobnudge.tabular.csv_read import detect_encoding

    safety.check_size(path, limit, what)
    data = path.read_bytes()
    if not data.strip():
        from jobnudge.errors import BadFile

        raise BadFile(f"{path}: is empty.")
    encoding = detect_encoding(path, data[:262_144], fix="save it again as UTF-8")
    return data.decode(encoding, errors="replace")


def _control_in(card: Any) -> str | None:
    """Why a card is refused for a control character in one of its fields, if it is."""
    from jobnudge import text_safety
    from jobnudge.errors import UsageError

    for name in ("name", "company", "title", "email", "phone", "salutation", "notes"):
        value = getattr(card, name, "") or ""
        try:
            (text_safety.text if name == "notes" else text_safety.line)(value, name)
        except UsageError as exc:
            return exc.message
    return None


def import_vcards(session: Session, path: Path) -> ContactsReport:
    """Add the contacts of a .vcf file; a contact already there (same email, or same name at
    the same company, or at another company when a staffing firm's recruiter or with the same
    phone number: ``services.people_match``) gets its blank fields filled and new roles added,
    nothing overwritten."""
    from jobnudge import vcard
    from jobnudge.domain import Role
    from jobnudge.errors import BadFile
    from jobnudge.services.people_match import Seen, elsewhere
    from jobnudge.tabular import safety
    from jobnudge.typography import name_key, person_key

    text = read_text(path, safety.MAX_VCARD_BYTES, "vCard")
    try:
        cards, rejected = vcard.parse(text, limit=safety.MAX_VCARDS)
    except BadFile as exc:
        raise BadFile(f"{path}: {exc.message}") from None
    report = ContactsReport(path=str(path), rejected=rejected)
    owner = session.owner
    with session.store.transaction() as tx:
        companies: dict[str, int] = {}
        firms: set[int] = set()
        for company in tx.companies(owner):
            if company.is_staffing_firm:
                firms.add(company.id)
            for name in company.names:
                companies.setdefault(name_key(name), company.id)
        people = tx.contacts(owner)
        by_email = {c.email.casefold(): c for c in people if c.email}
        by_name = {(person_key(c.name), c.company_id): c for c in people}
        by_id = {c.id: c for c in people}
        named: dict[str, list[Seen]] = {}
        for c in people:
            staffing = Role.STAFFING in c.roles or c.company_id in firms
            seen = Seen(c.id, c.company_id, c.email, c.phone, staffing)
            named.setdefault(person_key(c.name), []).append(seen)
        for number, card in cards:
            problem = _control_in(card)
            if problem:
                report.rejected.append((number, problem))
                continue
            company_id: int | None = None
            if card.company:
                company_id = companies.get(name_key(card.company))
                if company_id is None:
                    company_id = tx.add_company(owner, card.company).id
                    companies[name_key(card.company)] = company_id
            found = by_email.get(card.email.casefold()) if card.email else None
            found = found or by_name.get((person_key(card.name), company_id))
            if found is None:
                same = elsewhere(
                    named.get(person_key(card.name), ()),
                    company_id=company_id,
                    email=card.email,
                    phone=card.phone,
                )
                found = by_id.get(same) if same is not None else None
            if found is None:
                made = tx.add_contact(
                    owner,
                    name=card.name,
                    company_id=company_id,
                    title=card.title,
                    email=card.email,
                    phone=card.phone,
                    tz=card.tz,
                    country=card.country,
                    prefers=card.prefers,
                    first_name_ok=card.first_name_ok,
                    roles=card.roles,
                    salutation=card.salutation,
                    notes=card.notes,
                )
                if made.email:
                    by_email[made.email.casefold()] = made
                by_name[(person_key(made.name), company_id)] = made
                by_id[made.id] = made
                staffing = Role.STAFFING in made.roles or company_id in firms
                seen = Seen(made.id, company_id, made.email, made.phone, staffing)
                named.setdefault(person_key(made.name), []).append(seen)
                report.created.append(made.name)
                continue
            changes: dict[str, Any] = {}
            for name in ("title", "email", "phone", "salutation", "notes", "tz", "country"):
                if not getattr(found, name) and getattr(card, name):
                    changes[name] = getattr(card, name)
            if found.company_id is None and company_id is not None:
                changes["company_id"] = company_id
            if found.prefers is None and card.prefers is not None:
                changes["prefers"] = card.prefers
            if card.first_name_ok and not found.first_name_ok:
                changes["first_name_ok"] = True
            if not card.roles <= found.roles:
                changes["roles"] = found.roles | card.roles
            if changes:
                tx.update_contact(owner, found.id, **changes)
                report.updated.append(found.name)
            else:
                report.unchanged.append(found.name)
        if report.created or report.updated:
            from jobnudge.services.importing import replan

            replan(session, tx, tx.all_opportunity_ids(owner))
    return report
