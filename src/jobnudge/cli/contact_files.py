"""`nudge contact import` and `nudge contact export`: the people of the search to and from
vCard files. They join ``contact_app`` when ``cli/contacts.py`` is imported (it imports this
module at its end), so the group is whole whoever builds it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jobnudge.cli.contacts import contact_app
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json
from jobnudge.plural import count

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@contact_app.command("import")
@handles_errors
def contact_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A vCard file (.vcf), 3.0 or 4.0.")],
    as_json: JsonFlag = False,
) -> None:
    """Import contacts from a vCard file; roles come from its categories.

    A contact already there (same email, or same name at the same company) only gets its
    blank fields filled.

    Example: nudge contact import ~/Downloads/contacts.vcf
    """
    from jobnudge.services import importing

    out = importing.import_vcards(state(ctx).session(), file)
    if wants_json(ctx, as_json):
        echo_json(out.as_json())
        return
    typer.echo(
        f"Contacts: {len(out.created)} added, {len(out.updated)} updated, "
        f"{len(out.unchanged)} already there."
    )
    for number, why in out.rejected:
        typer.echo(f"  card {number} skipped: {why}")


@contact_app.command("export")
@handles_errors
def contact_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the vCard file (.vcf).")],
    vcard: Annotated[
        str, typer.Option("--vcard", help="vCard version: 3.0 (default) or 4.0.")
    ] = "3.0",
) -> None:
    """Export your contacts as vCards, with their roles as categories.

    Example: nudge contact export contacts.vcf --vcard 4.0
    """
    from jobnudge.errors import UsageError
    from jobnudge.services import exporting

    if vcard not in ("3.0", "4.0"):
        raise UsageError(f"--vcard: '{vcard}' is not 3.0 or 4.0.")
    session = state(ctx).session()
    data = exporting.contacts_vcf(session, vcard)
    exporting.write_file(file, data)
    cards = data.count(b"BEGIN:VCARD")
    typer.echo(f"Wrote {count(cards, 'contact')} to {file} (vCard {vcard}).")
