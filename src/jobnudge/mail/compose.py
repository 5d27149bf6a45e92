"""Building the message that goes out, and reading the draft text the user edited.

Pure: the Message-ID, the date and every address are arguments, so the same inputs always give
the same bytes (a retry hands over exactly what the first attempt did).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

MAX_REFERENCES = 10  # RFC 5322 lets References grow; clients keep the first and last few


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Everything a follow-up email carries."""

    from_name: str
    from_address: str
    to_name: str
    to_address: str
    subject: str
    body: str
    message_id: str  # "<...@domain>"
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftText:
    """What the user's draft file says: "To:" and "Subject:" lines, a blank line, the body."""

    to_name: str
    to_address: str
    subject: str
    body: str


def make_message_id(address: str) -> str:
    """A new, globally unique Message-ID on the sender's domain (128 random bits)."""
    domain = address.rpartition("@")[2].strip().lower() or "jobnudge.invalid"
    return f"<{secrets.token_hex(16)}.jobnudge@{domain}>"


def _address(name: str, addr: str) -> Address:
    local, _, domain = addr.partition("@")
    return Address(display_name=name, username=local, domain=domain)


def build(out: Outgoing, date: datetime) -> EmailMessage:
    """The message as an :class:`EmailMessage` (headers encoded as RFC 2047 where needed)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _address(out.from_name, out.from_address)
    msg["To"] = _address(out.to_name, out.to_address)
    msg["Subject"] = out.subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = out.message_id
    if out.in_reply_to:
        msg["In-Reply-To"] = out.in_reply_to
    if out.references:
        msg["References"] = " ".join(out.references)
    msg["MIME-Version"] = "1.0"
    body = out.body if out.body.endswith("\n") else out.body + "\n"
    cte = "7bit" if body.isascii() and max(map(len, body.splitlines() or [""])) < 900 else None
    msg.set_content(body, charset="utf-8", cte=cte or "quoted-printable")
    return msg


def to_bytes(out: Outgoing, date: datetime) -> bytes:
    """The exact bytes to hand over: CRLF line ends, 7-bit clean."""
    return build(out, date).as_bytes(policy=policy.SMTP)


def reply_subject(subject: str) -> str:
    """ "Re: " once, however many the thread has collected."""
    bare = re.sub(r"^(\s*(re|aw|sv|fw|fwd)\s*:\s*)+", "", subject, flags=re.IGNORECASE).strip()
    return f"Re: {bare}" if bare else "Re:"


def references_for(parent_id: str, parent_references: tuple[str, ...]) -> tuple[str, ...]:
    """The References of a reply: the parent's, then the parent itself (the oldest kept)."""
    chain = [r for r in parent_references if r != parent_id] + [parent_id]
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return tuple(chain)


_HEADER = re.compile(r"^(to|subject):[ \t]*(.*)$", re.IGNORECASE)
_NAMED = re.compile(r"^(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$")


def parse_draft(text: str) -> DraftText:
    """Read the draft form that ``nudge draft`` saves (``Draft.text``); lines other than To and
    Subject before the first blank line are body, so a draft without headers is all body."""
    lines = text.replace("\r\n", "\n").split("\n")
    to_name = to_address = subject = ""
    start = 0
    for number, line in enumerate(lines):
        found = _HEADER.match(line)
        if found is None:
            start = number + 1 if not line.strip() and number > 0 else 0
            break
        key, value = found.group(1).lower(), found.group(2).strip()
        if key == "subject":
            subject = value
        else:
            named = _NAMED.match(value)
            if named:
                to_name, to_address = named.group(1).strip().strip('"'), named.group(2)
            elif "@" in value:
                to_address = value
            else:
                to_name = value
    else:
        start = len(lines)
    body = "\n".join(lines[start:]).strip("\n") + "\n"
    return DraftText(to_name, to_address.strip(), subject, body)
