"""The `nudge` command: global options, then one small module per group of commands.

Heavy imports (SQLAlchemy, the playbook's holiday tables) happen inside the commands that
need them, so `nudge` alone answers from the fast read path. A run builds only the command it
runs (``cli/lazygroup.py``); :func:`whole_app` builds them all, as tools that walk every
command need.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated

import typer

from jobnudge.cli import entry
from jobnudge.cli.commandlist import MODULES
from jobnudge.cli.helptext import PlainHelpGroup
from jobnudge.cli.lazygroup import BUILD, LazyGroup
from jobnudge.cli.state import State, handles_errors, printable_output

HELP = (
    "jobnudge keeps your job search's follow-ups on track: whom to contact today, when, "
    "through which channel, and why.\n\nRun `nudge` alone for today's agenda."
)


def _root(group: type[PlainHelpGroup]) -> typer.Typer:
    """The `nudge` app around ``group``: the lazy one that runs, or the whole one for tests."""
    return typer.Typer(
        name="nudge", cls=group, help=HELP, no_args_is_help=False, add_completion=True, **BUILD
    )


app = _root(LazyGroup)


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="NUDGE_DB",
            help="Database URL (sqlite:///path or postgresql://...); default: a SQLite file in "
            "your data dir.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output for read commands.")] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            envvar="NUDGE_NOW",
            help="See everything as at another moment, e.g. 'next monday 9am'.",
        ),
    ] = None,
) -> None:
    """Show today's agenda when no command is given."""
    ctx.call_on_close(printable_output())
    st = State(db=db, json=as_json, now=now)
    _keep_holidays()
    ctx.obj = st
    ctx.call_on_close(st.close)
    if ctx.invoked_subcommand is None:
        from jobnudge.cli import agenda

        handles_errors(agenda.show_agenda)(ctx, as_json)


def _keep_holidays() -> None:
    """Holiday tables and the spelling dictionary's word counts from files in the data dir
    (``jobnudge.holidaycache``, ``drafts.spelling.keep_in``): nothing is read until a rule asks
    whether a day is a working day, or a draft is checked."""
    from jobnudge import config, holidaycache
    from jobnudge.drafts import spelling

    folder = config.data_dir() / "cache"
    holidaycache.install(folder)
    spelling.keep_in(folder)


def whole_app() -> typer.Typer:
    """The whole command line built at once, every module imported: what `nudge` was before
    it built only the command it runs, and the reference tests/cli/test_lazy_tree.py holds
    :data:`app` to; tools that walk every command and option (tests/test_docs.py) use it."""
    whole = _root(PlainHelpGroup)
    whole.callback(invoke_without_command=True)(main)
    for module in MODULES:
        import_module(f"jobnudge.cli.{module}").register(whole)
    return whole


def run() -> None:
    """The ``nudge`` command. Bad input ends in a one-line message (``handles_errors``); an
    error nobody foresaw is a bug: it ends with a short message naming a log file that holds
    the details, never a traceback on the terminal."""
    try:
        app()
    except SystemExit as exc:
        if exc.code == entry.INTERRUPTED and _interrupted(exc):
            print(entry.INTERRUPTED_MESSAGE, file=sys.stderr)
        raise
    except Exception as exc:  # the last resort; each known cause is fixed where it enters
        print(f"error: {crash_report(exc)}", file=sys.stderr)
        raise SystemExit(INTERNAL_ERROR) from None


def _interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` ends a chain that began with Ctrl-C (the command line turns it into an
    exit with code 130 and says nothing)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


INTERNAL_ERROR = 70
"""The exit code of an unforeseen error (``EX_SOFTWARE`` in sysexits.h)."""


def crash_report(exc: BaseException) -> str:
    """Append the traceback to ``crash.log`` in the data dir; the sentence to show."""
    import traceback

    from jobnudge import clock, config

    what = type(exc).__name__
    try:
        log = config.data_dir() / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        # Arguments and messages may hold bytes the system could not decode (a file named in
        # another encoding): written with their escapes, never a second crash.
        with log.open("a", encoding="utf-8", errors="backslashreplace") as out:
            out.write(f"--- {clock.now().isoformat()} nudge {' '.join(sys.argv[1:])}\n")
            out.write("".join(traceback.format_exception(exc)))
    except OSError:
        return f"jobnudge stopped on an unexpected problem ({what}); please report it."
    return (
        f"jobnudge stopped on an unexpected problem ({what}). The details are in {log}; "
        "please include them when you report it."
    )
