"""The spelling dictionary's word counts kept in a file: the same words and suggestions as the
dictionary built from pyspellchecker, read back without building it, rebuilt when damaged."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobnudge.drafts import spelling
from jobnudge.drafts.spelling import COUNTS_FILE


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Path]:
    spelling.keep_in(tmp_path)
    yield tmp_path / COUNTS_FILE
    spelling.keep_in(None)


def test_kept_counts_give_the_same_answers(kept: Path) -> None:
    built = spelling.word_counts()
    assert kept.exists()
    suggestion = spelling.suggestion("recieve")
    spelling.keep_in(kept.parent)  # a new process, say
    assert spelling.word_counts() == built
    assert spelling.is_known("onboarding") and not spelling.is_known("recieve")
    assert spelling.suggestion("recieve") == suggestion == "receive"


def test_the_kept_file_is_read_without_building_the_dictionary(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spelling.word_counts()
    spelling.keep_in(kept.parent)

    def refuse() -> None:
        raise AssertionError("built again")

    monkeypatch.setattr(spelling, "_english", refuse)
    assert spelling.is_known("interview")
    assert spelling.suggestion("intervew") == "interview"  # from the counts alone


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", b"\x00\x01\x02"])
def test_a_damaged_file_is_rebuilt(kept: Path, damage: bytes) -> None:
    kept.write_bytes(damage)
    assert spelling.is_known("follow-up") or spelling.is_known("thank")
    assert kept.read_bytes() != damage


def test_a_stale_file_is_rebuilt(kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spelling.word_counts()
    monkeypatch.setattr(spelling, "_stamp", lambda: "another version")
    spelling.keep_in(kept.parent)
    before = kept.stat().st_mtime_ns
    spelling.word_counts()
    assert kept.stat().st_mtime_ns != before


def test_the_checker_finds_the_same_with_kept_counts(kept: Path) -> None:
    from .test_checks import run

    text = "Dear Ms. Lee,\n\nThank you, I recieved the detials. Any questions?"
    fresh = [(f.code, f.start, f.message) for f in run(text)]
    spelling.keep_in(kept.parent)
    again = [(f.code, f.start, f.message) for f in run(text)]
    assert fresh == again
    assert sum(code == "spelling" for code, _, _ in fresh) == 2


TIED = ["ooli", "tean", "thier", "wrok", "bue", "fo", "sian", "hapy", "ment", "raod"]
"""Misspellings with several equally common corrections one edit away ("ooli": "oboli",
"soli", "ooli"...), where a choice that follows set order differs between processes."""


def test_suggestions_do_not_depend_on_the_process(tmp_path: Path) -> None:
    """Every process gives the same hint for the same word: string hashing is seeded afresh in
    each one, so a choice among ties taken in set order would change from run to run."""
    import subprocess
    import sys

    script = (
        "import sys; from jobnudge.drafts import spelling; "
        "print([spelling.suggestion(w) for w in sys.argv[1:]])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script, *TIED],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        for seed in (0, 1, 2, 3, 4, 5)
    }
    assert len(seen) == 1, seen
