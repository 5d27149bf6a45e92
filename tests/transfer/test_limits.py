"""Each documented limit at its edge, in a process whose address space is capped
(``resource.setrlimit(RLIMIT_AS)``): a file just inside a limit is read within the cap, and a
file past one is refused before the import takes the write lock.

The caps are a few times what each case needs today, far below what the faults they guard
against took (a 15 MB vCard once needed 2.3 GB), so a return of such a fault fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.errors import BadFile
from jobnudge.services import importing
from jobnudge.services.session import Session
from jobnudge.tabular import safety

from .bigfiles import tracker_rows, write_csv, write_xlsx

MB = 1024 * 1024
PRELUDE = """
import json, resource, sys
from pathlib import Path
from jobnudge.config import Profile, Settings
from jobnudge.services.session import open_session

def session(folder):
    s = open_session(
        None,
        settings=Settings(profile=Profile(name="A", email="a@b.example", tz="UTC", country="US")),
        data_dir=Path(folder),
    )
    from datetime import datetime, UTC
    s.now = datetime(2026, 3, 20, 10, tzinfo=UTC)
    return s

def peak():
    status = open("/proc/self/status").read()
    return int(status.split("VmPeak:")[1].split()[0]) // 1024
"""


def capped(code: str, cap_mb: int, tmp_path: Path) -> dict[str, Any]:
    """Run ``code`` (after :data:`PRELUDE`) with at most ``cap_mb`` of address space; it
    prints one JSON line, returned here with the peak address space (MB) it reached."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (cap_mb * MB, cap_mb * MB))

    script = PRELUDE + textwrap.dedent(code) + "\nout['peak_mb'] = peak()\nprint(json.dumps(out))\n"
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["peak_mb"] < cap_mb
    print(f"peak {result['peak_mb']} MB of {cap_mb} MB")
    return result


