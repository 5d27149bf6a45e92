"""How IMAP spells what it is sent: mailbox names in modified UTF-7 (RFC 3501), quoted, and
sets of UIDs as ranges. Pure text functions, apart from the client (mail.imap) that talks to
the server, so they are tested without one."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence


def encode_mailbox(name: str) -> str:
    """A mailbox name as IMAP wants it: modified UTF-7 (RFC 3501), quoted."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            chunk = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            out.append("&" + chunk.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    text = "".join(out)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def decode_mailbox(name: str) -> str:
    """The reverse of :func:`encode_mailbox` (without the quotes)."""

    def one(found: re.Match[str]) -> str:
        chunk = found.group(1)
        if not chunk:
            return "&"
        padded = chunk.replace(",", "/") + "=" * (-len(chunk) % 4)
        return base64.b64decode(padded).decode("utf-16-be", "replace")

    return re.sub(r"&([^-]*)-", one, name)


def uid_set(uids: Sequence[int]) -> str:
    """``1:5,9,12:13`` for [1, 2, 3, 4, 5, 9, 12, 13]."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    start = prev = ordered[0] if ordered else 0
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        parts.append(f"{start}:{prev}" if prev > start else str(start))
        start = prev = uid
    if ordered:
        parts.append(f"{start}:{prev}" if prev > start else str(start))
    return ",".join(parts)
