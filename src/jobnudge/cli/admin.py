"""Housekeeping: the demo search, settings, and re-planning after a settings change."""

from __future__ import annotations

from typing import Annotated

import typer

from jobnudge import plural
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json


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
    def replan(ctx: typer.Context) -> None:
        """Recompute every follow-up, e.g. after changing a playbook number in the settings."""
        from jobnudge.services import nudges

        count = nudges.refresh_all(state(ctx).session())
        typer.echo(f"Re-planned the follow-ups of {plural.count(count, 'opportunity')}.")

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
