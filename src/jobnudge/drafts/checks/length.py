"""``too-long``: follow-ups are short (seed 000); limits come from the playbook settings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jobnudge.domain.enums import Channel
from jobnudge.drafts.checks.base import CheckInput
from jobnudge.drafts.findings import Finding, Severity

WORDS_PER_MINUTE = 150
"""A calm speaking pace; a voicemail's length in seconds is its words at this rate."""

_SPOKEN = re.compile(r"\S*\w\S*")


def run(inp: CheckInput) -> Iterator[Finding]:
    playbook = inp.settings.playbook
    text, start = inp.text, inp.layout.body_start
    end = len(text.rstrip())
    if inp.channel is Channel.TEXT:
        limit = int(playbook.text_max_chars)
        size = end - start
        if size > limit:
            yield Finding(
                "too-long",
                Severity.WARNING,
                start + limit,
                end,
                f"This text is {size} characters; keep it under {limit} (two messages). "
                "Cut from the highlighted part.",
            )
        return
    words = list(_SPOKEN.finditer(text, start, end))
    if inp.channel is Channel.VOICEMAIL:
        limit = int(playbook.voicemail_max_seconds * WORDS_PER_MINUTE / 60)
        if len(words) > limit:
            seconds = round(len(words) * 60 / WORDS_PER_MINUTE)
            yield Finding(
                "too-long",
                Severity.WARNING,
                words[limit].start(),
                end,
                f"This voicemail takes about {seconds} seconds to say; keep it under "
                f"{playbook.voicemail_max_seconds:g} (about {limit} words). Cut from here.",
            )
        return
    if inp.channel in (Channel.EMAIL, Channel.CARD):
        limit = int(playbook.email_max_words)
        if len(words) > limit:
            yield Finding(
                "too-long",
                Severity.WARNING,
                words[limit].start(),
                end,
                f"This {inp.channel} is {len(words)} words; follow-ups work best under {limit}. "
                "Cut to the thanks, the request and one detail; the highlighted part is over.",
            )
