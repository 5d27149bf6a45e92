"""The `nudge` command: global options, then one small module per group of commands.

Heavy imports (SQLAlchemy, the playbook's holiday tables) happen inside the commands that
need them, so `nudge` alone answers from the fast read path.
"""

from __future__ import annotations

from typing import Annotated

import typer

from jobnudge.cli import admin, agenda, delete, drafts, mail, record, transfer, web
from jobnudge.cli.contacts import contact_app
from jobnudge.cli.helptext import PlainHelpGroup
from jobnudge.cli.state import State, handles_errors

app = typer.Typer(
    name="nudge",
    cls=PlainHelpGroup,
    help=(
        "jobnudge keeps your job search's follow-ups on track: whom to contact today, when, "
        "through which channel, and why.\n\nRun `nudge` alone for today's agenda."
    ),
    no_args_is_help=False,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


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
    st = State(db=db, json=as_json, now=now)
    _keep_holidays()
    ctx.obj = st
    ctx.call_on_close(st.close)
    if ctx.invoked_subcommand is None:
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


agenda.register(app)
record.register(app)
drafts.register(app)
admin.register(app)
web.register(app)
mail.register(app)
transfer.register(app)
delete.register(app)
app.add_typer(contact_app, name="contact")


def run() -> None:
    app()
