"""Which opportunity a message belongs to, and how sure that is. Pure: the caller builds a
:class:`MatchIndex` from the store.

1. Thread: In-Reply-To, then References (newest first), against the Message-IDs jobnudge has
   sent or logged. Sure.
2. Address: the other party (the sender of an incoming message, a recipient of an outgoing one)
   is a contact; sure when that points at exactly one opportunity (one active one wins).
3. Domain: the address's domain (or a parent domain) is a company's, from the company's
   ``domains`` or its contacts' addresses (public mail providers excluded); sure likewise.
4. Name: the company's name appears in the sender's display name or the subject (ignoring
   case, accents and typographic marks). Never sure.

Anything not sure with at least one candidate goes to the review list; no candidate, nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from jobnudge.mail.parse import MailHeaders
from jobnudge.maildomains import PUBLIC_DOMAINS
from jobnudge.typography import name_key


@dataclass(frozen=True, slots=True)
class MatchIndex:
    """What matching needs to know about the user's search."""

    threads: Mapping[str, tuple[int | None, int | None]] = field(default_factory=dict)
    # Message-ID -> (opportunity id, contact id): only the ids the message refers to are needed
    contacts_by_address: Mapping[str, Sequence[int]] = field(default_factory=dict)
    companies_by_domain: Mapping[str, Sequence[int]] = field(default_factory=dict)
    opportunities_of_contact: Mapping[int, Sequence[int]] = field(default_factory=dict)
    opportunities_of_company: Mapping[int, Sequence[int]] = field(default_factory=dict)
    company_of_contact: Mapping[int, int] = field(default_factory=dict)
    company_names: Mapping[int, Sequence[str]] = field(default_factory=dict)
    active: frozenset[int] = frozenset()  # opportunities still in motion
    own_addresses: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    certainty: str  # "sure", "unsure" or "none"
    opportunity_id: int | None = None
    contact_id: int | None = None
    candidates: tuple[int, ...] = ()  # for "unsure": likeliest first
    reason: str = ""

    @property
    def sure(self) -> bool:
        return self.certainty == "sure"


NO_MATCH = Match("none")


def domain_keys(address: str) -> list[str]:
    """The address's domain and its parents down to two labels: a.b.acme.com -> acme.com."""
    domain = address.rpartition("@")[2].lower().strip(".")
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def counterparts(h: MailHeaders, direction: str, own: frozenset[str]) -> list[str]:
    """The other party's addresses: the sender of what came in, the recipients of what went out."""
    found = [h.from_address] if direction == "in" else list(h.recipients)
    return [a for a in found if a and a not in own]


def _decide(
    candidates: Sequence[int], index: MatchIndex, contact_id: int | None, why: str
) -> Match:
    ordered = tuple(dict.fromkeys(candidates))
    active = [o for o in ordered if o in index.active]
    if len(active) == 1:
        return Match("sure", active[0], contact_id, ordered, why)
    if not active and len(ordered) == 1:
        return Match("sure", ordered[0], contact_id, ordered, why)
    if not ordered:
        return NO_MATCH
    likeliest = tuple(active) + tuple(o for o in ordered if o not in active)
    return Match("unsure", None, contact_id, likeliest, f"{why}, which has several opportunities")


def match(h: MailHeaders, direction: str, index: MatchIndex) -> Match:
    """The opportunity ``h`` belongs to, and how sure that is."""
    for ref in (*h.in_reply_to, *reversed(h.references)):
        found = index.threads.get(ref)
        if found is not None and found[0] is not None:
            return Match("sure", found[0], found[1], (found[0],), f"a reply in thread {ref}")
    others = counterparts(h, direction, index.own_addresses)
    for address in others:
        for contact_id in index.contacts_by_address.get(address, ()):
            # The opportunities the person is linked to decide; else their company's.
            candidates = list(index.opportunities_of_contact.get(contact_id, ()))
            company = index.company_of_contact.get(contact_id)
            if not candidates and company is not None:
                candidates = list(index.opportunities_of_company.get(company, ()))
            if candidates:
                return _decide(candidates, index, contact_id, f"{address} is a contact")
    for address in others:
        for key in domain_keys(address):
            if key in PUBLIC_DOMAINS:
                continue
            companies = index.companies_by_domain.get(key, ())
            candidates = [o for c in companies for o in index.opportunities_of_company.get(c, ())]
            if candidates:
                return _decide(candidates, index, None, f"{key} is a company's domain")
    if direction == "in":
        hints = f"{h.from_name} {h.subject}"
        named = [
            company
            for company, names in index.company_names.items()
            if any(_mentions(hints, name) for name in names)
        ]
        candidates = [o for c in named for o in index.opportunities_of_company.get(c, ())]
        if candidates:
            active = tuple(o for o in dict.fromkeys(candidates) if o in index.active)
            rest = tuple(o for o in dict.fromkeys(candidates) if o not in index.active)
            return Match("unsure", None, None, active + rest, "the company is named in it")
    return NO_MATCH


def _mentions(text: str, name: str) -> bool:
    """Whether ``name`` stands as whole words in ``text``, both read through
    :func:`typography.name_key`: "Muller GmbH" in a subject names "Müller GmbH"."""
    key = name_key(name)
    if len(key) < 3:
        return False
    return re.search(rf"(?<!\w){re.escape(key)}(?!\w)", name_key(text)) is not None
