"""The name checks' edit distance (``drafts/edits.py``, pure Python so that a check need not
import rapidfuzz) gives exactly rapidfuzz's Damerau–Levenshtein numbers: the distance, and the
normalised similarity the checks compare with their thresholds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from jobnudge.drafts import edits

# Few letters, so that repeats, swaps and shared letters (where the algorithm's transposition
# bookkeeping matters) are common; accents and case as names have them.
LETTERS = st.sampled_from("abcdeAÉé' -")
SHORT = st.text(LETTERS, max_size=12)
LONG = st.text(LETTERS, min_size=50, max_size=90)  # past edits.LONGEST: rapidfuzz answers


@settings(max_examples=3000, deadline=None)
@given(a=SHORT, b=SHORT)
@example(a="CA", b="ABC")  # 2: a swap then an insertion (3 without unrestricted swaps)
@example(a="Dnaa", b="Dana")
@example(a="", b="")
@example(a="", b="abc")
def test_short_strings_match_rapidfuzz(a: str, b: str) -> None:
    assert edits.distance(a, b) == DamerauLevenshtein.distance(a, b)
    assert edits.similarity(a, b) == DamerauLevenshtein.normalized_similarity(a, b)


@settings(max_examples=300, deadline=None)
@given(a=st.one_of(SHORT, LONG), b=st.one_of(SHORT, LONG))
def test_long_strings_match_rapidfuzz(a: str, b: str) -> None:
    assert edits.distance(a, b) == DamerauLevenshtein.distance(a, b)
    assert edits.similarity(a, b) == DamerauLevenshtein.normalized_similarity(a, b)


def test_names_with_a_slip() -> None:
    assert edits.distance("Priya Natarjan", "Priya Natarajan") == 1
    assert edits.distance("Sam Otriz", "Sam Ortiz") == 1
    assert edits.similarity("Dana Le", "Dana Lee") == 1 - 1 / 8
