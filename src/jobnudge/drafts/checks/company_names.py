"""How a draft may name a company other than by its exact name: by a distinctive part of it
("Parkside" for Parkside Bank), or misspelt ("Brightline Helth" for Brightline Health).

Both are tuned so that ordinary words never count:

- a *distinctive part* is a word of a longer name that the dictionary does not know and that
  no other company in the pipeline shares ("Parkside", "Brightline"; never "Bank", "Health");
- a *misspelling* is a run of words one slip away from a name (two for names of 12 letters or
  more; never a one-word name that is itself an ordinary word, like Target), starting with
  the name's first letter as a capital, at least one of whose words is unknown to the
  dictionary and to the records. A slip almost always makes a non-word ("Helth"); a run of
  real words ("Brightline Wealth", "globe") is left alone, so plain English never trips it.
  Distances are rapidfuzz's Damerau–Levenshtein: a swapped pair of letters is one slip.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache

from jobnudge.drafts import spelling
from jobnudge.drafts.text import WORD, Span, Word, fold, overlaps
from jobnudge.plain import Plain, setup
from jobnudge.typography import plain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from jobnudge.domain.records import Company

    class NameTables(Protocol):
        """What :func:`misspelt` and :func:`parts_named` read of a pipeline's names: a
        :class:`Names`, or the kept tables (``checks/kept.py``) that answer the same."""

        @property
        def words(self) -> Container[str]: ...
        @property
        def keys(self) -> Sequence[str]: ...
        @property
        def has_targets(self) -> bool: ...
        @property
        def longest(self) -> int: ...
        def target(self, index: int) -> Target: ...
        def parts_in(
            self, text_words: Collection[str]
        ) -> Iterator[tuple[str, tuple[Company, ...], str]]: ...


MIN_LETTERS = 5
"""Shorter names and parts are too easily another word to be matched loosely."""
GENERIC = frozenset(
    {
        "ag",
        "bv",
        "co",
        "corp",
        "gmbh",
        "group",
        "holdings",
        "inc",
        "intl",
        "llc",
        "llp",
        "ltd",
        "nv",
        "plc",
        "pty",
        "sa",
        "sarl",
        "srl",
    }
)
"""Words of company names that say what kind of company it is, not which one."""
_LEGAL = re.compile(
    r"(?:,\s*|\s+)(?:inc|incorporated|llc|l\.l\.c|llp|ltd|limited|corp|corporation|co|gmbh|ag"
    r"|kg|plc|sa|s\.a|sas|sarl|srl|spa|bv|nv|pty|oy|ab|as|se|pte)\.?$",
    re.IGNORECASE,
)
"""A legal form at the end of a name, with or without a comma before it ("O'Reilly Media, Inc.",
"Quellwerk GmbH", "Acme Ltd")."""
_GAP = re.compile(r"[ \t]*(?:[&+][ \t]*)?")
"""What may stand between the words of a written name: spaces, and an "&" ("Harbor & Pine")."""


class Target(Plain):
    """A name (or a distinctive part of one) as the fuzzy match compares it."""

    __slots__ = _fields = ("key", "words", "companies", "name")
    key: str  # folded words joined by single spaces: "brightline health"
    words: int
    companies: tuple[Company, ...]
    name: str  # as the company writes it

    def __init__(self, key: str, words: int, companies: tuple[Company, ...], name: str) -> None:
        setup(self, "key", key)
        setup(self, "words", words)
        setup(self, "companies", companies)
        setup(self, "name", name)


class Names(Plain):
    """What a pipeline's names allow beyond exact matches, computed once per pipeline."""

    __slots__ = _fields = ("parts", "part_spelling", "targets", "keys", "words")
    parts: Mapping[str, tuple[Company, ...]]  # distinctive part (folded) → its company
    part_spelling: Mapping[str, str]  # distinctive part (folded) → as the company writes it
    targets: tuple[Target, ...]
    keys: tuple[str, ...]  # the targets' keys, for rapidfuzz
    words: frozenset[str]  # every folded word of every name

    def __init__(
        self,
        *,
        parts: Mapping[str, tuple[Company, ...]],
        part_spelling: Mapping[str, str],
        targets: tuple[Target, ...],
        keys: tuple[str, ...],
        words: frozenset[str],
    ) -> None:
        setup(self, "parts", parts)
        setup(self, "part_spelling", part_spelling)
        setup(self, "targets", targets)
        setup(self, "keys", keys)
        setup(self, "words", words)

    @property
    def has_targets(self) -> bool:
        return bool(self.targets)

    @property
    def longest(self) -> int:
        """The most words of any target (0 when there is none)."""
        return max((t.words for t in self.targets), default=0)

    def target(self, index: int) -> Target:
        return self.targets[index]

    def parts_in(
        self, text_words: Collection[str]
    ) -> Iterator[tuple[str, tuple[Company, ...], str]]:
        """Each distinctive part in ``text_words``, its companies and spelling, in order."""
        for part, companies in self.parts.items():
            if part in text_words:
                yield part, companies, self.part_spelling[part]


