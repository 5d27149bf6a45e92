"""A name is one name whatever invisible format characters came with it.

Names copied from a profile, an e-mail signature or a web page carry characters that show
nothing: direction marks (U+200E), bidi isolates (U+2066...U+2069), the word joiner, tag
characters. ``typography.name_key`` (what companies and contacts are matched and de-duplicated
by) drops every one of them, by the same definition ``text_safety.is_blank`` counts them as
nothing with, so "Anna\\u200e Keller" is "Anna Keller" and a name that looks blank has no key.
"""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from jobnudge import text_safety, typography
from jobnudge.postings.duplicates import Candidate, company_key, matches, same_role
from jobnudge.typography import bare_key, name_key, same_name

EVERY_CHAR = [chr(c) for c in range(sys.maxunicode + 1)]
FORMAT = [c for c in EVERY_CHAR if unicodedata.category(c) == "Cf"]
"""Every invisible format character this Python's Unicode data knows."""
BLANK = [c for c in EVERY_CHAR if text_safety.is_blank(c)]
"""Every character ``text_safety`` counts as nothing (format characters and whitespace)."""

NAMES = st.one_of(
    st.sampled_from(
        ["Anna Keller", "Siemens", "Müller GmbH", "O’Reilly", "José Ñúñez", "Zoë Smith-Jones",
         "👩‍💻 Studio", "Société Générale", "北京大学", "محمد علي"]
    ),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
)  # fmt: skip


def test_the_format_characters_include_those_pasted_with_names() -> None:
    pasted = "\u200e\u200f\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\u2060"
    pasted += "\u2061\u2062\u2063\u2064\u061c\u180e\U000e0001\U000e0041\u00ad\u200b\u200d\ufeff"
    assert set(pasted) <= set(FORMAT)
    assert all(typography.invisible(c) for c in pasted)


def test_text_safety_and_name_keys_share_one_notion_of_invisible() -> None:
    assert set(BLANK) == {c for c in EVERY_CHAR if c.isspace() or typography.invisible(c)}


@given(
    NAMES,
    st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(FORMAT)), min_size=1),
)
@example("Anna Keller", [(4, "\u200e")])
@example("Siemens", [(0, "\u2066"), (99, "\u2069")])
@example("Zoë", [(2, "\u200d")])
@example("e\u0301\u0323", [(2, "\u200e")])  # between combining marks that NFKD reorders
def test_a_format_character_anywhere_leaves_the_key_as_it_was(
    name: str, inserted: list[tuple[int, str]]
) -> None:
    typed = name
    for at, char in inserted:
        at %= len(typed) + 1
        typed = typed[:at] + char + typed[at:]
    assert name_key(typed) == name_key(name)
    assert same_name(typed, name)
    assert bare_key(typed) == bare_key(name)
    assert typography.fold(typed) == typography.fold(name)


@given(NAMES, st.text(st.sampled_from(BLANK)), st.text(st.sampled_from(BLANK)))
def test_what_trim_drops_leaves_the_key_as_it_was(name: str, before: str, after: str) -> None:
    assert name_key(before + name + after) == name_key(name)


@given(st.text(st.sampled_from(BLANK)))
@example("\u2066\u2069")
@example("\u200e \u200f")
def test_a_blank_name_has_an_empty_key(text: str) -> None:
    assert text_safety.is_blank(text)
    assert name_key(text) == ""


@given(st.text())
def test_is_blank_implies_an_empty_key(text: str) -> None:
    if text_safety.is_blank(text):
        assert name_key(text) == ""


def test_an_emoji_sequence_keys_without_its_joiner() -> None:
    """A key may drop the zero-width joiner of an emoji sequence: it is a key, not shown."""
    assert name_key("👩\u200d💻 Studio") == name_key("👩💻 Studio") == "👩💻 studio"


def test_the_remembered_key_is_the_key() -> None:
    typed = "\u2067Keller & Söhne\u2069"
    assert name_key(typed) == name_key(typed) == "keller & sohne"
    assert name_key(typed * 100) == name_key("Keller & Söhne" * 100)  # too long to remember


def test_a_posting_from_a_company_typed_with_marks_is_a_duplicate() -> None:
    assert company_key("Sie\u200bmens AG") == company_key("\u2066Siemens\u2069") == "siemens"
    assert same_role("Data Ana\u200elyst", "Data Analyst")
    tracked = [Candidate(id=7, company="Siemens", role="Data Analyst")]
    new = Candidate(id=None, company="\u2066Siemens\u2069", role="Data\u2060 Ana\u200elyst")
    assert [m.id for m in matches(new, tracked)] == [7]
