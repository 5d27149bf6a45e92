"""``name-spelling``: names in a draft match the contact records (seeds 001, 003).

Three passes, most specific first, each skipping text an earlier one settled: full names written
nearly right ("Dana Le"), the name in the greeting, then single words that look like a slip for
a name part ("Dnaa"). Ordinary dictionary words are never taken for names mid-text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from jobnudge.drafts import spelling
from jobnudge.drafts.checks import greeting as greetings
from jobnudge.drafts.checks.base import CheckInput, Either
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.names import GENERIC_NAMES, PersonName, close_enough, near, similarity
from jobnudge.drafts.text import Span, Word, fold, full_stop, overlaps, words
from jobnudge.typography import plain

FULL_NAME_SIMILARITY = 0.75
HONORIFICS = frozenset({"mr", "ms", "mrs", "mx", "dr", "prof", "miss"})


def richer(written: str, recorded: str) -> bool:
    """Whether ``written`` is the record's name with the letters the record was typed without
    ("Oğuz Yılmaz" for a record "Oguz Yilmaz", kept as a keyboard without them typed it): the
    spelling the person uses, not a slip. The other way round, a dropped accent, is one."""
    return recorded.isascii() and not written.isascii() and fold(written) == fold(recorded)


def _exact_names(inp: CheckInput) -> set[str]:
    """Names that are right wherever they appear: people, the user, companies."""
    exact = {p.full for p in inp.names} | {inp.settings.profile.name}
    if inp.company is not None:
        exact.update(inp.company.names)
    if inp.opportunity is not None:
        exact.add(inp.opportunity.company)
    return {" ".join(plain(e).split()) for e in exact if e.strip()}


def _known_words(inp: CheckInput) -> Either:
    """Lower-case words that are never a slip for a name: other names, companies, the role."""
    phrases = [p.full for p in inp.names] + [inp.settings.profile.name, *inp.known_words]
    if inp.company is not None:
        phrases.extend(inp.company.names)
    if inp.opportunity is not None:
        phrases += [inp.opportunity.company, inp.opportunity.role]
    known = {w.text.lower() for phrase in phrases for w in words(plain(phrase))}
    return Either(known, inp.lexicon.words)


def _window(tokens: list[Word], i: int, n: int, text: str) -> tuple[str, Span] | None:
    if i + n > len(tokens):
        return None
    chunk = tokens[i : i + n]
    between = [text[a.end : b.start] for a, b in itertools.pairwise(chunk)]
    if any(gap.strip() not in ("", ".") for gap in between):
        return None  # a name does not run across punctuation
    last = chunk[-1]
    written = " ".join([*(t.text for t in chunk[:-1]), last.stem])
    return written, (chunk[0].start, last.start + len(last.stem))


def _full_names(
    inp: CheckInput, tokens: list[Word], exact: Either, right: list[Span], flagged: list[Span]
) -> Iterator[Finding]:
    """Pass 1: multi-word names written almost right."""
    for person in inp.names:
        n = len(person.tokens)
        if n < 2:
            continue
        wanted = " ".join(person.tokens)
        for i in range(len(tokens)):
            found = _window(tokens, i, n, inp.text)
            if found is None:
                continue
            written, span = found
            if written == wanted or written in exact or richer(written, wanted):
                right.append(span)
                continue
            if overlaps(span, right + flagged) or not written[:1].isupper():
                continue
            pairs = list(zip(written.split(" "), person.tokens, strict=True))
            if pairs[0][0].rstrip(".").casefold() in HONORIFICS:
                continue  # "Ms. Lee" is a salutation, not a slip for "Mo Lee"
            if all(w == t or near(w, t) for w, t in pairs) and (
                similarity(written, wanted) >= FULL_NAME_SIMILARITY
            ):
                flagged.append(span)
                yield Finding(
                    "name-spelling",
                    Severity.ERROR,
                    *span,
                    f"'{written}' looks like a misspelling of {person.full}; names must match "
                    "the contact record exactly.",
                )


def _normal_honorific(honorific: str) -> str:
    return honorific.strip().rstrip(".").casefold()


def _greeting(inp: CheckInput, flagged: list[Span]) -> Iterator[Finding]:
    """Pass 2: the name in the greeting must be the addressee's, spelled as they spell it."""
    contact = inp.contact
    parsed = greetings.parse(inp.text, inp.layout)
    if contact is None or parsed is None or not parsed.name or overlaps(parsed.name_span, flagged):
        return
    written = parsed.name
    if fold(written) in GENERIC_NAMES:
        return
    addressee = inp.names[0] if inp.names and inp.names[0].contact.id == contact.id else None
    if addressee is None:
        return
    flagged.append(parsed.name_span)
    if written in addressee.forms or any(richer(written, form) for form in addressee.forms):
        recorded = _normal_honorific(contact.salutation)
        used = _normal_honorific(parsed.honorific)
        if recorded and used and recorded != used:
            yield Finding(
                "name-spelling",
                Severity.ERROR,
                *parsed.honorific_span,
                f"The greeting says '{parsed.honorific}', but {addressee.full} is recorded as "
                f"'{contact.salutation}'.",
            )
        else:
            flagged.pop()
        return
    others = [p for p in inp.names[1:] if written in p.forms]
    if others:
        message = (
            f"The greeting names {others[0].full}, but this message goes to "
            f"{full_stop(addressee.full)}"
        )
    else:
        best = max(addressee.forms, key=lambda form: similarity(written, form))
        if similarity(written, best) >= 0.5 or close_enough(written, best):
            message = f"'{written}' looks like a misspelling of '{best}' ({addressee.full})."
        elif not parsed.word:
            flagged.pop()
            return  # a line like "Thanks," is not a greeting
        else:
            message = (
                f"The greeting names '{written}', but this message goes to "
                f"{full_stop(addressee.full)}"
            )
    yield Finding("name-spelling", Severity.ERROR, *parsed.name_span, message)


