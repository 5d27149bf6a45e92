"""A staffing firm as people write one into a tracker: a column of its own ("Agency", "Via"),
the company cell ("Siemens via Hays", "Siemens (via Hays)", "Hays (for Siemens)"), the notes
("through Robert Half", "agency: Hays"), a contact's aside ("Tom Baker (Hays)") or address
(``tom.baker@hays.de``).

A firm is never guessed from a word that could be a plain employer: free text names one only
when it is a well-known firm (``staffing_firms.txt``), when its name says it is one ("Acme
Staffing"), or when an explicit word in brackets says so ("Siemens (via Acme)"). A job board
is a channel, not a firm ("Siemens via LinkedIn": found on LinkedIn, ``job_boards.txt``).

Pure: cells in, names out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jobnudge.domain.quickinit import quick_init
from jobnudge.typography import fold

_HERE = Path(__file__).parent

_SUFFIXES = frozenset(
    {"gmbh", "ag", "inc", "ltd", "limited", "plc", "llc", "sa", "sas", "bv", "nv", "srl"}
    | {"spa", "co", "corp", "corporation", "company", "kg", "se", "oy", "ab", "as", "group"}
    | {"recruitment", "recruiting", "recruiter", "recruiters", "staffing", "talent"}
    | {"solutions", "specialist", "services", "holding", "international", "global", "the"}
    | {"deutschland", "germany", "uk", "us", "usa", "france", "nederland", "schweiz"}
    | {"austria", "osterreich", "personaldienstleistungen", "consultant", "consultants"}
)
"""Words after a firm's name that do not change which firm it is ("Hays plc", "Hays
Recruitment", "Randstad Deutschland GmbH")."""

_STAFFING_WORDS = frozenset(
    {"staffing", "recruitment", "recruiting", "recruiters", "personnel", "headhunters"}
    | {"headhunter", "resourcing", "personaldienstleistung", "personaldienstleistungen"}
    | {"personalberatung", "personalvermittlung", "zeitarbeit", "interim", "placement"}
    | {"placements", "agency", "agentur", "search"}
)
"""Words that make a name a firm's ("Acme Staffing", "Nord Personalvermittlung")."""

_NONE = frozenset({"", "none", "no", "n a", "na", "direct", "directly", "self", "-", "nein"})
"""What a firm column holds when the job came through no firm."""

_WORDS = re.compile(r"[^\w&]+")


def _words(text: str) -> list[str]:
    return [w for w in _WORDS.split(fold(text)) if w]


def _compact(words: Iterable[str]) -> str:
    return "".join(words).replace("_", "")


