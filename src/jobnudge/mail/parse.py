"""Reading messages fetched over IMAP with the standard library's ``email`` package
(``policy.default``), leniently: a malformed header yields an empty value, never an exception.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from jobnudge import bounds
from jobnudge.errors import UsageError
from jobnudge.text_safety import scrub_line, scrub_text

_MSGID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True, slots=True)
class MailHeaders:
    """The headers matching and classification need, decoded and normalised."""

    message_id: str  # "<...>"; synthesised from the headers when the message has none
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_name: str
    from_address: str  # lower case
    recipients: tuple[str, ...]  # To and Cc, lower case
    subject: str
    date: datetime | None  # aware UTC
    content_type: str  # "multipart/report"
    report_type: str  # "delivery-status" for a DSN
    fields: dict[str, str]  # every other header by lower-case name (first value)


def _text(value: object) -> str:
    try:
        return str(value) if value is not None else ""
    except Exception:  # a header the parser could not decode: treat it as empty
        return ""


def message_ids(value: str) -> tuple[str, ...]:
    """Every ``<id>`` in a header value, in order, without repeats."""
    return tuple(dict.fromkeys(_MSGID.findall(value)))


def _addresses(values: list[str]) -> tuple[str, ...]:
    found = [scrub_line(addr).lower() for _name, addr in getaddresses(values) if "@" in addr]
    return tuple(dict.fromkeys(found))


def parse_headers(data: bytes) -> MailHeaders:
    """The headers of a message (the header block alone, or a whole message)."""
    msg = BytesHeaderParser(policy=policy.compat32).parsebytes(data)
    fields = {k.lower(): _decoded(msg, k) for k in dict.fromkeys(msg.keys())}
    mid = message_ids(fields.get("message-id", ""))
    message_id = mid[0] if mid else synthetic_id(data)
    from_name, from_address = parseaddr(fields.get("from", ""))
    recipients = _addresses(
        [_decoded(msg, name, every=True) for name in ("to", "cc") if msg.get(name)]
    )
    try:
        date = parsedate_to_datetime(fields.get("date", ""))
        date = date.astimezone(UTC) if date.tzinfo else date.replace(tzinfo=UTC)
        date = bounds.instant(date, "Date")  # a year 9999 header is a broken clock
    except (TypeError, ValueError, IndexError, OverflowError, UsageError):
        date = None
    content_type = msg.get_content_type()
    return MailHeaders(
        message_id=message_id,
        in_reply_to=message_ids(fields.get("in-reply-to", "")),
        references=message_ids(fields.get("references", "")),
        from_name=scrub_line(from_name),
        from_address=scrub_line(from_address).lower() if "@" in from_address else "",
        recipients=recipients,
        subject=scrub_line(fields.get("subject", "")),
        date=date,
        content_type=content_type,
        report_type=_text(msg.get_param("report-type") or "").lower(),
        fields=fields,
    )


def _decoded(msg: Message, name: str, *, every: bool = False) -> str:
    from email.header import decode_header, make_header

    raw = msg.get_all(name, []) if every else [msg.get(name, "")]
    out = []
    for value in raw:
        try:
            out.append(str(make_header(decode_header(str(value)))))
        except Exception:  # undecodable encoded-words: keep the raw text
            out.append(str(value))
    return ", ".join(out)


def synthetic_id(data: bytes) -> str:
    """A stable stand-in for a missing Message-ID: the hash of the header block."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    digest = hashlib.sha256(head).hexdigest()[:32]
    return f"<{digest}@no-message-id.jobnudge.invalid>"


def parse_message(data: bytes) -> EmailMessage:
    msg = message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_WROTE = re.compile(r"^(on .{3,200} wrote:|-{2,}\s*original message\s*-{2,}|from: .+)$", re.I)


def body_text(data: bytes, *, limit: int = 20_000) -> str:
    """The message's own words: the plain-text part (else the HTML one, tags removed), with
    quoted earlier messages ("> ..." and what follows "On ... wrote:") cut off."""
    try:
        msg = parse_message(data)
        part = msg.get_body(preferencelist=("plain", "html"))
        content = part.get_content() if part is not None else ""
    except Exception:  # a broken MIME structure: read what can be read
        return ""
    if not isinstance(content, str):
        return ""
    if part is not None and part.get_content_type() == "text/html":
        content = html.unescape(_TAGS.sub(" ", content))
    kept: list[str] = []
    for line in content.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if _WROTE.match(stripped) and kept:
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return scrub_text("\n".join(kept)).strip()[:limit]


@dataclass(frozen=True, slots=True)
class Bounce:
    """What a delivery status notification says failed."""

    addresses: tuple[str, ...]  # the recipients that failed, lower case
    diagnostic: str  # the remote server's words, e.g. "550 5.1.1 user unknown"
    original_message_id: str | None


def bounce_info(data: bytes) -> Bounce:
    """The failed recipients of a DSN (RFC 3464), with X-Failed-Recipients as a fallback."""
    msg = parse_message(data)
    failed: list[str] = []
    diagnostic = ""
    original: str | None = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else []:
                if not isinstance(block, Message):
                    continue
                action = _text(block.get("Action")).strip().lower()
                recipient = _text(block.get("Final-Recipient") or block.get("Original-Recipient"))
                if action == "failed" and recipient:
                    addr = recipient.split(";", 1)[-1].strip().strip("<>").lower()
                    if "@" in addr:
                        failed.append(addr)
                        diagnostic = diagnostic or scrub_line(
                            _text(block.get("Diagnostic-Code")).split(";", 1)[-1]
                        )
        elif ctype in ("text/rfc822-headers", "message/rfc822") and original is None:
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                first = payload[0]
                found = (
                    message_ids(_text(first.get("Message-ID")))
                    if isinstance(first, Message)
                    else ()
                )
            else:
                raw = part.get_payload(decode=True)
                head = raw if isinstance(raw, bytes) else str(payload).encode()
                found = message_ids(parse_headers(head).fields.get("message-id", ""))
            original = found[0] if found else None
    if not failed:
        extra = _text(msg.get("X-Failed-Recipients"))
        failed = [a.strip().lower() for a in extra.split(",") if "@" in a]
    if not failed and not _has_report(msg):
        failed, diagnostic = _named_in_notice(msg)
    return Bounce(tuple(dict.fromkeys(failed)), diagnostic, original)


_ADDRESS = re.compile(r"<?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})>?")
_COPY_BELOW = re.compile(
    r"^.*(copy of the (original )?message|below this line|original message follows|"
    r"message headers follow|kopie der nachricht|copie du message).*$",
    re.IGNORECASE | re.MULTILINE,
)


def _has_report(msg: EmailMessage) -> bool:
    return any(p.get_content_type() == "message/delivery-status" for p in msg.walk())


def _named_in_notice(msg: EmailMessage) -> tuple[list[str], str]:
    """The addresses an old-style failure notice (qmail, sendmail) names before its copy of the
    message; the caller keeps only addresses it wrote to, so a stray one does no harm."""
    try:
        part = msg.get_body(preferencelist=("plain",))
        content = part.get_content() if part is not None else ""
    except Exception:  # a broken notice: nothing to read
        return [], ""
    if not isinstance(content, str):
        return [], ""
    cut = _COPY_BELOW.search(content)
    notice = content[: cut.start()] if cut else content
    found = [a.lower() for a in _ADDRESS.findall(notice)]
    reason = next(
        (
            scrub_line(line.strip())
            for line in notice.splitlines()
            if re.search(r"\d\.\d\.\d|#5", line)
        ),
        "",
    )
    return found, reason
