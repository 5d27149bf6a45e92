"""The import's shortcuts around the store's text checks agree with the checks: whatever a
shortcut lets through unchanged, ``convert.clean_text`` would have stored unchanged too."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.store import bulk, convert

PIECES = st.sampled_from(
    [
        *("a", "Z", "9", "-", "'", ".", " ", "  "),
        *("\t", "\n", "\r", "\x0b", "\x1b", "\x7f", "\x85"),
        *("\u00a0", "\u200b", "\u2028", "\ufeff", "é", "’"),
    ]
)
TEXT = st.one_of(st.lists(PIECES, max_size=8).map("".join), st.text(max_size=12))
"""Text made of the pieces that matter to the checks (runs of spaces, controls, invisible and
non-ASCII characters) as well as any text at all."""
SINGLE_LINE = ["role", "posting_url", "source", "company name", "contact name", "title", "email"]


@pytest.mark.parametrize("name", [*SINGLE_LINE, "notes"])
@given(value=TEXT)
def test_a_line_let_through_is_what_the_store_keeps(name: str, value: str) -> None:
    if value and bulk._plain_line(value):
        assert convert.clean_text(value, name, required=True) == value


@given(value=TEXT)
def test_a_note_let_through_is_what_the_store_keeps(value: str) -> None:
    if bulk._plain(value):
        assert convert.clean_text(value, "note") == value


@pytest.mark.parametrize("name", SINGLE_LINE)
@given(value=TEXT)
def test_the_remembered_cleaning_is_the_cleaning(name: str, value: str) -> None:
    try:
        expected = convert.clean_text(value, name)
    except Exception as exc:  # the same refusal, with the same message
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            bulk._clean(value, name)
        return
    assert bulk._clean(value, name) == expected
