"""`nudge serve`: the web app on this machine (local mode) or for many users (--accounts)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from jobnudge.cli.state import handles_errors, state

LOOPBACK = ("127.0.0.1", "localhost", "::1")
SERVER_OPTIONS: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,  # request lines can carry sign-up and feed tokens
    "proxy_headers": False,  # the app believes forwarded headers from web.trusted_proxies alone
    "server_header": False,
}
"""How uvicorn runs the app (tests serve it the same way)."""


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def serve(
        ctx: typer.Context,
        host: Annotated[
            str, typer.Option("--host", help="Address to listen on (local mode: loopback only).")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port.")] = 8765,
        no_browser: Annotated[
            bool, typer.Option("--no-browser", help="Do not open a browser window.")
        ] = False,
        accounts: Annotated[
            bool,
            typer.Option(
                "--accounts",
                envvar="NUDGE_ACCOUNTS",
                help="Multi-user: sign-in by invitation, each user sees only their own search.",
            ),
        ] = False,
        no_mail_sync: Annotated[
            bool,
            typer.Option(
                "--no-mail-sync",
                help="Do not read replies and send due messages every mail.sync_minutes while "
                "running (docs/mail.md).",
            ),
        ] = False,
        mail_workers: Annotated[
            int,
            typer.Option(
                "--mail-workers",
                min=1,
                max=64,
                help="With --accounts: how many accounts' mailboxes are served at once.",
            ),
        ] = 4,
    ) -> None:
        """Open jobnudge in your browser: today's follow-ups, the pipeline, drafts, the review.

        Example: nudge serve            (then open http://127.0.0.1:8765)

        With --accounts it serves many users (use PostgreSQL via --db); the first start prints
        a sign-up link for the first account. With a mailbox set up ([mail]), it also reads
        replies and sends the approved messages that are due, every mail.sync_minutes.
        """
        import threading
        import webbrowser

        import uvicorn

        from jobnudge.errors import UsageError
        from jobnudge.web import create_app, listen

        if not accounts and host not in LOOPBACK:
            raise UsageError(
                f"--host: local mode has no sign-in, so listening on {host} would show your "
                "search to anyone on the network; keep 127.0.0.1, or add --accounts."
            )
        from jobnudge.services.session import database_url
        from jobnudge.store.location import check_url

        sock = listen.claim(host, port)  # before saying it runs: a taken port is one line
        st = state(ctx)
        check_url(database_url(st.db, st.settings))  # a typo must not make folders
        web = create_app(
            st.settings,
            db=st.db,
            accounts=accounts,
            now=st.now,
            mail_interval=0 if no_mail_sync else None,
            hosts=(host,),
            mail_workers=mail_workers,
        )
        url_host = f"[{host}]" if ":" in host else host
        url = f"http://{url_host}:{listen.port_of(sock)}/"
        web.state.web_url = url.rstrip("/")  # links in the reminders this app sends
        if accounts:
            from jobnudge.services import accounts as account_store

            store = web.state.nudge.store
            if not account_store.has_accounts(store):
                now = web.state.nudge.instant()
                token = account_store.create_invitation(store, None, "first account", now)
                typer.echo(f"No accounts yet. Create the first one at: {url}signup?invite={token}")
            if not st.settings.web.allowed_hosts:
                typer.echo(
                    "Note: web.allowed_hosts is not set, so any host name is answered; set it "
                    "to the name people use to reach this server (docs/security.md).",
                    err=True,
                )
        typer.echo(f"jobnudge is running at {url} (press Ctrl-C to stop)")
        if not no_browser:
            threading.Timer(0.8, webbrowser.open, args=(url,)).start()
        server = uvicorn.Server(
            uvicorn.Config(web, host=host, port=listen.port_of(sock), **SERVER_OPTIONS)
        )
        server.run(sockets=[sock])
