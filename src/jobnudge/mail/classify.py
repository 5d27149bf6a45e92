"""What a message is: an automatic answer, mail to many, a relayed reply, a bounce, a likely offer
or rejection, and what kind of message the user sent from their own mail client. Pure functions
of headers and text; the wording itself is read in :mod:`ooo`, :mod:`receipts` and
:mod:`verdicts`."""

from __future__ import annotations

import re
from email.utils import getaddresses

from jobnudge.domain import MessageKind
from jobnudge.mail import ooo, verdicts
from jobnudge.mail.parse import MailHeaders
from jobnudge.text_safety import scrub_line

_BOUNCE_SENDER = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|microsoftexchange[0-9a-f]*|mailerdaemon)@",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery status notification \(failure\)|delivery (has )?failed|"
    r"returned mail|mail delivery failed|failure notice|unzustellbar|nicht zustellbar|"
    r"non remis|non distribu|no se puede entregar|no entregado|devuelto|"
    r"delivery status notification$|undelivered mail)",
    re.IGNORECASE,
)


def automatic(h: MailHeaders) -> str | None:
    """Why this message was written by a program answering another message (an auto-reply, an
    out-of-office note), or None: RFC 3834's Auto-Submitted (anything but "no"), the
    X-Autoreply and X-Autorespond headers some servers add, ``Precedence: auto_reply``, and the
    subjects the common clients put on their automatic replies. These are never replies, even
    in the thread of a message jobnudge sent."""
    f = h.fields
    submitted = f.get("auto-submitted", "").strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if name in f:
            return f"{name.title()} header"
    if f.get("precedence", "").strip().lower() == "auto_reply":
        return "Precedence: auto_reply"
    if ooo.is_out_of_office(h.subject, ""):
        return "an out-of-office reply"
    return None


def bulk(h: MailHeaders) -> str | None:
    """Why this message went to many people (``Precedence: bulk``, junk or list, mailing-list
    headers), or None. A group address relaying a person's reply carries these too: the caller
    decides whether the thread or the Reply-To makes it a reply after all."""
    f = h.fields
    precedence = f.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    if "list-id" in f or "list-unsubscribe" in f:
        return "a mailing-list message"
    return None


def automated(h: MailHeaders) -> str | None:
    """Either of :func:`automatic` and :func:`bulk`."""
    return automatic(h) or bulk(h)


def relayed_by(h: MailHeaders) -> tuple[str, str] | None:
    """(name, address) of the person a group address relayed the message for: its single
    Reply-To, when the message came through a list or a Google-Groups-style "'Sam' via Hiring"
    sender. The person, not the group, is who wrote."""
    raw = h.fields.get("reply-to", "")
    people = [(n, a.strip().lower()) for n, a in getaddresses([raw]) if "@" in a]
    if len(people) != 1:
        return None
    name, address = people[0]
    if address == h.from_address:
        return None
    if not (bulk(h) or " via " in h.from_name or "x-original-from" in h.fields):
        return None
    return scrub_line(name) or h.from_name.split(" via ")[0].strip(" '\""), scrub_line(address)


def is_bounce(h: MailHeaders) -> bool:
    """A delivery status notification (multipart/report; report-type=delivery-status), or a
    mailer daemon's old-style failure notice (Exim, qmail, Exchange), in several languages."""
    if h.content_type == "multipart/report" and h.report_type == "delivery-status":
        return True
    if "x-failed-recipients" in h.fields:
        return True
    return bool(_BOUNCE_SENDER.match(h.from_address) and _BOUNCE_SUBJECT.search(h.subject))


def proposal(subject: str, text: str) -> str | None:
    """ "rejected" or "offer" when the message reads like one, else None. Only ever a proposal:
    the user confirms it in ``nudge mail review``."""
    return verdicts.verdict(subject, text)


_KINDS: tuple[tuple[re.Pattern[str], MessageKind], ...] = (
    (re.compile(r"\b(thank you|thanks|thank-you|grateful)\b", re.I), MessageKind.THANK_YOU),
    (re.compile(r"\b(confirm|confirming|confirmation)\b", re.I), MessageKind.CONFIRMATION),
    (
        re.compile(
            r"\b(follow(ing)?[- ]up|checking in|check in|status|next steps|any update|timeline)\b",
            re.I,
        ),
        MessageKind.FOLLOW_UP,
    ),
    (re.compile(r"\b(update|news|wanted to let you know)\b", re.I), MessageKind.UPDATE),
)


def infer_kind(subject: str, text: str) -> MessageKind:
    """The kind of a message the user sent from their own client: the subject decides first,
    then the opening of the text; anything else is a note."""
    for source in (subject, text[:600]):
        for pattern, kind in _KINDS:
            if pattern.search(source):
                return kind
    return MessageKind.NOTE
