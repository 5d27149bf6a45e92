"""vCard 3.0 and 4.0 (RFC 2426, RFC 6350) for contacts, through the ``vobject`` library.

A contact's roles travel in CATEGORIES (``interviewer,recruiter``), which address books show
as groups or labels. What vCard has no property for (preferred channel, first-name terms,
country for public holidays) travels in ``X-JOBNUDGE-*`` properties, which address books keep
and ignore, so an export imports back without loss.

Each card is parsed on its own: one damaged card is reported with its number and reason, and
the others are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from jobnudge.domain import Channel, Contact, Role
from jobnudge.errors import BadFile

SALUTATIONS = ("Ms.", "Mr.", "Mrs.", "Dr.", "Mx.", "Prof.")
MAX_CARD_CHARS = 128 * 1024
"""One card without its photos: a contact with long notes is a few kilobytes (notes are kept
up to 10,000 characters)."""
_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r?\n[ \t]")
_BINARY = re.compile(r"^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_ROLE_WORDS = {
    "interviewer": Role.INTERVIEWER,
    "interview": Role.INTERVIEWER,
    "hiring manager": Role.INTERVIEWER,
    "hr": Role.HR,
    "human resources": Role.HR,
    "recruiter": Role.RECRUITER,
    "recruiting": Role.RECRUITER,
    "talent": Role.RECRUITER,
    "staffing-firm": Role.STAFFING,
    "staffing firm": Role.STAFFING,
    "staffing": Role.STAFFING,
    "agency": Role.STAFFING,
    "referrer": Role.REFERRER,
    "referral": Role.REFERRER,
    "reference": Role.REFERENCE,
    "references": Role.REFERENCE,
}


@dataclass
class Card:
    """A contact as read from a vCard (company by name, not id)."""

    name: str
    company: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    tz: str | None = None
    country: str | None = None
    prefers: Channel | None = None
    first_name_ok: bool = False
    roles: frozenset[Role] = frozenset()
    salutation: str = ""
    notes: str = ""
    categories: list[str] = field(default_factory=list)  # every category, roles or not


def _first(component: Any, name: str) -> Any:
    lines = component.contents.get(name)
    return lines[0] if lines else None


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value).split()) if value is not None else ""


def _preferred(component: Any, name: str) -> Any:
    lines = component.contents.get(name) or []
    for line in lines:
        types = ",".join(line.params.get("TYPE", [])).lower()
        if "pref" in types or line.params.get("PREF"):
            return line
    return lines[0] if lines else None


def _zone(text: str) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from jobnudge.zones import looks_like_zone

    cleaned = text.strip()
    if "/" not in cleaned or not looks_like_zone(cleaned):
        return None
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return cleaned


def _card(component: Any) -> Card:
    fn = _text(getattr(_first(component, "fn"), "value", ""))
    n_line = _first(component, "n")
    given = family = prefix = ""
    if n_line is not None and hasattr(n_line.value, "family"):
        family = _text(n_line.value.family)
        given = _text(n_line.value.given)
        prefix = _text(n_line.value.prefix)
    email_line = _preferred(component, "email")
    email = _text(email_line.value).lower() if email_line is not None else ""
    name = fn or " ".join(p for p in (given, family) if p) or email
    if not name:
        raise ValueError("it has no name (FN), no N and no email")
    if len(name) > 200:
        raise ValueError(f"its name is {len(name)} characters long; names stop at 200")
    tel_line = _preferred(component, "tel")
    phone = _text(tel_line.value) if tel_line is not None else ""
    phone = phone.removeprefix("tel:")
    org_line = _first(component, "org")
    company = _text(org_line.value) if org_line is not None else ""
    categories: list[str] = []
    for line in component.contents.get("categories", []):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        categories += [" ".join(str(v).split()) for v in values if str(v).strip()]
    roles = frozenset(_ROLE_WORDS[c.casefold()] for c in categories if c.casefold() in _ROLE_WORDS)
    tz_line = _first(component, "tz")
    prefers_text = _text(getattr(_first(component, "x-jobnudge-prefers"), "value", "")).lower()
    country = _text(getattr(_first(component, "x-jobnudge-country"), "value", "")).upper()
    first_ok = _text(getattr(_first(component, "x-jobnudge-first-name-ok"), "value", ""))
    notes_line = _first(component, "note")
    title_line = _first(component, "title")
    return Card(
        name=name,
        company=company[:200],
        title=_text(title_line.value)[:200] if title_line is not None else "",
        email=email if "@" in email else "",
        phone=phone[:60],
        tz=_zone(_text(tz_line.value)) if tz_line is not None else None,
        country=country if len(country) == 2 and country.isalpha() else None,
        prefers=Channel(prefers_text) if prefers_text in {c.value for c in Channel} else None,
        first_name_ok=first_ok.lower() in ("true", "yes", "1"),
        roles=roles,
        salutation=prefix if prefix in SALUTATIONS else "",
        notes=str(notes_line.value).strip()[:10_000] if notes_line is not None else "",
        categories=categories,
    )


def split_cards(text: str) -> Iterator[str]:
    """The file's text cut into one chunk per ``BEGIN:VCARD``, lines unfolded, and the binary
    properties jobnudge does not keep (photos, logos, sounds, keys) left out: a damaged photo
    must not cost the contact. Chunks are made one at a time, as they are read."""
    return _chunks(_FOLD.sub("", text))


def _chunks(unfolded: str) -> Iterator[str]:
    starts = [m.start() for m in _BEGIN.finditer(unfolded)]
    for a, b in zip(starts, [*starts[1:], len(unfolded)], strict=True):
        lines = unfolded[a:b].splitlines()
        kept = [line for line in lines if not _BINARY.match(line)]
        yield "\r\n".join(kept) + "\r\n"


def parse(text: str, *, limit: int) -> tuple[list[tuple[int, Card]], list[tuple[int, str]]]:
    """The cards in ``text`` (numbered from 1) and the ones that cannot be read, with why.

    The number of cards is checked before any is parsed, and a card longer than
    :data:`MAX_CARD_CHARS` (once its photos are left out) is reported rather than parsed: the
    vCard parser needs about 150 times a card's size in memory.
    """
    import vobject

    unfolded = _FOLD.sub("", text)
    count = sum(1 for _ in _BEGIN.finditer(unfolded))
    if not count:
        raise BadFile("the file holds no vCard (no BEGIN:VCARD line); export it as .vcf.")
    if count > limit:
        raise BadFile(f"the file holds {count:,} vCards; at most {limit:,} are read.")
    cards: list[tuple[int, Card]] = []
    rejected: list[tuple[int, str]] = []
    for number, chunk in enumerate(_chunks(unfolded), start=1):
        if len(chunk) > MAX_CARD_CHARS:
            rejected.append(
                (
                    number,
                    f"the card is {len(chunk):,} characters long without its photos; cards are "
                    f"read up to {MAX_CARD_CHARS:,}",
                )
            )
            continue
        try:
            component = vobject.readOne(chunk, ignoreUnreadable=True)
            if component.name.upper() != "VCARD":
                raise ValueError("it is not a VCARD")
            cards.append((number, _card(component)))
        except Exception as exc:  # vobject raises many types on malformed input
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            rejected.append((number, reason[:200]))
    return cards, rejected


def dump(contacts: Iterable[Contact], companies: Mapping[int, str], version: str = "3.0") -> bytes:
    """The contacts as one .vcf file (CRLF line ends, UTF-8)."""
    import vobject

    if version not in ("3.0", "4.0"):
        raise BadFile(f"vCard version '{version}' is not 3.0 or 4.0.")
    out: list[str] = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("version").value = version
        card.add("uid").value = f"jobnudge-contact-{contact.id}"
        card.add("fn").value = contact.name
        parts = contact.name.split()
        given = " ".join(parts[:-1]) if len(parts) > 1 else contact.name
        family = parts[-1] if len(parts) > 1 else ""
        card.add("n").value = vobject.vcard.Name(
            family=family, given=given, prefix=contact.salutation
        )
        if contact.company_id in companies:
            card.add("org").value = [companies[contact.company_id or 0]]
        if contact.title:
            card.add("title").value = contact.title
        if contact.email:
            line = card.add("email")
            line.value = contact.email
            line.type_param = "INTERNET" if version == "3.0" else "work"
        if contact.phone:
            line = card.add("tel")
            if version == "4.0":
                line.value = "tel:" + re.sub(r"[^\d+]", "", contact.phone)
                line.params["VALUE"] = ["uri"]
            else:
                line.value = contact.phone
            line.type_param = "WORK" if version == "3.0" else "work"
        if contact.roles:
            card.add("categories").value = sorted(r.value for r in contact.roles)
        if contact.tz:
            line = card.add("tz")
            line.value = contact.tz
            if version == "3.0":
                line.params["VALUE"] = ["text"]
        if contact.notes:
            card.add("note").value = contact.notes
        if contact.country:
            card.add("x-jobnudge-country").value = contact.country
        if contact.prefers:
            card.add("x-jobnudge-prefers").value = contact.prefers.value
        if contact.first_name_ok:
            card.add("x-jobnudge-first-name-ok").value = "true"
        out.append(card.serialize())
    return "".join(out).encode("utf-8")
