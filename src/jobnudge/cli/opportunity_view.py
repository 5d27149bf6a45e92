"""How opportunities are printed by the recording commands: the list's table, one
opportunity in full (its timeline, people and next follow-ups, as text or JSON), the
follow-ups a write starts, and the "read as" hint for a date typed without its year."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from jobnudge import plural
from jobnudge.cli import render
from jobnudge.cli.prompts import record_it
from jobnudge.cli.state import echo_json
from jobnudge.playbook.wording import title

if TYPE_CHECKING:
    from datetime import datetime

    from jobnudge.domain import Event, Opportunity, Stage
    from jobnudge.services.event_log import Logged
    from jobnudge.services.session import Session
    from jobnudge.store.rows import AgendaRow


def print_table(pairs: list[tuple[Opportunity, Stage]]) -> None:
    """The opportunities as a table (``nudge list``), or how to add the first."""
    from rich.table import Table
    from rich.text import Text

    from jobnudge.text_safety import printable

    if not pairs:
        typer.echo('No opportunities yet. Add one: nudge add "Acme" "Data Analyst" --applied today')
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


def show(session: Session, opp: Opportunity, stage: Stage, *, as_json: bool, posting: bool) -> None:
    """One opportunity in full (``nudge show``): text, JSON, or the posting kept with it."""
    from datetime import timedelta

    from jobnudge.services.nudges import assess

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
    if posting and not as_json:
        if kept is None:
            typer.echo(f"No posting is kept with #{opp.id}; add one with `nudge add --posting`.")
        else:
            typer.echo(kept.text)
        return
    if as_json:
        data = render.opportunity_json(opp, stage)
        if kept is not None:
            data["posting"] = {"url": kept.url, "text": kept.text, "read": list(kept.findings)}
        data["events"] = [render.event_json(e, tz, names) for e in events]
        from jobnudge.store.mail_flagged import bad_addresses

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
                f"{title(item.row.rule)}{to_whom(item.row)}: {item.row.reason}"
            )
        )
        answer = record_it(item.row.rule, item.row.opportunity_id)
        if answer:
            out.print(escape(f"    {answer}"))


def print_next(session: Session, opportunity_id: int) -> None:
    """After a write, show what that opportunity now calls for."""
    from jobnudge.services.nudges import assess

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
        typer.echo(f"  {item.row.short_id}  {title(item.row.rule)}{to_whom(item.row)} ({ready})")
        answer = record_it(item.row.rule, item.row.opportunity_id)
        if answer:
            typer.echo(f"           {answer}")


def to_whom(row: AgendaRow) -> str:
    """ " → whom" for a follow-up sent to someone (the hiring team when nobody is named); nothing
    for a note to the user alone, which has neither a person nor a channel."""
    if row.contact:
        return f" → {row.contact}"
    return " → hiring team" if row.channel is not None else ""


def read_as(text: str | None, value: datetime | None, tz: str, now: datetime) -> str:
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


def understood(event: Event, tz: str) -> str:
    """The interview time and decision date as read, said back so a misread one is seen at
    once: "Interview: Tue 22 Dec 2026 10:00 (America/New_York)"."""
    from zoneinfo import ZoneInfo

    from jobnudge.weekdays import shown

    lines = []
    if event.scheduled_for is not None:
        local = event.scheduled_for.astimezone(ZoneInfo(tz))
        lines.append(f"Interview: {shown(local.date())} {local:%H:%M} ({tz})")
    if event.decision_by is not None:
        lines.append(f"Decision by: {shown(event.decision_by)}")
    return "\n".join(lines)


def said_back(out: Logged, tz: str) -> list[str]:
    """What ``nudge log`` decided for the user (``services.logged_words``), each with the
    command that records it otherwise."""
    from jobnudge.services.logged_words import decided

    lines = decided(out, tz)
    if not lines or out.event is None:
        return lines
    again = f"`nudge delete event {out.event.id}` and log it again"
    if out.as_scheduled is not None:
        lines[0] += f" If it was another time, {again} with --at WHEN."
    pick = out.kind
    if pick is not None and pick.completes is not None:
        lines[-1] += f" If it was another message, {again} with its --kind."
    elif pick is not None and (pick.fitting or pick.later):
        choices = pick.choices(later=not pick.fitting)
        kinds = " or ".join(f"--kind {k.value}" for k, _n in choices)
        lines[-1] += (
            f" To count it as {'one' if len(choices) > 1 else 'that'}, {again} with {kinds}."
        )
    elif pick is not None:
        lines[-1] += (
            " --kind says what a message was: thank-you, follow-up, confirmation, update or note."
        )
    return lines
