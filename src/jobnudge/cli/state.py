"""What the global options decide, and the one decorator that turns errors into exit codes.

The session (and with it SQLAlchemy) is opened only when a command needs it, so ``nudge today``
on a SQLite file can answer from the fast read path without paying for that import.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from jobnudge.errors import NudgeError
from jobnudge.text_safety import printable

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.services.session import Session

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class State:
    db: str | None = None
    json: bool = False
    now: str | None = None
    _settings: Settings | None = None
    _session: Session | None = field(default=None, repr=False)
    _told: bool = field(default=False, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from jobnudge import config

            self._settings = config.load()
        return self._settings

    def session(self) -> Session:
        if self._session is None:
            from jobnudge.services.session import database_url, open_session
            from jobnudge.store.location import check_url

            check_url(database_url(self.db, self.settings))  # a typo must not make folders
            self._session = open_session(
                self.db, self.now, settings=self.settings, notice=self._tell_once
            )
        return self._session

    def _tell_once(self, message: str) -> None:
        """Say on stderr that a write is waiting for another process, once per command."""
        if not self._told:
            self._told = True
            print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def state(ctx: typer.Context) -> State:
    found = ctx.find_object(State)
    if found is None:  # a command invoked without the root callback (in tests)
        found = ctx.ensure_object(State)
    return found


def wants_json(ctx: typer.Context, flag: bool) -> bool:
    return flag or state(ctx).json


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a NudgeError as one line on stderr and exit with its code; nothing else leaks."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except NudgeError as exc:
            print(f"error: {printable(exc.message)}", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def printable_output() -> Callable[[], None]:
    """Put ``text_safety.PrintableWriter`` in front of stdout and stderr, so nothing the
    command prints (stored names, messages quoting what was typed) can drive the terminal;
    returns the function that puts the streams back."""
    from jobnudge.text_safety import PrintableWriter

    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, PrintableWriter):
        sys.stdout = PrintableWriter(sys.stdout)
    if not isinstance(sys.stderr, PrintableWriter):
        sys.stderr = PrintableWriter(sys.stderr)

    def restore() -> None:
        sys.stdout, sys.stderr = saved

    return restore


def echo_json(value: Any) -> None:
    from jobnudge.cli.agendaview import json_text

    sys.stdout.write(json_text(value))