def name_forms(names: Iterable[str]) -> tuple[str, ...]:
    """Every way a draft may write a company that goes by ``names``: each name (plain
    apostrophes, hyphens and spaces, as the checker reads drafts), and each without its legal
    form ("O'Reilly Media, Inc." → "O'Reilly Media"; "Quellwerk GmbH" → "Quellwerk"). A name
    left as one word counts only when it is distinctive (as a part of a name must be: five
    letters or more, not an ordinary word), so "Target Inc" does not make "target" a name."""
    forms: list[str] = []
    for name in names:
        written = " ".join(plain(name).split())
        if not written:
            continue
        forms.append(written)
        short = written
        while (found := _LEGAL.search(short)) is not None and found.start() > 0:
            short = short[: found.start()].rstrip(" ,&+")
            words = WORD.findall(short)
            if not words:
                break
            if len(words) > 1 or (
                len(fold(words[0]).replace("'", "").replace("-", "")) >= MIN_LETTERS
                and not spelling.is_known(words[0])
            ):
                forms.append(short)
    return tuple(dict.fromkeys(forms))


def company_forms(company: Company) -> tuple[str, ...]:
    """:func:`name_forms` of ``company``'s names."""
    return name_forms(company.names)


def _folded_words(name: str) -> list[str]:
    return [fold(w) for w in WORD.findall(name)]


@lru_cache(maxsize=32)
def names_of(pipeline: tuple[Company, ...]) -> Names:
    dictionary = spelling.known_words()
    by_part: dict[str, set[int]] = {}
    spelled: dict[str, str] = {}
    owners: dict[int, Company] = {c.id: c for c in pipeline}
    by_key: dict[str, dict[int, Company]] = {}
    shown: dict[str, str] = {}
    for company in pipeline:
        for name in company_forms(company):
            written = WORD.findall(name)
            folded = [fold(w) for w in written]
            if not folded:
                continue
            key = " ".join(folded)
            by_key.setdefault(key, {})[company.id] = company
            shown.setdefault(key, " ".join(name.split()))
            if len(folded) < 2:
                continue
            for word, part in zip(written, folded, strict=True):
                if len(part) < MIN_LETTERS or part in GENERIC or part in dictionary:
                    continue
                by_part.setdefault(part, set()).add(company.id)
                spelled.setdefault(part, word)
    parts = {p: tuple(owners[i] for i in sorted(ids)) for p, ids in by_part.items()}
    # A part two companies share names neither of them.
    parts = {p: cs for p, cs in parts.items() if len(cs) == 1 and p not in by_key}
    # A one-word name that is an ordinary word ("Target") is not matched loosely: "targetd"
    # is as likely a slip for the word as for the company.
    targets = [
        Target(key, key.count(" ") + 1, tuple(cs.values()), shown[key])
        for key, cs in by_key.items()
        if len(key.replace(" ", "")) >= MIN_LETTERS and key not in dictionary
    ]
    targets += [Target(p, 1, cs, spelled[p]) for p, cs in parts.items()]
    return Names(
        parts=parts,
        part_spelling={p: spelled[p] for p in parts},
        targets=tuple(targets),
        keys=tuple(t.key for t in targets),
        words=frozenset(w for key in by_key for w in key.split()),
    )


class Mention(Plain):
    """A company named loosely in a draft: where, as written, and which company it is."""

    __slots__ = _fields = ("start", "end", "written", "company", "name", "misspelt")
    start: int
    end: int
    written: str
    company: Company
    name: str  # the name (or part) it stands for, as the company writes it
    misspelt: bool

    def __init__(
        self, start: int, end: int, written: str, company: Company, name: str, misspelt: bool
    ) -> None:
        setup(self, "start", start)
        setup(self, "end", end)
        setup(self, "written", written)
        setup(self, "company", company)
        setup(self, "name", name)
        setup(self, "misspelt", misspelt)


