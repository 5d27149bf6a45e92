"""Housekeeping: the demo search, settings, and re-planning after a settings change."""

from __future__ import annotations

from typing import Annotated

import typer

from jobnudge import plural
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json
from jobnudge.errors import UsageError


def _replan_accounts(ctx: typer.Context, organisation: str | None, per_job: int | None) -> None:
    """`nudge replan --everyone` / `--organisation NAME` on the server's database."""
    import sys

    from jobnudge import config
    from jobnudge.errors import ConfigError
    from jobnudge.services import replanning
    from jobnudge.services.session import database_url
    from jobnudge.store import open_store
    from jobnudge.store.location import check_url

    st = state(ctx)
    url = database_url(st.db, st.settings)
    check_url(url)
    chosen = replanning.check_per_job(per_job if per_job is not None else replanning.PER_JOB)
    store = open_store(url, data_dir=config.data_dir())  # no local user is made in it
    live = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if live:
            print(f"\rRe-planning: {done:,} of {total:,} accounts", end="", file=sys.stderr)
        elif done == total or done * 10 // total != (done - chosen) * 10 // total:  # 10% steps
            print(f"Re-planning: {done:,} of {total:,} accounts", file=sys.stderr)

    try:
        if organisation is None:
            owners = replanning.everyone(store)
        else:
            owners = replanning.organisation(store, organisation)
        done = replanning.replan_many(store, owners, per_job=chosen, progress=progress)
    finally:
        store.close()
    if live and not done.queued_jobs and done.accounts:
        print(file=sys.stderr)
    who = plural.count(done.accounts, "account")
    if done.queued_jobs:
        typer.echo(
            f"Queued {plural.count(done.queued_jobs, 're-plan job')} for {who} "
            f"({chosen} a job); `nudge worker` processes run them."
        )
        return
    typer.echo(
        f"Re-planned the follow-ups of {plural.count(done.replanned, 'account')} "
        f"({plural.count(done.opportunities, 'opportunity')})."
    )
    if done.skipped:
        named = "; ".join(f"account #{owner}: {why}" for owner, why in done.skipped[:5])
        more = f"; and {len(done.skipped) - 5} more" if len(done.skipped) > 5 else ""
        raise ConfigError(
            f"not re-planned: {plural.count(len(done.skipped), 'account')} whose settings do "
            f"not parse ({named}{more}); fix them on the account's Settings page and run this "
            "again."
        )


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def demo(
        ctx: typer.Context,
        quiet: Annotated[
            bool,
            typer.Option("--quiet", help="Say nothing when the database already has a search."),
        ] = False,
    ) -> None:
        """Load a realistic demo search (a dozen opportunities at every stage) into an empty
        database.

        Example: nudge --db sqlite:////tmp/demo.sqlite demo
        """
        from jobnudge.errors import Conflict
        from jobnudge.services import demo as demo_service

        try:
            count = demo_service.load(state(ctx).session())
        except Conflict:
            if quiet:
                return
            raise
        typer.echo(
            f"Loaded the demo search: {plural.count(count, 'opportunity')}. Run `nudge` to see "
            "the agenda."
        )

    @app.command()
    @handles_errors
    def replan(
        ctx: typer.Context,
        everyone: Annotated[
            bool,
            typer.Option("--everyone", help="Re-plan every account of this server's database."),
        ] = False,
        organisation: Annotated[
            str | None,
            typer.Option(
                "--organisation",
                metavar="NAME",
                help="Re-plan every member of this organisation.",
            ),
        ] = None,
        per_job: Annotated[
            int | None,
            typer.Option(
                "--per-job",
                metavar="N",
                min=1,
                max=200,  # replanning.MAX_PER_JOB, spelt out: the help is built without it
                help="With the job queue: accounts each queued job re-plans (default 25).",
            ),
        ] = None,
    ) -> None:
        """Recompute every follow-up, e.g. after changing a playbook number in the settings.

        Alone, it re-plans your own search. On a server with accounts, after upgrading or
        changing the playbook defaults, --everyone re-plans every account and --organisation
        NAME every member of one organisation: queued for `nudge worker` when the job queue
        is on (NUDGE_JOB_QUEUE=on), else run here with a progress line.

        Example: nudge --db postgresql://nudge@db/nudge replan --everyone
        """
        if not everyone and organisation is None:
            if per_job is not None:
                raise UsageError(
                    "--per-job: only with --everyone or --organisation NAME (alone, "
                    "`nudge replan` re-plans your own search here and now)."
                )
            from jobnudge.services import nudges

            count = nudges.refresh_all(state(ctx).session())
            typer.echo(f"Re-planned the follow-ups of {plural.count(count, 'opportunity')}.")
            return
        if everyone and organisation is not None:
            raise UsageError(
                "--everyone and --organisation: choose one (every account of the server, or "
                "the members of one organisation)."
            )
        _replan_accounts(ctx, organisation, per_job)

    @app.command()
    @handles_errors
    def settings(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Show where the settings file is and every playbook number with its default and why.

        Edit the file (TOML), then run `nudge replan`. Example file:

          [profile]
          name = "Alex Morgan"
          tz = "America/New_York"
          country = "US"

          [playbook]
          apply_check_in_days = 8
        """
        from dataclasses import asdict

        from jobnudge import config

        st = state(ctx)
        current = st.settings
        numbers = asdict(current.playbook)
        if wants_json(ctx, as_json):
            echo_json(
                {
                    "path": str(config.config_path()),
                    "profile": asdict(current.profile),
                    "playbook": [
                        {
                            "name": s.name,
                            "value": numbers[s.name],
                            "default": s.default,
                            "unit": s.unit,
                            "why": s.why,
                            "sources": [x.strip() for x in s.sources.split(",") if x.strip()],
                        }
                        for s in config.PLAYBOOK_SPECS
                    ],
                    "checks_off": sorted(current.checks_off),
                }
            )
            return
        typer.echo(f"Settings file: {config.config_path()}")
        typer.echo(f"Data dir: {config.data_dir()}")
        p = current.profile
        typer.echo(f"Profile: {p.name or '(no name set)'}, {p.tz}, {p.country}")
        for spec in config.PLAYBOOK_SPECS:
            value = numbers[spec.name]
            changed = "" if value == spec.default else f" (default {spec.default:g})"
            typer.echo(f"  {spec.name} = {value:g} {spec.unit}{changed}\n      {spec.why}")
