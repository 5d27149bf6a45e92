"""`nudge server-key ...`: the key a server with accounts seals its users' secrets with."""

from __future__ import annotations

import typer

from jobnudge.cli.state import handles_errors, state

server_key_app = typer.Typer(
    help="Make and rotate the key a server with accounts keeps its users' secrets with.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(server_key_app, name="server-key")


@server_key_app.command("new")
@handles_errors
def new() -> None:
    """Print a new random server key.

    Put it in NUDGE_SERVER_KEY, or alone in a file only the server's user can read, named by
    web.server_key_file. Keep a copy apart from the database backups: without it the secrets
    users entered (mailbox passwords, notification links) must be entered again.
    """
    from jobnudge.secretbox import new_key

    typer.echo(new_key())


@server_key_app.command("rotate")
@handles_errors
def rotate(ctx: typer.Context) -> None:
    """Re-seal every stored secret with the newest key.

    First put the new key before the old one (NUDGE_SERVER_KEY="NEW,OLD", or the new key on the
    first line of the key file), run this, then remove the old key.
    """
    import os

    from jobnudge import plural, secretbox
    from jobnudge.services import user_secrets

    st = state(ctx)
    keyring = secretbox.require(
        secretbox.load_keyring(os.environ, st.settings.web.server_key_file or None)
    )
    session = st.session()
    changed, current = user_secrets.reseal_all(session.store, keyring, session.now)
    typer.echo(
        f"Re-sealed {plural.count(changed, 'secret')} with the newest key "
        f"({plural.count(current, 'secret')} already used it)."
    )
