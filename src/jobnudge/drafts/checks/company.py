"""``wrong-company``: never name another employer from the pipeline; do name the right one,
spelt right.

Keeping a record of every application exists "so that you do not email the wrong company by
mistake". Only names whose every word occurs in the text go into the (cached) pattern, so a
200-company pipeline costs a set lookup per name, not a 200-way regex alternation at every
character. Names written loosely (a distinctive part, a slip) are found by ``company_names``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from jobnudge.domain.enums import Channel
from jobnudge.drafts import spelling
from jobnudge.drafts.checks import company_names
from jobnudge.drafts.checks.base import CheckInput, Tables, tables
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.rules import COMPANY_NAMED_RULES
from jobnudge.drafts.text import (
    WORD,
    Span,
    fold,
    full_stop,
    overlaps,
    phrase_pattern,
    starts_sentence,
)
from jobnudge.plain import Plain, setup
from jobnudge.typography import plain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jobnudge.domain.records import Company, Opportunity


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive, whole-word pattern for all ``names``, longest first."""
    ordered = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(phrase_pattern(n) for n in ordered), re.IGNORECASE)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _present(name: str, text_words: frozenset[str]) -> bool:
    return set(re.findall(r"\w+", name.lower())) <= text_words


def _ordinary_word(written: str, name: str) -> bool:
    """ "apple" in lower case is fruit, not Apple: a one-word name that is a dictionary word
    counts only when written with the capitals the company uses."""
    if " " in name.strip() or written != written.lower() or name == name.lower():
        return False
    return spelling.is_known(written)


def _ambiguous_capital(text: str, start: int, written: str, name: str) -> bool:
    """ "Target dates are set" opens a sentence, where every word has a capital: a one-word
    name that is a dictionary word there may be the company or may not (a warning, not an
    error)."""
    if " " in name.strip() or not spelling.is_known(written):
        return False
    return written != written.upper() and starts_sentence(text, start)


def _masks(inp: CheckInput) -> list[Span]:
    """Text that may contain a company's name without meaning it: people, the role, addresses."""
    phrases = [p.full for p in inp.names]
    phrases.append(inp.settings.profile.name)
    if inp.opportunity is not None:
        phrases.append(inp.opportunity.role)
    spans = list(inp.protected)
    for phrase in phrases:
        if phrase.strip():
            pattern = phrase_pattern(plain(phrase))
            spans += [m.span() for m in re.finditer(pattern, inp.text, re.IGNORECASE)]
    return spans


class NotKept(LookupError):
    """Kept tables asked about a company they do not hold (the caller then computes them)."""


class _Scope(Plain):
    """Whom a draft may name: the companies it is about, and the text that is not a name."""

    __slots__ = _fields = ("tables", "allowed_ids", "allowed_keys", "employer", "masks")
    tables: Tables
    allowed_ids: frozenset[int]
    allowed_keys: frozenset[str]
    employer: str  # the employer as messages name it
    masks: list[Span]

    def __init__(
        self,
        *,
        tables: Tables,
        allowed_ids: frozenset[int],
        allowed_keys: frozenset[str],
        employer: str,
        masks: list[Span],
    ) -> None:
        setup(self, "tables", tables)
        setup(self, "allowed_ids", allowed_ids)
        setup(self, "allowed_keys", allowed_keys)
        setup(self, "employer", employer)
        setup(self, "masks", masks)

    def allows(self, company: Company, name: str = "") -> bool:
        return company.id in self.allowed_ids or _key(name) in self.allowed_keys


