"""Lint and types are part of the test run: a change that breaks them fails like a bug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_src() -> None:
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


ISDIGIT_ALLOWED = {
    "bounds.py",  # is_digits itself, and a check that also asks isascii
    "clock.py",  # asks isascii first
    "timeparse.py",  # asks isascii first
    "cli/quick.py",  # asks isascii first (the fast path imports no more than it must)
    "tabular/people.py",  # drops number-only parts of an address, never calls int
    "services/remind_secrets.py",  # tells a host name from a number, never calls int
    "mail/imap.py",  # bytes from the server: only ASCII digits are digits there
    "postings/duplicates.py",  # compares words, never calls int
}


def test_no_isdigit_guards_an_int() -> None:
    """``str.isdigit`` is true of "²" and "①", which ``int`` refuses: a guard written with it
    let a superscript in a form field through to a crash. Numbers in text are checked with
    ``bounds.is_digits``; the files listed above use ``isdigit`` for something else."""
    import re

    src = Path(__file__).resolve().parents[1] / "src" / "jobnudge"
    found = [
        f"{path.relative_to(src)}:{number}"
        for path in sorted(src.rglob("*.py"))
        if str(path.relative_to(src)) not in ISDIGIT_ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.isdigit\(\)", line)
    ]
    assert found == [], "use bounds.is_digits: " + ", ".join(found)
