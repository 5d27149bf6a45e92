"""Reading what is due: the agenda (fast path on SQLite), and deciding about a nudge."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from jobnudge.cli import render
from jobnudge.cli.state import State, echo_json, handles_errors, state, wants_json
from jobnudge.playbook.wording import title

if TYPE_CHECKING:
    from jobnudge.services.nudges import AgendaItem

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Days = Annotated[int, typer.Option("--days", min=0, max=3650, help="How far ahead to look.")]
AllFlag = Annotated[
    bool,
    typer.Option(
        "--all", help=f"List every follow-up (the table stops at {render.PER_GROUP} a group)."
    ),
]


def _fast_agenda(st: State, days: int) -> list[AgendaItem] | None:
    """The agenda straight from the SQLite file when it is already at the current schema."""
    from jobnudge import config
    from jobnudge.cli import quick
    from jobnudge.services.nudges import assess
    from jobnudge.services.session import LOCAL_USER, database_url, resolve_now
    from jobnudge.store import fastread
    from jobnudge.store.location import sqlite_file

    settings = st.settings
    quick.remember(settings)  # so that the next agenda can skip reading the settings
    path = sqlite_file(database_url(st.db, settings), config.data_dir())
    if path is None or not fastread.schema_is_current(path):
        return None
    now = resolve_now(st.now, settings)
    rows = fastread.agenda_rows(path, LOCAL_USER, now + timedelta(days=days), now)
    return assess(rows, settings, now)


def show_agenda(ctx: typer.Context, as_json: bool, days: int = 7, everything: bool = False) -> None:
    from jobnudge.services.session import resolve_now

    st = state(ctx)
    items = _fast_agenda(st, days)
    if items is None:
        from jobnudge.services import nudges

        items = nudges.agenda(st.session(), days)
    tz = st.settings.profile.tz
    if wants_json(ctx, as_json):
        echo_json(render.agenda_json(items, tz))
    else:
        limit = None if everything else render.PER_GROUP
        render.agenda(items, tz, resolve_now(st.now, st.settings), limit=limit)


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def today(
        ctx: typer.Context, as_json: JsonFlag = False, days: Days = 7, everything: AllFlag = False
    ) -> None:
        """Show the follow-ups overdue, due today and in the next days, with the reason for each.

        Example: nudge today --days 14
        """
        show_agenda(ctx, as_json, days, everything)

    @app.command()
    @handles_errors
    def done(
        ctx: typer.Context,
        nudge: Annotated[str, typer.Argument(help="The id shown by `nudge today`.")],
        note: Annotated[str, typer.Option("--note", help="What you did.")] = "",
    ) -> None:
        """Mark a follow-up done without logging the message itself.

        Prefer `nudge log ... sent`, which completes the nudge and keeps the history.
        Example: nudge done 3fa2c1e --note "Called, left a message"
        """
        from jobnudge.domain import EventType
        from jobnudge.services import nudges

        row = nudges.decide(state(ctx).session(), nudge, EventType.NUDGE_DONE, note=note)
        typer.echo(f"Done: “{title(row.rule)}” for {row.company or 'your search'}.")

    @app.command()
    @handles_errors
    def snooze(
        ctx: typer.Context,
        nudge: Annotated[str, typer.Argument(help="The id shown by `nudge today`.")],
        until: Annotated[
            str, typer.Option("--until", help="When to show it again.")
        ] = "tomorrow 9am",
    ) -> None:
        """Hide a follow-up until a later moment.

        Example: nudge snooze 3fa2c1e --until "next monday 9am"
        """
        from jobnudge.domain import EventType
        from jobnudge.services import nudges
        from jobnudge.timeparse import Tense, parse_when

        session = state(ctx).session()
        moment = parse_when(
            until,
            field="--until",
            tz=session.tz,
            base=session.now,
            tense=Tense.FUTURE,
            country=session.settings.profile.country,
        )
        if moment <= session.now:
            from jobnudge.errors import UsageError

            raise UsageError("--until: snooze to a moment in the future, e.g. 'tomorrow 9am'.")
        row = nudges.decide(session, nudge, EventType.NUDGE_SNOOZED, until=moment)
        typer.echo(
            f"Snoozed “{title(row.rule)}” for {row.company or 'your search'} until "
            f"{render.when(moment, session.tz)}."
        )

    @app.command()
    @handles_errors
    def dismiss(
        ctx: typer.Context,
        nudge: Annotated[str, typer.Argument(help="The id shown by `nudge today`.")],
        reason: Annotated[str, typer.Option("--reason", help="Why it does not apply.")],
    ) -> None:
        """Drop a follow-up that does not apply, saying why (kept in the history).

        Example: nudge dismiss 3fa2c1e --reason "They asked me not to call"
        """
        from jobnudge.domain import EventType
        from jobnudge.errors import UsageError
        from jobnudge.services import nudges

        if not reason.strip():
            raise UsageError("--reason: say briefly why this follow-up does not apply.")
        row = nudges.decide(state(ctx).session(), nudge, EventType.NUDGE_DISMISSED, note=reason)
        typer.echo(f"Dismissed “{title(row.rule)}” for {row.company or 'your search'}.")
