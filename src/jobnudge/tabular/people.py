"""A person as typed into a spreadsheet cell: "Dana Lee <dana@acme.com>", "Dana Lee
(dana@acme.com)", "dana@acme.com", "Dana Lee, Head of Talent", or a name alone.

Pure: a cell in, the name, the address, the title and what was left unread out. An address
that is not one (``ben@pinecrest``) is reported, never guessed at, so the importer can keep the
cell as a note and warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_NAME = 200

_CANDIDATE = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']*")
"""Anything written like an address: text, an @, text (checked by :data:`_VALID`)."""

_VALID = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)
"""A usable address: a local part, a domain with a dot, a top-level domain of letters."""

_MAILTO = re.compile(r"\bmailto:", re.IGNORECASE)
_WRAPPERS = re.compile(r"[<>()\[\]\"']")
_SEPARATOR = re.compile(r"\s*[,;|]\s*|\s+[-–—/]\s+")


@dataclass(frozen=True)
class Person:
    """What a cell says about a person. ``bad_email`` holds an address that is not one."""

    name: str = ""
    email: str = ""
    title: str = ""
    bad_email: str = ""
    extra_emails: tuple[str, ...] = ()


def name_from_email(email: str) -> str:
    """A readable name from an address's local part (``dana.lee@`` → "Dana Lee")."""
    local = email.split("@", 1)[0]
    parts = [p for p in re.split(r"[._\-+]+", local) if p and not p.isdigit()]
    return " ".join(p.capitalize() for p in parts) or email


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
    rest = _CANDIDATE.sub(" ", text)
    rest = " ".join(_WRAPPERS.sub(" ", rest).split()).strip(" ,;:-–—|/")
    name, title = rest, ""
    parts = [p for p in _SEPARATOR.split(rest) if p.strip()]
    if len(parts) >= 2:
        name, title = parts[0].strip(), ", ".join(p.strip() for p in parts[1:])
    if not any(c.isalpha() for c in name):  # "0)0", "?": no name, whatever else is there
        name, title = "", ""
    return Person(
        name=name,
        email=good[0] if good else "",
        title=title,
        bad_email=bad[0] if bad and not good else "",
        extra_emails=tuple(good[1:]),
    )
