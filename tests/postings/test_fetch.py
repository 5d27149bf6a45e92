"""Fetching a posting from a real HTTP server on 127.0.0.1: redirects, time-outs, huge bodies
and pages that are not pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from jobnudge.errors import UsageError
from jobnudge.postings import fetch, reader
from tests.postings.server import serving


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serving() as base:
        yield base


def test_fetches_and_reads_a_posting(site: str) -> None:
    page = fetch.fetch(f"{site}/posting")
    got = reader.read_bytes(page.body, date(2027, 1, 5), url=page.url, charset=page.charset)
    assert got.value("company") == "Acme Inc."
    assert got.url == f"{site}/posting"


def test_follows_a_few_redirects_and_keeps_where_it_ended(site: str) -> None:
    page = fetch.fetch(f"{site}/hop/3")
    assert page.url == f"{site}/posting"


def test_too_many_redirects(site: str) -> None:
    with pytest.raises(UsageError, match=r"--posting: .* redirected more than 5 times"):
        fetch.fetch(f"{site}/loop")


def test_a_server_that_does_not_answer_in_time(site: str) -> None:
    with pytest.raises(UsageError, match=r"did not answer within 0\.5 seconds"):
        fetch.fetch(f"{site}/slow", timeout=0.5)


def test_a_server_that_trickles_is_cut_off_at_the_deadline(site: str) -> None:
    with pytest.raises(UsageError, match=r"did not answer within 0\.5 seconds"):
        fetch.fetch(f"{site}/trickle", timeout=0.5)


def test_a_huge_body_stops_at_the_limit(site: str) -> None:
    with pytest.raises(UsageError, match="larger than 5 MB"):
        fetch.fetch(f"{site}/huge")


def test_not_a_web_page(site: str) -> None:
    with pytest.raises(UsageError, match=r"is application/pdf, not a web page"):
        fetch.fetch(f"{site}/pdf")


def test_an_error_status(site: str) -> None:
    with pytest.raises(UsageError, match="answered 404"):
        fetch.fetch(f"{site}/gone")


def test_the_declared_charset_is_used(site: str) -> None:
    page = fetch.fetch(f"{site}/latin1")
    got = reader.read_bytes(page.body, date(2027, 1, 5), charset=page.charset)
    assert got.value("company") == "Société Générale Café"


def test_nothing_listening() -> None:
    with serving() as base:
        gone = base
    with pytest.raises(UsageError, match="could not fetch"):
        fetch.fetch(f"{gone}/posting", timeout=2)
