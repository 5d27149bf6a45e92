""" "Did I already apply here?": an opportunity about to be added, compared with those tracked.

Four ways to be the same job: the same company and role however spelled ("Sr. Data Analyst" at
"ACME Inc." and "Senior Data Analyst" at "Acme"), the same posting address, the same posting
text, or (for a staffing firm's posting for an unnamed client) the same role and place through
the same firm. Different roles at one company stay different: every word of one title must
pair with a word of the other, so "Data Analyst" is never "Data Engineer" nor "Senior Data
Analyst".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from rapidfuzz import fuzz

from jobnudge.typography import fold

COMPANY_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "llp",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "bv",
        "nv",
        "pty",
        "pvt",
        "group",
        "holdings",
        "the",
    ]
)
ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "jnr": "junior",
    "mgr": "manager",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "asst": "assistant",
    "assoc": "associate",
    "admin": "administrator",
    "dir": "director",
    "vp": "vice president",
    "svp": "senior vice president",
    "swe": "software engineer",
    "mgmt": "management",
    "ops": "operations",
    "hr": "human resources",
    "qa": "quality assurance",
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
}
FILLER = frozenset({"and", "of", "the", "for", "a", "an", "in", "m", "f", "d", "w", "x"})
TRACKING = re.compile(r"^(utm_|gh_src|source|src|ref|trk|refid|lever-source)", re.IGNORECASE)
WORD_SIMILAR = 80  # two words this close (0-100) are one word mistyped
COMPANY_SIMILAR = 88
TEXT_SIMILAR = 92
MIN_TEXT = 200  # shorter posting texts are too little to call two postings the same


@dataclass(frozen=True)
class Candidate:
    """What is known of one opportunity, tracked or about to be added."""

    id: int | None
    company: str
    role: str
    url: str = ""
    text: str = ""
    location: str = ""
    firm: str = ""  # the staffing firm posting it, if any


@dataclass(frozen=True)
class Match:
    id: int
    why: str  # in words, for the warning


def _plain(text: str) -> str:
    """Words as names are compared (``typography.fold``: no case, accents or invisible format
    characters, so "Sie\u200bmens" is not the two words "sie mens"), punctuation as spaces."""
    return re.sub(r"[^\w]+", " ", fold(text).replace("&", " and ")).strip()


def company_key(name: str) -> str:
    words = [w for w in _plain(name).split() if w not in COMPANY_SUFFIXES]
    return " ".join(words) or _plain(name)


def role_words(role: str) -> list[str]:
    words: list[str] = []
    for word in _plain(role).split():
        words += ABBREVIATIONS.get(word, word).split()
    return [w for w in words if w not in FILLER]


def _numbers(key: str) -> list[str]:
    return [w for w in key.split() if any(c.isdigit() for c in w)]


def _near_company(ka: str, kb: str) -> bool:
    """Two company keys close enough, their numbers equal ("Studio 54" is not "Studio 55")."""
    if ka == kb:
        return True
    return _numbers(ka) == _numbers(kb) and fuzz.ratio(ka, kb) >= COMPANY_SIMILAR


def _block(key: str) -> tuple[tuple[str, ...], str]:
    return tuple(_numbers(key)), key[:1]


def same_company(a: str, b: str) -> bool:
    ka, kb = company_key(a), company_key(b)
    return bool(ka and kb) and _near_company(ka, kb)


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 5:
        return False  # levels and short words must match exactly ("2" is not "3")
    return fuzz.ratio(a, b) >= WORD_SIMILAR


_QUALIFIER = re.compile(r"\s*(?:\(([^()]*)\)|\[([^\[\]]*)\]|\s[-–—|,/]\s*([^-–—|,/]+))\s*$")
WORK_MODES = frozenset(
    {
        "remote",
        "hybrid",
        "onsite",
        "on site",
        "in office",
        "office based",
        "full time",
        "part time",
        "contract",
        "permanent",
        "temporary",
        "temp",
        "fixed term",
        "m f d",
        "w m d",
        "f m d",
        "m w d",
        "h f",
        "f h",
        "any location",
        "us",
        "uk",
        "eu",
        "emea",
        "usa",
    }
)
"""Qualifiers that say how or where the same role is worked, not which role it is."""


def _qualified(role: str) -> tuple[str, str]:
    """``role`` without its trailing qualifier ("(Pricing)", " - Remote"), and the qualifier
    (empty when none, or when it only says how or where the role is worked)."""
    found = _QUALIFIER.search(role)
    if found is None or found.start() == 0:
        return role, ""
    qualifier = _plain(next(g for g in found.groups() if g is not None))
    return role[: found.start()], "" if qualifier in WORK_MODES else qualifier


def same_role(a: str, b: str) -> bool:
    """Every word of one title pairs with a distinct word of the other (order free, typos
    forgiven in longer words), after a trailing qualifier on either: " - Remote" never makes
    a role another, and "(Pricing)" only against a different team's qualifier."""
    if _same_words(a, b):
        return True
    (ba, qa), (bb, qb) = _qualified(a), _qualified(b)
    if qa and qb:
        return _same_words(ba, bb) and _same_words(qa, qb)
    return _same_words(ba, bb)


