"""`nudge org ...`: a career centre's organisation from the server's command line: start one,
invite people in bulk from a CSV, list and search its members, change a role, deactivate,
reactivate or delete a member. Each command acts as one of the organisation's administrators
(``--as``) and calls the same services as the web page, with the same checks and messages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

if TYPE_CHECKING:
    from datetime import datetime

    from jobnudge.store import Store
    from jobnudge.store.orgs import Member

org_app = typer.Typer(
    help="Run an organisation (career centre, job club): members, roles, bulk invitations.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")


Acting = Annotated[
    str,
    typer.Option("--as", help="The user name of the organisation's administrator acting."),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]

DIFFERENCE = (
    "Deactivate signs a person out and keeps them from signing in; everything they recorded "
    "stays, and reactivating gives it all back. Delete removes the account and everything it "
    "recorded, for good: it cannot be undone."
)


def _open(ctx: typer.Context) -> tuple[Store, datetime]:
    """The server's database (no local user is made in it) and the moment to act at."""
    from jobnudge import config
    from jobnudge.services.session import database_url, resolve_now
    from jobnudge.store import open_store
    from jobnudge.store.location import check_url

    st = state(ctx)
    url = database_url(st.db, st.settings)
    check_url(url)
    store = open_store(url, data_dir=config.data_dir())
    return store, resolve_now(st.now, st.settings)


def _admin(store: Store, name: str) -> int:
    from jobnudge.services import accounts, orgs

    admin = accounts.user_id(store, name)
    orgs.admin_of(store, admin)  # "This page is for an organisation's administrators."
    return admin


def member_json(member: Member) -> dict[str, Any]:
    from jobnudge.services.orgs import ROLE_WORDS

    return {
        "user": member.name,
        "full_name": member.full_name,
        "email": member.email,
        "role": member.role,
        "role_words": ROLE_WORDS.get(member.role, member.role),
        "active": member.active,
        "joined_at": member.joined_at.isoformat(),
    }


@org_app.command("create")
@handles_errors
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    admin: Annotated[
        str, typer.Option("--admin", help="The user name of its first administrator.")
    ],
    full_name: Annotated[str, typer.Option("--full-name", help="The administrator's name.")],
    email: Annotated[str, typer.Option("--email", help="The administrator's e-mail.")],
) -> None:
    """Start an organisation with an existing account as its administrator.

    Example: nudge org create "Northside Careers" --admin adam --full-name "Adam Reyes"
    --email adam@northside.example
    """
    from jobnudge.services import accounts, orgs

    store, now = _open(ctx)
    try:
        user = accounts.user_id(store, admin, "--admin")
        orgs.start(store, user, name, full_name, email, now)
    finally:
        store.close()
    typer.echo(f"{' '.join(name.split())} is ready: invite its people (nudge org invite).")


