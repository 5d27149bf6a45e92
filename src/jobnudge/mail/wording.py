"""Text as the phrase matchers read it, whatever the client did to it: wrapped lines, capitals,
typographic quotes, accents typed or not, punctuation. Standard library only (unicodedata), so it
works the same for every language.

- :func:`folded` keeps the punctuation (dates need their dots and slashes) but drops accents and
  case: "Müssen", "MUSSEN" and "müssen" all read "mussen"; "ß" reads "ss".
- :func:`words` also turns every run of anything but letters and digits into one space, so a
  phrase matches across line breaks, "we’ve" reads "we ve", and "n'a pas été" reads "n a pas ete".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def folded(text: str) -> str:
    """Case-folded, accents removed, every run of white space one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).strip()


def words(text: str) -> str:
    """The words alone, lower case ASCII letters and digits separated by single spaces."""
    return " " + _NOT_WORD.sub(" ", folded(text)).strip() + " "


def phrases(*patterns: str) -> re.Pattern[str]:
    """One pattern for phrases written in :func:`words` form ("we ve decided"), each matched as
    whole words: the text is padded with spaces, so a leading and trailing space suffices."""
    return re.compile("|".join(f"(?: {p} )" for p in patterns))


def any_of(pattern: re.Pattern[str], texts: Iterable[str]) -> bool:
    return any(pattern.search(t) for t in texts)
