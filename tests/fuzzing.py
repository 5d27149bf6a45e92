"""What the fuzz tests type into every option and field: the values that broke jobnudge once
(year 9999, ids past 64 bits, 300-character zones, terminal escapes, zero-width names) and
whatever else hypothesis makes of text and numbers."""

from __future__ import annotations

from hypothesis import strategies as st

from jobnudge.text_safety import printable

AWKWARD = [
    "",
    " ",
    "0",
    "1",
    "-1",
    "2",
    "3",
    "-5",
    "9" * 30,
    str(2**63),
    str(2**31),
    str(2**64 + 1),
    "1e309",
    "nan",
    "inf",
    "²",
    "١٢",
    "#1",
    "9999-12-31",
    "9999-12-31T23:59",
    "0001-01-01",
    "1900-01-01",
    "10000-01-01",
    "2026-02-30",
    "2026-11-24 10:00",
    "tomorrow 3pm",
    "next friday",
    "in 99999999 days",
    "99999 years ago",
    "2w",
    "99999999999999w",
    "A" * 300,
    "America/" + "x" * 300,
    "Europe/../../etc/passwd",
    "America/New_York",
    "EST",
    "localtime",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "Acme\x9b31m",
    "\u200b\u200b",
    "\u200b \ufeff",
    "<script>@x.com",
    "a@b.co",
    "x@",
    "[bold]x[/]",
    "[/]",
    "{{ 7 * 7 }}",
    "%s%n",
    "\x00",
    "a\x00b",
    "²",
    "①",
    "٣",
    "1²",
    "é" * 5000,
    "line one\nline two",
    "../x",
    "Globex",
    "Initech",
    "email",
    "call",
    "applied",
    "interviewed",
    "on",
]


def words() -> st.SearchStrategy[str]:
    """A value for any text option or field."""
    return st.one_of(
        st.sampled_from(AWKWARD),
        st.text(max_size=40),
        st.integers().map(str),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def whole_numbers() -> st.SearchStrategy[int]:
    """A value for an integer option: ordinary, at the edges and far beyond them."""
    return st.one_of(
        st.integers(min_value=-3, max_value=12),
        st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1]),
        st.integers(),
    )


def shown(text: str) -> str:
    """An output excerpt for an assertion message, harmless in the test log."""
    return printable(text[-3000:])


def has_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text
