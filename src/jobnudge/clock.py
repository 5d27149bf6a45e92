"""The only place that reads the time.

Everything else takes ``now`` as an argument. ``NUDGE_NOW`` (or ``--now``) pins the clock so the
agenda can be seen as it will be on another day, and so tests are repeatable.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now(tz: str = "UTC") -> datetime:
    """The current instant, aware, in UTC; ``NUDGE_NOW`` overrides it.

    ``tz`` is the zone a pinned value without an offset is read in (the user's own).
    """
    real = datetime.now(UTC)
    pinned = os.environ.get("NUDGE_NOW")
    if pinned:
        exact = exact_instant(pinned)
        if exact is not None:
            return exact
        from jobnudge.timeparse import parse_when

        return parse_when(pinned, field="NUDGE_NOW", tz=tz, base=real)
    return real


def resolve(text: str | None, tz: str) -> datetime:
    """``--now`` as typed (read in the user's zone ``tz``), else :func:`now`."""
    if text:
        exact = exact_instant(text)
        if exact is not None:
            return exact
        from jobnudge.timeparse import parse_when

        return parse_when(text, field="--now", tz=tz, base=now())
    return now(tz)


def exact_instant(text: str) -> datetime | None:
    """``text`` when it is exactly ``YYYY-MM-DDTHH:MM:SS+HH:MM`` (what ``NUDGE_NOW`` usually
    holds), as aware UTC; else None, and the caller reads it with ``timeparse``.

    Reading a time phrase loads the whole phrase grammar; an exact instant needs none of it,
    and a test checks that this gives what ``timeparse.parse_when`` gives for every such text.
    The years are kept well inside the ones ``timeparse`` accepts, so none is refused there.
    """
    if len(text) != 25 or text[10] not in "T " or text[19] not in "+-" or text[17:19] != "00":
        return None
    if not (text[4] == text[7] == "-" and text[13] == text[16] == text[22] == ":"):
        return None
    digits = text[:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[20:22] + text[23:]
    if not (digits.isascii() and digits.isdigit()):
        return None
    if not 1971 <= int(text[:4]) <= 2099 or int(text[20:22]) > 14 or int(text[23:]) > 59:
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:  # a day or an hour out of range: timeparse says what is wrong
        return None