@org_app.command("invite")
@handles_errors
def invite(
    ctx: typer.Context,
    acting: Acting,
    csv_file: Annotated[
        Path,
        typer.Option(
            "--csv",
            help="A CSV of people: name, email (and role: seeker, coach or admin).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="The server's address people sign up at (default: remind.web_url)."
        ),
    ] = None,
    resend: Annotated[
        bool,
        typer.Option(
            "--resend",
            help="Send a new link to those whose invitation is still open (the old one ends).",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Invite people in bulk: each gets a sign-up link by e-mail through the server's [mail]
    settings; links that could not be mailed are printed to pass on by hand. Members and
    people whose invitation is still open are left out, each named with its line.

    Example: nudge org invite --as adam --csv clients.csv --url https://jobs.northside.example
    """
    from jobnudge.errors import UsageError
    from jobnudge.services import org_invites

    st = state(ctx)
    base = (url or st.settings.remind.web_url or "").strip()
    if not base.startswith(("https://", "http://")):
        raise UsageError(
            "--url: give the address people sign up at, e.g. https://jobs.example.org "
            "(or set remind.web_url in the settings)."
        )
    data = csv_file.read_bytes()
    people = org_invites.parse(data)
    store, now = _open(ctx)
    try:
        admin = _admin(store, acting)
        report = org_invites.invite(store, st.settings, admin, people, base, now, resend=resend)
    finally:
        store.close()
    why = {p.email: reason for p, reason in report.not_mailed}
    if wants_json(ctx, as_json):
        echo_json(
            {
                "invited": [
                    {
                        "name": p.full_name,
                        "email": p.email,
                        "role": p.role,
                        "mailed": p.email not in why,
                        "resent": p.email.lower() in report.resent,
                        **({"link": link, "why": why[p.email]} if p.email in why else {}),
                    }
                    for p, link in report.invited
                ],
                "skipped": [
                    {"line": p.line, "name": p.full_name, "email": p.email, "why": reason}
                    for p, reason in report.skipped
                ],
                "mailed": report.mailed,
                "mail_set_up": report.mail_set_up,
            }
        )
        return
    from jobnudge.plural import count

    line = f"Invited {len(report.invited)}"
    if report.resent:
        line += f" ({len(report.resent)} sent a new link)"
    if report.mail_set_up and report.invited:
        line += f": {count(report.mailed, 'e-mail')} sent"
    line += "."
    if report.not_mailed:
        line += f" {len(report.not_mailed)} not mailed: pass their links on yourself."
    if report.skipped:
        line += f" Left out {len(report.skipped)}, already invited or members:"
    typer.echo(line)
    for person, reason in report.skipped:
        typer.echo(f"  line {person.line}: {person.full_name} <{person.email}> {reason}")
    if report.already_invited:
        typer.echo("  (--resend sends a new link to those still invited; the old one ends)")
    for person, link in report.invited:
        if person.email in why:
            typer.echo(f"  {person.full_name} <{person.email}>: {why[person.email]}\n    {link}")


@org_app.command("members")
@handles_errors
def members(
    ctx: typer.Context,
    acting: Acting,
    search: Annotated[
        str, typer.Option("--search", help="Only those whose name, e-mail or role has this.")
    ] = "",
    as_json: Json = False,
) -> None:
    """List the organisation's members: name, user name, e-mail, role, active or not.

    Example: nudge org members --as adam --search coach
    """
    from jobnudge.services import orgs

    store, _now = _open(ctx)
    try:
        found = orgs.search(orgs.members(store, _admin(store, acting)), search)
    finally:
        store.close()
    if wants_json(ctx, as_json):
        echo_json([member_json(m) for m in found])
        return
    if not found:
        typer.echo("Nobody matches." if search.strip() else "No members yet.")
        return
    for m in found:
        state_word = "active" if m.active else "deactivated"
        typer.echo(
            f"{m.full_name or m.name}  ({m.name} · {m.email})  "
            f"{orgs.ROLE_WORDS.get(m.role, m.role)}, {state_word}"
        )


@org_app.command("role")
@handles_errors
def role(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="The member's user name.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="seeker, coach or admin.")],
    acting: Acting,
) -> None:
    """Make a member a job seeker, a coach or an administrator.

    Example: nudge org role carol coach --as adam
    """
    from jobnudge.services import orgs

    store, _now = _open(ctx)
    try:
        admin = _admin(store, acting)
        target = orgs.member_named(store, admin, member)
        done = orgs.set_role(store, admin, target.user_id, new_role)
    finally:
        store.close()
    typer.echo(f"{done.name} is now a {orgs.ROLE_WORDS[done.role]}.")


def _act(ctx: typer.Context, acting: str, member: str, action: str, confirm: str = "") -> str:
    from jobnudge.services import orgs

    store, _now = _open(ctx)
    try:
        admin = _admin(store, acting)
        target = orgs.member_named(store, admin, member)
        if action == "deactivate":
            done = orgs.deactivate(store, admin, target.user_id)
            return f"{done.name} is deactivated: signed out, history kept. Reactivate any time."
        if action == "reactivate":
            done = orgs.reactivate(store, admin, target.user_id)
            return f"{done.name} can sign in again."
        done = orgs.delete(store, admin, target.user_id, confirm)
        return f"{done.name} and everything they recorded are deleted."
    finally:
        store.close()


@org_app.command("deactivate", help=f"Deactivate a member. {DIFFERENCE}")
@handles_errors
def deactivate(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="The member's user name.")],
    acting: Acting,
) -> None:
    typer.echo(_act(ctx, acting, member, "deactivate"))


@org_app.command("reactivate")
@handles_errors
def reactivate(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="The member's user name.")],
    acting: Acting,
) -> None:
    """Let a deactivated member sign in again, with everything they recorded."""
    typer.echo(_act(ctx, acting, member, "reactivate"))


@org_app.command("delete", help=f"Delete a member and their history. {DIFFERENCE}")
@handles_errors
def delete(
    ctx: typer.Context,
    member: Annotated[str, typer.Argument(help="The member's user name.")],
    acting: Acting,
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            help="The member's user name again, to confirm (asked for when not given).",
        ),
    ] = None,
) -> None:
    import sys

    if confirm is None:
        if not sys.stdin.isatty():
            from jobnudge.errors import UsageError

            raise UsageError(
                f"confirm: type the user name '{member.strip().lower()}' to delete the account "
                "and its history (--confirm NAME)."
            )
        confirm = typer.prompt(
            f"Type {member.strip().lower()} to delete the account and all its history"
        )
    typer.echo(_act(ctx, acting, member, "delete", confirm))
