"""Stored text is data: control characters are refused on the way in and shown as symbols on
the way out; names of invisible characters are blank; ids, numbers, dates and zone names are
checked against their ranges before anything reads them."""

from __future__ import annotations

import io
import unicodedata
from contextlib import nullcontext
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge import bounds, text_safety, zones
from jobnudge.errors import ConfigError, UsageError
from jobnudge.services import validate
from jobnudge.store import convert

CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]


def _controls(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "Cc"}


@given(st.text())
def test_printable_leaves_no_control_but_newline_and_tab(text: str) -> None:
    assert _controls(text_safety.printable(text)) <= {"\n", "\t"}


@given(st.text())
def test_printable_changes_nothing_else(text: str) -> None:
    if not _controls(text) - {"\n", "\t"}:
        assert text_safety.printable(text) == text


def test_escapes_show_as_symbols() -> None:
    assert text_safety.printable("\x1b]0;pwned\x07Acme") == "␛]0;pwned␇Acme"
    assert text_safety.printable("\x1b[2J") == "␛[2J"
    assert text_safety.printable("a\x9b31mb\x7f") == "a\ufffd31mb␡"
    assert text_safety.printable_line("one\ntwo\x1b") == "one two␛"


@pytest.mark.parametrize("char", CONTROLS)
def test_every_control_character_is_refused_in_a_name(char: str) -> None:
    if char.isspace():  # tabs and line breaks in a one-line field are made spaces
        assert validate.name(f"Ac{char}me", "COMPANY") == "Ac me"
        return
    with pytest.raises(UsageError, match=r"COMPANY: contains the control character .*U\+00"):
        validate.name(f"Ac{char}me", "COMPANY")


@given(st.text())
def test_a_name_is_refused_or_stored_without_controls_and_not_blank(text: str) -> None:
    try:
        cleaned = validate.name(text, "NAME")
    except UsageError as exc:
        assert exc.message.startswith("NAME: ")
    else:
        assert not _controls(cleaned)
        assert not text_safety.is_blank(cleaned)


@pytest.mark.parametrize("blank", ["\u200b\u200b", " \u200b \ufeff ", "\u2060", "\u200e\u200f"])
def test_invisible_names_are_empty(blank: str) -> None:
    with pytest.raises(UsageError, match="must not be empty"):
        validate.name(blank, "COMPANY")
    with pytest.raises(UsageError, match="must not be empty"):
        convert.clean_text(blank, "role", required=True)


def test_zero_width_joiners_inside_a_name_stay() -> None:
    assert validate.name("\u200bZoë\u200d\u200b", "NAME") == "Zoë"
    assert validate.name("👩\u200d💻 Labs", "COMPANY") == "👩\u200d💻 Labs"


def test_store_refuses_controls_in_every_text_column_and_keeps_lines_in_notes() -> None:
    with pytest.raises(UsageError, match=r"^title: contains the control character ESC"):
        convert.clean_text("Lead\x1b[2J", "title")
    with pytest.raises(UsageError, match=r"^notes: contains the control character BEL"):
        convert.clean_text("ok\x07", "notes")
    assert convert.clean_text("line one\r\nline\ttwo\n", "notes") == "line one\nline\ttwo"
    assert convert.clean_text(" Senior\n Analyst ", "role") == "Senior Analyst"


@pytest.mark.parametrize(
    "address",
    ["<script>@x.com", '"q"@x.com', "a@b", "a@b.c", "a b@c.de", "a@c.de\x1b", "a..b@c.de"],
)
def test_addresses_that_are_no_addresses_are_refused(address: str) -> None:
    with pytest.raises(UsageError, match="is not an email address"):
        validate.email(address)


@pytest.mark.parametrize(
    "address",
    ["dana@acme.com", "first.last+jobs@mail.example.org", "josé@exämple.de", "o'neil@x.io"],
)
def test_real_addresses_pass(address: str) -> None:
    assert validate.email(address) == address


def test_mail_headers_written_by_others_are_scrubbed() -> None:
    from jobnudge.mail.parse import body_text, parse_headers

    raw = (
        b"From: =?utf-8?q?Dana=07=1B_Lee?= <dana@acme.com>\r\n"
        b"Subject: =?utf-8?q?Re=3A_=1B[2Jinterview?=\r\n"
        b"Date: Fri, 31 Dec 9999 23:00:00 -0500\r\n"
        b"Message-ID: <1@acme.com>\r\n\r\nThanks\x1b[2J, see you\x07.\r\n"
    )
    headers = parse_headers(raw)
    assert headers.from_name == "Dana Lee"
    assert headers.subject == "Re: [2Jinterview"
    assert headers.date is None  # a year 9999 header is a broken clock, not a date
    assert body_text(raw) == "Thanks[2J, see you."


