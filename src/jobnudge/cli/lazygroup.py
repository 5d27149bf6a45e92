"""The `nudge` group that builds only the command it runs.

Building the whole command line meant importing every command module and turning all 54
commands into Click objects on every run, a third of a read command's start-up. This group
starts with a placeholder per command, made from ``cli/commandlist.py`` (name and first
paragraph of help: everything `nudge --help`, completion of a command name and the "No such
command" error show), and swaps in the real command when Click resolves the name it runs.
``main.whole_app()`` builds the whole tree the old way; tests/cli/test_lazy_tree.py holds the
two to the same output.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

import click
import typer
import typer.main

from jobnudge.cli.commandlist import COMMANDS
from jobnudge.cli.helptext import PlainHelpGroup, plain

BUILD: dict[str, Any] = {"rich_markup_mode": None, "pretty_exceptions_enable": False}
"""The settings of the `nudge` app that Typer passes on to each command it builds."""

_MODULE = {name: module for name, module, _ in COMMANDS}


class LazyGroup(PlainHelpGroup):
    """The root group: placeholders until a command is resolved, then the real command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: set[str] = set()
        for name, _, summary in COMMANDS:
            if name not in self.commands:
                self.commands[name] = click.Command(name, help=summary)
                self._pending.add(name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args:
            self.load(click.utils.make_str(args[0]))
        return super().resolve_command(ctx, args)

    def load(self, name: str) -> None:
        """Replace the placeholder of ``name`` (if it is one) with the real command."""
        if name in self._pending:
            self.commands[name] = build(name)
            self._pending.discard(name)


def build(name: str) -> click.Command:
    """The Click command (or group) ``name``, built from its module alone, as Typer builds it
    inside the whole command line."""
    alone = typer.Typer(add_completion=False, **BUILD)
    alone.callback()(_no_options)
    import_module(f"jobnudge.cli.{_MODULE[name]}").register(alone)
    alone.registered_commands = [
        info
        for info in alone.registered_commands
        if (info.name or typer.main.get_command_name(getattr(info.callback, "__name__", "")))
        == name
    ]
    alone.registered_groups = [info for info in alone.registered_groups if info.name == name]
    group = typer.main.get_command(alone)
    assert isinstance(group, click.Group)
    command = group.commands[name]
    plain(command)
    return command


def _no_options() -> None:
    """The callback that makes Typer build a group around the one command."""
