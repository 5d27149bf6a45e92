"""Text for a terminal without Rich: styles as ANSI codes (only when the stream is a terminal
and NO_COLOR is unset), the terminal's width, the cells a string takes and word wrapping by
cells. Standard library only, for the agenda's and the checker's fast paths; apart from the
agenda's layout (cli.agendaview), which is one of its users."""

from __future__ import annotations

import os

from jobnudge.bounds import is_digits

SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


HUES = frozenset({"red", "green", "yellow", "cyan"})


class Paint:
    """Terminal styles as SGR codes, or nothing when the output is not a colour terminal.

    Follows what Rich did for this table: colour on a terminal (or with ``FORCE_COLOR``), none
    on a pipe, a file or a dumb terminal; ``NO_COLOR`` keeps bold and dim but drops colours.
    """

    def __init__(self, on: bool = False, colours: bool = True) -> None:
        self.on = on
        self.colours = colours

    @classmethod
    def for_stream(cls, stream: object, environ: dict[str, str] | None = None) -> Paint:
        env = os.environ if environ is None else environ
        if env.get("FORCE_COLOR"):
            on = True
        else:
            isatty = getattr(stream, "isatty", None)
            on = bool(isatty and isatty()) and env.get("TERM", "") not in ("dumb", "unknown")
        return cls(on, colours=not env.get("NO_COLOR"))

    def __call__(self, text: str, style: str) -> str:
        if not self.on or not text:
            return text
        codes = [
            SGR[word]
            for word in style.split()
            if word in SGR and (self.colours or word not in HUES)
        ]
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


def terminal_width(environ: dict[str, str] | None = None) -> int:
    """``COLUMNS`` when set, else the terminal's width (any of stdin, stdout, stderr), else 80:
    the order Rich used."""
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "")
    if is_digits(columns) and int(columns) > 0:
        return int(columns)
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (OSError, ValueError):
            continue
    return 80


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    import unicodedata

    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _tokens(paragraph: str, width: int) -> list[tuple[int, int]]:
    """Where the words of ``paragraph`` are, a word too long for ``width`` cut in pieces."""
    found: list[tuple[int, int]] = []
    start, size = None, len(paragraph)
    for index in range(size + 1):
        space = index == size or paragraph[index].isspace()
        if space and start is not None:
            found += _fold(paragraph, start, index, width)
            start = None
        elif not space and start is None:
            start = index
    return found


def _fold(paragraph: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    if cells(paragraph[start:end]) <= width:
        return [(start, end)]
    pieces, begin = [], start
    for index in range(start + 1, end + 1):
        if cells(paragraph[begin:index]) > width:
            pieces.append((begin, index - 1))
            begin = index - 1
    pieces.append((begin, end))
    return pieces


def spans(paragraph: str, width: int) -> list[tuple[int, int]]:
    """Where each line of ``paragraph`` (no line breaks in it) starts and ends when wrapped to
    ``width`` columns, broken between words."""
    lines: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end in _tokens(paragraph, width):
        if current is None:
            current = (start, end)
        elif cells(paragraph[current[0] : end]) <= width:
            current = (current[0], end)
        else:
            lines.append(current)
            current = (start, end)
    lines.append(current or (0, 0))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words (each given line
    break kept); a word too long for a line is cut."""
    out: list[str] = []
    for paragraph in text.replace("\t", " ").split("\n"):
        out += [paragraph[start:end] for start, end in spans(paragraph, width)]
    return out


def crop(text: str, width: int) -> str:
    """One line of at most ``width`` columns, ending in an ellipsis when cut."""
    if cells(text) <= width:
        return text
    while text and cells(text) > width - 1:
        text = text[:-1]
    return text + "…"
