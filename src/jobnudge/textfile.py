"""Reading a text file the user named on the command line (a draft to check or send).

Every way the file can be wrong (missing, a folder, unreadable, a name too long, not UTF-8,
far too large) is a message naming the option, never an ``OSError`` traceback.
"""

from __future__ import annotations

from jobnudge.errors import UsageError

TYPE_CHECKING = False  # not typing's: the quick check (cli/quickcheck.py) avoids importing it
if TYPE_CHECKING:
    from pathlib import Path

MAX_BYTES = 1024 * 1024
"""A message or draft is a few kilobytes; a megabyte is no draft."""


def read(path: Path, field: str) -> str:
    """The UTF-8 text of ``path``, or a UsageError naming ``field`` and what is wrong."""
    try:
        if not path.exists():
            raise UsageError(f"{field}: there is no file '{path}'.")
        if not path.is_file():
            raise UsageError(f"{field}: '{path}' is not a file.")
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{field}: '{path}' is larger than a draft can be (1 MB).")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{field}: '{path}' is not UTF-8 text.") from None
    except OSError as exc:
        raise UsageError(f"{field}: '{path}' cannot be read ({exc.strerror}).") from None


def decode_input(data: bytes, field: str) -> str:
    """``data`` read from standard input as UTF-8 text, or a UsageError naming ``field``,
    as :func:`read` refuses a file (never text with replacement characters)."""
    if len(data) > MAX_BYTES:
        raise UsageError(f"{field}: standard input is larger than 1 MB; give a shorter text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{field}: standard input is not UTF-8 text.") from None


def read_input(field: str) -> str:
    """Standard input as UTF-8 text (:func:`decode_input`)."""
    import sys

    return decode_input(sys.stdin.buffer.read(), field)
