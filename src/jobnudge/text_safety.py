"""Stored text is data, never terminal control.

A company called ``"\\x1b]0;pwned\\x07"`` would retitle the user's terminal when listed, and
``"\\x1b[2J"`` clear it. So control characters (Unicode category Cc: C0, DEL and C1, which
includes the 8-bit CSI) are refused where text comes in (``line`` and ``text``, called by the
services, the store's checks, the importers, restore and the mail reader), and shown as
harmless visible symbols wherever text goes out (``printable``), so that text stored before
these checks is shown harmlessly too.

A name of zero-width spaces looks blank but is not empty to ``str.strip``: ``is_blank`` counts
the invisible format characters as nothing, by the definition names are keyed by
(``typography.invisible``), so what is blank here is also a name with an empty key.
"""

from __future__ import annotations

import unicodedata

from jobnudge.errors import UsageError
from jobnudge.typography import invisible

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path
if TYPE_CHECKING:
    from typing import IO, Any

_KEEP_IN_TEXT = frozenset("\n\t")
"""Controls a multi-line field (notes, a message body) may hold, and output keeps."""


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _is_undecoded(char: str) -> bool:
    """A lone surrogate: what Python makes of bytes it could not decode (an argument or a file
    name in another encoding than the system's). No database stores it, and it shows nothing."""
    return "\ud800" <= char <= "\udfff"


def _shown(char: str) -> str:
    """A control character as one visible symbol: the Unicode Control Pictures for C0 and
    DEL (``␛`` for ESC), the replacement character for C1."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


_TRANSLATION = {
    **{
        code: _shown(chr(code))
        for code in (*range(0x20), *range(0x7F, 0xA0))
        if chr(code) not in _KEEP_IN_TEXT
    },
    **dict.fromkeys(range(0xD800, 0xE000), "\ufffd"),  # undecoded bytes: no stream writes them
}


def printable(value: object) -> str:
    """``value`` as text that shows as itself: every control character but newline and tab
    replaced by a visible symbol, an undecoded byte by the replacement character. Used by
    every renderer (terminal, pages, calendar titles)."""
    text = value if isinstance(value, str) else str(value)
    return text.translate(_TRANSLATION)


def printable_line(value: object) -> str:
    """Like ``printable``, for a place that shows one line: newlines and tabs become spaces."""
    return " ".join(printable(value).split()) if value else ""


def name_of(char: str) -> str:
    """How a message names a character: ``ESC (U+001B)``."""
    label = unicodedata.name(char, "") or {
        "\x1b": "ESC",
        "\x07": "BEL",
        "\x08": "BACKSPACE",
        "\r": "CARRIAGE RETURN",
        "\x7f": "DELETE",
    }.get(char, "control character")
    return f"{label} (U+{ord(char):04X})"


def _refuse(field: str, char: str) -> UsageError:
    return UsageError(
        f"{field}: contains the control character {name_of(char)}, which could change what a "
        "terminal shows; type the text without it."
    )


def _undecoded(field: str) -> UsageError:
    return UsageError(
        f"{field}: holds bytes that are not text in UTF-8 (typed or saved in another "
        "encoding); type it again, or save the file as UTF-8."
    )


def line(value: str, field: str) -> str:
    """A single-line field as stored: runs of whitespace (tabs, line breaks) made one space,
    the ends trimmed; any other control character, and any undecoded byte, refused naming
    ``field``."""
    cleaned = " ".join(value.split())
    for char in cleaned:
        kind = unicodedata.category(char)
        if kind == "Cc":
            raise _refuse(field, char)
        if kind == "Cs":
            raise _undecoded(field)
    return cleaned


def text(value: str, field: str) -> str:
    """A multi-line field (notes, a message body): line breaks unified to ``\\n`` and tabs
    kept; any other control character, and any undecoded byte, refused naming ``field``."""
    cleaned = value.replace("\r\n", "\n").replace("\r", "\n")
    for char in cleaned:
        kind = unicodedata.category(char)
        if kind == "Cc" and char not in _KEEP_IN_TEXT:
            raise _refuse(field, char)
        if kind == "Cs":
            raise _undecoded(field)
    return cleaned


def decodable(value: str) -> str:
    """``value`` with each byte Python could not decode shown as the replacement character
    (U+FFFD): for text that names something rather than being typed into a field, such as a
    file's name, which the user cannot be asked to retype."""
    if value.isascii() or not any(_is_undecoded(c) for c in value):
        return value
    try:  # bytes escaped by the file system's decoding: decoded again, each bad one replaced
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return "".join("\ufffd" if _is_undecoded(c) else c for c in value)


def scrub_line(value: str) -> str:
    """Text from a source that cannot be refused (a mail header someone else wrote): control
    characters dropped, whitespace made single spaces."""
    value = decodable(value)
    return " ".join("".join(" " if _is_control(c) else c for c in value).split())


def scrub_text(value: str) -> str:
    """Several lines from a source that cannot be refused (a received message's body):
    control characters other than newline and tab dropped."""
    cleaned = decodable(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in cleaned if c in _KEEP_IN_TEXT or not _is_control(c))


def _invisible(char: str) -> bool:
    return char.isspace() or invisible(char)


def is_blank(value: str) -> bool:
    """True when ``value`` shows nothing: only whitespace and invisible format characters
    (zero-width spaces and joiners, the byte-order mark, direction marks)."""
    return all(_invisible(c) for c in value)


def trim(value: str) -> str:
    """``value`` without whitespace or invisible format characters at either end."""
    start, end = 0, len(value)
    while start < end and _invisible(value[start]):
        start += 1
    while end > start and _invisible(value[end - 1]):
        end -= 1
    return value[start:end]


class PrintableWriter:
    """A text stream that writes everything through ``printable``: the command line puts one
    in front of stdout and stderr, so no message, listing or error can carry a terminal
    escape, whoever wrote the line. Everything else (``buffer`` for binary output,
    ``isatty``, ``encoding``) is the wrapped stream's."""

    def __init__(self, stream: IO[str]) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream does (click probes with b"")
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.wrapped.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for chunk in lines:
            self.write(chunk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def unwrapped(stream: Any) -> Any:
    """The stream under a ``PrintableWriter`` (for Rich, which escapes by itself and
    writes its own colour codes)."""
    return stream.wrapped if isinstance(stream, PrintableWriter) else stream
