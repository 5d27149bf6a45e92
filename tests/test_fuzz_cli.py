"""Every option and argument of every `nudge` command, fed whatever hypothesis makes (year
9999, numbers past 64 bits, 300-character zones, escapes, zero-width names, odd files), ends
in a result or a one-line message with its exit code: never a traceback, and never a control
character on the terminal.

The commands are found by walking the command tree, so a new command or option is fuzzed
without editing this file. Runs in-process on a real SQLite file with the demo search.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jobnudge.cli.main import app, whole_app
from jobnudge.errors import NudgeError
from tests.fuzzing import has_traceback, shown, whole_numbers, words

NOW = "2026-11-24 10:30"  # a Tuesday morning in New York
PROFILE = '[profile]\nname = "Alex Morgan"\ntz = "America/New_York"\ncountry = "US"\n'
SKIPPED = {"--install-completion", "--show-completion", "--install", "--uninstall"}
"""Options left out: they edit the user's shell files or set up the machine's real timers
(`nudge remind --install` is tested in a temporary home by tests/remind/test_cli.py)."""
EXIT_CODES = {0, 1, 2, *(c.exit_code for c in NudgeError.__subclasses__())} | {
    c.exit_code for base in NudgeError.__subclasses__() for c in base.__subclasses__()
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


WHOLE = typer.main.get_command(whole_app())
"""Every command built, to walk their parameters (`nudge` itself builds only the one it runs)."""


def _commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found.append(path)

    walk(WHOLE, ())
    return found


def _command(path: tuple[str, ...]) -> click.Command:
    command = WHOLE
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


COMMANDS = _commands()


@dataclass
class Home:
    root: Path
    env: dict[str, str]
    files: list[str]


def _files(folder: Path) -> list[str]:
    """Files for the commands that read or write one: good, broken, hostile, missing."""
    folder.mkdir()
    (folder / "tracker.csv").write_text(
        "Company,Role,Applied,Notes\n"
        "\x1b]0;pwned\x07Acme,Analyst\x1b[2J,2026-11-02,=HYPERLINK(1)\n"
        "Globex,\u200b\u200b,9999-12-31,ok\n",
        encoding="utf-8",
    )
    (folder / "backup.json").write_text(
        json.dumps(
            {
                "format": "jobnudge-backup",
                "version": 1,
                "settings": {"profile": {"tz": "EST"}, "playbook": {"apply_check_in_days": -5}},
                "companies": [
                    {
                        "id": 1,
                        "name": "\x1b[2J",
                        "aliases": [],
                        "domains": [],
                        "is_staffing_firm": 0,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    (folder / "invite.ics").write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=" + "A" * 300 + ":99991231T100000\r\n"
        "SUMMARY:\x1b[2JInterview\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    (folder / "cards.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\x1b]0;x\x07Dana\r\nTZ:" + "B" * 300 + "\r\n"
        "EMAIL:<script>@x.com\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    (folder / "draft.txt").write_text("Subject: Hi\n\nDear Dana,\x1b[2J thanks.\n")
    (folder / "noise.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "a-folder").mkdir()
    names = [p.name for p in folder.iterdir()]
    return [
        *(str(folder / n) for n in names),
        str(folder / "missing.csv"),
        str(folder / "out.xlsx"),
        str(folder / "out.ics"),
        str(folder / ("x" * 300 + ".csv")),
        str(folder / "no-such-dir" / "out.csv"),
        "",
    ]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    root = tmp_path_factory.mktemp("fuzz-cli")
    (root / "config.toml").write_text(PROFILE, encoding="utf-8")
    env = {
        "NUDGE_DATA_DIR": str(root / "data"),
        "NUDGE_CONFIG": str(root / "config.toml"),
        "NUDGE_NOW": NOW,
        "NUDGE_DB": "",
        "EDITOR": "true",
        "VISUAL": "true",
        "COLUMNS": "80",
        "NO_COLOR": "1",
    }
    files = _files(root / "files")
    result = CliRunner().invoke(app, ["demo", "--quiet"], env=env)
    assert result.exit_code == 0, result.output
    yield Home(root, env, files)


def _databases(root: Path) -> list[str]:
    return [
        f"sqlite:///{root / 'other.sqlite'}",
        "sqlite:////nonexistent/dir/x.db",
        f"sqlite:///{root / ('y' * 300)}.db",
        "postgresql://nobody@127.0.0.1:1/none",
        "mysql://x/y",
        "not a url",
    ]


def _value(param: click.Parameter, home: Home) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, click.types.IntParamType):
        return whole_numbers().map(str)
    if isinstance(kind, click.Path | click.File):
        return st.sampled_from(home.files)
    if param.name == "db":
        return st.sampled_from(_databases(home.root))
    return words()


@st.composite
def _arguments(draw: st.DrawFn, path: tuple[str, ...], home: Home) -> list[str]:
    """A command line for ``path``: each option given or not, arguments always."""
    args: list[str] = []
    root = typer.main.get_command(app)
    for param in root.params:
        if isinstance(param, click.Option) and param.opts[0] not in SKIPPED:
            args += _option(draw, param, home)
    args += path
    positional: list[str] = []
    for param in _command(path).params:
        if isinstance(param, click.Option):
            args += _option(draw, param, home)
        elif isinstance(param, click.Argument):
            count = draw(st.integers(0, 3)) if param.nargs == -1 else 1
            if param.required or param.nargs == -1 or draw(st.booleans()):
                positional += [draw(_value(param, home)) for _ in range(count)]
    return [*args, "--", *positional]  # "--": an argument like "-5" is a value, not an option


def _option(draw: st.DrawFn, param: click.Option, home: Home) -> list[str]:
    if param.name == "help" or not draw(st.booleans()):
        return []
    name = param.opts[0]
    if param.is_flag:
        return [name]
    times = draw(st.integers(1, 2)) if param.multiple else 1
    return [x for _ in range(times) for x in (name, draw(_value(param, home)))]


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`nudge serve` builds the app and stops where it would listen and open a browser."""
    import webbrowser

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.setattr(uvicorn.Server, "run", lambda *a, **k: None)
    monkeypatch.setattr(webbrowser, "open", lambda *a, **k: True)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_command_line_ends_in_a_traceback(
    path: tuple[str, ...], home: Home, no_server: None, data: st.DataObject
) -> None:
    args = data.draw(_arguments(path, home), label="args")
    result = CliRunner().invoke(app, args, env=home.env)
    where = f"nudge {' '.join(args)!r} exited {result.exit_code}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{where} with {result.exception!r}") from result.exception
    assert not has_traceback(result.output), f"{where}:\n{shown(result.output)}"
    assert result.exit_code in EXIT_CODES, f"{where}:\n{shown(result.output)}"
    if result.exit_code != 2:  # Click's usage errors repeat what was typed, as typed
        found = CONTROL.search(result.output)
        assert found is None, f"{where} printed {found.group()!r}:\n{shown(result.output)}"


def test_every_command_is_fuzzed() -> None:
    """The tree walk finds the commands (a walk that found none would test nothing)."""
    assert {("add",), ("log",), ("contact", "add"), ("mail", "retry"), ("restore",)} <= set(
        COMMANDS
    )
    assert len(COMMANDS) >= 35


def test_every_whole_number_option_has_bounds() -> None:
    """An integer option without a range lets a 30-digit number reach the database."""
    unbounded = [
        f"{' '.join(path)} {param.name}"
        for path in COMMANDS
        for param in _command(path).params
        if isinstance(param.type, click.types.IntParamType)
        and not (
            isinstance(param.type, click.IntRange)
            and param.type.min is not None
            and param.type.max is not None
        )
    ]
    assert unbounded == []
