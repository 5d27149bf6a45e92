"""A spreadsheet's text is read as it was written, or not at all: what carries a byte-order
mark (Excel's "Unicode Text" in UTF-16, "CSV UTF-8") or is valid UTF-8 is read exactly, comma-
or tab-separated; a file in a code page no mark names (Windows-1252, Latin-1, Mac Roman) is
refused naming the file and the fix unless its encoding is named, so no name is ever stored
mis-decoded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jobnudge.errors import BadFile, UsageError
from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.typography import name_key
from tests.cli.conftest import Nudge

LETTERS = st.sampled_from(list("aeEnoszAZ çéèüöäßñøåÆŒœ’–€"))
NAME = st.lists(LETTERS, min_size=1, max_size=12).map(lambda c: " ".join("".join(c).split()))
NAME = NAME.filter(bool)  # a name as stored: single spaces, none at either end
MARKED = {  # how the text is stored: the bytes a program writes
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with a mark": lambda t: t.encode("utf-8-sig"),
    "utf-16 (Excel's Unicode Text)": lambda t: t.encode("utf-16"),  # a mark, little-endian
    "utf-16 big-endian with a mark": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
}


def _sheet(path: Path, rows: list[tuple[str, str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([("Company", "Role"), *rows])
    return out.getvalue()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(NAME, NAME), min_size=1, max_size=4, unique_by=lambda r: name_key(r[0])),
    st.sampled_from(sorted(MARKED)),
    st.sampled_from([",", "\t"]),
)
@example([("Société Générale", "Analyste – données")], "utf-16 (Excel's Unicode Text)", "\t")
def test_text_with_a_mark_or_in_utf8_is_read_exactly(
    session: Session, tmp_path: Path, rows: list[tuple[str, str]], how: str, delimiter: str
) -> None:
    path = tmp_path / "sheet.txt"
    path.write_bytes(MARKED[how](_sheet(path, rows, delimiter)))
    report = importing.import_file(session, path, dry_run=True)
    assert sorted((n.company, n.role) for n in report.new) == sorted(rows)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(NAME, NAME), min_size=1, max_size=4, unique_by=lambda r: name_key(r[0])),
    st.sampled_from(["cp1252", "latin-1", "mac-roman"]),
    st.sampled_from([",", "\t"]),
)
@example([("Müller GmbH", "Ingénieur")], "cp1252", ",")
def test_a_code_page_is_refused_unless_named(
    session: Session, tmp_path: Path, rows: list[tuple[str, str]], page: str, delimiter: str
) -> None:
    try:
        data = _sheet(tmp_path, rows, delimiter).encode(page)
    except UnicodeEncodeError:  # a letter the code page has not: nothing to try
        return
    path = tmp_path / "sheet.csv"
    path.write_bytes(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(BadFile, match=r"sheet\.csv: is not UTF-8 and has no byte-order"):
            importing.import_file(session, path, dry_run=True)
    else:  # ASCII alone (or bytes that are UTF-8 too): the same text either way
        importing.import_file(session, path, dry_run=True)
    report = importing.import_file(session, path, dry_run=True, encoding=page)
    assert sorted((n.company, n.role) for n in report.new) == sorted(rows)
    assert not session.store.opportunities(session.owner)


def test_a_named_encoding_that_does_not_fit_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes("Company,Role\r\nMüller GmbH,Analyst\r\n".encode("cp1252"))
    with pytest.raises(BadFile, match="is not valid utf-8 text"):
        importing.import_file(session, path, encoding="utf-8")
    with pytest.raises(UsageError, match="--encoding: 'klingon'"):
        importing.import_file(session, path, encoding="klingon")
    assert not session.store.opportunities(session.owner)


def test_the_command_names_the_file_and_the_fix(nudge: Nudge, tmp_path: Path) -> None:
    sheet = tmp_path / "from excel.csv"
    sheet.write_bytes("Company;Role\r\nSociété Générale;Analyste\r\n".encode("cp1252"))
    refused = nudge("import", str(sheet), "--dry-run", ok=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "from excel.csv: is not UTF-8" in refused.stderr
    assert "'Société Générale;Analyste'" in refused.stderr  # what it would say in Windows-1252
    assert "--encoding cp1252" in refused.stderr and "CSV UTF-8" in refused.stderr
    read = nudge.json("import", str(sheet), "--encoding", "cp1252")
    assert read["counts"]["opportunities_new"] == 1
    assert [o["company"] for o in nudge.json("list")] == ["Société Générale"]


def test_a_vcard_in_a_code_page_is_refused_and_one_with_a_mark_read(
    session: Session, tmp_path: Path
) -> None:
    from jobnudge.services.import_contacts import import_vcards

    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José Núñez\r\nORG:Müller GmbH\r\nEND:VCARD\r\n"
    path = tmp_path / "people.vcf"
    path.write_bytes(card.encode("cp1252"))
    with pytest.raises(BadFile, match=r"people\.vcf: is not UTF-8.*'FN:José Núñez'"):
        import_vcards(session, path)
    path.write_bytes(card.encode("utf-16"))
    import_vcards(session, path)
    assert [c.name for c in session.store.contacts(session.owner)] == ["José Núñez"]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from([10, 3_000, 9_000, 30_000]))
def test_the_refusal_shows_the_line_wherever_it_is(
    session: Session, tmp_path: Path, good_rows: int
) -> None:
    """One cell pasted in another code page after months of UTF-8 rows, anywhere in the file
    (past the part read to tell the encoding too): the message shows that line and its number."""
    lines = ["Company,Role", *(f"Firm {n} Ltd,Analyst" for n in range(good_rows))]
    path = tmp_path / "kept for months.csv"
    path.write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("utf-8") + "Café Y,Analyst\r\n".encode("cp1252")
    )
    with pytest.raises(BadFile) as refused:
        importing.import_file(session, path, dry_run=True)
    assert f"line {good_rows + 2} says 'Café Y,Analyst'" in str(refused.value)
    assert not session.store.opportunities(session.owner)
