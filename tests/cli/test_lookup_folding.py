"""A record is found by the name a user types, whatever the case, accents and apostrophes:
"muller" finds "Müller & Söhne GmbH", "Jose Nunez" finds "José Ñúñez", "O’Reilly" finds
"O'Reilly Media, Inc.", in ``nudge check`` (on both its paths), ``show`` and ``log``."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jobnudge import typography
from tests.cli.test_quick import Home
from tests.cli.test_quickcheck import THANKS, assert_same


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    found = Home(tmp_path_factory.mktemp("folding"))
    for company, role in (
        ("Müller & Söhne GmbH", "Analyst"),
        ("O'Reilly Media, Inc.", "Editor"),
        ("Café Zoë", "Barista"),
    ):
        assert found.run("add", company, role, full=True).code == 0
    for name in ("José Ñúñez", "Zoë Adams", "Siobhan O’Brien"):
        done = found.run("contact", "add", name, full=True)
        assert done.code == 0, done.err
    (found.root / "thanks.txt").write_text(THANKS, encoding="utf-8")
    return found


@pytest.mark.parametrize(
    ("to", "contact"),
    [
        ("muller", None),
        ("MULLER & SOHNE", "Jose Nunez"),
        ("O’Reilly", "zoe"),
        ("o‘reilly media", "Siobhan O'Brien"),
        ("cafe zoe", "siobhan o’brien"),
    ],
)
def test_check_finds_records_whatever_the_accents_and_apostrophes(
    home: Home, to: str, contact: str | None
) -> None:
    args = ["check", str(home.root / "thanks.txt"), "--to", to]
    if contact is not None:
        args += ["--contact", contact]
    full, fast = home.both(*args)
    assert "nothing matches" not in full.err and "nobody called" not in full.err, full.err
    assert full.code in (0, 1), full.err
    assert_same(full, fast, taken=full.out.isascii())  # Rich alone prints "ë"


@pytest.mark.parametrize("ref", ["muller", "Muller", "oreilly media".replace("o", "o’", 1)])
def test_show_and_log_find_the_opportunity(home: Home, ref: str) -> None:
    shown = home.run("show", ref, full=True)
    assert shown.code == 0, shown.err
    logged = home.run("log", ref, "note", full=True)
    assert "nothing matches" not in logged.err, logged.err


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
@example("𝙰")  # a mathematical capital: decomposes to "A", which must then fold to "a"
@example("\u0345")  # a combining mark whose case fold is a letter
@example("İstanbul")  # casefolding makes a combining dot
def test_contains_ignores_case_accents_and_look_alikes(name: str) -> None:
    folded = typography.fold(name)
    assert typography.fold(folded) == folded  # "𝙰" -> "a" at once, not "A" then "a"
    assert typography.contains(name, name.upper())
    assert typography.contains(name, typography.fold(name))
    assert typography.contains(typography.plain(name), name)


def test_the_full_command_and_the_service_agree_on_an_unknown_name(home: Home) -> None:
    full = home.run("check", str(home.root / "thanks.txt"), "--to", "nowhere", full=True)
    assert full.code != 0 and "nothing matches 'nowhere'" in full.err
