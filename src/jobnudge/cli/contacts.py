"""`nudge contact ...`: the people of the search, with how and when to reach them."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jobnudge.cli import render
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

contact_app = typer.Typer(
    help="Add, change and list the people of your search.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(contact_app, name="contact")


def _fields(
    title: str | None,
    email: str | None,
    phone: str | None,
    tz: str | None,
    country: str | None,
    prefers: str | None,
    role: list[str] | None,
    first_name_ok: bool | None,
    salutation: str | None,
    note: str | None,
) -> dict[str, Any]:
    """Only the options given, validated; the rest are left as they are."""
    from jobnudge.services import validate

    out: dict[str, Any] = {}
    if title is not None:
        out["title"] = title.strip()
    if email is not None:
        out["email"] = validate.email(email)
    if phone is not None:
        out["phone"] = phone.strip()
    if tz is not None:
        out["tz"] = validate.zone(tz)
    if country is not None:
        out["country"] = validate.country(country)
    if prefers is not None:
        out["prefers"] = validate.channel(prefers, "--prefers")
    if role:
        out["roles"] = validate.roles(role)
    if first_name_ok is not None:
        out["first_name_ok"] = first_name_ok
    if salutation is not None:
        allowed = ("", "Ms.", "Mr.", "Mrs.", "Dr.", "Mx.", "Prof.")
        cleaned = salutation.strip()
        cleaned = cleaned if cleaned.endswith(".") or not cleaned else cleaned + "."
        if cleaned not in allowed:
            from jobnudge.errors import UsageError

            raise UsageError(
                f"--salutation: use one of {', '.join(a for a in allowed if a)}, "
                "or '' for the full name."
            )
        out["salutation"] = cleaned
    if note is not None:
        out["notes"] = note
    return out


Title = Annotated[str | None, typer.Option("--title", help="Their job title.")]
Email = Annotated[str | None, typer.Option("--email")]
Phone = Annotated[str | None, typer.Option("--phone")]
Tz = Annotated[str | None, typer.Option("--tz", help="IANA time zone, e.g. America/Denver.")]
Country = Annotated[
    str | None, typer.Option("--country", help="Country code for holidays, e.g. US.")
]
Prefers = Annotated[str | None, typer.Option("--prefers", help="Their preferred channel.")]
RoleOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--role",
        help="interviewer, hr, recruiter, staffing-firm, referrer or reference (repeatable).",
    ),
]
FirstName = Annotated[
    bool | None,
    typer.Option("--first-name-ok/--formal", help="They invited first-name terms in writing."),
]
Salutation = Annotated[str | None, typer.Option("--salutation", help="Ms., Mr., Dr., Mx. ...")]
Note = Annotated[str | None, typer.Option("--note")]


@contact_app.command("add")
@handles_errors
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their name, spelled as they spell it.")],
    company: Annotated[str | None, typer.Option("--company")] = None,
    title: Title = None,
    email: Email = None,
    phone: Phone = None,
    tz: Tz = None,
    country: Country = None,
    prefers: Prefers = None,
    role: RoleOpt = None,
    first_name_ok: FirstName = None,
    salutation: Salutation = None,
    note: Note = None,
) -> None:
    """Add a contact.

    Example:

      nudge contact add "Dana Lee" --company Acme --email dana@acme.example
      --tz America/Denver --role interviewer --salutation Ms.
    """
    from jobnudge.services import records

    fields = _fields(
        title, email, phone, tz, country, prefers, role, first_name_ok, salutation, note
    )
    session = state(ctx).session()
    out = records.add_contact(session, name, company=company, **fields)
    assert out.contact is not None
    if wants_json(ctx, False):
        echo_json(render.contact_json(out.contact, company))
    else:
        typer.echo(f"Added contact #{out.contact.id} {out.contact.name}.")


@contact_app.command("edit")
@handles_errors
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their name or id.")],
    company: Annotated[str | None, typer.Option("--company")] = None,
    title: Title = None,
    email: Email = None,
    phone: Phone = None,
    tz: Tz = None,
    country: Country = None,
    prefers: Prefers = None,
    role: RoleOpt = None,
    first_name_ok: FirstName = None,
    salutation: Salutation = None,
    note: Note = None,
) -> None:
    """Change a contact; their follow-ups are re-planned (a new time zone moves call hours).

    Example: nudge contact edit "Dana Lee" --first-name-ok
    """
    from jobnudge.services import records

    fields = _fields(
        title, email, phone, tz, country, prefers, role, first_name_ok, salutation, note
    )
    if not fields and company is None:
        from jobnudge.errors import UsageError

        raise UsageError("nothing to change: give at least one option, e.g. --email or --tz.")
    out = records.edit_contact(state(ctx).session(), name, company=company, **fields)
    assert out.contact is not None
    typer.echo(f"Updated {out.contact.name}.")


@contact_app.command("list")
@handles_errors
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List everyone in your search with their roles and how to reach them."""
    session = state(ctx).session()
    companies = {c.id: c.name for c in session.store.companies(session.owner)}
    people = session.store.contacts(session.owner)
    from jobnudge.store.mail_flagged import (
        bad_addresses,  # not the mail services: a list stays light
    )

    bounced = dict(bad_addresses(session.store, session.owner))  # named in a bounce notice
    if wants_json(ctx, as_json):
        echo_json(
            [
                {
                    **render.contact_json(c, companies.get(c.company_id or 0)),
                    "email_bounced": bounced.get(c.email.lower()) if c.email else None,
                }
                for c in people
            ]
        )
        return
    if not people:
        typer.echo('No contacts yet. Add one: nudge contact add "Dana Lee" --company Acme')
        return
    from rich.table import Table
    from rich.text import Text

    from jobnudge.text_safety import printable

    table = Table(expand=True, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("name", ratio=2)
    table.add_column("company", ratio=2)
    table.add_column("roles", ratio=2)
    table.add_column("reach", ratio=3)
    for c in people:
        email = f"{c.email} (bounced!)" if c.email and c.email.lower() in bounced else c.email
        reach = " ".join(x for x in (email, c.phone, c.prefers.value if c.prefers else "") if x)
        table.add_row(
            str(c.id),
            Text(printable(c.name)),
            Text(printable(companies.get(c.company_id or 0, ""))),
            ", ".join(sorted(r.value for r in c.roles)),
            Text(printable(reach)),
        )
    render.console().print(table)


from jobnudge.cli import contact_files as contact_files  # noqa: E402 - adds import, export
