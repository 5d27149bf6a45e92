"""Reading a draft's greeting line ("Dear Ms. Lee,", "Hi Dana,", "Dana,") for the name checks."""

from __future__ import annotations

import re

from jobnudge.drafts.text import Layout, Span
from jobnudge.plain import Plain, setup

_GREETING = re.compile(
    r"(?P<word>Dear|Hi|Hello|Hey|Hiya|Yo|Howdy|Greetings|Good (?:morning|afternoon|evening))"
    r"\b[ \t]*(?:(?P<hon>(?:Mr|Ms|Mrs|Mx|Dr|Prof|Miss)\.?)[ \t]+)?(?P<name>[^,;:!.?\n]*)",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(r"(?P<rest>[^\W\d_][^\s,]*(?:[ \t][^\W\d_][^\s,]*)?)[ \t]*,")

CASUAL_WORDS = frozenset({"hey", "hiya", "yo", "howdy"})


class Greeting(Plain):
    __slots__ = _fields = (
        "word",
        "word_span",
        "honorific",
        "honorific_span",
        "name",
        "name_span",
    )
    word: str  # "Dear", "Hi", or "" for a bare "Dana,"
    word_span: Span
    honorific: str  # "Ms." or ""
    honorific_span: Span
    name: str  # "Lee", "Dana Lee", or "" ("Hello,")
    name_span: Span

    def __init__(
        self,
        word: str,
        word_span: Span,
        honorific: str,
        honorific_span: Span,
        name: str,
        name_span: Span,
    ) -> None:
        setup(self, "word", word)
        setup(self, "word_span", word_span)
        setup(self, "honorific", honorific)
        setup(self, "honorific_span", honorific_span)
        setup(self, "name", name)
        setup(self, "name_span", name_span)


def parse(text: str, layout: Layout) -> Greeting | None:
    """The greeting of the draft's first body line, if it has one."""
    line = layout.greeting
    if line is None:
        return None
    start, end = line
    match = _GREETING.match(text, start, end)
    if match is None:
        bare = _VOCATIVE.match(text, start, end)
        if bare is None:
            return None
        span = bare.span("rest")
        return Greeting("", (start, start), "", (start, start), bare["rest"], span)
    name_start = match.start("name")
    name = match["name"].rstrip()
    if name.lower().startswith(("this is", "it's", "it’s")):
        name = ""
    return Greeting(
        match["word"],
        match.span("word"),
        match["hon"] or "",
        match.span("hon") if match["hon"] else (name_start, name_start),
        name,
        (name_start, name_start + len(name)),
    )
