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
            from jobnudge.services.session import open_session

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
            print(f"error: {exc.message}", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def echo_json(value: Any) -> None:
    import json

    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
