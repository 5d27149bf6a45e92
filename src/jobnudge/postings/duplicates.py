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
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from rapidfuzz import fuzz

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
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", stripped.replace("&", " and ")).strip()


def company_key(name: str) -> str:
    words = [w for w in _plain(name).split() if w not in COMPANY_SUFFIXES]
    return " ".join(words) or _plain(name)


def role_words(role: str) -> list[str]:
    words: list[str] = []
    for word in _plain(role).split():
        words += ABBREVIATIONS.get(word, word).split()
    return [w for w in words if w not in FILLER]


def same_company(a: str, b: str) -> bool:
    ka, kb = company_key(a), company_key(b)
    if not ka or not kb:
        return False
    return ka == kb or fuzz.ratio(ka, kb) >= COMPANY_SIMILAR


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 5:
        return False  # levels and short words must match exactly ("2" is not "3")
    return fuzz.ratio(a, b) >= WORD_SIMILAR


def same_role(a: str, b: str) -> bool:
    """Every word of one title pairs with a distinct word of the other (order free, typos
    forgiven in longer words)."""
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


def _same_through_firm(new: Candidate, old: Candidate) -> bool:
    """A staffing firm's posting for an unnamed client: same firm, role and (when both are
    known) place."""
    if not (new.firm and old.firm and same_company(new.firm, old.firm)):
        return False
    if not same_role(new.role, old.role):
        return False
    places = _plain(new.location), _plain(old.location)
    return not all(places) or places[0] == places[1]


def matches(new: Candidate, tracked: Iterable[Candidate]) -> list[Match]:
    """The tracked opportunities ``new`` looks like, each with the first reason found."""
    new_url, new_text = url_key(new.url), _text_key(new.text)
    found = []
    for old in tracked:
        if old.id is None or old.id == new.id:
            continue
        why = ""
        if new_url and new_url == url_key(old.url):
            why = "the same posting address"
        elif _same_through_firm(new, old):
            why = "the same role through the same staffing firm"
        if not why and same_company(new.company, old.company) and same_role(new.role, old.role):
            why = "the same company and role"
        if not why and len(new_text) >= MIN_TEXT:
            old_text = _text_key(old.text)
            if len(old_text) >= MIN_TEXT and fuzz.ratio(new_text, old_text) >= TEXT_SIMILAR:
                why = "the same posting text"
        if why:
            found.append(Match(old.id, why))
    return found
