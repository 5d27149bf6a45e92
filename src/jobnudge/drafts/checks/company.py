"""``wrong-company``: never name another employer from the pipeline; do name the right one.

Seed 004 keeps a spreadsheet "so that you do not email the wrong company by mistake". Only
names whose every word occurs in the text go into the (cached) pattern, so a 200-company
pipeline costs a set lookup per name, not a 200-way regex alternation at every character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from jobnudge.domain.enums import Channel
from jobnudge.domain.records import Company
from jobnudge.drafts import spelling
from jobnudge.drafts.checks.base import CheckInput, lexicon
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.rules import COMPANY_NAMED_RULES
from jobnudge.drafts.text import Span, overlaps, phrase_pattern


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive, whole-word pattern for all ``names``, longest first."""
    ordered = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(phrase_pattern(n) for n in ordered), re.IGNORECASE)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


@lru_cache(maxsize=32)
def _owners(pipeline: tuple[Company, ...]) -> dict[str, tuple[Company, ...]]:
    """Each name (lower case) → the companies that go by it."""
    owners: dict[str, list[Company]] = {}
    for company in pipeline:
        for name in company.names:
            if name.strip():
                owners.setdefault(_key(name), []).append(company)
    return {name: tuple(companies) for name, companies in owners.items()}


def _present(name: str, text_words: frozenset[str]) -> bool:
    return set(re.findall(r"\w+", name.lower())) <= text_words


def _ordinary_word(written: str, name: str) -> bool:
    """ "apple" in lower case is fruit, not Apple: a one-word name that is a dictionary word
    counts only when written with the capitals the company uses."""
    if " " in name.strip() or written != written.lower() or name == name.lower():
        return False
    return spelling.is_known(written)


def _masks(inp: CheckInput) -> list[Span]:
    """Text that may contain a company's name without meaning it: people, the role, addresses."""
    phrases = [p.full for p in inp.names]
    phrases.append(inp.settings.profile.name)
    if inp.opportunity is not None:
        phrases.append(inp.opportunity.role)
    spans = list(inp.protected)
    for phrase in phrases:
        if phrase.strip():
            spans += [
                m.span() for m in re.finditer(phrase_pattern(phrase), inp.text, re.IGNORECASE)
            ]
    return spans


def run(inp: CheckInput) -> Iterator[Finding]:
    allowed_ids = {inp.company.id if inp.company else None}
    if inp.opportunity is not None:
        allowed_ids |= {inp.opportunity.company_id, inp.opportunity.staffing_firm_id}
    if inp.contact is not None:
        allowed_ids.add(inp.contact.company_id)
    allowed_ids.discard(None)
    by_name = _owners(inp.pipeline)
    allowed_names = set(inp.employer_names)
    if inp.company is not None and inp.company.id in allowed_ids:
        allowed_names.update(inp.company.names)
    allowed_keys = {_key(n) for n in allowed_names if n.strip()}
    text_words = inp.lowered
    candidates = {n for n, needed in lexicon(inp.pipeline).keys if needed <= text_words}
    candidates.update(n for n in allowed_names if n.strip() and _present(n, text_words))
    names = tuple(sorted({_key(n) for n in candidates}))
    named_employer = False
    masks: list[Span] | None = None
    employer = inp.opportunity.company if inp.opportunity else "this employer"
    if names:
        for match in _pattern(names).finditer(inp.text):
            key = _key(match.group())
            owners = by_name.get(key, ())
            if key in allowed_keys or any(c.id in allowed_ids for c in owners):
                named_employer = True
                continue
            if masks is None:
                masks = _masks(inp)
            if overlaps(match.span(), masks):
                continue
            other = owners[0]
            if _ordinary_word(match.group(), next(n for n in other.names if _key(n) == key)):
                continue
            yield Finding(
                "wrong-company",
                Severity.ERROR,
                *match.span(),
                f"'{match.group()}' is {other.name}, another employer in your pipeline, but this "
                f"message is about {employer}. Remove it, or check you are writing to the right "
                "company.",
            )
    if (
        inp.rule in COMPANY_NAMED_RULES
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
            f"This email names neither {employer} nor the {inp.opportunity.role} role; say "
            "which job you mean so the reader can place you.",
        )


def _names_role(inp: CheckInput) -> bool:
    role = inp.opportunity.role if inp.opportunity else ""
    if not role.strip():
        return False
    return re.search(phrase_pattern(role), inp.text, re.IGNORECASE) is not None
