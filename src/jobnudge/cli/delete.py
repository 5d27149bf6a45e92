"""Deleting from the command line, with a confirmation, and `nudge undo`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from jobnudge.bounds import MAX_ID
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from jobnudge.services.deleting import Deleted, Impact

delete_app = typer.Typer(
    help="Delete an opportunity, a contact or an event (asks first; `nudge undo` puts it back).",
    no_args_is_help=True,
)
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking (for scripts).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _can_ask(yes: bool) -> None:
    """Refuse at once when nobody can answer the question and --yes was not given."""
    from jobnudge.errors import UsageError

    if not yes and not sys.stdin.isatty():
        raise UsageError(
            "--yes: there is no terminal to ask for a confirmation; add --yes to delete "
            "without asking."
        )


def _confirm(ctx: typer.Context, impact: Impact, yes: bool, as_json: bool) -> bool:
    """Show what goes and what stays (not in JSON), and ask unless --yes."""
    if not wants_json(ctx, as_json):
        typer.echo(f"Delete {impact.summary}?")
        for line in impact.goes:
            typer.echo(f"  goes: {line}")
        for line in impact.stays:
            typer.echo(f"  stays: {line}")
    return yes or typer.confirm(
        "Go ahead? (`nudge undo` puts it all back)", default=False, err=True
    )


def _report(ctx: typer.Context, done: Deleted | None, as_json: bool) -> None:
    if wants_json(ctx, as_json):
        echo_json(
            None
            if done is None
            else {"deleted": done.kind, "summary": done.summary, "undo": done.deletion_id}
        )
        return
    if done is None:
        typer.echo("Nothing was deleted.")
        return
    typer.echo(f"Deleted {done.summary}. Undo with: nudge undo {done.deletion_id}")


@delete_app.command("opportunity")
@handles_errors
def delete_opportunity(
    ctx: typer.Context,
    opportunity: Annotated[str, typer.Argument(help="Its id or part of company and role.")],
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Delete an opportunity with its timeline, follow-ups and outbox entries; its contacts
    stay.

    Example: nudge delete opportunity "acme data analyst"
    """
    from jobnudge.services import deleting, records

    _can_ask(yes)
    session = state(ctx).session()
    opp, _stage = records.opportunity(session, opportunity)
    if not _confirm(ctx, deleting.opportunity_impact(session, opp), yes, as_json):
        _report(ctx, None, as_json)
        return
    _report(ctx, deleting.delete_opportunity(session, opp.id), as_json)


@delete_app.command("contact")
@handles_errors
def delete_contact(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their name or id.")],
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Delete a contact. The opportunities and events they were part of stay, without them;
    messages to them not sent yet are withdrawn.

    Example: nudge delete contact "Dana Lee"
    """
    from jobnudge.services import deleting, records

    _can_ask(yes)
    session = state(ctx).session()
    person = records.contact(session, name)
    if not _confirm(ctx, deleting.contact_impact(session, person), yes, as_json):
        _report(ctx, None, as_json)
        return
    _report(ctx, deleting.delete_contact(session, person.id), as_json)


@delete_app.command("event")
@handles_errors
def delete_event(
    ctx: typer.Context,
    event: Annotated[
        int, typer.Argument(min=1, max=MAX_ID, help="Its number, shown by `nudge show`.")
    ],
    yes: Yes = False,
    as_json: Json = False,
) -> None:
    """Delete one entry of an opportunity's timeline; its follow-ups are planned again.

    Example: nudge delete event 42
    """
    from jobnudge.services import deleting

    _can_ask(yes)
    session = state(ctx).session()
    found = session.store.event(session.owner, event)
    if not _confirm(ctx, deleting.event_impact(session, found), yes, as_json):
        _report(ctx, None, as_json)
        return
    _report(ctx, deleting.delete_event(session, found.id), as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(delete_app, name="delete")

    @app.command()
    @handles_errors
    def undo(
        ctx: typer.Context,
        deletion: Annotated[
            int | None,
            typer.Argument(
                min=1,
                max=MAX_ID,
                help="What to put back (default: the latest deletion); see --list.",
            ),
        ] = None,
        list_: Annotated[
            bool, typer.Option("--list", help="Show what can be undone, newest first.")
        ] = False,
        as_json: Json = False,
    ) -> None:
        """Put back something deleted in the last 30 days, with its timeline and links.

        Example: nudge undo
        """
        from jobnudge.cli import render
        from jobnudge.services import deleting

        session = state(ctx).session()
        if list_:
            rows = deleting.kept(session)
            if wants_json(ctx, as_json):
                echo_json(
                    [
                        {
                            "id": r.id,
                            "kind": r.kind,
                            "summary": r.summary,
                            "deleted_at": r.created_at.isoformat(),
                        }
                        for r in rows
                    ]
                )
                return
            if not rows:
                typer.echo(f"Nothing deleted in the last {deleting.KEEP_DAYS} days.")
            for r in rows:
                typer.echo(
                    f"{r.id:>4}  {render.when(r.created_at, session.tz)}  {r.kind}: {r.summary}"
                )
            return
        back = deleting.undo(session, deletion)
        if wants_json(ctx, as_json):
            echo_json(
                {
                    "restored": back.kind,
                    "summary": back.summary,
                    "opportunity_id": back.opportunity_id,
                    "contact_id": back.contact_id,
                }
            )
            return
        typer.echo(f"Put back {back.summary}; {back.replanned}.")
