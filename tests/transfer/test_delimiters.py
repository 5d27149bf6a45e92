"""The delimiter is the one the header line and the rows agree on: a ';' or ',' inside a
notes cell of a tab-separated file does not make it semicolon- or comma-separated, and a
table written with any of , ; TAB | (cells quoted as a spreadsheet program quotes them)
reads back cell for cell."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.tabular.csv_read import read_csv, sniff_delimiter
from tests.cli.conftest import Nudge

DELIMITERS = st.sampled_from([",", ";", "\t", "|"])
HEADER = (
    st.text(alphabet=list("abcdefghRoleComptéÉèü "), min_size=1, max_size=10)
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)
CELL = st.text(alphabet=list('ab Xéçñ’,;|\t"-.'), max_size=12)


def _written(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _read(text: str, suffix: str) -> tuple[list[str], list[list[str]]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tracker{suffix}"
        path.write_text(text, encoding="utf-8", newline="")
        table = read_csv(path)
        try:
            return table.headers, [cells for _n, cells in table.rows]
        finally:
            table.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    delimiter=DELIMITERS,
    suffix=st.sampled_from([".csv", ".tsv", ".txt"]),
    headers=st.lists(HEADER, min_size=2, max_size=5, unique=True),
    data=st.data(),
)
def test_a_table_reads_back_cell_for_cell(
    delimiter: str, suffix: str, headers: list[str], data: st.DataObject
) -> None:
    width = len(headers)
    row = st.lists(CELL, min_size=width, max_size=width).filter(lambda r: any(c.strip() for c in r))
    rows = data.draw(st.lists(row, max_size=6))
    got_headers, got_rows = _read(_written([headers, *rows], delimiter), suffix)
    assert got_headers == headers
    assert got_rows == rows


def test_a_semicolon_in_a_tab_separated_notes_cell_keeps_tabs() -> None:
    text = 'Company\tRole\tNotes\nSociété Générale\tAnalyste\t"great team"; call back\n'
    assert sniff_delimiter(text, ".tsv") == "\t"
    assert sniff_delimiter(text, ".csv") == "\t"
    assert sniff_delimiter(text) == "\t"


def test_a_tsv_name_yields_to_a_file_that_clearly_uses_commas() -> None:
    text = "Company,Role,Notes\nAcme,Analyst,fine\nBeta,Clerk,ok\n"
    assert sniff_delimiter(text, ".tsv") == ","


def test_import_of_a_tab_file_with_a_semicolon_in_notes(nudge: Nudge, tmp_path: Path) -> None:
    path = tmp_path / "tabs.tsv"
    path.write_text(
        "Company\tRole\tNotes\n"
        'Société Générale\tAnalyste\t"great team"; call back\n'
        "Café Lumière\tBarista\tnone\n",
        encoding="utf-8",
    )
    result = nudge("import", str(path), "--dry-run")
    assert "Société Générale" in result.stdout
