"""Which playbook rules produce a message, and in which channels a draft makes sense.

The channel lists follow the playbook's "channel" column: email always (it is the safe default),
plus the channels the employer or contact may have used or asked for (``guard.channel``).
"""

from __future__ import annotations

from collections.abc import Mapping

from jobnudge.domain.enums import Channel
from jobnudge.drafts.errors import NoDraft, NotAMessage
from jobnudge.playbook.titles import title

E, C, V, T, K = Channel.EMAIL, Channel.CALL, Channel.VOICEMAIL, Channel.TEXT, Channel.CARD

MESSAGE_CHANNELS: Mapping[str, tuple[Channel, ...]] = {
    "apply.check-in": (E, C, V),
    "interview.confirm": (E, C, V, T),
    "interview.thank-you": (E, K, T),
    "interview.status-check": (E, C, V, T),
    "silence.retry": (E, V),
    "referral.update": (E, C, T),
    "references.heads-up": (E, C, T),
    "references.thanks": (E, C, T, K),
    "offer.thank-you": (E, K, T),
    "rejection.gracious-note": (E, K),
    "rejection.reconnect": (E,),
    "staffing.keep-in-touch": (E, C, V, T),
}
"""Rule id → the channels it has default templates for, the preferred one first."""

PROMPT_RULES: Mapping[str, str] = {
    "interview.ask-timeline": "it asks you to record the timeline and the follow-up channel the "
    "interviewer gave",
    "silence.move-on": "it suggests closing a process rather than following up again: as 'no "
    "response' after the silence, or, once you have accepted an offer, by withdrawing and "
    "telling each employer",
    "pipeline.keep-looking": "it suggests adding applications while you wait",
    "offer.decide": "it reminds you to decide on the offer before the date they gave, and to "
    "record whether you accepted or declined",
}
"""Rules that prompt the user rather than produce a message, with what they ask for."""

COMPANY_NAMED_RULES = frozenset(
    {
        "apply.check-in",
        "interview.status-check",
        "interview.thank-you",
        "interview.confirm",
        "offer.thank-you",
    }
)
"""Emails for these rules must say which job they are about (``guard.right-company``)."""

NO_OFFER_TO_HELP_RULES = frozenset(
    {"references.thanks", "rejection.gracious-note", "referral.update"}
)
"""Rules whose message has nothing left to answer, so offering to answer questions reads oddly."""


def channels_for(rule: str) -> tuple[Channel, ...]:
    """The channels ``rule`` has drafts for, the preferred first; () for prompt rules.

    Raises ``NoDraft`` for an id the playbook does not know, so typos surface.
    """
    if rule in MESSAGE_CHANNELS:
        return MESSAGE_CHANNELS[rule]
    if rule in PROMPT_RULES:
        return ()
    known = ", ".join(sorted([*MESSAGE_CHANNELS, *PROMPT_RULES]))
    raise NoDraft(f"'{rule}' is not a playbook rule. Rules: {known}.")


def require_channel(rule: str, channel: Channel) -> None:
    """Raise a clear error unless ``rule`` has a draft in ``channel``."""
    if rule in PROMPT_RULES:
        raise NotAMessage(
            f"“{title(rule)}” is a prompt for you, not a message to send: {PROMPT_RULES[rule]}."
        )
    supported = channels_for(rule)
    if channel not in supported:
        names = ", ".join(str(c) for c in supported)
        raise NoDraft(f"“{title(rule)}” has no {channel} draft; choose one of: {names}.")