def _single_words(
    inp: CheckInput, tokens: list[Word], known: Either, settled: list[Span]
) -> Iterator[Finding]:
    """Pass 3: one capitalised word that is a slip for a part of someone's name."""
    parts: list[tuple[str, PersonName]] = []
    for person in inp.names:
        parts.extend((part, person) for part in person.tokens if len(part) >= 2)
    for token in tokens:
        word = token.stem
        if not word[:1].isupper() or word.isupper() or word.lower() in known:
            continue
        if token.text.lower() in known:
            continue
        if inp.text[token.end : token.end + 1] == ":" and word in ("To", "Subject"):
            continue  # a header's label, not a name
        if overlaps((token.start, token.end), settled):
            continue
        for part, person in parts:
            if not close_enough(word, part) or richer(word, part):
                continue
            if fold(word) != fold(part) and spelling.is_known(word):
                continue  # an ordinary word ("Dane", "Thank") is not a misspelt name
            settled.append((token.start, token.end))
            yield Finding(
                "name-spelling",
                Severity.ERROR,
                token.start,
                token.start + len(word),
                f"'{word}' looks like a misspelling of '{part}' ({person.full}).",
            )
            break


def _written_whole(text: str, names: Iterable[str]) -> Iterator[Span]:
    """Where a name of several words is written exactly ("Dana de la Cruz", the user's own):
    no part of it is a slip for someone else's name ("Dana de" for "Dana Ae")."""
    for name in names:
        if " " in name:
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)"
            for found in re.finditer(pattern, text):
                yield found.span()


def run(inp: CheckInput) -> Iterator[Finding]:
    if not inp.names:
        return
    protected = inp.protected
    tokens = [t for t in inp.tokens if not overlaps((t.start, t.end), protected)]
    own = _exact_names(inp)
    exact = Either(own, inp.lexicon.names)
    right: list[Span] = list(_written_whole(inp.text, own))
    flagged: list[Span] = []
    yield from _full_names(inp, tokens, exact, right, flagged)
    yield from _greeting(inp, flagged)
    yield from _single_words(inp, tokens, _known_words(inp), right + flagged)
