"""Text set apart beside a name in a contact cell: "Tom Baker (Hays)", "Ana Silva [recruiter]",
"Robert (Bob) Smith", 'Robert "Bob" Smith'. A hand-kept tracker puts the firm, the role, an
address or a nickname there; none of it is the name, and a name stored with it is misspelled
in every draft written to that person.

Pure: a cell's text in, the text outside the asides and each aside out.
"""

from __future__ import annotations

import re

_OPEN = "([{<"
_CLOSE = ")]}>"
_DOUBLE = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]")
_SINGLE = re.compile(r"(?<![^\W\d_])['‘’]([^'‘’]*)['‘’](?![^\W\d_])")
"""Single quotes around words; an apostrophe between letters ("O'Neil") opens nothing."""


def _letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _brackets(text: str) -> tuple[str, list[str]]:
    """The text outside brackets and each outermost bracketed part; a bracket left open runs
    to the end of the cell ("Tom Baker (Hays"), a stray closing one is left to the caller."""
    outside: list[str] = []
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in _OPEN:
            if depth:
                current.append(char)
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                parts.append("".join(current))
                current = []
                outside.append(" ")
        elif depth:
            current.append(char)
        else:
            outside.append(char)
    if depth:
        parts.append("".join(current))
    return "".join(outside), parts


def split_asides(text: str) -> tuple[str, list[str]]:
    """The text outside brackets and quotes, and what they held. Quotes are set aside only
    beside a name ('Robert "Bob" Smith'); a name quoted whole ('"Dana Lee" <dana@…>') is the
    name. Nothing outside with a letter: the cell is all asides, and the caller decides."""
    outside, parts = _brackets(text)
    for quotes in (_DOUBLE, _SINGLE):
        if quotes.search(outside) and _letters(quotes.sub(" ", outside)):
            parts += [m.group(1) for m in quotes.finditer(outside)]
            outside = quotes.sub(" ", outside)
    return outside, [p for p in parts if p.strip()]
