"""Damerau–Levenshtein distance between two short strings, without importing rapidfuzz.

The name checks compare a handful of short words per draft; importing rapidfuzz for them (about
fifty modules) cost the command line's quick check more than all the comparisons together. This
is the textbook algorithm (Lowrance and Wagner: insertions, deletions, substitutions and swaps
of neighbours, a swapped pair allowed to be edited further, as rapidfuzz's
``DamerauLevenshtein`` counts), and gives the same numbers as rapidfuzz
(``tests/drafts/test_edits.py`` compares them on generated strings). Longer strings, where the
quadratic loop in Python would cost more than the import, go to rapidfuzz.
"""

from __future__ import annotations

LONGEST = 4096
"""The largest product of the two lengths computed here; beyond it rapidfuzz is used."""


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap neighbours) from ``a`` to ``b``."""
    if a == b:
        return 0
    n, m = len(a), len(b)
    if not n or not m:
        return n + m
    if n * m > LONGEST:
        from rapidfuzz.distance import DamerauLevenshtein

        return int(DamerauLevenshtein.distance(a, b))
    far = n + m  # more than any distance: a swap that cannot happen
    # rows[i + 1][j + 1]: the distance between a[:i] and b[:j]; row 0 and column 0 are ``far``.
    rows = [[far] * (m + 2)]
    rows.append([far, *range(m + 1)])
    rows.extend([far, i] + [0] * m for i in range(1, n + 1))
    last_row: dict[str, int] = {}  # for each character, the last row of ``a`` holding it
    for i in range(1, n + 1):
        here, above = rows[i + 1], rows[i]
        char = a[i - 1]
        last_column = 0  # the last column of ``b`` matching ``char`` in this row
        for j in range(1, m + 1):
            other = b[j - 1]
            k = last_row.get(other, 0)
            col = last_column
            if char == other:
                cost = 0
                last_column = j
            else:
                cost = 1
            here[j + 1] = min(
                above[j] + cost,
                here[j] + 1,
                above[j + 1] + 1,
                rows[k][col] + (i - k - 1) + 1 + (j - col - 1),
            )
        last_row[char] = i
    return rows[n + 1][m + 1]


def similarity(a: str, b: str) -> float:
    """1.0 for identical, 0.0 for nothing in common: one minus the distance over the longer
    length (rapidfuzz's ``normalized_similarity``)."""
    longer = max(len(a), len(b))
    return 1.0 - (distance(a, b) / longer if longer else 0)
