"""`--help` as plain text, without Rich's markup escapes.

Typer escapes the notes it adds after a parameter's help ("[default: 7]", "[required]",
"[env var: NUDGE_DB]") for Rich markup whenever Rich is installed, even when the help is not
rendered by Rich (``rich_markup_mode=None``), so every page showed "\\[required]". The root
group gives every command a context whose help formatter takes those escapes back out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import click
import typer.core
from typer.core import TyperGroup

# Help here is never rendered by Rich (``rich_markup_mode=None``), yet while Typer sees Rich
# installed it imports its whole Rich help module (Markdown, tracebacks, syntax highlighting:
# the larger part of every `--help`) only to add the escapes that ``unescape`` then removes.
# Typer reads this flag only for that escaping and for Rich-formatted help and errors, which
# this command line never uses; tests/cli/test_help.py keeps every page as it was.
typer.core.HAS_RICH = False

# The inverse of rich.markup.escape: "\[x" becomes "[x", doubled backslashes before it halve.
_ESCAPED = re.compile(r"(\\*)\\(\[[a-z#/@][^[]*?])")


def unescape(text: str) -> str:
    """Help text as Rich markup -> the same text as it is meant to read."""
    return _ESCAPED.sub(lambda m: m.group(1)[: len(m.group(1)) // 2] + m.group(2), text)


class PlainFormatter(click.HelpFormatter):
    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(term, unescape(text)) for term, text in rows], col_max, col_spacing)


class PlainContext(click.Context):
    formatter_class = PlainFormatter


def plain(command: click.Command) -> None:
    """Give ``command`` and every command under it the plain help formatter, and one "Did you
    mean" for a mistyped command (Click suggests one itself; Typer's groups added a second)."""
    command.context_class = PlainContext
    if isinstance(command, TyperGroup):
        command.suggest_commands = False
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            plain(sub)


class PlainHelpGroup(TyperGroup):
    """The `nudge` group: it and every command under it print help through PlainFormatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain(self)
