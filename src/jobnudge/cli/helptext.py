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
from typer.core import TyperGroup

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


def _plain(command: click.Command) -> None:
    command.context_class = PlainContext
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _plain(sub)


class PlainHelpGroup(TyperGroup):
    """The `nudge` group: it and every command under it print help through PlainFormatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)