def _scope(inp: CheckInput) -> _Scope:
    ids = {inp.company.id if inp.company else None}
    if inp.opportunity is not None:
        ids |= {inp.opportunity.company_id, inp.opportunity.staffing_firm_id}
    if inp.contact is not None:
        ids.add(inp.contact.company_id)
    allowed_ids = frozenset(i for i in ids if i is not None)
    if inp.prepared is not None:
        prepared = inp.prepared
        if inp.company is not None and not prepared.covers(inp.company):
            raise NotKept("the addressee's company is not among the kept tables' companies")
    else:
        pipeline = inp.pipeline
        if inp.company is not None and inp.company not in pipeline:
            pipeline = (*pipeline, inp.company)
        prepared = tables(pipeline)
    names = set(inp.employer_names)
    if inp.company is not None and inp.company.id in allowed_ids:
        names.update(company_names.company_forms(inp.company))
    return _Scope(
        tables=prepared,
        allowed_ids=allowed_ids,
        allowed_keys=frozenset(_key(n) for n in names if n.strip()),
        employer=inp.opportunity.company if inp.opportunity else "this employer",
        masks=_masks(inp),
    )


def _exact(inp: CheckInput, scope: _Scope) -> Iterator[tuple[Span, Finding | None]]:
    """Every company name written exactly (any case): None for the right company's, a finding
    for another employer's (nothing for an ordinary word or a masked one)."""
    text_words = inp.lowered
    candidates = scope.tables.lexicon.candidates(text_words)
    candidates.update(n for n in scope.allowed_keys if _present(n, text_words))
    names = tuple(sorted({_key(n) for n in candidates}))
    if not names:
        return
    by_name = scope.tables.owners
    for match in _pattern(names).finditer(inp.text):
        key = _key(match.group())
        owners = by_name.get(key, ())
        if key in scope.allowed_keys or any(scope.allows(c) for c in owners):
            yield match.span(), None
            continue
        if overlaps(match.span(), scope.masks):
            continue
        other = owners[0]
        name = next(n for n in company_names.company_forms(other) if _key(n) == key)
        if _ordinary_word(match.group(), name):
            continue
        ambiguous = _ambiguous_capital(inp.text, match.start(), match.group(), name)
        yield match.span(), _another(match.group(), match.span(), other, scope, ambiguous)


def run(inp: CheckInput) -> Iterator[Finding]:
    scope = _scope(inp)
    exact = list(_exact(inp, scope))
    loose = scope.tables.loose
    known = {fold(w) for w in _record_words(inp)}  # the pipeline's own words are in ``loose``
    # A slip explains an exact shorter name inside it ("Initech Solutons" holds "Initech"),
    # but never cuts into an exact name that runs past it.
    slips = [
        m
        for m in company_names.misspelt(inp.text, inp.tokens, loose, known, scope.masks)
        if not any(_crosses(span, (m.start, m.end)) for span, _ in exact)
    ]
    slip_spans = [(m.start, m.end) for m in slips]
    named_employer = False
    for span, finding in exact:
        if any(_inside(span, slip) for slip in slip_spans):
            continue
        if finding is None:
            named_employer = True
        else:
            yield finding
    for mention in slips:
        if scope.allows(mention.company, mention.name):
            named_employer = True
        yield _misspelt(mention, scope)
    taken = [span for span, _ in exact] + slip_spans + scope.masks
    for mention in company_names.parts_named(inp.text, inp.tokens, loose):
        span = (mention.start, mention.end)
        if scope.allows(mention.company):
            named_employer = True
        elif not overlaps(span, taken):
            yield _another(mention.written, span, mention.company, scope, False)
    yield from _other_roles(inp, scope)
    if (
        (inp.rule is None or inp.rule in COMPANY_NAMED_RULES)
        and inp.channel is Channel.EMAIL
        and inp.opportunity is not None
        and not named_employer
        and not _names_role(inp)
    ):
        yield Finding(
            "wrong-company",
            Severity.WARNING,
            0,
            0,
            f"This email names neither {scope.employer} nor the {inp.opportunity.role} role; "
            "say which job you mean so the reader can place you.",
        )


