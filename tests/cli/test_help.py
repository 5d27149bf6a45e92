"""Every `--help` page reads as plain text: no markup escapes such as "\\[required]"."""

from __future__ import annotations

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.markup import escape
from typer.testing import CliRunner

from jobnudge.cli.helptext import unescape
from jobnudge.cli.main import app, whole_app


def _paths() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(command: typer.main.click.Command, path: list[str]) -> None:
        found.append(path)
        if isinstance(command, typer.main.click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(typer.main.get_command(whole_app()), [])
    return found


PATHS = _paths()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "nudge")
def test_help_has_no_stray_backslash(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "Usage: nudge" in result.output
    assert "\\" not in result.output, result.output


def test_the_notes_typer_adds_still_show() -> None:
    today = CliRunner().invoke(app, ["today", "--help"], env={"COLUMNS": "100"}).output
    assert "[default: 7; 0<=x<=3650]" in today
    log = CliRunner().invoke(app, ["log", "--help"], env={"COLUMNS": "100"}).output
    assert "[required]" in log  # (add's COMPANY and ROLE may come from --posting)
    assert len(PATHS) > 30  # every command and group was walked


@settings(deadline=None)  # timings vary on a loaded machine
@given(st.text(alphabet="[]\\ab/#@ =:;0", max_size=30))
def test_unescape_undoes_richs_escape(text: str) -> None:
    if text.endswith("\\"):
        text += "x"  # escape() also pads a trailing backslash; help never ends in one
    assert unescape(escape(text)) == text
