"""Telling a text file's encoding for sure, or refusing it: the rule every upload of text
shares (spreadsheets, invitation lists).

A byte-order mark decides (Excel's "Unicode Text" is UTF-16 with one, "CSV UTF-8" UTF-8 with
one); else text that is valid UTF-8 is UTF-8; else two-byte units (NUL bytes between the
letters) are the UTF-16 that charset-normalizer finds. Anything else (Windows-1252, Mac Roman,
Latin-1...) cannot be told apart for sure: a guess stores "RenŽe" for "Renée" without a word,
so the caller refuses the file, naming it and the fix.
"""

from __future__ import annotations

import codecs

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Unsure(ValueError):
    """The encoding cannot be told for sure; ``shown`` is the first line that is not UTF-8 as
    Windows-1252 would read it (empty for binary data), for the message."""

    def __init__(self, shown: str, binary: bool) -> None:
        super().__init__(shown)
        self.shown = shown
        self.binary = binary


def decode(data: bytes) -> str:
    """``data`` as text by the rule in this module's docstring, or :class:`Unsure`."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                raise Unsure("", binary=True) from None
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        line = next((x for x in data.splitlines() if not _is_utf8(x)), b"")
        raise Unsure(" ".join(line.decode("cp1252", errors="replace").split())[:60], False)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and str(best.encoding).startswith("utf_16"):
        try:
            return data.decode(str(best.encoding))
        except UnicodeDecodeError:
            pass
    raise Unsure("", binary=True)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