@contextmanager
def no_write_lock(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail if the import opens its write transaction."""

    def refused(*_args: object, **_kw: object) -> None:
        raise AssertionError("the import took the write lock")

    monkeypatch.setattr(session.store, "transaction", refused)
    yield


@pytest.mark.slow
def test_a_vcard_file_at_the_size_limit_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """One card as big as the file may be (the 15 MB card that took 2.3 GB)."""
    path = tmp_path / "big.vcf"
    note = "x" * (safety.MAX_VCARD_BYTES - 4096)
    path.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Card\r\nNOTE:{note}\r\nEND:VCARD\r\n")
    assert safety.MAX_VCARD_BYTES - 8192 < path.stat().st_size <= safety.MAX_VCARD_BYTES
    out = capped(
        f"""
        from jobnudge.services import importing
        report = importing.import_vcards(session(sys.argv[1]), Path({str(path)!r}))
        out = {{"created": len(report.created), "rejected": report.rejected}}
        """,
        400,
        tmp_path,
    )
    assert out["created"] == 0
    assert "characters long without its photos" in out["rejected"][0][1]


@pytest.mark.slow
def test_a_vcard_file_with_the_most_cards_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "many.vcf"
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {0}\r\nEMAIL:p{0}@example.com\r\nEND:VCARD\r\n"
    path.write_text("".join(card.format(i) for i in range(safety.MAX_VCARDS)))
    out = capped(
        f"""
        from jobnudge import vcard
        from jobnudge.tabular import safety
        text = Path({str(path)!r}).read_text()
        cards, rejected = vcard.parse(text, limit=safety.MAX_VCARDS)
        out = {{"cards": len(cards), "rejected": len(rejected)}}
        """,
        200,
        tmp_path,
    )
    assert out == {"cards": safety.MAX_VCARDS, "rejected": 0, "peak_mb": out["peak_mb"]}
    over = tmp_path / "over.vcf"
    over.write_text(path.read_text() + card.format("x"))
    from jobnudge.vcard import parse

    started = time.monotonic()
    with pytest.raises(BadFile, match="20,001 vCards; at most 20,000"):
        parse(over.read_text(), limit=safety.MAX_VCARDS)
    assert time.monotonic() - started < 10  # counted before any card is parsed


@pytest.mark.slow
def test_a_csv_at_the_row_and_size_limits_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """200,000 distinct applications with long notes: just under 200 MB, read in a dry run
    (reading, planning and matching every row; the writes are per record and bounded by the
    same rows)."""
    path = tmp_path / "tracker.csv"
    note = "n" * 1000
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Company,Role,Date applied,Status,Notes\r\n")
        for i in range(safety.MAX_ROWS):
            handle.write(f"Employer {i},Analyst,2026-03-{1 + i % 19:02d},Applied,{note}\r\n")
    assert safety.MAX_FILE_BYTES * 0.9 < path.stat().st_size <= safety.MAX_FILE_BYTES
    out = capped(
        f"""
        from jobnudge.services import importing
        report = importing.import_file(session(sys.argv[1]), Path({str(path)!r}), dry_run=True)
        out = {{"rows": report.rows, "new": report.counts["opportunities_new"]}}
        """,
        640,
        tmp_path,
    )
    assert (out["rows"], out["new"]) == (safety.MAX_ROWS, safety.MAX_ROWS)


@pytest.mark.slow
def test_a_csv_over_the_row_limit_is_refused_before_the_write_lock(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "over.csv", safety.MAX_ROWS + 1)
    started = time.monotonic()
    with no_write_lock(session, monkeypatch), pytest.raises(BadFile, match="more than 200,000"):
        importing.import_file(session, path)
    assert time.monotonic() - started < 120  # seconds, where it took minutes in the lock


@pytest.mark.slow
def test_a_workbook_over_the_row_limit_is_refused_before_the_write_lock(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobnudge.tabular.xlsx_count import data_rows

    at = write_xlsx(tmp_path / "at.xlsx", tracker_rows(safety.MAX_ROWS))
    assert data_rows(at, "xl/worksheets/sheet1.xml", safety.MAX_ROWS + 1) == safety.MAX_ROWS
    over = write_xlsx(tmp_path / "over.xlsx", tracker_rows(safety.MAX_ROWS + 1))
    started = time.monotonic()
    with no_write_lock(session, monkeypatch), pytest.raises(BadFile, match="more than 200,000"):
        importing.import_file(session, over)
    assert time.monotonic() - started < 120


def test_the_row_count_before_the_lock_matches_the_reader(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick count and the reader agree on what a data row is (blank and all-space rows,
    shared strings, a title line), so a file at the limit is let in and one past it refused."""
    from jobnudge.tabular.table import open_table

    rows: list[list[object]] = [
        ["Job hunt"],
        [],
        ["Company", "Role", "Notes"],
        *([f"Co {i}", "Analyst", None] for i in range(6)),
        [None, "   "],
        [("s", 0)],  # a shared string of spaces
        [None, None, "\u00a0"],  # a no-break space alone
        [("s", 1), "Analyst"],
        [None, 0],
    ]
    path = write_xlsx(tmp_path / "rows.xlsx", rows, shared=["  ", "Initech"])
    with open_table(path) as table:
        real = sum(1 for _ in table.rows)
    assert real == 8
    monkeypatch.setattr(importing, "SAMPLE_ROWS", 2)
    monkeypatch.setattr(safety, "MAX_ROWS", real)
    importing.import_file(session, path)  # at the limit: imported
    monkeypatch.setattr(safety, "MAX_ROWS", real - 1)
    with no_write_lock(session, monkeypatch), pytest.raises(BadFile, match="more than 7 rows"):
        importing.import_file(session, path)
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text("Title\n\nCompany,Role\n" + "".join(f"C{i},R\n" for i in range(5)) + ",\n")
    monkeypatch.setattr(safety, "MAX_ROWS", 4)
    with no_write_lock(session, monkeypatch), pytest.raises(BadFile, match="more than 4 rows"):
        importing.import_file(session, csv_path)


@pytest.mark.slow
def test_a_backup_at_the_size_limit_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    event = {
        "id": 0,
        "opportunity_id": 1,
        "type": "sent",
        "at": "2026-03-02T14:00:00+00:00",
        "tz": "America/New_York",
        "contact_ids": [1],
        "channel": "email",
        "kind": "follow-up",
        "note": "Followed up about the role",
        "body": "Hello Dana, I wanted to follow up on my application for the analyst role.",
    }
    one = len(json.dumps(event)) + 2
    count = (safety.MAX_BACKUP_BYTES - 4096) // (one + 6)  # ids grow to six digits
    doc = {"format": "jobnudge-backup", "version": 1, "settings": {}, "companies": []}
    doc["events"] = [dict(event, id=i) for i in range(count)]
    path.write_text(json.dumps(doc))
    assert safety.MAX_BACKUP_BYTES * 0.95 < path.stat().st_size <= safety.MAX_BACKUP_BYTES
    out = capped(
        f"""
        from jobnudge.services.restoring import load_document
        out = {{"events": len(load_document(Path({str(path)!r}))["events"])}}
        """,
        768,
        tmp_path,
    )
    assert out["events"] == count


def test_an_invitation_at_the_size_limit_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "invite.ics"
    text = "x" * ((safety.MAX_ICS_BYTES - 8192) * 74 // 77)  # folding adds 3 bytes a line
    folded = "\r\n ".join(text[i : i + 74] for i in range(0, len(text), 74))
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\nMETHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\nUID:big@example.com\r\nDTSTART:20260326T090000Z\r\n"
        f"DTEND:20260326T100000Z\r\nSUMMARY:Interview\r\nDESCRIPTION:{folded}\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    path.write_text(body)
    size = path.stat().st_size
    assert safety.MAX_ICS_BYTES * 0.9 < size <= safety.MAX_ICS_BYTES, size
    out = capped(
        f"""
        from jobnudge.ics import invites
        from jobnudge.services.importing import read_text
        from jobnudge.tabular import safety
        text = read_text(Path({str(path)!r}), safety.MAX_ICS_BYTES, "iCalendar")
        invite = invites.parse(text, user_tz="UTC", source="invite.ics")
        out = {{"uid": invite.uid}}
        """,
        200,
        tmp_path,
    )
    assert out["uid"] == "big@example.com"


SHARED = ["  ", "Initech", "", "\u00a0", "a&b"]
CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\u00a0", "\u2003", "x", "<b>", "&", " y "]),
    st.integers(-5, 5),
    st.sampled_from([0.5, 46080.0]),
    st.integers(0, len(SHARED) - 1).map(lambda i: ("s", i)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=4), max_size=12))
def test_the_quick_row_count_is_the_readers_count(rows: list[list[object]]) -> None:
    """Generated sheets of blanks, spaces of every kind, numbers and shared strings: the count
    made before the write lock is the number of rows the reader gives."""
    from jobnudge.tabular.table import open_table
    from jobnudge.tabular.xlsx_count import data_rows

    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(
            Path(folder) / "t.xlsx", [["Company", "Role"], *rows, ["Last", "Row"]], SHARED
        )
        with open_table(path) as table:
            real = sum(1 for _ in table.rows)
        assert data_rows(path, "xl/worksheets/sheet1.xml", 10_000) == real
