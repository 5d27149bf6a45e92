"""Bad input for every importer: truncated, mis-encoded, oversized and malicious files, and
fuzzing. Each case ends with a clear NudgeError (an exit code) or a report of rejected rows;
never a traceback, never a partial import."""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.errors import BadFile, NudgeError
from jobnudge.services import backup, calendar_feed, importing, restoring
from jobnudge.services.session import Session
from jobnudge.tabular import safety

from .conftest import CORPUS

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def nothing_written(session: Session) -> bool:
    return not session.store.opportunities(session.owner) and not session.store.companies(
        session.owner
    )


def refused(session: Session, path: Path, match: str) -> None:
    with pytest.raises(BadFile, match=match):
        importing.import_file(session, path)
    assert nothing_written(session)


# Text files


def test_binary_and_empty_files(session: Session, tmp_path: Path) -> None:
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    refused(session, png, "binary data")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused(session, empty, "empty")
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n ,, \n", encoding="utf-8")
    refused(session, blank, "no header row")
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    refused(session, pdf, "PDF")
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    refused(session, xls, r"old Excel \.xls")
    refused(session, tmp_path / "missing.csv", "no such file")


def test_thousands_of_columns(session: Session, write_csv: Callable[..., Path]) -> None:
    wide = [f"col{i}" for i in range(5000)]
    refused(session, write_csv([wide, ["x"] * 5000]), "5000 columns")
    rows = [["Company", "Role", "Applied"], ["Acme", "Analyst", "2026-03-02", *["x"] * 3000]]
    report = importing.import_file(session, write_csv(rows, name="wide-row.csv"))
    assert report.rejected == []
    assert report.warnings == [
        (2, "column 257", "the row has 3003 cells; the cells past column 256 were not read")
    ]
    assert report.counts["opportunities_new"] == 1


def test_oversized_cells_and_files(
    session: Session, write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    long_note = "x" * 40_000
    rows = [["Company", "Role", "Notes"], ["Acme", "Analyst", long_note], ["Globex", "BI", "ok"]]
    report = importing.import_file(session, write_csv(rows))
    assert report.rejected == [] and report.counts["opportunities_new"] == 2
    assert report.warnings == [
        (2, "Notes", "the cell has 40,000 characters; the first 32,767 are kept in the notes")
    ]
    acme = next(o for o, _s in session.store.opportunities(session.owner) if o.company == "Acme")
    assert acme.notes == "Notes: " + "x" * 32_767
    long_role = [["Company", "Role"], ["Acme", "r" * 40_000]]
    skipped = importing.import_file(session, write_csv(long_role, name="role.csv"))
    assert skipped.rejected[0][0] == 2 and "40,000 characters" in skipped.rejected[0][1]
    huge = [["Company", "Role", "Notes"], ["Acme", "Analyst", "y" * 200_000]]
    with pytest.raises(BadFile, match="row 2 cannot be read as CSV"):
        importing.import_file(session, write_csv(huge, name="huge.csv"))
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 100)
    with pytest.raises(BadFile, match="MB"):
        importing.import_file(session, write_csv(rows, name="big.csv"))


def test_truncated_and_mis_encoded_csv(session: Session, tmp_path: Path) -> None:
    truncated = tmp_path / "cut.csv"
    truncated.write_bytes(b'Company,Role,Notes\r\nAcme,Analyst,"an unfinished quote\r\nGlo')
    try:
        report = importing.import_file(session, truncated, dry_run=True)
    except NudgeError:
        pass
    else:
        assert report.rows >= 1
    mixed = tmp_path / "mixed.csv"  # UTF-8 with one Windows-1252 byte in it
    mixed.write_bytes("Company,Role\r\nCafé Ltd,Analyst\r\n".encode() + b"Caf\xe9 Bar,Cook\r\n")
    with pytest.raises(NudgeError, match=r"mixed\.csv: is not UTF-8.*'Caf\xe9 Bar,Cook'"):
        importing.import_file(session, mixed, dry_run=True)  # never one name mis-decoded
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"Company,Role\r\nAc\x00me,Analyst\r\n")
    with pytest.raises(NudgeError):
        importing.import_file(session, nul)
    assert nothing_written(session)
    no_bom = tmp_path / "utf16.csv"
    no_bom.write_bytes("Company,Role\r\nAcme,Analyst\r\n".encode("utf-16-le"))
    report = importing.import_file(session, no_bom, dry_run=True)
    assert [line.company for line in report.new] == ["Acme"]


def test_formula_cells_are_imported_as_text(
    session: Session, write_csv: Callable[..., Path]
) -> None:
    rows = [
        ["Company", "Role", "Notes"],
        ['=HYPERLINK("http://evil.example","x")', "Analyst", "@SUM(1+1)"],
        ["+cmd|' /C calc'!A0", "-2+3", "=1+1"],
    ]
    importing.import_file(session, write_csv(rows))
    stored = sorted(o.company for o, _s in session.store.opportunities(session.owner))
    assert stored == ["+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")']


