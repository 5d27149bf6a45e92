"""`nudge mail ...`: test the account, send approved follow-ups exactly once, read replies.

This module holds the group and the account's commands (test, login, logout); sending is in
``cli/mail_sending.py`` and reading replies in ``cli/mail_reading.py``, whose commands join the
group when it is registered. Only Typer is imported here; the services (and SQLAlchemy with
them) load inside each command.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jobnudge.bounds import MAX_ID
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

mail_app = typer.Typer(
    help="Send approved follow-ups by email, exactly once, and notice replies (docs/mail.md).",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Number = Annotated[
    int,
    typer.Argument(min=1, max=MAX_ID, help="The outbox number shown by `nudge mail outbox`."),
]


def register(app: typer.Typer) -> None:
    from importlib import import_module

    for module in ("mail_sending", "mail_reading"):  # their commands join mail_app, in this order
        import_module(f"jobnudge.cli.{module}")

    app.add_typer(mail_app, name="mail")


def fail_code() -> int:
    from jobnudge.errors import MailError

    return MailError.exit_code


def local_time(moment: Any, tz: str) -> str:
    from jobnudge.cli.render import when

    return str(when(moment, tz))


@mail_app.command("test")
@handles_errors
def test_(ctx: typer.Context, as_json: Json = False) -> None:
    """Check both connections step by step (DNS, connect, TLS, login, mailbox names) and say
    precisely what failed. The password is never shown.

    Example: nudge mail test
    """
    from jobnudge.services import mail_account

    checks = mail_account.test(state(ctx).settings)
    if wants_json(ctx, as_json):
        echo_json(
            [{"side": c.side, "step": c.step, "ok": c.ok, "detail": c.detail} for c in checks]
        )
    else:
        for c in checks:
            typer.echo(f"{'ok  ' if c.ok else 'FAIL'} {c.side} {c.step}: {c.detail}")
    if not all(c.ok for c in checks):
        raise typer.Exit(fail_code())


@mail_app.command("login")
@handles_errors
def login(
    ctx: typer.Context,
    device: Annotated[
        bool, typer.Option("--device", help="Sign in with a code typed on any device.")
    ] = False,
    browser: Annotated[
        bool, typer.Option("--browser", help="Sign in in this machine's browser.")
    ] = False,
    no_browser: Annotated[
        bool,
        typer.Option("--no-browser", help="With --browser: print the address, open nothing."),
    ] = False,
) -> None:
    """Sign in to your mailbox's provider (Outlook.com, Microsoft 365, Gmail) with OAuth 2.0 and
    keep the refresh token like a password (system keyring, else a file only you can read).

    Microsoft: a code to type at microsoft.com/devicelogin. Google: your browser opens.
    Example: nudge mail login
    """
    from jobnudge.errors import UsageError
    from jobnudge.services import mail_account

    if device and browser:
        raise UsageError("--device and --browser: choose one way to sign in.")
    flow = "device" if device else "browser" if browser else None
    done = mail_account.login(
        state(ctx).settings, flow=flow, say=typer.echo, open_browser=not no_browser
    )
    typer.echo(
        f"Signed in as {done.username}; the sign-in is kept in {done.where}. "
        "Check it with: nudge mail test"
    )


@mail_app.command("logout")
@handles_errors
def logout(ctx: typer.Context) -> None:
    """Forget the mailbox sign-in here, and withdraw it at the provider where it allows that.

    Example: nudge mail logout
    """
    from jobnudge.services import mail_account

    confirmed = mail_account.logout(state(ctx).settings)
    typer.echo(
        "Signed out; the provider withdrew the sign-in."
        if confirmed
        else "Signed out here. To withdraw jobnudge's access at the provider too, remove it "
        "from your account's security page (docs/mail.md)."
    )
