"""Reading the search from the command line: list opportunities by stage and show one with its
timeline. Apart from recording (cli.record), so `nudge list` and `nudge show` import only what
they print with."""

from __future__ import annotations

from typing import Annotated

import typer

from jobnudge.cli import opportunity_view, render
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def register(app: typer.Typer) -> None:
    @app.command("list")
    @handles_errors
    def list_(
        ctx: typer.Context,
        as_json: JsonFlag = False,
        stage: Annotated[
            list[str] | None,
            typer.Option(
                "--stage",
                help="Only these stages (repeatable): lead, applied, interviewing, offer, "
                "rejected, withdrawn, no-response.",
            ),
        ] = None,
        active: Annotated[
            bool, typer.Option("--active", help="Only applied and interviewing.")
        ] = False,
    ) -> None:
        """List your opportunities with their stage.

        Example: nudge list --active
        """
        from jobnudge.domain import Stage
        from jobnudge.services import validate

        session = state(ctx).session()
        wanted = {validate.choice(Stage, s, "--stage") for s in stage or []}
        if active:
            wanted |= {Stage.APPLIED, Stage.INTERVIEWING}
        pairs = [
            (o, s)
            for o, s in session.store.opportunities(session.owner)
            if not wanted or s in wanted
        ]
        if wants_json(ctx, as_json):
            echo_json([render.opportunity_json(o, s) for o, s in pairs])
            return
        opportunity_view.print_table(pairs)

    @app.command()
    @handles_errors
    def show(
        ctx: typer.Context,
        opportunity: Annotated[str, typer.Argument(help="Its id or part of company and role.")],
        as_json: JsonFlag = False,
        posting_text: Annotated[
            bool, typer.Option("--posting", help="Print the posting kept with it, in full.")
        ] = False,
    ) -> None:
        """Show one opportunity: its timeline, its people and its next follow-ups.

        Example: nudge show acme
        """
        from jobnudge.services import records

        session = state(ctx).session()
        opp, stage = records.opportunity(session, opportunity)
        opportunity_view.show(
            session, opp, stage, as_json=wants_json(ctx, as_json), posting=posting_text
        )
