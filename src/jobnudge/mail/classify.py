"""What a message is: an automatic answer, a bounce, a likely offer or rejection, and what kind
of message the user sent from their own mail client. Pure functions of headers and text."""

from __future__ import annotations

import re

from jobnudge.domain import MessageKind
from jobnudge.mail.parse import MailHeaders

_AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?(reply|response)|out of (the )?office|"
    r"abwesenheitsnotiz|absence|r[ée]ponse automatique|on vacation|away from)\b",
    re.IGNORECASE,
)
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery status notification|delivery (has )?failed|returned mail|"
    r"mail delivery failed|failure notice)",
    re.IGNORECASE,
)


def automated(h: MailHeaders) -> str | None:
    """Why this message is an automatic one (auto-reply, out-of-office, bulk), or None.

    RFC 3834's Auto-Submitted (anything but "no"), the X-Autoreply and X-Autorespond headers
    some servers add, ``Precedence: auto_reply`` (also bulk, junk and list), mailing-list
    headers, and the subject lines of common out-of-office replies.
    """
    f = h.fields
    submitted = f.get("auto-submitted", "").strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if name in f:
            return f"{name.title()} header"
    precedence = f.get("precedence", "").strip().lower()
    if precedence in ("auto_reply", "bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    if "list-id" in f or "list-unsubscribe" in f:
        return "a mailing-list message"
    if _AUTO_SUBJECT.match(h.subject):
        return "an out-of-office subject"
    return None


def is_bounce(h: MailHeaders) -> bool:
    """A delivery status notification (multipart/report; report-type=delivery-status), or a
    mailer daemon's old-style failure notice."""
    if h.content_type == "multipart/report" and h.report_type == "delivery-status":
        return True
    return bool(_BOUNCE_SENDER.match(h.from_address) and _BOUNCE_SUBJECT.search(h.subject))


_REJECTION = re.compile(
    r"(regret to inform|not (be )?(moving|move) forward with your|decided (not to|to not) "
    r"(proceed|move forward)|(decided to|will) (move forward|proceed|go) with (other|another) "
    r"candidate|pursue other candidates|position has (now )?been filled|not been selected|"
    r"were not selected|will not be (progressing|proceeding|moving forward)|unable to offer you|"
    r"no longer being considered|(not|unable to) progress your application)",
    re.IGNORECASE,
)
_OFFER = re.compile(
    r"(pleased to (offer|extend)|offer of employment|(job|formal|written) offer|offer letter|"
    r"(like|happy|delighted|excited) to (offer|extend( you)? an offer)|extend(ing)? (you )?an "
    r"offer|your offer package)",
    re.IGNORECASE,
)


def proposal(subject: str, text: str) -> str | None:
    """ "rejected" or "offer" when the message reads like one, else None. Only ever a proposal:
    the user confirms it in ``nudge mail review``."""
    words = f"{subject}\n{text}"
    if _REJECTION.search(words):
        return "rejected"
    if _OFFER.search(words):
        return "offer"
    return None


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
