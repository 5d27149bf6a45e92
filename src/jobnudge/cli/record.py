"""Recording the search from the command line: add, log, list and show opportunities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jobnudge import plural
from jobnudge.bounds import MAX_ROUND
from jobnudge.cli import render
from jobnudge.cli.state import echo_json, handles_errors, state, wants_json
from jobnudge.playbook.wording import title

if TYPE_CHECKING:
    from datetime import datetime

    from jobnudge.store.rows import AgendaRow

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
EVENT_HELP = (
    "applied, scheduled, interviewed, sent, received, called, voicemail, references, offer, "
    "accepted, declined, rejected, withdrawn, no-response or note"
)


def _complete_event(incomplete: str) -> list[str]:
    from jobnudge.services.records import EVENT_WORDS

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
                help="The response time the posting states, in days ('14', '2w').",
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
        from jobnudge.timeparse import Tense, parse_duration_days, parse_when

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
                    applied, field="--applied", tz=session.tz, base=session.now, tense=Tense.PAST
                )
                if applied
                else None,
                via=validate.channel(via, "--via"),
                posting=validate.url(posting),
                source=source,
                responds_within=parse_duration_days(responds_within, field="--responds-within")
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
            + _read_as(applied, out.event.at if out.event else None, session.tz, session.now)
        )
        for person in out.created_contacts:
            typer.echo(f"New contact: {person.name} (add details with `nudge contact edit`).")
        _print_next(session, opp.id)

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
        from jobnudge.services import records, validate
        from jobnudge.timeparse import Tense, parse_day, parse_when

        session = state(ctx).session()
        tz = session.tz
        out = records.log_event(
            session,
            opportunity,
            event,
            at=parse_when(at, field="--at", tz=tz, base=session.now, tense=Tense.PAST)
            if at
            else None,
            with_=with_ or [],
            round_=round_,
            kind=kind,
            scheduled_for=parse_when(
                for_, field="--for", tz=tz, base=session.now, tense=Tense.FUTURE
            )
            if for_
            else None,
            decision_by=parse_day(
                decision_by, field="--decision-by", tz=tz, base=session.now, tense=Tense.FUTURE
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
            + _read_as(at, out.event.at, tz, session.now)
        )
        for person in out.created_contacts:
            typer.echo(
                f"New contact: {person.name} (add an email with `nudge contact edit "
                f'"{person.name}" --email ...`).'
            )
        _print_next(session, out.opportunity.id)

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

    @app.command("list")
    @handles_errors
    def list_(
        ctx: typer.Context,
        as_json: JsonFlag = False,
        stage: Annotated[
            list[str] | None,
            typer.Option(
                "--stage",
                help="Only these stages (repeatable): lead, applied, interviewing, offer, "
                "rejected, withdrawn, no-response.",
            ),
        ] = None,
        active: Annotated[
            bool, typer.Option("--active", help="Only applied and interviewing.")
        ] = False,
    ) -> None:
        """List your opportunities with their stage.

        Example: nudge list --active
        """
        from jobnudge.domain import Stage
        from jobnudge.services import validate

        session = state(ctx).session()
        wanted = {validate.choice(Stage, s, "--stage") for s in stage or []}
        if active:
            wanted |= {Stage.APPLIED, Stage.INTERVIEWING}
        pairs = [
            (o, s)
            for o, s in session.store.opportunities(session.owner)
            if not wanted or s in wanted
        ]
        if wants_json(ctx, as_json):
            echo_json([render.opportunity_json(o, s) for o, s in pairs])
            return
        from rich.table import Table
        from rich.text import Text

        from jobnudge.text_safety import printable

        if not pairs:
            typer.echo(
                'No opportunities yet. Add one: nudge add "Acme" "Data Analyst" --applied today'
            )
            return
        table = Table(expand=True, pad_edge=False)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("company", ratio=2)
        table.add_column("role", ratio=2)
        table.add_column("stage", no_wrap=True)
        for opp, st in pairs:
            table.add_row(
                str(opp.id), Text(printable(opp.company)), Text(printable(opp.role)), st.value
            )
        render.console().print(table)

    @app.command()
    @handles_errors
    def show(
        ctx: typer.Context,
        opportunity: Annotated[str, typer.Argument(help="Its id or part of company and role.")],
        as_json: JsonFlag = False,
        posting_text: Annotated[
            bool, typer.Option("--posting", help="Print the posting kept with it, in full.")
        ] = False,
    ) -> None:
        """Show one opportunity: its timeline, its people and its next follow-ups.

        Example: nudge show acme
        """
        from datetime import timedelta

        from jobnudge.services import records
        from jobnudge.services.nudges import assess

        session = state(ctx).session()
        opp, stage = records.opportunity(session, opportunity)
        events = session.store.events(session.owner, opp.id)
        people = session.store.opportunity_contacts(session.owner, opp.id)
        names = {c.id: c.name for c in people}
        rows = [
            r
            for r in session.store.agenda_rows(
                session.owner, session.now + timedelta(days=5 * 365), session.now
            )
            if r.opportunity_id == opp.id
        ]
        items = assess(rows, session.settings, session.now)
        tz = session.tz
        kept = session.store.posting(session.owner, opp.id)
        if posting_text and not wants_json(ctx, as_json):
            if kept is None:
                typer.echo(
                    f"No posting is kept with #{opp.id}; add one with `nudge add --posting`."
                )
            else:
                typer.echo(kept.text)
            return
        if wants_json(ctx, as_json):
            data = render.opportunity_json(opp, stage)
            if kept is not None:
                data["posting"] = {"url": kept.url, "text": kept.text, "read": list(kept.findings)}
            data["events"] = [render.event_json(e, tz, names) for e in events]
            from jobnudge.store.mail import bad_addresses

            companies = {c.id: c.name for c in session.store.companies(session.owner)}
            bounced = dict(bad_addresses(session.store, session.owner))  # as `contact list`
            data["contacts"] = [
                {
                    **render.contact_json(c, companies.get(c.company_id or 0)),
                    "email_bounced": bounced.get(c.email.lower()) if c.email else None,
                }
                for c in people
            ]
            data["nudges"] = render.agenda_json(items, tz)
            echo_json(data)
            return
        from rich.markup import escape

        out = render.console()
        out.print(f"[bold]#{opp.id} {escape(opp.company)} — {escape(opp.role)}[/] ({stage.value})")
        if opp.posting_url:
            out.print(f"posting: {escape(opp.posting_url)}")
        if opp.responds_within_days:
            within = plural.count(opp.responds_within_days, "day")
            out.print(f"the posting says they respond within {within}")
        if kept is not None:
            words = plural.count(len(kept.text.split()), "word")
            out.print(f"posting kept ({words}): `nudge show {opp.id} --posting` prints it")
        if people:
            out.print("[bold]People[/]")
            for c in people:
                roles = ", ".join(sorted(r.value for r in c.roles)) or "contact"
                reach = c.email or c.phone or "no email or phone yet"
                line = f"  {c.name} ({roles}) {reach}" + (f" · {c.tz}" if c.tz else "")
                out.print(escape(line))
        out.print("[bold]Timeline[/]")
        if not events:
            out.print("  nothing logged yet: `nudge log` records what happens")
        for e in events:
            out.print(
                escape(
                    f"  #{e.id:<4} {render.event_when(e, tz, session.now)}  "
                    f"{render.event_line(e, tz, names)}"
                )
            )
        out.print("[bold]Next follow-ups[/]")
        if not items:
            out.print("  none pending")
        for item in items:
            out.print(
                escape(
                    f"  {item.row.short_id} {render.when(item.row.due, tz, session.now)} "
                    f"{title(item.row.rule)}{_to_whom(item.row)}: {item.row.reason}"
                )
            )


def _print_next(session: object, opportunity_id: int) -> None:
    """After a write, show what that opportunity now calls for."""
    from jobnudge.services.nudges import assess
    from jobnudge.services.session import Session

    assert isinstance(session, Session)
    far = session.now.replace(year=session.now.year + 5)
    rows = [
        r
        for r in session.store.agenda_rows(session.owner, far, session.now)
        if r.opportunity_id == opportunity_id
    ]
    items = assess(rows, session.settings, session.now)
    if not items:
        typer.echo("No follow-ups pending for it.")
        return
    typer.echo("Next:")
    for item in items:
        ready = "now" if item.ok_now else render.when(item.row.due, session.tz)
        typer.echo(f"  {item.row.short_id}  {title(item.row.rule)}{_to_whom(item.row)} ({ready})")


def _to_whom(row: AgendaRow) -> str:
    """ " → whom" for a follow-up sent to someone (the hiring team when nobody is named); nothing
    for a note to the user alone, which has neither a person nor a channel."""
    if row.contact:
        return f" → {row.contact}"
    return " → hiring team" if row.channel is not None else ""


def _read_as(text: str | None, value: datetime | None, tz: str, now: datetime) -> str:
    """ " (read as 20 Dec 2025)" when a date given without a year landed in another year than
    now's, so a "Dec 20" typed in early December is seen to mean last year's."""
    import re
    from zoneinfo import ZoneInfo

    if not text or value is None or re.search(r"\d{4}", text):
        return ""
    zone = ZoneInfo(tz)
    local = value.astimezone(zone)
    if local.year == now.astimezone(zone).year:
        return ""
    return f" (read as {local.day} {local:%b} {local.year})"
