"""How the checker's fast path prints its findings: the same lines, styles and wrapping as the
full command's Rich output, or None when a line holds something Rich would print differently
(markup, emoji codes, characters past ASCII but the quotes). Apart from finding what to print
(cli.quickcheck); standard library only, like it."""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from jobnudge.cli.terminal import Paint
    from jobnudge.drafts.findings import Finding


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "hint": "cyan"}  # cli/drafts.py
NOTHING = "The checker found nothing to fix."
MIN_WIDTH = 40
SAFE = (frozenset(map(chr, range(0x20, 0x7F))) - {"\\"}) | frozenset("\n“”‘’")
"""Characters Rich prints as themselves in one cell each (not the backslash, which its markup
escaping may double at the end of a line): the text path answers only these."""


EMOJI = re.compile(r":\S*?:")  # what Rich may take for an emoji code


def show(text: str, findings: Sequence[Finding], environ: Mapping[str, str]) -> str | None:
    """The findings as ``cli/drafts.show_findings`` prints them with Rich, or None when that
    is not certain (characters Rich may treat otherwise, a narrow terminal)."""
    from jobnudge.cli import terminal

    width = terminal.terminal_width(environ)  # type: ignore[arg-type]
    if width < MIN_WIDTH:
        return None
    paint = terminal.Paint.for_stream(sys.stdout, environ)  # type: ignore[arg-type]
    if not findings:
        return _lines(NOTHING, "green", len(NOTHING), width, paint)
    out = []
    for f in findings:
        where = f" at {_position(text, f.start)} “{f.excerpt(text)}”" if f.end > f.start else ""
        severity = str(f.severity)
        line = f"{severity} {f.code}{where}: {f.message}"
        shown = _lines(line, SEVERITY_STYLE.get(severity, ""), len(severity), width, paint)
        if shown is None:
            return None
        out.append(shown)
    return "".join(out)


def _position(text: str, offset: int) -> str:  # cli/drafts.py's
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _lines(line: str, style: str, styled: int, width: int, paint: Paint) -> str | None:
    """``line`` as Rich prints it at ``width``, its first ``styled`` characters in ``style``."""
    if not SAFE.issuperset(line) or EMOJI.search(line):
        return None
    wrapped = wrap(line, width)
    if paint.on and style:
        first = wrapped[0]
        if len(first) < styled or "\n" in line[:styled]:
            return None
        wrapped[0] = paint(first[:styled], style) + first[styled:]
    return "\n".join(wrapped) + "\n"


def wrap(text: str, width: int) -> list[str]:
    """``text`` (single-width characters) in lines as Rich's ``Text.wrap`` cuts them with the
    default justification and "fold" overflow: each given line split where
    ``rich._wrap.divide_line`` splits it, whitespace past the width dropped, then cropped."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        breaks = _divide(paragraph, width)
        for start, end in zip([0, *breaks], [*breaks, len(paragraph)], strict=True):
            piece = paragraph[start:end]
            if len(piece) > width:
                trailing = len(piece) - len(piece.rstrip())
                piece = piece[: len(piece) - min(trailing, len(piece) - width)]
            out.append(piece[:width])
    return out


_WORD = re.compile(r"\s*\S+\s*")


def _divide(text: str, width: int) -> list[int]:
    """Where ``rich._wrap.divide_line`` breaks ``text`` (one cell per character)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for number, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if number == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks
