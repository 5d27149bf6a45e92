"""Rendering: every rule and channel, the wording rules, variety, overrides, strict names."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from jobnudge.config import Profile
from jobnudge.domain import Channel
from jobnudge.drafts import MESSAGE_CHANNELS, Draft, TemplateProblem, draft, template_name
from jobnudge.drafts.render import PACKAGE_TEMPLATES

from . import records as r

ALL = [(rule, channel) for rule, chans in MESSAGE_CHANNELS.items() for channel in chans]


def test_every_rule_and_channel_has_a_packaged_template() -> None:
    for rule, channel in ALL:
        assert (PACKAGE_TEMPLATES / template_name(rule, channel)).is_file()
    shipped = {p.relative_to(PACKAGE_TEMPLATES).as_posix() for p in PACKAGE_TEMPLATES.rglob("*.j2")}
    assert shipped == {template_name(rule, channel) for rule, channel in ALL}


@pytest.mark.parametrize(("rule", "channel"), ALL, ids=lambda v: str(v))
def test_drafts_fit_their_channel(rule: str, channel: Channel) -> None:
    message = draft(r.context(rule), channel)
    assert message.rule == rule and message.channel is channel
    assert message.body and "{{" not in message.body and "{%" not in message.body
    words = len(message.body.split())
    if channel is Channel.EMAIL:
        assert message.subject
        assert message.body.rstrip().endswith("Alex Kim\n555 010 0999")
        assert words <= 150
    else:
        assert message.subject == ""
    if channel is Channel.VOICEMAIL:
        assert words <= 95
    if channel is Channel.TEXT:
        assert len(message.body) <= 320
    assert "  " not in message.body and "\n\n\n" not in message.body


def test_email_text_has_headers_then_the_body() -> None:
    message = draft(r.context("interview.thank-you"), Channel.EMAIL)
    head, _, body = message.text.partition("\n\n")
    assert head == f"To: Dana Lee <dana.lee@acme.com>\nSubject: {message.subject}"
    assert body == message.body
    assert message.to_name == "Dana Lee" and message.to_address == "dana.lee@acme.com"


def test_texts_go_to_the_phone_and_cards_to_nobody_in_particular() -> None:
    assert draft(r.context("interview.confirm"), Channel.TEXT).to_address == "+1 555 010 0100"
    card = draft(r.context("interview.thank-you"), Channel.CARD)
    assert card.to_address == "" and card.text.startswith("To: Dana Lee\n\n")


def test_without_a_contact_the_draft_goes_to_the_hiring_team() -> None:
    message = draft(r.context("apply.check-in", contact_id=None), Channel.EMAIL)
    assert message.to_name == "Hiring Team"
    assert "Dear Hiring Team," in message.body


def test_salutation_follows_the_first_name_invitation() -> None:
    formal = draft(r.context("interview.thank-you"), Channel.EMAIL)
    assert "Dear Ms. Lee," in formal.body and "Dana" not in formal.body
    referrer = draft(r.context("referral.update"), Channel.TEXT)
    assert referrer.body.startswith("Hi Priya,")


def test_empty_records_become_marked_slots_never_invented_facts() -> None:
    events = tuple(replace(e, note="") for e in r.EVENTS)
    message = draft(r.context("interview.thank-you", events=events), Channel.EMAIL)
    assert "[[one thing you learned or discussed, in a sentence]]" in message.body
    nameless = replace(r.context("interview.thank-you"), profile=Profile())
    assert "[[your name]]" in draft(nameless, Channel.EMAIL).body


def test_optional_content_is_a_marked_slot() -> None:
    optional = re.compile(r"\[\[optional: [^\]]+ — or delete this line\]\]")
    bodies = [
        draft(r.context("interview.status-check", key=str(k)), Channel.EMAIL).body
        for k in range(12)
    ]
    assert all(len(optional.findall(b)) == 1 for b in bodies)
    kinds = {optional.search(b).group() for b in bodies}  # type: ignore[union-attr]
    assert len(kinds) == 3  # a new skill, industry news, a question about the interviewer


@pytest.mark.parametrize(
    ("rule", "channel"),
    [
        ("interview.thank-you", Channel.EMAIL),
        ("interview.thank-you", Channel.CARD),
        ("interview.thank-you", Channel.TEXT),
        ("interview.status-check", Channel.EMAIL),
        ("interview.status-check", Channel.CALL),
        ("interview.status-check", Channel.VOICEMAIL),
        ("interview.status-check", Channel.TEXT),
    ],
)
def test_thank_yous_and_status_checks_vary(rule: str, channel: Channel) -> None:
    bodies = set()
    for key in range(30):
        ctx = r.context(rule, key=f"k{key}")
        ctx = replace(ctx, seed=f"k{key}")  # thank-yous are seeded per interview
        bodies.add(draft(ctx, channel).body)
    assert len(bodies) >= 3


def test_thank_yous_to_two_people_met_in_one_interview_read_differently() -> None:
    dana = draft(r.context("interview.thank-you", contact_id=10), Channel.EMAIL)
    sam = draft(r.context("interview.thank-you", contact_id=11), Channel.EMAIL)
    assert dana.subject != sam.subject
    first = [b.body.split("\n\n")[1].split(".")[0] for b in (dana, sam)]
    assert first[0].replace("you", "") != first[1].replace("you", "")


def test_same_context_same_draft() -> None:
    ctx = r.context("interview.status-check")
    assert draft(ctx, Channel.EMAIL) == draft(ctx, Channel.EMAIL)


def test_user_template_overrides_the_packaged_one(tmp_path: Path) -> None:
    folder = tmp_path / "interview.thank-you"
    folder.mkdir()
    (folder / "email.j2").write_text(
        "Subject: Thanks from {{ me }}\n\n{{ greeting }}\n\nThank you for {{ interview_when }}!\n"
        "\n{{ signature }}\n",
        encoding="utf-8",
    )
    message = draft(r.context("interview.thank-you"), Channel.EMAIL, user_templates=tmp_path)
    assert message.subject == "Thanks from Alex Kim"
    assert message.body == "Dear Ms. Lee,\n\nThank you for today!\n\nAlex Kim\n555 010 0999"
    assert message.template == str(folder / "email.j2")
    other = draft(r.context("interview.status-check"), Channel.EMAIL, user_templates=tmp_path)
    assert other.template.startswith(str(PACKAGE_TEMPLATES))


def test_an_unknown_name_in_a_template_says_where_and_what_is_available(tmp_path: Path) -> None:
    folder = tmp_path / "interview.thank-you"
    folder.mkdir()
    (folder / "email.j2").write_text(
        "Subject: Thanks\n\n{{ greeting }}\n\nThanks for showing me {{ office_name }}.\n",
        encoding="utf-8",
    )
    with pytest.raises(TemplateProblem) as caught:
        draft(r.context("interview.thank-you"), Channel.EMAIL, user_templates=tmp_path)
    message = str(caught.value)
    assert "Your template interview.thank-you/email.j2, line 5" in message
    assert str(tmp_path) not in message  # a server's folders are never shown
    assert "'office_name' is undefined" in message
    assert "Names a template can use:" in message and "interview_when" in message


def test_a_syntax_error_in_a_template_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "interview.thank-you"
    folder.mkdir()
    (folder / "email.j2").write_text("Subject: x\n\n{% if greeting %}\nHello\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"line \d+: .*delete the file to use the default"):
        draft(r.context("interview.thank-you"), Channel.EMAIL, user_templates=tmp_path)


def test_an_email_template_without_a_subject_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "silence.retry"
    folder.mkdir()
    (folder / "email.j2").write_text("{{ greeting }}\n\nStill interested.\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"must begin with a 'Subject: \.\.\.' line"):
        draft(r.context("silence.retry"), Channel.EMAIL, user_templates=tmp_path)


def test_draft_is_a_plain_value() -> None:
    message = Draft("silence.retry", Channel.TEXT, "", "Hello.", "Dana Lee", "+1 555")
    assert message.text == "To: Dana Lee (+1 555)\n\nHello."
    assert Draft("x", Channel.EMAIL, "", "Hi.", "", "").text == "Hi."


def test_an_interview_time_for_a_contact_in_another_zone_names_both_clocks() -> None:
    """Dana in Denver reads her own hour first, and the New York time with its zone beside it."""
    ctx = r.context("interview.confirm")
    assert ctx.contact is not None and ctx.interview_at is not None
    same = draft(ctx, Channel.EMAIL).text
    assert "your time" not in same  # both in New York: one clock
    away = replace(ctx, contact=replace(ctx.contact, tz="America/Denver"))
    text = draft(away, Channel.EMAIL).text
    assert re.search(r"\d+(:\d\d)? [ap]m your time \(\d+(:\d\d)? [ap]m E[SD]T\)", text), text
