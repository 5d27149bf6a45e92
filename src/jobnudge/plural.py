"""Counts that agree in number: "1 opportunity", "2 opportunities", "0 days".

Every text that puts a number before a noun goes through :func:`count` (Jinja: the ``count``
filter), so no message says "1 opportunities" or falls back on "message(s)". The words are a
known, small vocabulary, so their plurals are spelled out rather than guessed by a library.
"""

from __future__ import annotations

# Plurals that adding "s" would get wrong.
IRREGULAR = {
    "activity": "activities",
    "company": "companies",
    "entry": "entries",
    "match": "matches",
    "opportunity": "opportunities",
    "person": "people",
    "reply": "replies",
    "retry": "retries",
    "this": "these",
    "it": "them",
    "is": "are",
    "was": "were",
    "has": "have",
}


def plural(singular: str) -> str:
    """The plural of one of our nouns ("follow-up" -> "follow-ups")."""
    head, space, last = singular.rpartition(" ")
    word = IRREGULAR.get(last)
    if word is None:
        word = last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s")
    return f"{head}{space}{word}"


def noun(number: float, singular: str, plural_form: str | None = None) -> str:
    """The noun alone, agreeing with ``number`` ("it"/"them" too)."""
    if number == 1:
        return singular
    return plural_form or plural(singular)


def number(value: float) -> str:
    """A count as people write it: "3", "1,200", "1.5"."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def count(value: float, singular: str, plural_form: str | None = None) -> str:
    """A number and its noun: "1 opportunity", "2 opportunities", "1.5 days"."""
    return f"{number(value)} {noun(value, singular, plural_form)}"
