"""The offline English dictionary, loaded once per process and only when first needed.

pyspellchecker ships its word list inside the wheel, so nothing is downloaded; loading it costs
a few hundred milliseconds, which is why it sits behind a cached function and is never imported
at start-up (ARCHITECTURE.md, convention 11).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spellchecker import SpellChecker

JOB_WORDS_FILE = Path(__file__).with_name("words.txt")


@cache
def dictionary() -> SpellChecker:
    """The English dictionary plus job-search words, loaded on first use and kept."""
    from spellchecker import SpellChecker

    checker = SpellChecker(language="en", distance=1)
    checker.word_frequency.load_words(job_words())
    return checker


@cache
def job_words() -> frozenset[str]:
    """Words a job seeker writes that the general dictionary lacks ("onboarding", "résumé")."""
    lines = JOB_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def is_known(word: str) -> bool:
    """Whether the dictionary knows ``word`` (any case, curly apostrophes allowed)."""
    return word.lower().replace("’", "'") in dictionary()


def suggestion(word: str) -> str | None:
    """The likeliest correction one edit away, or None."""
    best = dictionary().correction(word.lower().replace("’", "'"))
    return best if best and best != word.lower() else None
