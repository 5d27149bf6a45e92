"""What every check reads: the text and its layout, and the records the draft is about."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Mapping
from functools import cached_property, lru_cache

from jobnudge.drafts.checks.company_names import company_forms, name_forms
from jobnudge.drafts.findings import Finding
from jobnudge.drafts.names import PersonName, person_names
from jobnudge.drafts.text import Layout, Span, Word, protected_spans, words
from jobnudge.plain import Plain, setup

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the command line's quick check avoids typing
if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.domain.enums import Channel
    from jobnudge.domain.records import Company, Contact, Opportunity
    from jobnudge.drafts.checks.company_names import NameTables


class CheckInput(Plain):
    """One draft and its records, prepared once and shared by every check."""

    _fields = (
        "text",
        "layout",
        "channel",
        "rule",
        "opportunity",
        "company",
        "contact",
        "people",
        "pipeline",
        "settings",
        "to_address",
        "blocked_by",
        "known_words",
        "prepared",
        "roles",
        "names",
    )
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
    to_address: str
    blocked_by: tuple[str, ...]
    known_words: frozenset[str]
    prepared: Tables | None  # the pipeline's name tables, when the caller kept them
    roles: tuple[tuple[str, str], ...]  # (role, company) of the user's other opportunities
    names: list[PersonName]  # the contact's first, then the others' (computed)

    def __init__(
        self,
        *,
        text: str,
        layout: Layout,
        channel: Channel,
        rule: str | None,
        opportunity: Opportunity | None,
        company: Company | None,
        contact: Contact | None,
        people: tuple[Contact, ...],
        pipeline: tuple[Company, ...],
        settings: Settings,
        to_address: str = "",
        blocked_by: tuple[str, ...] = (),
        known_words: frozenset[str] = frozenset(),
        prepared: Tables | None = None,
        roles: tuple[tuple[str, str], ...] = (),
    ) -> None:
        given = locals()
        for name in self._fields[:-1]:
            setup(self, name, given[name])
        everyone = [contact] if contact is not None else []
        setup(self, "names", person_names([*everyone, *people]))

    @property
    def employer_names(self) -> tuple[str, ...]:
        """Every name the opportunity's employer goes by."""
        names: list[str] = []
        if self.opportunity is not None:
            names.extend(name_forms([self.opportunity.company]))
            for company in self.pipeline:
                if company.id == self.opportunity.company_id:
                    names.extend(company_forms(company))
        if self.company is not None and (
            self.opportunity is None or self.company.id == self.opportunity.company_id
        ):
            names.extend(company_forms(self.company))
        return tuple(dict.fromkeys(n for n in names if n.strip()))

    @property
    def lexicon(self) -> Lexicon | LexiconLike:
        """The pipeline's names (:func:`lexicon`), from the prepared tables when given."""
        return self.prepared.lexicon if self.prepared is not None else lexicon(self.pipeline)

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


class Lexicon(Plain):
    """What a pipeline's names contribute to the checks, computed once per pipeline."""

    __slots__ = _fields = ("names", "words", "keys")
    names: frozenset[str]  # every company name and alias, spaces normalised
    words: frozenset[str]  # the lower-case words of those names
    keys: tuple[tuple[str, frozenset[str]], ...]  # (name, its lower-case \w+ runs)

    def __init__(
        self,
        names: frozenset[str],
        words: frozenset[str],
        keys: tuple[tuple[str, frozenset[str]], ...],
    ) -> None:
        setup(self, "names", names)
        setup(self, "words", words)
        setup(self, "keys", keys)

    def candidates(self, text_words: frozenset[str]) -> set[str]:
        """The names whose every word occurs in ``text_words`` (a set of lower-case runs)."""
        return {n for n, needed in self.keys if needed <= text_words}


class LexiconLike:
    """What the checks read of a :class:`Lexicon`: its names and words (membership only) and
    :meth:`Lexicon.candidates`; the kept tables (``checks/kept.py``) answer the same."""

    names: Container[str]
    words: Container[str]

    def candidates(self, text_words: frozenset[str]) -> set[str]:
        raise NotImplementedError


class Tables(Plain):
    """A pipeline's prepared name tables: :func:`lexicon`, :func:`owners` and
    ``company_names.names_of``, computed here or read from a kept file."""

    __slots__ = _fields = ("lexicon", "owners", "loose", "covers")
    lexicon: Lexicon | LexiconLike
    owners: Mapping[str, tuple[Company, ...]]
    loose: NameTables
    covers: Callable[[Company], bool]  # whether a company is one of the pipeline's

    def __init__(
        self,
        lexicon: Lexicon | LexiconLike,
        owners: Mapping[str, tuple[Company, ...]],
        loose: NameTables,
        covers: Callable[[Company], bool],
    ) -> None:
        setup(self, "lexicon", lexicon)
        setup(self, "owners", owners)
        setup(self, "loose", loose)
        setup(self, "covers", covers)


class Either:
    """Membership in either of two collections, without copying the large one."""

    __slots__ = ("more", "own")

    def __init__(self, own: Container[str], more: Container[str]) -> None:
        self.own = own
        self.more = more

    def __contains__(self, item: object) -> bool:
        return item in self.own or item in self.more


def _key(name: str) -> str:
    return " ".join(name.lower().split())


@lru_cache(maxsize=32)
def owners(pipeline: tuple[Company, ...]) -> dict[str, tuple[Company, ...]]:
    """Each name (lower case, spaces normalised) → the companies that go by it."""
    found: dict[str, list[Company]] = {}
    for company in pipeline:
        for name in company_forms(company):
            found.setdefault(_key(name), []).append(company)
    return {name: tuple(companies) for name, companies in found.items()}


def tables(pipeline: tuple[Company, ...]) -> Tables:
    """The name tables of ``pipeline``, computed (each part cached per pipeline)."""
    from jobnudge.drafts.checks.company_names import names_of

    return Tables(lexicon(pipeline), owners(pipeline), names_of(pipeline), pipeline.__contains__)


@lru_cache(maxsize=32)
def lexicon(pipeline: tuple[Company, ...]) -> Lexicon:
    """The pipeline's names, cached: a 200-company pipeline is the same from check to check."""
    names = {n for c in pipeline for n in company_forms(c)}
    return Lexicon(
        names=frozenset(names),
        words=frozenset(w.text.lower() for n in names for w in words(n)),
        keys=tuple((n, frozenset(re.findall(r"\w+", n.lower()))) for n in sorted(names)),
    )


Check = Callable[[CheckInput], Iterable[Finding]]