def parts_named(text: str, tokens: Sequence[Word], names: NameTables) -> Iterator[Mention]:
    """Every distinctive part of a name written in ``text`` (any case or accents, as a whole
    word or a piece of a hyphenated or apostrophed one: "O'Reilly", "Parkside-based")."""
    at: dict[str, list[Span]] = {}
    for token in tokens:
        for start, end in _pieces(token):
            at.setdefault(fold(text[start:end]), []).append((start, end))
    for part, companies, spelled in names.parts_in(at.keys()):
        for start, end in sorted(set(at[part])):
            yield Mention(start, end, text[start:end], companies[0], spelled, False)


_JOINS = re.compile(r"['-]")


def _pieces(token: Word) -> Iterator[Span]:
    """Where a part of a name may stand in ``token``: all of it, its stem ("O'Reilly" in
    "O'Reilly's"), and each piece between its hyphens and apostrophes."""
    yield token.start, token.end
    stem_end = token.start + len(token.stem)
    yield token.start, stem_end
    piece = token.start
    for join in _JOINS.finditer(token.text):
        yield piece, token.start + join.start()
        piece = token.start + join.end()
    if piece != token.start:
        yield piece, stem_end


def allowed_edits(key: str) -> int:
    """One slip for a name, two for a long one (12 letters or more, spaces aside)."""
    return 1 if len(key.replace(" ", "")) < 12 else 2


def misspelt(
    text: str, tokens: list[Word], names: NameTables, known: Collection[str], skip: Sequence[Span]
) -> Iterator[Mention]:
    """Runs of words one slip from a name (see the module's docstring), best match first and
    never two on the same words. ``known`` are folded words from the records; ``skip`` spans
    (people's names, links) are never part of a run.

    Only runs around a word the dictionary and the records do not know are compared, and
    such words are rare in a follow-up, so a long message costs a pass over its words.
    """
    if not names.has_targets:
        return
    dictionary = spelling.known_words()

    def ordinary(word: str) -> bool:
        return word in dictionary or word in known or word in names.words

    # Lower case first: folding (accents) is needed only for the few words it does not place.
    unknown = [
        i
        for i, t in enumerate(tokens)
        if not ordinary(t.stem.lower()) and not ordinary(fold(t.stem))
    ]
    if not unknown:
        return
    folded: dict[int, str] = {}
    longest = names.longest + 1
    found: dict[tuple[int, int], tuple[int, int, Mention]] = {}
    for odd in unknown:
        for first in range(max(0, odd - longest + 1), odd + 1):
            if not tokens[first].text[:1].isupper():
                continue  # a name keeps its capital when misspelt ("talentcd" is "talented")
            last = _joined_until(text, tokens, first, first + longest)
            for end in range(odd + 1, last + 1):
                for i in range(first, end):
                    if i not in folded:
                        folded[i] = fold(tokens[i].stem)
                words = [folded[i] for i in range(first, end)]
                match = _match(text, tokens[first:end], words, names, skip)
                if match is not None:
                    found[(first, end)] = match
    taken: list[Span] = []
    for _distance, _width, mention in sorted(
        found.values(), key=lambda f: (f[0], f[1], f[2].start)
    ):
        span = (mention.start, mention.end)
        if not overlaps(span, taken):
            taken.append(span)
            yield mention


def _joined_until(text: str, tokens: list[Word], first: int, limit: int) -> int:
    """The end (exclusive) of the run of words from ``first`` that only spaces or an "&"
    separate, at most ``limit``."""
    end = first + 1
    while end < min(limit, len(tokens)) and _GAP.fullmatch(
        text, tokens[end - 1].end, tokens[end].start
    ):
        end += 1
    return end


def _match(
    text: str, run: list[Word], words: list[str], names: NameTables, skip: Sequence[Span]
) -> tuple[int, int, Mention] | None:
    from rapidfuzz import process  # only for a word the dictionary does not know
    from rapidfuzz.distance import DamerauLevenshtein

    span = (run[0].start, run[-1].start + len(run[-1].stem))
    if overlaps(span, list(skip)):
        return None
    query = " ".join(words)
    near = process.extract(
        query, names.keys, scorer=DamerauLevenshtein.distance, score_cutoff=2, limit=None
    )
    best: tuple[int, int, Mention] | None = None
    for key, distance, index in near:
        target = names.target(index)
        if distance == 0 or distance > allowed_edits(key) or key[0] != query[0]:
            continue
        if abs(target.words - len(run)) > 1:
            continue
        written = text[span[0] : span[1]]
        mention = Mention(*span, written, target.companies[0], target.name, True)
        if best is None or distance < best[0]:
            best = (int(distance), -len(run), mention)
    return best
