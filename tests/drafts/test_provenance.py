"""The import's sentence naming its file and row is a record of where an event came from: no
draft says it, whatever the file is called, while the user's own note is still used."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.domain import Channel, Event
from jobnudge.domain.provenance import import_note, user_words
from jobnudge.drafts import NoDraft, draft

from . import records as r

RULES = (
    ("interview.thank-you", r.NOW),
    ("interview.status-check", r.NOW),
    ("interview.confirm", r.at(2, 18)),  # before the scheduled interview
)


def _noted(note: str) -> tuple[Event, ...]:
    """The sample search with both interview events carrying ``note``."""
    return tuple(
        replace(e, note=note) if e.id in (2, 3) else e  # scheduled, interviewed
        for e in r.EVENTS
    )


def _texts(note: str) -> dict[str, str]:
    texts = {}
    for rule, now in RULES:
        ctx = r.context(rule, events=_noted(note), now=now)
        for channel in Channel:  # every channel the rule has a template for
            try:
                texts[f"{rule} {channel.value}"] = draft(ctx, channel).text
            except NoDraft:
                continue
    assert len(texts) >= len(RULES) * 3
    return texts


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=40), row=st.integers(min_value=1, max_value=10**7))
def test_no_draft_says_where_an_imported_interview_came_from(name: str, row: int) -> None:
    note = import_note(name, row)
    assert user_words(note) == ""
    for rule, now in RULES:
        ctx = r.context(rule, events=_noted(note), now=now)
        assert ctx.topics == ctx.interview_where == "", rule
    for which, text in _texts(note).items():
        assert "Imported from" not in text and f", row {row}." not in text, (which, text)


def test_the_thank_you_without_a_topic_asks_for_one_thing_discussed() -> None:
    ctx = r.context("interview.thank-you", events=_noted(import_note("tracker.csv", 9)))
    assert "one thing you learned or discussed" in draft(ctx, Channel.EMAIL).text


def test_the_users_own_note_is_still_what_was_discussed() -> None:
    texts = _texts("talked about the data platform")
    assert "talked about the data platform" in texts["interview.thank-you email"]
    ctx = r.context("interview.thank-you", events=_noted("talked about the data platform"))
    assert ctx.topics == "talked about the data platform"


def test_words_written_beside_the_import_sentence_are_kept() -> None:
    note = f"{import_note('tracker.csv', 9)}\nthe data platform"
    assert user_words(note) == "the data platform"
    assert user_words("4th floor, 1 Main St") == "4th floor, 1 Main St"
    assert user_words(import_note("a, row 3. b\nc.csv", 12)) == ""
