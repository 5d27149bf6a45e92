"""What ``nudge check`` reads: standard input that is not UTF-8 is refused as a file is, on both
of its paths, never read with replacement characters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge import textfile
from jobnudge.errors import UsageError
from tests.cli.test_quick import ENTRY, Home
from tests.cli.test_quickcheck import THANKS


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("input"))
    assert home.run("demo", full=True).code == 0
    return home


def _check(home: Home, data: bytes, *, full: bool) -> tuple[int, str, str]:
    env = dict(home.env)
    if full:
        env["NUDGE_FULL_PATH"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "check", "-", "--to", "1"],
        env=env,
        input=data,
        capture_output=True,
        timeout=120,
        check=False,
    )
    err = done.stderr.decode().rpartition("\nloaded:")[0]
    return done.returncode, done.stdout.decode(), err


@pytest.mark.parametrize("full", [True, False])
def test_latin1_standard_input_is_refused_like_a_latin1_file(demo: Home, full: bool) -> None:
    latin1 = THANKS.replace("Best regards", "Grüße").encode("latin-1")
    path = demo.root / "latin1.txt"
    path.write_bytes(latin1)

    code, out, err = _check(demo, latin1, full=full)
    from_file = demo.run("check", str(path), "--to", "1", full=True)

    assert (code, out) == (2, "")
    assert "FILE: standard input is not UTF-8 text." in err
    assert from_file.code == 2 and "is not UTF-8 text." in from_file.err


def test_utf8_standard_input_is_checked_the_same_on_both_paths(demo: Home) -> None:
    data = THANKS.replace("Best regards", "Grüße").encode()
    full = _check(demo, data, full=True)
    fast = _check(demo, data, full=False)
    assert full == fast and full[0] in (0, 1)


@given(st.binary(max_size=200))
def test_decode_input_gives_the_text_or_refuses(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(UsageError, match="FILE: standard input is not UTF-8 text"):
            textfile.decode_input(data, "FILE")
    else:
        assert textfile.decode_input(data, "FILE") == text


@pytest.mark.parametrize(
    ("args", "named"), [(("--contact", ""), "--contact:"), (("--channel=",), "--channel:")]
)
def test_an_empty_option_is_refused_naming_it(
    demo: Home, args: tuple[str, ...], named: str
) -> None:
    (demo.root / "thanks.txt").write_text(THANKS, encoding="utf-8")
    full, fast = demo.both("check", str(demo.root / "thanks.txt"), "--to", "1", *args)
    assert full.code == 2 and named in full.err, full.err
    assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err)


def test_an_unknown_contact_id_names_the_field(demo: Home) -> None:
    (demo.root / "thanks.txt").write_text(THANKS, encoding="utf-8")
    full = demo.run(
        "check", str(demo.root / "thanks.txt"), "--to", "1", "--contact", "999", full=True
    )
    assert full.code != 0 and "contact: nobody has the id 999" in full.err, full.err


def test_a_long_list_of_matches_says_how_many_more(tmp_path: Path) -> None:
    home = Home(tmp_path)
    for n in range(14):
        assert home.run("add", f"Firm {n}", "Data Analyst", full=True).code == 0
    full = home.run("show", "analyst", full=True)
    assert "matches 14:" in full.err and "; and 4 more. Use the id." in full.err, full.err
