"""``spelling``: words the offline dictionary does not know (seed 001: "be sure your email is
spelled and punctuated properly").

Names, companies, roles and job-search words are known; links, addresses, numbers, acronyms,
slots and capitalised words mid-sentence (likely names of products or places) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobnudge.drafts import spelling
from jobnudge.drafts.checks.base import CheckInput, Either
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.text import overlaps, starts_sentence, words
from jobnudge.typography import plain


def _known(inp: CheckInput) -> Either:
    """Words from the records: everyone's names, the companies, the role, the user's signature."""
    phrases = [p.full for p in inp.names]
    phrases += [inp.settings.profile.name, inp.settings.profile.signature]
    if inp.company is not None:
        phrases.extend(inp.company.names)
    if inp.opportunity is not None:
        phrases += [inp.opportunity.company, inp.opportunity.role]
    known = {w.text.lower() for phrase in phrases for w in words(plain(phrase))}
    known.update(plain(w).lower() for w in inp.known_words)
    return Either(known, inp.lexicon.words)


def _pieces(word: str) -> list[str]:
    """A hyphenated word is right when each piece is ("follow-up", "second-round")."""
    return [p for p in re.split(r"[-]", word) if p]


def run(inp: CheckInput) -> Iterator[Finding]:
    text = inp.text
    skip = list(inp.protected)
    if inp.layout.to is not None:
        skip.append(inp.layout.to)
    known = _known(inp)
    dictionary = spelling.known_words()
    body_start, subject = inp.layout.body_start, inp.layout.subject
    for token in inp.tokens:
        in_subject = subject is not None and subject[0] <= token.start < subject[1]
        if token.start < body_start and not in_subject:
            continue
        word = token.text.replace("’", "'")
        if len(word) < 2 or word.isupper() or overlaps((token.start, token.end), skip):
            continue
        lower = word.lower()
        if lower in known or lower in dictionary or token.stem.lower() in known:
            continue
        if word[:1].isupper() and not starts_sentence(text, token.start):
            continue  # a capitalised word mid-sentence is a name we do not know of
        pieces = _pieces(lower)
        if len(pieces) > 1 and all(p in dictionary or p in known for p in pieces):
            continue
        if lower.endswith("'s") and lower[:-2] in dictionary:
            continue
        better = spelling.suggestion(word)
        hint = f"; did you mean '{better}'?" if better else "."
        yield Finding(
            "spelling",
            Severity.WARNING,
            token.start,
            token.end,
            f"'{token.text}' is not in the dictionary{hint} If it is right, ignore this.",
        )
