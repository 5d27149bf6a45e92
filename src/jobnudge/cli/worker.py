"""`nudge worker`: a process that runs background jobs from the PostgreSQL job queue."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from jobnudge.cli.state import handles_errors, state


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def worker(
        ctx: typer.Context,
        init: Annotated[
            bool,
            typer.Option("--init", help="Create the queue's tables if missing, then stop."),
        ] = False,
        concurrency: Annotated[
            int, typer.Option("--concurrency", min=1, max=64, help="Jobs run at the same time.")
        ] = 1,
        jobs_from: Annotated[
            list[str] | None,
            typer.Option(
                "--jobs-from",
                help="A Python module to import first: it registers more jobs "
                "(services.jobs.register). Repeat for several.",
            ),
        ] = None,
        heartbeat: Annotated[
            float, typer.Option("--heartbeat", min=0.1, help="Seconds between heartbeats.")
        ] = 10.0,
        stalled: Annotated[
            float,
            typer.Option(
                "--stalled",
                min=0.5,
                help="Seconds without a heartbeat after which a worker's job is taken up again.",
            ),
        ] = 30.0,
        once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty.")] = False,
        remind_every: Annotated[
            float | None,
            typer.Option(
                "--remind-every",
                min=0,
                help="Seconds between two looks for morning digests that are due "
                "(default 60; 0: this worker schedules none).",
            ),
        ] = None,
        mail_every: Annotated[
            float | None,
            typer.Option(
                "--mail-every",
                min=0,
                help="Seconds between two mail passes for every account with a mailbox "
                "(default: mail.sync_minutes of the settings; 0: this worker schedules none).",
            ),
        ] = None,
    ) -> None:
        """Run background jobs (re-plans, large imports, digests, mail passes) from the job
        queue in the PostgreSQL database; start as many as you like, on any machine.

        The periodic work (each account's morning digest, each account's mail pass) is
        scheduled once across all workers, whichever of them is running.

        Example: NUDGE_JOB_QUEUE=on nudge --db postgresql://nudge@db/nudge worker
        """
        import asyncio
        import importlib
        import logging

        from jobnudge import config
        from jobnudge.errors import UsageError
        from jobnudge.services import background_jobs, jobqueue, jobs
        from jobnudge.services.session import database_url
        from jobnudge.store import open_store

        st = state(ctx)
        url = database_url(st.db, st.settings)
        if url is None or not url.startswith("postgresql"):
            raise UsageError(
                "--db: the job queue needs a PostgreSQL database, like "
                "postgresql://nudge@db.example.org/nudge (SQLite runs background work inside "
                "`nudge serve`)."
            )
        for name in jobs_from or ():
            try:
                importlib.import_module(name)
            except ImportError as exc:
                raise UsageError(f"--jobs-from: cannot import {name!r}: {exc}.") from None
        store = open_store(url, data_dir=config.data_dir())
        try:
            made = jobqueue.init_schema(store)
            url = jobqueue.store_url(store)
        finally:
            store.close()
        if init:
            typer.echo("Created the job queue's tables." if made else "The job queue is ready.")
            return
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        registered = jobs.registered()
        periodic = background_jobs.periodic(st.settings)
        for name, chosen in (("remind_tick", remind_every), ("mail_tick", mail_every)):
            if chosen is not None:
                periodic[name] = chosen
        periodic = {name: every for name, every in periodic.items() if every > 0}
        typer.echo(f"Worker running jobs: {', '.join(sorted(registered))}.", err=True)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                jobqueue.work(
                    url,
                    registered.values(),
                    concurrency=concurrency,
                    heartbeat=heartbeat,
                    stalled=stalled,
                    check=max(0.5, min(stalled / 2, 15.0)),
                    wait=not once,
                    periodic=periodic,
                )
            )
