"""Addresses that belong to a desk, not a person: ``recruiter@hays.de``, ``jobs@acme.com``,
``no-reply@…``, ``bewerbung@…``. Read as a name, their local part makes a contact called
"Recruiter" and a draft that opens "Dear Recruiter,"; a desk is greeted without a name.

Pure and light (``re`` only): the drafts' greeting and the readers of cells and options share it.
"""

from __future__ import annotations

import re

_ROLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "recruiter",
            "recruiters",
            "recruiting",
            "recruitment",
            "recrutement",
            "recruit",
            "talent",
            "talents",
            "hiring",
            "staffing",
            "werving",
            "reclutamiento",
            "selezione",
        ),
        "recruiting",
    ),
    **dict.fromkeys(
        (
            "jobs",
            "job",
            "careers",
            "career",
            "karriere",
            "bewerbung",
            "bewerbungen",
            "stellen",
            "emploi",
            "emplois",
            "empleo",
            "empleos",
            "trabajo",
            "lavoro",
            "carriere",
            "carreira",
            "vacatures",
            "vacancies",
            "applications",
            "apply",
            "resumes",
            "cv",
        ),
        "careers",
    ),
    **dict.fromkeys(
        ("hr", "humanresources", "people", "personal", "personalabteilung", "rh", "rrhh"),
        "HR",
    ),
    **dict.fromkeys(
        (
            "info",
            "contact",
            "kontakt",
            "office",
            "hello",
            "team",
            "admin",
            "mail",
            "noreply",
            "donotreply",
            "nepasrepondre",
            "keineantwort",
            "notifications",
        ),
        "team",
    ),
}
"""A desk's word (as its local part spells it, letters only) → what the desk is called."""

_QUALIFIERS = frozenset(
    {"team", "dept", "department", "acquisition", "global", "group", "de", "uk", "us", "fr"}
    | {"eu", "emea", "na", "apac", "intl", "international", "central", "no", "do", "not", "reply"}
)
"""Words beside a desk's word in a local part ("talent.acquisition", "hr-team", "jobs.de")."""

_PARTS = re.compile(r"[^a-z]+")


def desk(email: str) -> str:
    """What the desk behind ``email`` is called ("recruiting", "careers", "HR", "team"), or ""
    when the address is a person's (or no address)."""
    local, at, _domain = email.strip().casefold().rpartition("@")
    if not at or not local:
        return ""
    found = _ROLES.get(_PARTS.sub("", local))
    if found:
        return found
    words = [w for w in _PARTS.split(local) if w]
    roles = [_ROLES[w] for w in words if w in _ROLES]
    if roles and all(w in _ROLES or w in _QUALIFIERS for w in words):
        return roles[0]
    return ""


def team_name(organisation: str, email: str) -> str:
    """The name a desk is recorded under: "Hays recruiting", "Acme HR" (the address's domain
    when no organisation is known)."""
    label = desk(email) or "team"
    owner = " ".join(organisation.split()) or email.rpartition("@")[2].strip().lower()
    return f"{owner} {label}" if owner else label.capitalize()


def nameless(name: str, email: str) -> bool:
    """Whether a contact called ``name`` at ``email`` is a desk with no person's name: the
    address is a desk's and the name says no more than the address (its local part read as a
    name, "Recruiter"; the address itself; or a desk's name, "Hays recruiting")."""
    label = desk(email)
    if not label:
        return False
    said = " ".join(name.casefold().split())
    if not said:
        return True
    local = email.strip().casefold().rpartition("@")[0]
    letters = _PARTS.sub("", said)
    if said == email.strip().casefold() or letters == _PARTS.sub("", local):
        return True
    words = said.split()
    return words[-1] in {label.casefold(), "team", "desk"} or letters in _ROLES


_DESK_WORDS = frozenset({"recruiting", "careers", "hr", "team", "desk"})
"""What a desk's recorded name may add to its organisation's ("Hays recruiting", "Acme HR")."""


def is_desk(name: str, email: str, organisation: str) -> bool:
    """Whether a contact stands for its organisation rather than a person: a desk's address
    with no person's name (:func:`nameless`), or, with or without an address, a name that is
    the organisation's own ("Michael Page" at Michael Page, as ``--staffing-firm`` records a
    firm with no recruiter named) or its desk's ("Hays recruiting")."""
    if nameless(name, email):
        return True
    said = name.casefold().split()
    own = organisation.casefold().split()
    if not own or not said:
        return False
    return said == own or (said[:-1] == own and said[-1] in _DESK_WORDS)
