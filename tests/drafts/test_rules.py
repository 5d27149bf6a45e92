"""Which rules draft messages, in which channels, and the errors for the rest."""

from __future__ import annotations

import pytest

from jobnudge.domain import Channel
from jobnudge.drafts import (
    MESSAGE_CHANNELS,
    PROMPT_RULES,
    NoDraft,
    NotAMessage,
    channels_for,
    draft,
)
from jobnudge.playbook.engine import RULE_IDS
from jobnudge.playbook.wording import title

from . import records as r

PLAYBOOK_MESSAGE_RULES = {
    "apply.check-in",
    "interview.confirm",
    "interview.thank-you",
    "interview.status-check",
    "silence.retry",
    "referral.update",
    "references.heads-up",
    "references.thanks",
    "offer.thank-you",
    "rejection.gracious-note",
    "rejection.reconnect",
    "staffing.keep-in-touch",
}


def test_every_message_rule_drafts_email_first_or_at_least() -> None:
    assert set(MESSAGE_CHANNELS) == PLAYBOOK_MESSAGE_RULES
    for rule in PLAYBOOK_MESSAGE_RULES:
        assert channels_for(rule)[0] is Channel.EMAIL


def test_no_card_to_confirm_an_interview() -> None:
    assert Channel.CARD not in channels_for("interview.confirm")
    with pytest.raises(NoDraft, match="no card draft; choose one of: email, call"):
        draft(r.context("interview.confirm"), Channel.CARD)


@pytest.mark.parametrize("rule", sorted(PROMPT_RULES))
def test_prompt_rules_are_not_messages(rule: str) -> None:
    assert channels_for(rule) == ()
    with pytest.raises(NotAMessage, match=f"“{title(rule)}” is a prompt for you, not a message"):
        draft(r.context(rule), Channel.EMAIL)


def test_every_rule_is_a_message_or_a_prompt() -> None:
    assert set(MESSAGE_CHANNELS) | set(PROMPT_RULES) == set(RULE_IDS)


def test_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(NoDraft, match=r"not a playbook rule\. Rules: apply\.check-in"):
        channels_for("interview.thank-yuo")


def test_default_channel_is_the_nudges_when_it_has_a_template() -> None:
    ctx = r.context("interview.status-check")
    assert draft(ctx).channel is Channel.EMAIL
    from dataclasses import replace

    assert draft(replace(ctx, suggested_channel=Channel.TEXT)).channel is Channel.TEXT
    assert draft(replace(ctx, suggested_channel=Channel.CARD)).channel is Channel.EMAIL
