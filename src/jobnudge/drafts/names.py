"""People's names as a draft may write them, and how close a written name is to the real one.

Names are compared by their Damerau–Levenshtein distance (``drafts/edits.py``, the same numbers as
rapidfuzz's), which counts a swapped pair of letters ("Dnaa") as one slip, the way people
actually mistype names.
"""

from __future__ import annotations

from collections.abc import Iterable

from jobnudge.drafts import edits
from jobnudge.drafts.salutation import clean, family_name, given_name
from jobnudge.drafts.text import WORD, fold
from jobnudge.plain import Plain, setup
from jobnudge.typography import plain

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from jobnudge.domain.records import Contact

GENERIC_NAMES = frozenset(
    fold(n)
    for n in (
        "hiring team",
        "hiring manager",
        "hiring committee",
        "recruiting team",
        "recruitment team",
        "talent team",
        "team",
        "all",
        "everyone",
        "there",
        "sir or madam",
        "sir",
        "madam",
        "recruiter",
        "friend",
        "friends",
    )
)
"""What a greeting may say instead of a person's name."""


class PersonName(Plain):
    """One person's name in the forms a draft may use."""

    __slots__ = _fields = ("contact", "full", "tokens", "given", "family")
    contact: Contact
    full: str  # "María van der Berg"
    tokens: tuple[str, ...]  # the words of the full name
    given: str  # "María"
    family: str  # "van der Berg"

    def __init__(
        self, contact: Contact, full: str, tokens: tuple[str, ...], given: str, family: str
    ) -> None:
        setup(self, "contact", contact)
        setup(self, "full", full)
        setup(self, "tokens", tokens)
        setup(self, "given", given)
        setup(self, "family", family)

    @property
    def forms(self) -> frozenset[str]:
        """Every correct way to write this person's name on its own: the full name, the given
        name, and the family name with or without its particles ("van der Berg", "Berg")."""
        words = self.full.split(" ")
        tails = {" ".join(words[i:]) for i in range(1, len(words))}
        surname = plain(self.contact.surname)
        return frozenset({self.full, self.given, self.family, surname, *tails})


def person_name(contact: Contact) -> PersonName:
    """``contact``'s name with plain apostrophes, hyphens and spaces (``typography.plain``):
    the checker reads drafts the same way, so "O’Brien" is "O'Brien"."""
    full = clean(plain(contact.name))
    return PersonName(
        contact=contact,
        full=full,
        tokens=tuple(WORD.findall(full)),
        given=plain(given_name(contact)),
        family=clean(plain(family_name(contact))),
    )


def person_names(contacts: Iterable[Contact]) -> list[PersonName]:
    """The names of ``contacts``, skipping blanks and repeats."""
    seen: set[int] = set()
    names = []
    for contact in contacts:
        if contact.id in seen or not contact.name.strip():
            continue
        seen.add(contact.id)
        names.append(person_name(contact))
    return names


def distance(written: str, real: str) -> int:
    """Edits (insert, delete, substitute, swap neighbours) from ``written`` to ``real``."""
    return edits.distance(written, real)


def similarity(written: str, real: str) -> float:
    """1.0 for identical, 0.0 for nothing in common; case and accents count."""
    return edits.similarity(written, real)


def near(written: str, real: str) -> bool:
    """One slip away (two for long words), or the same but for accents and case."""
    if fold(written) == fold(real):
        return True
    return distance(fold(written), fold(real)) <= (1 if len(real) < 7 else 2)


def close_enough(written: str, real: str) -> bool:
    """Whether ``written`` looks like a slip for ``real`` rather than another word.

    Two words are close when they start alike and differ by one edit (two for long names), or
    only in accents or case. Short words need an exact fold match: "Lea" is a name of its own.
    """
    if written == real:
        return False
    if fold(written) == fold(real):
        return True
    if len(real) < 4 or fold(written)[:1] != fold(real)[:1]:
        return False
    allowed = 1 if len(real) < 7 else 2
    return distance(fold(written), fold(real)) <= allowed
