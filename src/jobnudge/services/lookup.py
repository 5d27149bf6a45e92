"""Finding the records a command names (by id or by an unambiguous part of a name) and the
people an event names, created when new; and what a write did, for the caller to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jobnudge import bounds, typography
from jobnudge.bounds import is_digits
from jobnudge.domain import Contact, Event, Opportunity, Role, Stage
from jobnudge.errors import Ambiguous, NotFound, UsageError

if TYPE_CHECKING:
    from jobnudge.services.session import Session
    from jobnudge.store import Tx
    from jobnudge.store.reads import Reader


@dataclass
class Outcome:
    """What a write did, for the caller to report."""

    opportunity: Opportunity | None = None
    event: Event | None = None
    contact: Contact | None = None
    created_contacts: list[Contact] = field(default_factory=list)
    stage: Stage | None = None


def opportunity(session: Session, ref: str) -> tuple[Opportunity, Stage]:
    """An opportunity by id or any unambiguous part of "company role" (else of its posting)."""
    text = ref.strip()
    if not text:
        raise UsageError("OPPORTUNITY: give its id or part of its company and role.")
    wanted = bounds.record_id(text) if is_digits(text) else None
    if wanted is not None:  # one row by its key, not every opportunity of a long search
        try:
            return (
                session.store.opportunity(session.owner, wanted),
                session.store.stage(session.owner, wanted),
            )
        except NotFound:
            pass  # digits that are part of a name ("Studio 54")
    found = session.store.search_opportunities(session.owner, text)
    if not found and not is_digits(text):  # typed without its punctuation: "oreilly"
        found = [
            pair
            for pair in session.store.opportunities(session.owner)
            if typography.bare_contains(f"{pair[0].company} {pair[0].role}", text)
        ]
    if not found and not is_digits(text):
        found = session.store.search_postings(session.owner, text)  # a phrase of the posting
    if is_digits(text):
        exact = [pair for pair in found if pair[0].id == bounds.record_id(text)]
        if exact:
            return exact[0]
    if not found:
        raise NotFound(
            f"OPPORTUNITY: nothing matches '{ref}'; `nudge list` shows your opportunities "
            "with their ids."
        )
    if len(found) > 1:
        exact_names = [
            p
            for p in found
            if typography.name_key(f"{p[0].company} {p[0].role}") == typography.name_key(text)
        ]
        if len(exact_names) == 1:
            return exact_names[0]
        bare_names = [
            p
            for p in found
            if typography.bare_key(f"{p[0].company} {p[0].role}") == typography.bare_key(text)
        ]
        if len(bare_names) == 1:
            return bare_names[0]
        listed = "; ".join(f"#{o.id} {o.company} — {o.role} ({s.value})" for o, s in found[:10])
        raise Ambiguous(
            f"OPPORTUNITY: '{ref}' matches {len(found)}: {listed}{_more(found)}. Use the id."
        )
    return found[0]


def _more(found: list[Any]) -> str:
    """How many a list of the first ten leaves out ("; and 4 more")."""
    return f"; and {len(found) - 10} more" if len(found) > 10 else ""


def contact(session: Session, ref: str, tx: Tx | None = None) -> Contact:
    """A contact by id or name (exact name first, then an unambiguous part of it)."""
    source: Reader = tx or session.store
    text = ref.strip()
    if is_digits(text):
        try:
            return source.contact(session.owner, bounds.record_id(text) or 0)
        except NotFound:
            raise NotFound(
                f"contact: nobody has the id {text}; `nudge contact list` shows everyone "
                "with their ids."
            ) from None
    found = source.find_contacts(session.owner, text)
    if not found:  # typed without its punctuation: "Jean Luc" for "Jean-Luc"
        found = [
            c for c in source.contacts(session.owner) if typography.bare_contains(c.name, text)
        ]
    exact = [c for c in found if typography.same_person(c.name, text)]
    if len(exact) == 1:
        return exact[0]
    bare = [c for c in found if typography.bare_key(c.name) == typography.bare_key(text)]
    if not exact and len(bare) == 1:
        return bare[0]
    if not found:
        raise NotFound(
            f"contact: nobody called '{ref}'; `nudge contact list` shows everyone, "
            "`nudge contact add` adds them."
        )
    if len(found) > 1:
        listed = "; ".join(f"#{c.id} {c.name}" for c in found[:10])
        raise Ambiguous(
            f"contact: '{ref}' matches {len(found)}: {listed}{_more(found)}. "
            "Use the full name or id."
        )
    return found[0]


def contact_or_new(
    session: Session, tx: Tx, name: str, *, company_id: int | None, role: Role, made: list[Contact]
) -> Contact:
    """The named contact (by name key without titles, "Helen O'Brien" for "Dr. Helen O'Brien",
    else by its letters and digits alone: "Jean Luc" for "Jean-Luc"), or a new one at
    ``company_id`` when nobody has that name."""
    found = [
        c for c in tx.find_contacts(session.owner, name) if typography.same_person(c.name, name)
    ]
    wanted = "" if found or is_digits(name) else typography.bare_key(name)
    if wanted:  # "Jean Luc" typed for "Jean-Luc" is that person
        found = [c for c in tx.contacts(session.owner) if typography.bare_key(c.name) == wanted]
    if len(found) > 1:
        at_company = [c for c in found if c.company_id == company_id]
        if len(at_company) == 1:
            return at_company[0]
        listed = "; ".join(f"#{c.id} {c.name}" for c in found)
        raise Ambiguous(f"--with: several contacts are called '{name}': {listed}. Use the id.")
    if found:
        return found[0]
    if is_digits(name):
        return tx.contact(session.owner, bounds.record_id(name) or 0)
    created = tx.add_contact(
        session.owner, name=name, company_id=company_id, roles=frozenset({role})
    )
    made.append(created)
    return created
