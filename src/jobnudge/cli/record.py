"""Recording the search from the command line: add opportunities, log what happened, tune one
opportunity's playbook numbers. Listing and showing them is ``cli.listing``."""

from __future__ import annotations

from typing import Annotated

import typer

from jobnudge.bounds import MAX_ROUND
from jobnudge.cli import opportunity_view, render
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
EVENT_HELP = (
    "applied, scheduled, interviewed, sent, received, called, voicemail, references, offer, "
    "accepted, declined, rejected, withdrawn, no-response or note"
)


def _complete_event(incomplete: str) -> list[str]:
    from jobnudge.services.event_log import EVENT_WORDS

    return [w for w in EVENT_WORDS if w.startswith(incomplete)]


def _complete_channel(incomplete: str) -> list[str]:
    from jobnudge.domain import Channel

    return [c.value for c in Channel if c.value.startswith(incomplete)]


def register(app: typer.Typer) -> None:
    @app.command()
    @handles_errors
    def add(
        ctx: typer.Context,
        company: Annotated[
            str, typer.Argument(help="The employer (read from --posting when left out).")
        ] = "",
        role: Annotated[
            str, typer.Argument(help="The job title (read from --posting when left out).")
        ] = "",
        applied: Annotated[
            str | None,
            typer.Option(
                "--applied", help="When you applied ('today', '2026-03-05'); leave out for a lead."
            ),
        ] = None,
        via: Annotated[
            str | None,
            typer.Option(
                "--via", help="How you applied (email, ...).", autocompletion=_complete_channel
            ),
        ] = None,
        posting: Annotated[
            str | None,
            typer.Option(
                "--posting",
                help="The job posting: its address (fetched now), a saved page, or '-' to "
                "paste its text. What it states is shown for you to confirm.",
            ),
        ] = None,
        yes: Annotated[
            bool,
            typer.Option("--yes", help="Accept the values read from --posting without asking."),
        ] = False,
        source: Annotated[str, typer.Option("--source", help="Where you found it.")] = "",
        responds_within: Annotated[
            str | None,
            typer.Option(
                "--responds-within",
                help="The response time the posting states ('14', '2w', '2 weeks').",
            ),
        ] = None,
        prefers: Annotated[
            str | None,
            typer.Option(
                "--prefers",
                help="How the posting asks to be contacted.",
                autocompletion=_complete_channel,
            ),
        ] = None,
        referred_by: Annotated[
            str | None, typer.Option("--referred-by", help="Who referred you.")
        ] = None,
        staffing_firm: Annotated[
            str | None,
            typer.Option("--staffing-firm", help="The staffing firm that put you forward."),
        ] = None,
        recruiter: Annotated[
            str | None, typer.Option("--recruiter", help="Your recruiter.")
        ] = None,
        contact: Annotated[
            list[str] | None,
            typer.Option("--contact", help="A contact at the employer (repeatable)."),
        ] = None,
        priority: Annotated[int, typer.Option("--priority", min=0, max=3)] = 0,
        note: Annotated[str, typer.Option("--note", help="Free text.")] = "",
        again: Annotated[
            bool,
            typer.Option(
                "--again", help="Track a second application for the same company and role."
            ),
        ] = False,
    ) -> None:
        """Record an application (or a lead) and see the follow-ups it starts.

        Example:

          nudge add "Acme Corp" "Data Analyst" --applied today --responds-within 14
        """
        from jobnudge.cli import posting as read_posting
        from jobnudge.errors import Conflict
        from jobnudge.services import postings, records, validate
        from jobnudge.spans import parse_days
        from jobnudge.timeparse import Tense, parse_when

        session = state(ctx).session()
        reading = None
        if posting is not None:
            reading = read_posting.read(session, posting)
            given = {"company": company, "title": role, "responds_within": responds_within}
            given["prefers"] = prefers
            reading = postings.confirmed(reading, {k: "" for k, v in given.items() if v})
            if not wants_json(ctx, False):
                read_posting.show(reading)
            read_posting.confirm(reading, yes)
            posting = reading.url

        def attempt(second: bool) -> records.Outcome:
            return records.add_opportunity(
                session,
                company,
                role,
                applied=parse_when(
                    applied,
                    field="--applied",
                    tz=session.tz,
                    base=session.now,
                    tense=Tense.PAST,
                    country=session.settings.profile.country,
                )
                if applied
                else None,
                via=validate.channel(via, "--via"),
                posting=validate.url(posting),
                source=source,
                responds_within=parse_days(responds_within, field="--responds-within")
                if responds_within
                else None,
                prefers=validate.channel(prefers, "--prefers"),
                referred_by=referred_by,
                staffing_firm=staffing_firm,
                recruiter=recruiter,
                contacts=contact or [],
                priority=priority,
                notes=note,
                again=second,
                reading=reading,
            )

        try:
            out = attempt(again)
        except Conflict as exc:
            if again or not read_posting.ask_again(str(exc)):
                raise
            out = attempt(True)
        from jobnudge.domain import Stage

        assert out.opportunity is not None
        opp = out.opportunity
        if wants_json(ctx, False):
            echo_json(render.opportunity_json(opp, out.stage or Stage.LEAD))
            return
        typer.echo(
            f"Added #{opp.id} {opp.company} — {opp.role} ({(out.stage or 'lead')})."
            + opportunity_view.read_as(
                applied, out.event.at if out.event else None, session.tz, session.now
            )
        )
        for person in out.created_contacts:
            typer.echo(f"New contact: {person.name} (add details with `nudge contact edit`).")
        opportunity_view.print_next(session, opp.id)

    @app.command()
    @handles_errors
    def log(
        ctx: typer.Context,
        opportunity: Annotated[str, typer.Argument(help="Its id or part of company and role.")],
        event: Annotated[str, typer.Argument(help=EVENT_HELP, autocompletion=_complete_event)],
        at: Annotated[
            str | None, typer.Option("--at", help="When it happened (default now).")
        ] = None,
        with_: Annotated[
            list[str] | None,
            typer.Option(
                "--with", help="Who was involved (repeatable); new names become contacts."
            ),
        ] = None,
        round_: Annotated[
            int | None,
            typer.Option(  # 0 reaches the service, which says that rounds count from 1
                "--round", min=0, max=MAX_ROUND, help="Interview round (1, 2, ...)."
            ),
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option(
                "--kind",
                help="phone|video|onsite for interviews; thank-you|follow-up|confirmation|"
                "update|note for messages.",
            ),
        ] = None,
        for_: Annotated[
            str | None, typer.Option("--for", help="When a scheduled interview takes place.")
        ] = None,
        decision_by: Annotated[
            str | None,
            typer.Option(
                "--decision-by",
                help="The decision date they gave ('friday', '2026-03-20'); for an offer, the "
                "date they want your answer by.",
            ),
        ] = None,
        prefers: Annotated[
            str | None,
            typer.Option(
                "--prefers",
                help="The follow-up channel they asked for.",
                autocompletion=_complete_channel,
            ),
        ] = None,
        channel: Annotated[
            str | None,
            typer.Option(
                "--channel",
                help="How a message travelled (default email).",
                autocompletion=_complete_channel,
            ),
        ] = None,
        note: Annotated[str, typer.Option("--note", help="What was said or discussed.")] = "",
        again: Annotated[
            bool,
            typer.Option(
                "--again",
                help="Record a second interview scheduled for the same time as one already "
                "recorded (refused without it).",
            ),
        ] = False,
    ) -> None:
        """Record what happened; the follow-ups are re-planned at once.

        Examples:

          nudge log acme interviewed --with "Dana Lee" --round 2 --decision-by friday

          nudge log acme sent --kind thank-you --with "Dana Lee"

          nudge log 3 scheduled --for "next tuesday 10am" --kind video --with "Dana Lee"
        """
        from jobnudge.services import event_log, validate
        from jobnudge.timeparse import Tense, parse_day, parse_when

        session = state(ctx).session()
        tz, country = session.tz, session.settings.profile.country
        moment = (
            parse_when(at, field="--at", tz=tz, base=session.now, tense=Tense.PAST, country=country)
            if at
            else None
        )
        out = event_log.log_event(
            session,
            opportunity,
            event,
            at=moment,
            with_=with_ or [],
            round_=round_,
            kind=kind,
            scheduled_for=parse_when(
                for_, field="--for", tz=tz, base=session.now, tense=Tense.FUTURE, country=country
            )
            if for_
            else None,
            decision_by=parse_day(  # a day after the one it was said: "Fri" on a Friday is next
                decision_by,
                field="--decision-by",
                tz=tz,
                base=moment or session.now,
                tense=Tense.LATER,
                country=country,
            )
            if decision_by
            else None,
            prefers=validate.channel(prefers, "--prefers"),
            channel=validate.channel(channel, "--channel"),
            note=note,
            again=again,
        )
        assert out.opportunity is not None and out.event is not None
        if wants_json(ctx, False):
            echo_json(
                {
                    "event_id": out.event.id,
                    "opportunity_id": out.opportunity.id,
                    "stage": out.stage.value if out.stage else None,
                }
            )
            return
        typer.echo(
            f"Logged {validate.event(event)} on #{out.opportunity.id} {out.opportunity.company} — "
            f"{out.opportunity.role} (now {out.stage.value if out.stage else '?'})."
            + opportunity_view.read_as(at, out.event.at, tz, session.now)
        )
        understood = opportunity_view.understood(out.event, tz)
        if understood:
            typer.echo(understood)
        for line in opportunity_view.said_back(out, tz):
            typer.echo(line)
        for person in out.created_contacts:
            typer.echo(
                f"New contact: {person.name} (add an email with `nudge contact edit "
                f'"{person.name}" --email ...`).'
            )
        opportunity_view.print_next(session, out.opportunity.id)

    @app.command()
    @handles_errors
    def tune(
        ctx: typer.Context,
        opportunity: Annotated[str, typer.Argument(help="Its id or part of company and role.")],
        settings: Annotated[
            list[str] | None,
            typer.Argument(
                help="SETTING=VALUE to override, or SETTING= to go back to your default."
            ),
        ] = None,
    ) -> None:
        """Override playbook numbers for one opportunity, e.g. a slower employer.

        With no SETTING, shows this opportunity's overrides.

        Example: nudge tune acme apply_check_in_days=14 cooldown_days=10
        """
        from jobnudge.errors import UsageError
        from jobnudge.services import records

        changes: dict[str, float | None] = {}
        for item in settings or []:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise UsageError(f"SETTING: write NAME=VALUE, e.g. cooldown_days=10, not '{item}'.")
            try:
                changes[name.strip()] = float(value) if value.strip() else None
            except ValueError:
                raise UsageError(f"SETTING: '{value}' for {name} is not a number.") from None
        session = state(ctx).session()
        if not changes:
            opp, _stage = records.opportunity(session, opportunity)
            current = {k: float(v) for k, v in opp.settings.items()}
        else:
            opp, current = records.tune_opportunity(session, opportunity, changes)
        if wants_json(ctx, False):
            echo_json({"opportunity_id": opp.id, "settings": current})
            return
        if not current:
            typer.echo(f"#{opp.id} {opp.company} — {opp.role} follows your settings.")
        for setting, number in sorted(current.items()):
            typer.echo(f"#{opp.id} {opp.company}: {setting} = {number:g}")