def test_printable_writer_escapes_text_and_refuses_bytes() -> None:
    out = io.StringIO()
    writer = text_safety.PrintableWriter(out)
    writer.write("Acme\x1b[2J\n")
    assert out.getvalue() == "Acme␛[2J\n"
    with pytest.raises(TypeError):
        writer.write(b"")  # type: ignore[arg-type]  # click probes for a binary stream
    assert text_safety.unwrapped(writer) is out


# Ranges: ids, numbers, dates, zone names.


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("#12", 12), (str(bounds.MAX_ID), bounds.MAX_ID), (str(2**31), None),
     ("9" * 30, None), ("0", None), ("²", None), ("١٢", None), ("12a", None), ("", None)],
)  # fmt: skip
def test_record_ids(text: str, expected: int | None) -> None:
    assert bounds.record_id(text) == expected


@given(st.integers())
def test_whole_numbers_outside_the_range_are_refused(value: int) -> None:
    if 0 <= value <= bounds.MAX_ID:
        assert bounds.whole(value, "--x") == value
    else:
        with pytest.raises(UsageError, match=r"^--x: must be between 0 and"):
            bounds.whole(value, "--x")
    with pytest.raises(UsageError) if not -(2**31) <= value < 2**31 else nullcontext():
        convert.whole(value, "priority")


def test_dates_outside_the_span_are_refused() -> None:
    with pytest.raises(UsageError, match="the year 9999 is out of range"):
        bounds.instant(datetime(9999, 12, 31, tzinfo=UTC), "--at")
    with pytest.raises(UsageError, match="the year 1 is out of range"):
        bounds.day(date(1, 1, 1), "--decision-by")
    assert bounds.day(date(2026, 11, 24), "x") == date(2026, 11, 24)


@given(st.text(max_size=400))
def test_any_zone_text_is_a_zone_or_a_message(text: str) -> None:
    try:
        found = zones.canonical(text, "--tz")
    except ConfigError as exc:
        assert exc.message.startswith("--tz: ")
        assert len(exc.message) < 400
    else:
        assert zones.looks_like_zone(found)


@pytest.mark.parametrize(
    "text", ["A" * 300, "America/" + "x" * 300, "../../etc/passwd", "/etc/localtime", "a//b"]
)
def test_long_or_strange_zone_names_never_reach_the_file_system(text: str) -> None:
    assert not zones.looks_like_zone(text)
    with pytest.raises(ConfigError, match="is not an IANA time zone"):
        zones.check_zone(text, "profile.tz")
    with pytest.raises(UsageError, match="is not an IANA time zone"):
        convert.zone(text, "tz")


# Bytes Python could not decode (an argument typed in another encoding, a file named in one, a
# mail header) reach the code as lone surrogates, which no database or stream will write: the
# default text strategy never makes them, so these ask for them explicitly.
UNDECODED = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from(["\udce4", "\udcff", "\ud800", "é", "a", " "]),
    ),
    min_size=1,
)


def _writable(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return True


@given(UNDECODED)
def test_undecoded_bytes_are_refused_by_every_field_check_naming_it(text: str) -> None:
    for check in (
        lambda: validate.name(text, "NAME"),
        lambda: convert.clean_text(text, "role"),
        lambda: convert.clean_text(text, "notes"),
        lambda: text_safety.line(text, "NAME"),
        lambda: text_safety.text(text, "NAME"),
    ):
        try:
            cleaned = check()
        except UsageError as exc:
            assert exc.message.split(":")[0] in ("NAME", "role", "notes")
        else:
            assert _writable(cleaned)


@given(UNDECODED)
def test_what_is_shown_or_scrubbed_can_always_be_written(text: str) -> None:
    for shown in (
        text_safety.printable(text),
        text_safety.printable_line(text),
        text_safety.scrub_line(text),
        text_safety.scrub_text(text),
        text_safety.decodable(text),
    ):
        assert _writable(shown)


def test_a_file_name_in_another_encoding_reads_with_the_replacement_character() -> None:
    assert text_safety.decodable("M\udce4rz.csv") == "M\ufffdrz.csv"
    assert text_safety.decodable("März.csv") == "März.csv"
    with pytest.raises(UsageError, match="COMPANY: holds bytes that are not text in UTF-8"):
        validate.name("M\udce4rz GmbH", "COMPANY")