def _same_words(a: str, b: str) -> bool:
    wa, wb = role_words(a), role_words(b)
    if not wa or len(wa) != len(wb):
        return False
    left = list(wb)
    for word in wa:
        partner = next((o for o in left if _same_word(word, o)), None)
        if partner is None:
            return False
        left.remove(partner)
    return True


def url_key(url: str) -> str:
    """An address without scheme, "www.", tracking parameters, fragment or trailing slash."""
    if not url.strip():
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.casefold().removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k)))
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{query}" if query else "")


def _text_key(text: str) -> str:
    return " ".join(_plain(text).split())


UNNAMED_CLIENTS = frozenset(
    {
        "client",
        "our client",
        "a client",
        "confidential",
        "confidential client",
        "undisclosed",
        "undisclosed client",
        "stealth",
        "stealth startup",
        "unknown",
        "tbc",
        "n a",
    }
)


def _unnamed(c: Candidate) -> bool:
    """Whether the client behind a firm's posting is unnamed (or named as the firm itself)."""
    return (
        not company_key(c.company)
        or _plain(c.company) in UNNAMED_CLIENTS
        or bool(c.firm and same_company(c.company, c.firm))
    )


def _same_through_firm(new: Candidate, old: Candidate) -> bool:
    """A staffing firm's posting for an unnamed client: same firm, role and (when both are
    known) place."""
    if not (new.firm and old.firm and same_company(new.firm, old.firm)):
        return False
    if not (_unnamed(new) or _unnamed(old)) and not same_company(new.company, old.company):
        return False  # two clients the firm named: two jobs
    if not same_role(new.role, old.role):
        return False
    places = _plain(new.location), _plain(old.location)
    return not all(places) or places[0] == places[1]


class Tracked:
    """The opportunities compared against, indexed so that checking one more stays quick with
    thousands tracked (an import checks every row): by posting address, and by company so a
    role is compared only within companies that match."""

    def __init__(self, candidates: Iterable[Candidate] = ()) -> None:
        self.by_company: dict[str, list[Candidate]] = {}
        # Company keys by their numbers and first letter: only keys in one block can be near
        # (numbers must agree, and a first-letter typo is rare), so a check scores a few keys
        # instead of every company tracked.
        self.blocks: dict[tuple[tuple[str, ...], str], list[str]] = {}
        self.by_url: dict[str, list[Candidate]] = {}
        self.with_text: list[Candidate] = []
        self.with_firm: list[Candidate] = []
        for candidate in candidates:
            self.add(candidate)

    def add(self, candidate: Candidate) -> None:
        key = company_key(candidate.company)
        if key not in self.by_company:
            self.by_company[key] = []
            self.blocks.setdefault(_block(key), []).append(key)
        self.by_company[key].append(candidate)
        if url_key(candidate.url):
            self.by_url.setdefault(url_key(candidate.url), []).append(candidate)
        if len(_text_key(candidate.text)) >= MIN_TEXT:
            self.with_text.append(candidate)
        if candidate.firm:
            self.with_firm.append(candidate)

    def get(self, candidate_id: int) -> Candidate | None:
        for group in self.by_company.values():
            for candidate in group:
                if candidate.id == candidate_id:
                    return candidate
        return None

    def _companies(self, name: str) -> list[Candidate]:
        from rapidfuzz import process

        key = company_key(name)
        if not key:
            return []
        keys = self.blocks.get(_block(key), [])
        near = process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=COMPANY_SIMILAR, limit=None
        )
        found = list(self.by_company.get(key, []))
        for other, _score, _index in near:
            if other != key and _near_company(key, other):
                found += self.by_company[other]
        return found

    def matches(self, new: Candidate) -> list[Match]:
        """The tracked opportunities ``new`` looks like, each with the first reason found."""
        found: dict[int, str] = {}
        if not self.by_company:
            return []

        def note(old: Candidate, why: str) -> None:
            if old.id is not None and old.id != new.id:
                found.setdefault(old.id, why)

        for old in self.by_url.get(url_key(new.url), []) if url_key(new.url) else []:
            note(old, "the same posting address")
        if new.firm:
            for old in self.with_firm:
                if _same_through_firm(new, old):
                    note(old, "the same role through the same staffing firm")
        for old in self._companies(new.company):
            if same_role(new.role, old.role):
                note(old, "the same company and role")
        new_text = _text_key(new.text)
        if len(new_text) >= MIN_TEXT:
            for old in self.with_text:
                if fuzz.ratio(new_text, _text_key(old.text)) >= TEXT_SIMILAR:
                    note(old, "the same posting text")
        return [Match(i, why) for i, why in found.items()]


def matches(new: Candidate, tracked: Iterable[Candidate]) -> list[Match]:
    """The opportunities in ``tracked`` that ``new`` looks like, with the reason in words."""
    return Tracked(tracked).matches(new)
