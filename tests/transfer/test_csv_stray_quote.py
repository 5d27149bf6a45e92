"""A stray quote that a later cell's quote closes: the rows between would become one cell and
vanish without a word, so the file is refused naming the line the quote opens on; a genuine
multi-line note (Excel's Alt+Enter inside a quoted cell) still imports as one cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.errors import BadFile
from jobnudge.tabular.csv_read import read_csv
from tests.transfer.conftest import Nudge

TRIAL = (
    "Company,Role,Date applied,Status,Notes\r\n"
    "Acme,Analyst,10/28/2026,Applied,\r\n"
    'Initech,"Dev, Senior,11/4/2026,Applied,\r\n'
    "Globex,BI Developer,11/6/2026,Interview,phone screen went well\r\n"
    "Hooli,Data Engineer,11/9/2026,Applied,\r\n"
    'Umbrella,Analyst,11/12/2026,Interview,He said "call me next week"\r\n'
    "Stark,Engineer,11/14/2026,Applied,\r\n"
)
REFUSAL = (
    'a cell starting with " on line 3 runs on over lines 4-6, which look like rows of their '
    "own; close the quote on line 3 or remove it. Nothing was imported."
)


def _read(path: Path) -> list[tuple[int, list[str]]]:
    with read_csv(path) as table:
        return [(number, [str(c) for c in cells]) for number, cells in table.rows]


def test_the_trial_file_is_refused_naming_the_line_the_quote_opens_on(
    nudge: Nudge, tmp_path: Path
) -> None:
    path = tmp_path / "trial.csv"
    path.write_text(TRIAL, encoding="utf-8")
    with pytest.raises(BadFile) as caught:
        _read(path)
    assert str(caught.value) == f"{path}: {REFUSAL}"
    result = nudge("import", str(path), ok=False)
    assert result.returncode != 0
    assert REFUSAL in result.stderr and "Traceback" not in result.stderr
    assert "Initech" not in nudge("list").stdout


def test_one_swallowed_line_is_named_alone(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(
        'Company,Role,Notes\nAcme,"Analyst,x\nGlobex,Dev,said "hi"\nHooli,Eng,\n',
        encoding="utf-8",
    )
    with pytest.raises(BadFile, match="over line 3, which looks like a row of its own; close"):
        _read(path)


WORDS = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=8).map(str.strip).filter(bool)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(
    width=st.integers(min_value=3, max_value=7),
    rows=st.integers(min_value=3, max_value=10),
    data=st.data(),
)
def test_a_stray_quote_closed_by_a_later_cell_is_refused_naming_its_line(
    tmp_path_factory: pytest.TempPathFactory, width: int, rows: int, data: st.DataObject
) -> None:
    table = [[data.draw(WORDS) for _ in range(width)] for _ in range(rows)]
    stray = data.draw(st.integers(min_value=0, max_value=rows - 2), label="stray row")
    closer = data.draw(st.integers(min_value=stray + 1, max_value=rows - 1), label="closer row")
    table[stray][data.draw(st.integers(0, width - 1))] = '"' + table[stray][0]
    table[closer][-1] = f'said "{table[closer][-1]}"'
    header = [f"Col{i}" for i in range(width)]
    path = tmp_path_factory.mktemp("stray") / "sheet.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *table]) + "\n", encoding="utf-8")
    with pytest.raises(BadFile) as caught:
        _read(path)
    line = stray + 2  # the header is line 1
    assert f'starting with " on line {line} runs on over line' in str(caught.value)
    assert f"close the quote on line {line} or remove it" in str(caught.value)


NOTE_LINE = st.text(alphabet='abcXYZ ,;."', max_size=20).filter(lambda s: s.count(",") <= 1)


@FAST
@given(
    width=st.integers(min_value=3, max_value=7),
    rows=st.integers(min_value=1, max_value=8),
    data=st.data(),
)
def test_a_quoted_multi_line_note_imports_whole(
    tmp_path_factory: pytest.TempPathFactory, width: int, rows: int, data: st.DataObject
) -> None:
    table = [[data.draw(WORDS) for _ in range(width)] for _ in range(rows)]
    notes = {}
    for row in data.draw(st.sets(st.integers(0, rows - 1), min_size=1), label="noted rows"):
        lines = data.draw(st.lists(NOTE_LINE, min_size=2, max_size=5), label="note")
        notes[row] = "\n".join(lines)
        table[row][-1] = '"' + notes[row].replace('"', '""') + '"'
    header = [f"Col{i}" for i in range(width)]
    path = tmp_path_factory.mktemp("note") / "sheet.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *table]) + "\n", encoding="utf-8")
    read = _read(path)
    assert len(read) == rows
    for row, note in notes.items():
        assert read[row][1][-1] == note


def test_a_stray_quote_in_the_header_is_refused_naming_line_1(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(
        'Company,"Role,Date applied,Status\n'
        "Acme,Analyst,10/28/2026,Applied\n"
        "Globex,Dev,11/6/2026,Interview\n"
        'Hooli,Engineer,11/9/2026,said "soon"\n',
        encoding="utf-8",
    )
    with pytest.raises(BadFile) as caught:
        _read(path)
    assert 'a cell starting with " on line 1 runs on over lines 2-4' in str(caught.value)


def test_a_header_cell_written_over_two_lines_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "two-line-header.csv"
    path.write_text(
        'Company,Role,"Date\napplied",Status\nAcme,Analyst,10/28/2026,Applied\n',
        encoding="utf-8",
    )
    assert _read(path) == [(2, ["Acme", "Analyst", "10/28/2026", "Applied"])]


NAMES = st.lists(WORDS, min_size=1, max_size=14)


@FAST
@given(width=st.integers(min_value=3, max_value=7), data=st.data())
def test_a_note_listing_as_many_names_as_there_are_columns_imports(
    tmp_path_factory: pytest.TempPathFactory, width: int, data: st.DataObject
) -> None:
    """Prose puts a space after its commas: a note line "Met Dana, Raj, Sam, ..." holding as
    many commas as a row is not a swallowed row."""
    lines = [
        ", ".join(data.draw(st.lists(WORDS, min_size=width, max_size=width + 6)))
        for _ in range(data.draw(st.integers(2, 4)))
    ]
    note = "\n".join(lines)
    header = [f"Col{i}" for i in range(width)]
    row = [data.draw(WORDS) for _ in range(width - 1)] + ['"' + note + '"']
    path = tmp_path_factory.mktemp("names") / "sheet.csv"
    path.write_text("\n".join([",".join(header), ",".join(row)]) + "\n", encoding="utf-8")
    read = _read(path)
    assert len(read) == 1 and read[0][1][-1] == note
