"""``pleading``, ``missing-thanks``, ``missing-offer-to-help``: the tone the seeds ask for.

No sob story (seed 000); always end on thanks and offer to answer further questions (004).
The phrase lists are maintained here; add to them when a new pattern shows up in real drafts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobnudge.domain.enums import Channel
from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity
from jobnudge.drafts.rules import NO_OFFER_TO_HELP_RULES

PLEADING = (
    r"(?:really |badly |truly )?need (?:this|the|a) (?:job|position|role|work|income)",
    r"desperate(?:ly)?",
    r"bills",
    r"(?:pay|make) (?:the |my )?rent",
    r"please,? (?:please,? )?hire me",
    r"beg(?:ging)?",
    r"I beg you",
    r"(?:just )?give me a chance",
    r"(?:my )?last chance",
    r"(?:I'll|I will|I would) do anything",
    r"out of work for",
    r"unemployed for",
    r"can(?:'|’)?t afford",
    r"financial(?:ly)? (?:hardship|struggling|difficulties)",
    r"struggling to (?:get by|pay|survive)",
    r"my family (?:depends|is depending|relies)",
    r"(?:feel|felt) hopeless",
    r"running out of (?:money|savings|options)",
    r"any job at all",
)
_PLEADING = re.compile(r"(?<!\w)(?:" + "|".join(PLEADING) + r")(?!\w)", re.IGNORECASE)

_THANKS = re.compile(
    r"\b(?:thank|thanks|thankful|grateful|gratitude|appreciat\w*)\b", re.IGNORECASE
)
_OFFER = re.compile(
    r"\bquestions?\b|\blet me know if\b|\bhappy to\b|\bglad to\b|\bwilling to\b"
    r"|\banything (?:else|further|more)\b|\banything (?:I can|you need)\b"
    r"|\b(?:further|more|additional) information\b|\bif I can help\b|\bneed anything\b",
    re.IGNORECASE,
)


def run(inp: CheckInput) -> Iterator[Finding]:
    start = inp.layout.body_start
    body = inp.text[start:]
    for match in _PLEADING.finditer(body):
        yield Finding(
            "pleading",
            Severity.WARNING,
            start + match.start(),
            start + match.end(),
            f"'{match.group()}' reads as pleading; employers respond to interest and fit, not "
            "hardship. Say what you offer instead.",
        )
    if not body.strip():
        return
    if not _THANKS.search(body):
        yield Finding(
            "missing-thanks",
            Severity.WARNING,
            0,
            0,
            "Nothing here thanks the reader; add a line thanking them for their time.",
        )
    wants_offer = inp.rule not in NO_OFFER_TO_HELP_RULES and inp.channel is not Channel.CARD
    if wants_offer and not _OFFER.search(body):
        yield Finding(
            "missing-offer-to-help",
            Severity.HINT,
            0,
            0,
            "Consider offering to answer any further questions; it invites a reply.",
        )
