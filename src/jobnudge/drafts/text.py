"""Reading a draft's text: its headers, its greeting line, its words with their offsets.

A draft is edited as plain text ("To:" and "Subject:" lines, a blank line, then the body), so
every check works on offsets into that one string and can point at exactly what it means.
"""

from __future__ import annotations

import re

from jobnudge import typography
from jobnudge.plain import Plain, setup

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
"""A word: letters, possibly joined by apostrophes or hyphens ("O'Brien", "Anne-Marie")."""

SLOT = re.compile(r"\[\[.*?\]\]", re.DOTALL)
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|co|uk|de|ai|app|edu|gov)"
    r"(?:/\S*)?\b",
    re.IGNORECASE,
)
_HEADER = re.compile(r"(?P<name>to|subject|cc|bcc):[ \t]*(?P<value>[^\n]*)", re.IGNORECASE)

Span = tuple[int, int]


class Layout(Plain):
    """Where the parts of a draft are: header values, the body, the greeting line."""

    __slots__ = _fields = ("text", "body_start", "to", "subject")
    text: str
    body_start: int
    to: Span | None
    subject: Span | None

    def __init__(
        self, text: str, body_start: int, to: Span | None = None, subject: Span | None = None
    ) -> None:
        setup(self, "text", text)
        setup(self, "body_start", body_start)
        setup(self, "to", to)
        setup(self, "subject", subject)

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def greeting(self) -> Span | None:
        """The first non-blank line of the body."""
        for match in re.finditer(r"[^\n]*\S[^\n]*", self.text[self.body_start :]):
            return self.body_start + match.start(), self.body_start + match.end()
        return None


def layout(text: str) -> Layout:
    """Split leading "To:"/"Subject:" lines from the body; without them the body is all of it."""
    position = 0
    to = subject = None
    while True:
        match = _HEADER.match(text, position)
        if match is None:
            break
        value = match.span("value")
        if match["name"].lower() == "to":
            to = value
        elif match["name"].lower() == "subject":
            subject = value
        position = match.end()
        if position < len(text) and text[position] == "\n":
            position += 1
    if position:
        while position < len(text) and text[position] in "\r\n \t":
            position += 1
    return Layout(text=text, body_start=position, to=to, subject=subject)


class Word(Plain):
    __slots__ = _fields = ("text", "start", "end")
    text: str
    start: int
    end: int

    def __init__(self, text: str, start: int, end: int) -> None:
        setup(self, "text", text)
        setup(self, "start", start)
        setup(self, "end", end)

    @property
    def stem(self) -> str:
        """The word without a possessive "'s" ("Acme's" → "Acme")."""
        if len(self.text) > 3 and self.text[-2:] in ("'s", "’s"):
            return self.text[:-2]
        return self.text


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]`` with offsets into ``text``."""
    stop = len(text) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in WORD.finditer(text, start, stop)]


def fold(text: str) -> str:
    """Lower case without accents or typographic look-alikes: "Zoë" → "zoe", "O’Brien" →
    "o'brien", so dropped accents and curly apostrophes can be recognised."""
    return typography.fold(text)


def full_stop(name: str) -> str:
    """``name`` ending a sentence: with its full stop, but only one ("O'Reilly Media, Inc.")."""
    return name if name.endswith((".", "!", "?")) else f"{name}."


_OPENERS = frozenset('.!?:;\n"“([–—-')


def starts_sentence(text: str, index: int) -> bool:
    """Whether the word at ``index`` opens a sentence, line or quotation (where any word is
    capitalised, so a capital says nothing about it being a name)."""
    before = index - 1
    while before >= 0 and text[before] in " \t":
        before -= 1
    return before < 0 or text[before] in _OPENERS


def overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def protected_spans(text: str) -> list[Span]:
    """Slots, email addresses and links: never words to spell-check or names to match."""
    spans = [m.span() for m in SLOT.finditer(text)]
    spans += [m.span() for m in EMAIL.finditer(text)]
    spans += [m.span() for m in URL.finditer(text)]
    return spans


def phrase_pattern(phrase: str) -> str:
    """A regex for ``phrase`` as whole words, any run of spaces between them."""
    parts = [re.escape(p) for p in phrase.split()]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