# Workbooks


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Company", "Role", "Applied"])
    sheet.append(["Acme", "Analyst", "2026-03-02"])
    book.save(path)
    return path


def test_truncated_and_fake_workbooks(session: Session, tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[: len(good) // 2])
    refused(session, cut, "XLSX|zip")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Company,Role\nAcme,Analyst\n", encoding="utf-8")
    refused(session, fake, "not a zip archive")
    other_zip = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    refused(session, other_zip, "cannot be read as an XLSX workbook")


def test_a_zip_bomb_is_refused_before_it_is_inflated(session: Session, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(block)
        z.writestr("[Content_Types].xml", "<Types/>")
    assert bomb.stat().st_size < 1 << 20
    refused(session, bomb, "zip bomb")


def test_a_workbook_inflating_past_the_cap(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(safety, "MAX_XLSX_UNCOMPRESSED", 1000)
    refused(session, path, "uncompressed")


def test_an_xml_entity_bomb_is_refused(session: Session, tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx")
    bomb_xml = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    bomb = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = bomb_xml.encode()
            out.writestr(item, data)
    refused(session, bomb, "cannot be read")


def test_thousands_of_columns_in_a_workbook(
    session: Session, write_xlsx: Callable[..., Path]
) -> None:
    refused(session, write_xlsx([[f"c{i}" for i in range(3000)]]), "3000 columns")


# Fuzzing


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".tsv"]))
def test_fuzz_any_bytes(session: Session, tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        importing.import_file(session, path)
    except NudgeError:
        assert nothing_written(session)


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "Applied",
            "phone screen",
            "Interview 3",
            "offer",
            "rejected",
            "ghosted",
            "withdrawn",
            "2026-02-30",
            "03/04/2026",
            "25/12/2025",
            "Mar 5, 2026",
            "45000",
            "=1+1",
            "",
        ]
    ),
)


@FUZZ
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=8), max_size=15))
def test_fuzz_tables(
    session: Session, write_csv: Callable[..., Path], rows: list[list[str]]
) -> None:
    header = [
        "Company",
        "Role",
        "Applied",
        "Status",
        "Status date",
        "Interview",
        "Contact",
        "Email",
    ]
    path = write_csv([header, *rows])
    before = session.store.count_events(session.owner)
    try:
        report = importing.import_file(session, path)
    except NudgeError:
        assert session.store.count_events(session.owner) == before
        return
    assert report.rows == sum(1 for r in rows if any(c.strip() for c in r))
    readable = report.rows - len(report.rejected)
    assert readable == report.counts["opportunities_new"] + report.counts["opportunities_existing"]
    again = importing.import_file(session, path)
    assert again.counts["events_new"] == 0 and again.counts["opportunities_new"] == 0


@FUZZ
@given(text=st.text(max_size=600), prefix=st.booleans())
def test_fuzz_invitations(session: Session, tmp_path: Path, text: str, prefix: bool) -> None:
    path = tmp_path / "invite.ics"
    head = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n" if prefix else ""
    path.write_text(head + text, encoding="utf-8")
    with contextlib.suppress(NudgeError):
        calendar_feed.import_invite(session, path)


@FUZZ
@given(text=st.text(max_size=600), prefix=st.booleans())
def test_fuzz_vcards(session: Session, tmp_path: Path, text: str, prefix: bool) -> None:
    path = tmp_path / "cards.vcf"
    head = "BEGIN:VCARD\r\nVERSION:3.0\r\n" if prefix else ""
    path.write_text(head + text, encoding="utf-8")
    with contextlib.suppress(NudgeError):
        importing.import_vcards(session, path)


def _mutations() -> st.SearchStrategy[tuple[str, object]]:
    return st.tuples(
        st.sampled_from(
            ["companies", "contacts", "opportunities", "events", "settings", "version", "format"]
        ),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=5),
            st.lists(st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8))),
        ),
    )


@FUZZ
@given(change=_mutations())
def test_fuzz_backups(session: Session, tmp_path: Path, change: tuple[str, object]) -> None:
    import uuid

    from jobnudge.services import demo

    from .conftest import make_session

    if not session.store.opportunities(session.owner):
        demo.load(session)
    doc = backup.backup(session)
    doc[change[0]] = change[1]
    path = tmp_path / "mutated.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = make_session(f"sqlite:///{tmp_path / uuid.uuid4().hex / 'db.sqlite'}", tmp_path)
    try:
        restoring.restore(fresh, path)
    except NudgeError:
        assert nothing_written(fresh)
    finally:
        fresh.close()


def test_corpus_invitations_that_are_not_invitations(session: Session) -> None:
    from jobnudge.errors import UsageError

    with pytest.raises(UsageError, match="CANCEL"):
        calendar_feed.import_invite(session, CORPUS / "cancel.ics")
    with pytest.raises(BadFile, match="not an iCalendar"):
        calendar_feed.import_invite(session, CORPUS / "not-a-calendar.ics")
