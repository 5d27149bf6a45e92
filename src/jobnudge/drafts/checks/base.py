"""What every check reads: the text and its layout, and the records the draft is about."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from jobnudge.config import Settings
from jobnudge.domain.enums import Channel
from jobnudge.domain.records import Company, Contact, Opportunity
from jobnudge.drafts.findings import Finding
from jobnudge.drafts.names import PersonName, person_names
from jobnudge.drafts.text import Layout, Span, Word, protected_spans, words


@dataclass(frozen=True)
class CheckInput:
    """One draft and its records, prepared once and shared by every check."""

    text: str
    layout: Layout
    channel: Channel
    rule: str | None
    opportunity: Opportunity | None
    company: Company | None  # the addressee's company (employer or staffing firm)
    contact: Contact | None
    people: tuple[Contact, ...]  # everyone else the draft may name
    pipeline: tuple[Company, ...]
    settings: Settings
    to_address: str = ""
    blocked_by: tuple[str, ...] = ()
    known_words: frozenset[str] = frozenset()
    names: list[PersonName] = field(init=False)

    def __post_init__(self) -> None:
        everyone = [self.contact] if self.contact is not None else []
        object.__setattr__(self, "names", person_names([*everyone, *self.people]))

    @property
    def employer_names(self) -> tuple[str, ...]:
        """Every name the opportunity's employer goes by."""
        names: list[str] = []
        if self.opportunity is not None:
            names.append(self.opportunity.company)
            for company in self.pipeline:
                if company.id == self.opportunity.company_id:
                    names.extend(company.names)
        if self.company is not None and (
            self.opportunity is None or self.company.id == self.opportunity.company_id
        ):
            names.extend(self.company.names)
        return tuple(dict.fromkeys(n for n in names if n.strip()))

    @cached_property
    def tokens(self) -> list[Word]:
        """The words of the whole text, found once for every check."""
        return words(self.text)

    @cached_property
    def protected(self) -> list[Span]:
        """Slots, addresses and links: not words, not names."""
        return protected_spans(self.text)

    @cached_property
    def lowered(self) -> frozenset[str]:
        """Every run of word characters in the text, lower-cased (for quick membership tests)."""
        return frozenset(re.findall(r"\w+", self.text.lower()))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What a pipeline's names contribute to the checks, computed once per pipeline."""

    names: frozenset[str]  # every company name and alias, spaces normalised
    words: frozenset[str]  # the lower-case words of those names
    keys: tuple[tuple[str, frozenset[str]], ...]  # (name, its lower-case \w+ runs)


@lru_cache(maxsize=32)
def lexicon(pipeline: tuple[Company, ...]) -> Lexicon:
    """The pipeline's names, cached: a 200-company pipeline is the same from check to check."""
    names = {" ".join(n.split()) for c in pipeline for n in c.names if n.strip()}
    return Lexicon(
        names=frozenset(names),
        words=frozenset(w.text.lower() for n in names for w in words(n)),
        keys=tuple((n, frozenset(re.findall(r"\w+", n.lower()))) for n in sorted(names)),
    )


Check = Callable[[CheckInput], Iterable[Finding]]
