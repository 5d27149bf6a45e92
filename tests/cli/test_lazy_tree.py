"""`nudge` builds only the command it runs (cli/lazygroup.py), from a table of names and help
(cli/commandlist.py). Everything a person sees before a command runs must be what the whole
command line, built at once as before (``main.whole_app``), shows: every help page, the
errors for a wrong command with their suggestions, and shell completion."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer.main
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jobnudge.cli.commandlist import COMMANDS, MODULES
from jobnudge.cli.main import app, whole_app

WHOLE = typer.main.get_command(whole_app())
assert isinstance(WHOLE, click.Group)
NAMES = [name for name, _, _ in COMMANDS]


def _paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _paths(sub, (*path, name))
    return found


PATHS = _paths(WHOLE)


def _both(args: list[str], tmp: Path, columns: str = "80", **env: str) -> tuple[object, object]:
    """(exit code, stdout, stderr) of the lazy `nudge` and of the whole command line."""
    env = {
        "COLUMNS": columns,
        "NUDGE_DATA_DIR": str(tmp / "data"),
        "NUDGE_CONFIG": str(tmp / "config.toml"),
        **env,
    }
    seen = []
    for cli in (typer.main.get_command(app), WHOLE):  # the lazy one anew, as each run builds it
        result = CliRunner().invoke(cli, args, env=env, prog_name="nudge")
        seen.append((result.exit_code, result.stdout, result.stderr))
    return seen[0], seen[1]


def test_the_table_is_the_commands_the_modules_register() -> None:
    assert list(WHOLE.commands) == NAMES
    for name, module, summary in COMMANDS:
        real = WHOLE.commands[name]
        first = (real.help or "").partition("\n\n")[0]
        assert " ".join(first.split()) == summary, name
        assert (real.hidden, real.deprecated, real.short_help) == (False, False, None), name
        callback_module = getattr(real.callback, "__module__", None)
        if not isinstance(real, click.Group):  # a group's callback is Typer's
            assert callback_module == f"jobnudge.cli.{module}", name
    assert set(MODULES) == {module for _, module, _ in COMMANDS}


def test_a_run_imports_only_the_module_of_its_command(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from jobnudge.cli.main import run\n"
        "sys.argv = ['nudge', *sys.argv[1:]]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "sys.__stdout__.write(' '.join(sorted(m for m in sys.modules "
        "if m.startswith('jobnudge.cli.'))))\n"
    )
    loaded = {}
    for args in (["--help"], ["list", "--help"], ["contact", "--help"], ["lst"]):
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            check=False,
            env={"NUDGE_DATA_DIR": str(tmp_path), "NUDGE_CONFIG": str(tmp_path / "c.toml")},
        )
        loaded[args[0]] = set(done.stdout.rsplit("\n", 1)[-1].split())
    commands = {f"jobnudge.cli.{m}" for m in MODULES}
    assert loaded["--help"] & commands == set()
    assert loaded["lst"] & commands == set()
    assert loaded["list"] & commands == {"jobnudge.cli.listing"}
    assert loaded["contact"] & commands == {"jobnudge.cli.contacts"}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "nudge")
def test_every_help_page_is_the_same(path: tuple[str, ...], tmp_path: Path) -> None:
    for columns in ("80", "100", "52"):
        lazy, whole = _both([*path, "--help"], tmp_path, columns)
        assert lazy == whole
    assert lazy[0] == 0 and "Usage: nudge" in str(lazy[1])


@pytest.mark.parametrize(
    "args",
    [
        ["lst"],
        ["contcat", "list"],
        ["contact", "lsit"],
        ["delete", "oportunity", "1"],
        ["mail"],
        ["contact"],
        ["--bogus"],
        ["--db"],
        ["list", "--bogus"],
        ["show"],
        ["frobnicate", "--help"],
        ["--json", "seting"],
        ["LIST"],
    ],
    ids=" ".join,
)
def test_a_wrong_command_gets_the_same_error(args: list[str], tmp_path: Path) -> None:
    lazy, whole = _both(args, tmp_path)
    assert lazy == whole
    assert lazy[0] == 2


@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(NAMES),
    cut=st.integers(0, 12),
    extra=st.text(alphabet="abcdeilnorst-", max_size=3),
)
def test_a_mistyped_command_gets_the_same_suggestion(
    name: str, cut: int, extra: str, tmp_path: Path
) -> None:
    typo = name[:cut] + extra + name[cut + 1 :]
    assume(typo and typo not in NAMES and not typo.startswith("-"))
    lazy, whole = _both([typo], tmp_path)
    assert lazy == whole
    assert lazy[0] == 2


@pytest.mark.parametrize(
    "words", ["nudge ", "nudge co", "nudge contact ", "nudge contact l", "nudge mail ", "nudge d"]
)
def test_completion_is_the_same(words: str, tmp_path: Path) -> None:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    bash = {"_NUDGE_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    zsh = {"_NUDGE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words}
    for env in (bash, zsh):
        lazy, whole = _both([], tmp_path, **env)
        assert lazy == whole
        assert lazy[1], env  # it completed something


def _at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = WHOLE
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


@pytest.mark.parametrize(
    "path", [p for p in PATHS if isinstance(_at(p), click.Group)], ids=" ".join
)
def test_a_mistyped_command_gets_one_suggestion(path: tuple[str, ...], tmp_path: Path) -> None:
    """Every group answers a mistyped command with one "Did you mean", on both trees (Click
    suggests one and Typer's groups used to add the same again)."""
    group = _at(path)
    assert isinstance(group, click.Group)
    name = sorted(group.commands)[0]
    typo = name[1] + name[0] + name[2:] if len(name) > 1 else name + name
    for answer in _both([*path, typo], tmp_path):
        code, _out, err = answer  # type: ignore[misc]
        assert code == 2
        assert str(err).count("Did you mean") == 1, err