def _load(name: str) -> dict[str, str]:
    """A list's names by their compact key ("roberthalf" → "Robert Half")."""
    found: dict[str, str] = {}
    for line in (_HERE / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        spellings = [s.strip() for s in line.split("|") if s.strip()]
        for spelling in spellings:
            found.setdefault(_compact(_words(spelling)), spellings[0])
    return found


@cache
def _firms() -> dict[str, str]:
    return _load("staffing_firms.txt")


@cache
def _boards() -> dict[str, str]:
    return _load("job_boards.txt")


def _lookup(text: str, names: Mapping[str, str]) -> str:
    words = _words(text)
    while words:
        found = names.get(_compact(words))
        if found:
            return found
        if words[-1] not in _SUFFIXES:
            return ""
        words.pop()
    return ""


def known_firm(text: str) -> str:
    """The well-known staffing firm ``text`` names ("HAYS plc" → "Hays"), or ""."""
    return _lookup(text, _firms())


def _key(text: str) -> str:
    """A name's words without the ones that do not change which organisation it is."""
    words = _words(text)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return _compact(words)


def same_organisation(one: str, other: str) -> bool:
    """Whether two names are one organisation: "Siemens AG" and "Siemens", "Hays
    Recruitment" and "HAYS"."""
    return bool(_words(one)) and _key(one) == _key(other)


def job_board(text: str) -> str:
    """The job board (or other channel: a referral, the website) ``text`` names, or ""."""
    return _lookup(text, _boards()) or ""


def looks_like_firm(text: str) -> bool:
    """A well-known firm, or a name that says it is one ("Acme Staffing")."""
    return bool(known_firm(text)) or any(w in _STAFFING_WORDS for w in _words(text))


def _name(text: str) -> str:
    return " ".join(text.split()).strip(" .,;:-–—|/")


def _spelled(text: str) -> str:
    """A firm as recorded: the known list's spelling, else as written."""
    return known_firm(text) or _name(text)


def firm_in_column(cell: str) -> str:
    """A dedicated column's firm: any name but a job board or "none"/"direct"."""
    name = _name(cell)
    if " ".join(_words(name)) in _NONE or job_board(name):
        return ""
    return _spelled(name)


@quick_init
@dataclass(frozen=True, slots=True)
class Split:
    """A company cell read for a firm: the employer, and the firm or the channel it names."""

    employer: str
    firm: str = ""
    channel: str = ""


_VIA = r"via|through|thru|über|uber|ueber|durch|agency:?|recruiter:?"
_FOR = r"for|für|fur"
_BRACKETED = re.compile(
    rf"^(?P<a>.*?\w.*?)\s*[(\[]\s*(?P<w>{_VIA}|{_FOR})\s+(?P<b>[^)\]]*\w[^)\]]*?)\s*[)\]]\s*$",
    re.IGNORECASE,
)
_PLAIN_VIA = re.compile(rf"^(?P<a>.*?\w.*?)\s+(?P<w>{_VIA})\s+(?P<b>.*\w.*)$", re.IGNORECASE)
_PLAIN_FOR = re.compile(rf"^(?P<a>.*?\w.*?)\s+(?P<w>{_FOR})\s+(?P<b>.*\w.*)$", re.IGNORECASE)
_BESIDE = re.compile(
    r"^(?P<a>.*?\w.*?)\s*(?:[(\[]\s*(?P<b>[^)\]]*\w[^)\]]*?)\s*[)\]]|\s[-–—/|]\s(?P<c>.*\w.*))$"
)
"""A name beside the employer's in brackets or after a dash or slash: a firm only when it is
a well-known one (``staffing_firms.txt``), since "Acme (Berlin)" or "Acme - Data" say other
things."""
_HINT = re.compile(rf"(?<!\w)(?:{_VIA}|{_FOR})(?!\w)", re.IGNORECASE)
"""One of the words a split needs: a cell without any (nearly every one) is the employer."""


@lru_cache(maxsize=4096)
def split_company(cell: str) -> Split:
    """The employer and firm a company cell names: "Siemens via Hays", "Siemens (via Hays)",
    "Hays (for Siemens)", "Hays for Siemens", "Siemens through Randstad". Without brackets the
    firm must look like one; "Siemens via LinkedIn" names a channel. Anything else: the cell
    is the employer."""
    text = " ".join(cell.split())
    marks = ("(", "[", " - ", " – ", " — ", " / ", " | ")
    beside = _BESIDE.match(text) if any(m in text for m in marks) else None
    if beside is not None:  # "Siemens (Hays)", "Siemens - Hays": only a well-known firm
        firm = known_firm(beside.group("b") or beside.group("c"))
        employer = _name(beside.group("a"))
        if firm and employer and fold(employer) != fold(firm) and not known_firm(employer):
            return Split(employer, firm=firm)
    if _HINT.search(text) is None:
        return Split(text)
    for pattern, explicit in ((_BRACKETED, True), (_PLAIN_VIA, False), (_PLAIN_FOR, False)):
        found = pattern.match(text)
        if found is None:
            continue
        a, b = _name(found.group("a")), _name(found.group("b"))
        if not a or not b:
            continue
        if fold(found.group("w")) in ("for", "fur"):
            employer, firm = b, a
        else:
            employer, firm = a, b
        if fold(employer) == fold(firm):
            continue
        board = job_board(firm)
        if board:
            return Split(employer, channel=board) if employer is a else Split(text)
        if explicit or looks_like_firm(firm):
            return Split(employer, firm=_spelled(firm))
    return Split(text)


_NOTE_LABEL = re.compile(
    r"\b(?:agency|staffing\s+(?:firm|agency|company)|recruit(?:ment|ing)\s+(?:agency|firm)|"
    r"recruiter\s+company|personaldienstleister|agentur)\s*[:=]\s*(?P<b>[^,;.\n()\[\]]*\w)",
    re.IGNORECASE,
)
_NOTE_VIA = re.compile(
    r"\b(?:via|through|thru|über|durch|with|by)\s+(?P<b>[^,;.\n()\[\]]*\w)", re.I
)
_DENIED = re.compile(r"\b(?:not|nicht|never|nie|no longer|nicht mehr|without|ohne)\s*$", re.I)
"""Words that deny the firm after them: "not through Hays", "nicht über Randstad"."""


@lru_cache(maxsize=4096)
def firm_in_notes(text: str) -> str:
    """The firm a note names: "agency: Hays" (any name after such a label), or "via Hays",
    "through Robert Half" (a well-known firm, or one whose name says so)."""
    for found in _NOTE_LABEL.finditer(text):
        name = firm_in_column(found.group("b"))
        if name:
            return name
    for found in _NOTE_VIA.finditer(text):
        if _DENIED.search(text, 0, found.start()):
            continue
        words = found.group("b").split()[:6]
        for end in range(len(words), 0, -1):
            name = " ".join(words[:end])
            if known_firm(name):
                return known_firm(name)
            if end >= 2 and words[end - 1].casefold() in _STAFFING_WORDS and not job_board(name):
                return _name(name)
    return ""


def firm_of_address(email: str) -> str:
    """The well-known firm whose domain an address is at (``tom@hays.de`` → "Hays")."""
    return _firm_of_domain(email.rpartition("@")[2].casefold())


@lru_cache(maxsize=4096)
def _firm_of_domain(domain: str) -> str:
    for label in domain.split(".")[:-1]:
        for part in (label, *label.split("-")):
            found = _firms().get(_compact(_words(part)))
            if found:
                return found
    return ""


def works_at(firm: str, email: str, asides: Sequence[str]) -> bool:
    """Whether a person's aside or address says they work at ``firm``."""
    if not firm:
        return False
    key = _compact(_words(firm))
    if any(_spelled(a) == firm or _compact(_words(a)) == key for a in asides):
        return True
    domain = email.rpartition("@")[2].casefold()
    return bool(email) and (
        firm_of_address(email) == firm or key in {_compact(_words(p)) for p in domain.split(".")}
    )


def firm_in_asides(asides: Sequence[str]) -> str:
    """The firm a contact's aside names ("Tom Baker (Hays)"): one that looks like a firm."""
    if not asides:
        return ""
    for aside in asides:
        if looks_like_firm(aside) and not job_board(aside):
            return _spelled(aside)
    return ""


@quick_init
@dataclass(frozen=True, slots=True)
class Found:
    """What a row says about a firm: the employer (the company cell without the firm), the
    firm, the column that named it (for the report), and a job board the company cell named."""

    employer: str
    firm: str = ""
    column: str = ""
    channel: str = ""


def read_row(
    company: str,
    company_column: str,
    column: tuple[str, str] | None,
    people: Sequence[tuple[str, str, Sequence[str]]],
    notes: Sequence[tuple[str, str]],
) -> Found:
    """The firm a row names, in order of trust: its own column (``(header, cell)``), the
    company cell, a person's aside or address (``(header, email, asides)``), the notes
    (``(header, text)``). A firm that is the employer itself is none."""
    split = split_company(company)
    employer = split.employer

    def found(firm: str, where: str) -> Found | None:
        if not firm or fold(firm) == fold(employer):
            return None
        return Found(employer, firm, where, split.channel)

    for firm, where in _candidates(split, company_column, column, people, notes):
        result = found(firm, where)
        if result is not None:
            return result
    return Found(employer, channel=split.channel)


def _candidates(
    split: Split,
    company_column: str,
    column: tuple[str, str] | None,
    people: Sequence[tuple[str, str, Sequence[str]]],
    notes: Sequence[tuple[str, str]],
) -> Iterator[tuple[str, str]]:
    """Each place's firm in order of trust, read only until one is taken."""
    if column is not None:
        yield firm_in_column(column[1]), column[0]
    yield split.firm, company_column
    for header, _email, asides in people:
        yield firm_in_asides(asides), header
    for header, email, _asides in people:
        yield firm_of_address(email), header
    for header, text in notes:
        yield firm_in_notes(text), header