def _inside(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _crosses(exact: Span, slip: Span) -> bool:
    """An exact name that overlaps a slip without lying inside it."""
    return overlaps(exact, [slip]) and not _inside(exact, slip)


def _misspelt(mention: company_names.Mention, scope: _Scope) -> Finding:
    span = (mention.start, mention.end)
    if scope.allows(mention.company, mention.name):
        message = (
            f"'{mention.written}' looks like a misspelling of {mention.name}, the company "
            "this message is about; write the name as they do."
        )
    else:
        message = (
            f"'{mention.written}' looks like {mention.company.name} misspelt, another employer "
            f"in your pipeline, but this message is about {full_stop(scope.employer)} "
            "Remove it, or check you are writing to the right company."
        )
    return Finding("wrong-company", Severity.ERROR, *span, message)


def _another(written: str, span: Span, other: Company, scope: _Scope, ambiguous: bool) -> Finding:
    """Another employer named: an error, or a warning where the word may be an ordinary one."""
    if ambiguous:
        return Finding(
            "wrong-company",
            Severity.WARNING,
            *span,
            f"'{written}' may be {other.name}, another employer in your pipeline, but this "
            f"message is about {full_stop(scope.employer)} If you mean the company, remove it.",
        )
    return Finding(
        "wrong-company",
        Severity.ERROR,
        *span,
        f"'{written}' is {other.name}, another employer in your pipeline, but this message is "
        f"about {full_stop(scope.employer)} Remove it, or check you are writing to the right "
        "company.",
    )


def _record_words(inp: CheckInput) -> set[str]:
    """Words the records know besides the companies' (people's names, the role, the user's)."""
    phrases = [p.full for p in inp.names]
    phrases += [inp.settings.profile.name, inp.settings.profile.signature]
    if inp.opportunity is not None:
        phrases += [inp.opportunity.company, inp.opportunity.role]
    found = {w.lower() for phrase in phrases for w in WORD.findall(plain(phrase))}
    found.update(w.lower() for w in inp.known_words)
    return found


def roles_besides(
    opportunity: Opportunity, every: Iterable[Opportunity]
) -> tuple[tuple[str, str], ...]:
    """The ``(role, company)`` of the opportunities other than ``opportunity`` whose role is
    not its own: what the checker's ``roles`` holds."""
    own = _key(plain(opportunity.role))
    return tuple(
        (o.role, o.company)
        for o in every
        if o.id != opportunity.id and o.role.strip() and _key(plain(o.role)) != own
    )


def _other_roles(inp: CheckInput, scope: _Scope) -> Iterator[Finding]:
    """Another opportunity's role written where this one's belongs ("the Data Analyst position"
    in a message about the Senior Data Analyst one, or Initech's "Analytics Engineer"): the
    role is what the reader places the message by. This role's own words are masked first, so
    a shorter role inside it is not another one. A one-word role counts only as the record
    capitalises it ("Engineer", not "engineer"); a longer one written in lower case is a
    warning (it may name a trade)."""
    own = inp.opportunity.role if inp.opportunity else ""
    mine = {_key(plain(own))} if own.strip() else set()
    masks = list(scope.masks)
    if own.strip():
        masks += [m.span() for m in re.finditer(phrase_pattern(plain(own)), inp.text, re.I)]
    seen: set[str] = set()
    for role, company in sorted(inp.roles, key=lambda pair: -len(pair[0])):
        key = _key(plain(role))
        if not key or key in mine or key in seen:
            continue
        seen.add(key)
        one_word = " " not in key
        flags = 0 if one_word else re.IGNORECASE
        for match in re.finditer(phrase_pattern(plain(role)), inp.text, flags):
            if overlaps(match.span(), masks) or (one_word and match.group() == key):
                continue
            masks.append(match.span())
            # In lower case it may be a trade ("as a data analyst, I..."), not the job's title.
            casual = match.group() == match.group().lower() != role
            yield Finding(
                "wrong-company",
                Severity.WARNING if casual else Severity.ERROR,
                *match.span(),
                f"'{match.group()}' is the role of another opportunity in your pipeline "
                f"({company}), but this message is about the {own} role at "
                f"{full_stop(scope.employer)} Write this job's role.",
            )
            break


def _names_role(inp: CheckInput) -> bool:
    role = inp.opportunity.role if inp.opportunity else ""
    if not role.strip():
        return False
    return re.search(phrase_pattern(plain(role)), inp.text, re.IGNORECASE) is not None
