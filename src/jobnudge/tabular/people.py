"""A person as typed into a spreadsheet cell: "Dana Lee <dana@acme.com>", "Dana Lee
(dana@acme.com)", "dana@acme.com", "Dana Lee, Head of Talent", "Tom Baker (Hays)", "Ana Silva
[recruiter]", "Tom Baker, Hays", "Tom Baker @ Hays", or a name alone.

Pure: a cell in, the name, the address, the title and what was left unread out. An address
that is not one (``ben@pinecrest``) is reported, never guessed at, so the importer can keep the
cell as a note and warn. Text in brackets or quotes beside the name (a firm, a nickname) is
never part of the name: a role there is the title, anything else is reported as an aside so the
importer keeps the cell in the notes. After a comma or a dash, a well-known staffing firm ("Tom
Baker, Hays") is such an aside too, not a title, and so is whatever follows an "@" standing
apart ("Tom Baker @ Hays") or a role's "at" ("Recruiter at Hays").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jobnudge import mailboxes
from jobnudge.domain.quickinit import quick_init
from jobnudge.tabular.asides import split_asides
from jobnudge.tabular.staffing import known_firm

MAX_NAME = 200

_CANDIDATE = re.compile(r"[^\s<>()\[\]{},;:\"']+@[^\s<>()\[\]{},;:\"']*")
"""Anything written like an address: text, an @, text (checked by :data:`_VALID`)."""

_VALID = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)
"""A usable address: a local part, a domain with a dot, a top-level domain of letters."""

_MAILTO = re.compile(r"\bmailto:", re.IGNORECASE)
_WRAPPERS = re.compile(r"[<>()\[\]{}\"“”„«»]|(?<![^\W\d_])['‘’]|['‘’](?![^\W\d_])")
"""Brackets and quotes; an apostrophe between letters is part of the name ("O'Neil")."""
_SEPARATOR = re.compile(r"\s*[,;|]\s*|\s+[-–—/]\s+")
_TITLE = re.compile(
    r"(?:(?:senior|sr|junior|jr|lead|head|chief|internal|external|in-house|agency|technical|"
    r"tech|it|executive|principal|global|regional|corporate)\.?\s+)*"
    r"(?:recruiter|recruiting|recruitment(?:\s+(?:consultant|partner|manager|lead))?|"
    r"talent(?:\s+(?:acquisition|partner|manager|lead|scout))?|ta|hr|human\s+resources|"
    r"hr\s+(?:manager|partner|business\s+partner|lead|team)|hrbp|hiring\s+manager|"
    r"head\s+of\s+(?:talent|people|hr|recruiting|recruitment)|sourcer|headhunter|"
    r"people\s+(?:partner|team|ops)|interviewer|team\s+lead|manager|referrer|referral)",
    re.IGNORECASE,
)
"""A role written in brackets beside a name ("[recruiter]", "(HR)", "(hiring manager)")."""
_AT = re.compile(r"\s@\s*")
"""An "@" standing apart from the name: what follows is where the person works."""
_ROLE_AT = re.compile(r"(?P<role>.+?)\s+(?:at|bei|chez)\s+(?P<where>.*\w.*)", re.IGNORECASE)
"""A role and where it is held: "Senior Recruiter at Hays"."""


@quick_init
@dataclass(frozen=True, slots=True)
class Person:
    """What a cell says about a person. ``bad_email`` holds an address that is not one."""

    name: str = ""
    email: str = ""
    title: str = ""
    bad_email: str = ""
    extra_emails: tuple[str, ...] = ()
    asides: tuple[str, ...] = ()  # bracketed or quoted text that is none of these: a firm


def name_from_email(email: str) -> str:
    """A readable name from an address's local part (``dana.lee@`` → "Dana Lee")."""
    local = email.split("@", 1)[0]
    parts = [p for p in re.split(r"[._\-+]+", local) if p and not p.isdigit()]
    return " ".join(p.capitalize() for p in parts) or email


def contact_name(name: str, email: str, organisation: str = "") -> str:
    """The name a contact is recorded under: the name written; for a desk's address whose name
    says no more than the address (``recruiter@hays.de``, "Recruiter") the organisation's desk,
    "Hays recruiting", never a made-up person; else the address read as a name ("Dana Lee").
    The import, ``nudge add --contact`` and the web form all name people this way."""
    if mailboxes.nameless(name, email):
        return mailboxes.team_name(organisation, email)[:MAX_NAME]
    return name or (name_from_email(email) if email else "")


def valid_email(text: str) -> bool:
    return len(text) <= 254 and _VALID.match(text) is not None


@lru_cache(maxsize=8192)
def read_person(cell: str) -> Person:
    """The name, address and title in one cell (see the module docstring); cached, since a
    tracker names the same few people again and again."""
    text = " ".join(_MAILTO.sub("", cell).split())
    if not text:
        return Person()
    found = [m.group(0).strip(".") for m in _CANDIDATE.finditer(text)]
    good = [f.lower() for f in found if valid_email(f)]
    bad = [f for f in found if not valid_email(f)]
    rest, held = split_asides(_CANDIDATE.sub(" ", text))
    roles: list[str] = []
    asides: list[str] = []
    for piece in (p for h in held for p in _SEPARATOR.split(_clean(h))):
        if _TITLE.fullmatch(piece.strip(" .:")):
            roles.append(piece)
        elif any(c.isalnum() for c in piece):
            asides.append(piece)
    if not any(c.isalpha() for c in rest):  # "(Dana Lee)": the asides are all there is
        rest, asides = " ".join(asides), []
    rest = _clean(rest)
    parts = [p.strip() for p in _SEPARATOR.split(rest) if p.strip()]
    at = _AT.search(parts[0]) if parts else None
    if at is not None and any(c.isalpha() for c in parts[0][: at.start()]):
        where = _clean(parts[0][at.end() :])
        asides.extend([where] if any(c.isalnum() for c in where) else [])
        parts[0] = _clean(parts[0][: at.start()])
    name, titles = (parts[0] if parts else rest), []
    for part in parts[1:]:
        titles.extend(_title_or_firm(part, asides))
    title = ", ".join(t for t in (*titles, *roles) if t)
    if not any(c.isalpha() for c in name):  # "0)0", "?": no name, whatever else is there
        name, title = "", ", ".join(roles)
    return Person(
        name=name,
        email=good[0] if good else "",
        title=title,
        bad_email=bad[0] if bad and not good else "",
        extra_emails=tuple(good[1:]),
        asides=tuple(asides),
    )


def _title_or_firm(part: str, asides: list[str]) -> list[str]:
    """A part after a comma or a dash: a well-known staffing firm goes to ``asides`` ("Tom
    Baker, Hays" names his firm, not his title), as does where a role is held ("Recruiter at
    Hays"); the title that is left, if any, is returned."""
    if known_firm(part):
        asides.append(part)
        return []
    held = _ROLE_AT.fullmatch(part)
    if held is not None and _TITLE.fullmatch(held.group("role").strip(" .:")):
        asides.append(held.group("where").strip())
        return [held.group("role").strip()]
    return [part]


def _clean(text: str) -> str:
    """Without brackets, quotes, runs of spaces or separators at either end."""
    return " ".join(_WRAPPERS.sub(" ", text).split()).strip(" ,;:-–—|/")
