"""Saved pages of real shapes: what is read from each, and what is kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jobnudge.errors import UsageError
from jobnudge.postings import reader
from tests.postings import samples

TODAY = date(2027, 1, 5)


def _values(reading: reader.Reading) -> dict[str, object]:
    return {f.field: f.value for f in reading.findings}


@pytest.mark.parametrize(
    "build", [samples.ats_plain, samples.ats_graph, samples.malformed_then_good]
)
def test_json_ld_posting(build) -> None:
    got = reader.read_html(build(), TODAY)
    values = _values(got)
    assert values["company"] == "Acme Inc."
    assert values["title"] == "Senior Data Analyst"
    assert values["location"] == "Leeds, West Yorkshire, GB"
    assert values["date_posted"] == date(2027, 1, 4)
    assert values["closes"] == date(2027, 2, 15)
    assert values["salary"] == "GBP 45,000–55,000 a year"
    assert values["employer_site"] == "https://acme.example"
    # the description's sentences are read too, each with its sentence
    assert values["responds_within"] == 14
    assert got.get("no_calls").source == "No phone calls, please."
    assert got.text.startswith("Senior Data Analyst\n\nAcme is looking for")
    assert "• Build dashboards" in got.text
    assert got.page  # the original page is kept


def test_a_malformed_block_is_noted_and_skipped() -> None:
    got = reader.read_html(samples.malformed_then_good(), TODAY)
    assert any("malformed" in n for n in got.notes)


def test_board_list_style_remote_and_hourly() -> None:
    values = _values(reader.read_html(samples.board_list(), TODAY))
    assert values["remote"] is True
    assert values["salary"] == "USD 40 an hour"


def test_microdata() -> None:
    got = reader.read_html(samples.microdata(), TODAY)
    values = _values(got)
    assert values["company"] == "Globex"
    assert values["title"] == "Data Engineer"
    assert values["closes"] == date(2027, 1, 31)
    assert values["shortlist_only"] is True
    assert values["responds_within"] == 14
    assert values["no_agencies"] is True


def test_page_without_data_is_read_from_its_sentences() -> None:
    got = reader.read_html(samples.no_data(), TODAY)
    values = _values(got)
    assert "company" not in values  # never guessed from the page's words
    assert values["closes"] == date(2027, 2, 28)
    assert values["contact_name"] == "Maria Lopez"
    assert values["contact_email"] == "maria.lopez@initech.example"
    assert "Warehouse Lead" in got.text
    assert any("no posting data" in n for n in got.notes)


def test_another_encoding(tmp_path: Path) -> None:
    saved = tmp_path / "posting.html"
    saved.write_bytes(samples.latin1())
    values = _values(reader.read_file(saved, TODAY))
    assert values["company"] == "Société Générale Café"
    assert values["title"] == "Analyste données"


def test_a_20_mb_page_is_read_but_not_kept_whole(tmp_path: Path) -> None:
    saved = tmp_path / "big.html"
    saved.write_text(samples.huge(20), encoding="utf-8")
    got = reader.read_file(saved, TODAY)
    assert _values(got)["company"] == "Acme Inc."
    assert got.page == ""
    assert any("1 MB" in n for n in got.notes)


def test_a_file_past_the_limit_is_refused(tmp_path: Path) -> None:
    saved = tmp_path / "huge.html"
    with saved.open("wb") as out:
        out.truncate(reader.MAX_FILE + 1)
    with pytest.raises(UsageError, match=r"--posting: .* at most 32 MB"):
        reader.read_file(saved, TODAY)


def test_pasted_plain_text() -> None:
    got = reader.read_text(
        "Data Analyst at Acme\nOnly shortlisted candidates will be contacted. No phone calls.",
        TODAY,
    )
    assert _values(got) == {"shortlist_only": True, "no_calls": True, "prefers": "email"}
    assert got.page == ""
