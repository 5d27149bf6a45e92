"""Every generated draft passes its own checker once its slots are resolved, and never names
another employer from the pipeline, whatever the names and companies look like."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.config import Settings
from jobnudge.domain import Channel
from jobnudge.drafts import DraftContext, Severity, check_draft, draft
from jobnudge.drafts.text import SLOT, phrase_pattern

from .strategies import scenarios

FILLER = "I have led two similar projects."


def resolve(text: str) -> str:
    """What a user does with the slots: drop the optional ones, fill the rest with a fact."""

    def fill(match: re.Match[str]) -> str:
        return "" if match.group().startswith("[[optional:") else FILLER

    resolved = SLOT.sub(fill, text)
    return re.sub(r"[ \t]+\n", "\n", re.sub(r"(?<=\S) {2,}", " ", resolved))


def other_companies_named(ctx: DraftContext, text: str) -> list[str]:
    assert ctx.opportunity is not None
    allowed = {ctx.opportunity.company_id, ctx.opportunity.staffing_firm_id}
    if ctx.contact is not None:
        allowed.add(ctx.contact.company_id)
    spoken_for = [ctx.opportunity.role, ctx.profile.name, *(p.name for p in ctx.people)]
    for company in ctx.pipeline:
        if company.id in allowed:
            spoken_for.extend(company.names)
    for phrase in sorted(spoken_for, key=len, reverse=True):  # the role may say "Oracle"
        text = re.sub(phrase_pattern(phrase), "", text)
    return [
        company.name
        for company in ctx.pipeline
        if company.id not in allowed
        and any(re.search(phrase_pattern(name), text) for name in company.names)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_generated_drafts_pass_their_own_checker(
    scenario: tuple[DraftContext, Settings, str],
) -> None:
    ctx, user_settings, channel = scenario
    message = draft(ctx, Channel(channel))
    raw = check_draft(message, ctx, user_settings)
    # A contact with no address (phone number) on record: the draft says so, and only then.
    nowhere = [f for f in raw if f.code == "no-address"]
    assert bool(nowhere) == (
        ctx.contact is not None
        and message.channel in (Channel.EMAIL, Channel.CALL, Channel.VOICEMAIL, Channel.TEXT)
        and not message.to_address
        and "no-address" not in user_settings.checks_off
    ), (message.text, nowhere)
    raw = [f for f in raw if f.code != "no-address"]
    serious = [f for f in raw if f.severity is not Severity.HINT]
    slots = [m.span() for m in SLOT.finditer(message.text)]
    assert [(f.code, (f.start, f.end)) for f in serious] == [("placeholder", s) for s in slots], (
        message.text,
        serious,
    )
    edited = resolve(message.text)
    after = check_draft(message, ctx, user_settings, text=edited)
    after = [f for f in after if f.code != "no-address"]
    assert [f for f in after if f.severity is not Severity.HINT] == [], (edited, after)
    assert other_companies_named(ctx, message.text) == [], message.text


@settings(max_examples=50, deadline=None)
@given(scenarios(), st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8))
def test_drafts_are_deterministic(
    scenario: tuple[DraftContext, Settings, str], _a: str, _b: str
) -> None:
    ctx, _, channel = scenario
    assert draft(ctx, Channel(channel)) == draft(ctx, Channel(channel))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "Dear",
                "Ms.",
                "Lee",
                ",",
                "\n",
                "Hey",
                "Dana",
                "Globex",
                "[[x]]",
                "Thank",
                "you",
                " ",
                "Subject:",
                "To:",
                "dana@acme.com",
                "Dnaa",
            ]
        )
    ).map("".join),
    st.sampled_from(list(Channel)),
)
def test_the_checker_takes_any_text(text: str, channel: Channel) -> None:
    from jobnudge.drafts import check

    from . import records as r

    findings = check(
        text,
        channel=channel,
        opportunity=r.OPPORTUNITY,
        company=r.ACME,
        contact=r.DANA,
        pipeline_companies=r.PIPELINE,
        settings=r.SETTINGS,
        people=[r.SAM],
        rule="interview.thank-you",
    )
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.message.strip()
