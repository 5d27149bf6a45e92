"""``nudge remind``: the morning digest, sent once per item and channel.

How "never twice" holds:

1. In one write transaction, for each channel without a digest for today's slot, the items it
   has not carried yet are gathered, and the digest's content and its items are stored together
   ("pending"). An older digest on that channel still pending is dropped first, so its items go
   into the fresh one instead of a second message.
2. Each pending digest is claimed with a short lease (a run killed in the middle lets the next
   run take it back), delivered outside any transaction, and marked "delivered" (or its error
   kept, to be retried by the next run).
3. An e-mail digest whose data went to the server is marked "handed" just before: if the answer
   is lost (the process killed, the connection dropped), it counts as delivered and is never
   resent; a second copy is the worse mistake for a reminder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from jobnudge.errors import ConfigError, NudgeError
from jobnudge.playbook import calendar
from jobnudge.remind import schedule
from jobnudge.remind.channels import Channel, DeliveryFailed
from jobnudge.remind.digest import Digest, Item, build
from jobnudge.services.remind_items import collect

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.services.session import Session
    from jobnudge.store import Store
    from jobnudge.store.reminders import ReminderRow
    from jobnudge.store.writes import Tx

LEASE = timedelta(minutes=5)
"""How long a run holds a digest it is delivering; longer than any channel's time-outs."""

ChannelMaker = Callable[[str], Channel]
"""Builds a channel by name (raising ConfigError when it is not set up)."""


@dataclass(frozen=True)
class Outcome:
    channel: str
    state: str  # "delivered", "handed", "failed", "empty" (nothing to say), "preview"
    slot: str
    subject: str
    items: int
    detail: str = ""
    keys: tuple[str, ...] = ()
    digest: Digest | None = None


@dataclass
class Report:
    moment: schedule.Moment
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == "failed"]


def settings_hint(web_url: str) -> str:
    return "the app's Settings" if web_url else "[remind] in your settings file"


# Preparing: content and items in one transaction


@dataclass(frozen=True)
class Prepared:
    channel: str
    slot: str
    digest: Digest | None  # None: nothing new to say
    keys: tuple[str, ...]


def prepare(
    tx: Tx,
    owner: int,
    settings: Settings,
    channels: Sequence[str],
    slot: str | None,
    now: datetime,
    web_url: str = "",
    *,
    claim: bool = True,
) -> tuple[list[Prepared], list[ReminderRow]]:
    """Store the digest of ``slot`` (the local day, None when none is due) for each channel that
    has none yet, and with ``claim`` take every pending digest of ``channels`` for delivery
    (the new ones included). Few statements: this runs once per account and morning."""
    from jobnudge.store import reminders

    found = reminders.open_rows(tx, owner, slot)
    out: list[Prepared] = []
    fresh_rows: list[ReminderRow] = []
    lease = now + LEASE if claim else None
    done = {r.channel for r in found if r.slot == slot}
    wanted = [c for c in channels if c not in done] if slot is not None else []
    if wanted:
        assert slot is not None
        for row in found:
            if row.state == reminders.PENDING and row.channel in wanted:
                reminders.drop(tx, owner, row.id)  # its items go into today's digest instead
        found = [r for r in found if not (r.state == reminders.PENDING and r.channel in wanted)]
        items = collect(tx, owner, settings, now, web_url)
        day = date.fromisoformat(slot)
        for channel in wanted:
            known = reminders.known_items(tx, owner, channel, (i.key for i in items))
            new = [i for i in items if i.key not in known]
            still = sum(i.section == "overdue" and i.key in known for i in items)
            if not new:
                reminders.add(tx, owner, channel=channel, slot=slot, state=reminders.EMPTY)
                out.append(Prepared(channel, slot, None, ()))
                continue
            digest = build(
                new,
                day,
                detail=settings.remind.detail,
                still_overdue=still,
                settings_hint=settings_hint(web_url),
            )
            keys = tuple(i.key for i in new)
            fresh_rows.append(
                reminders.add(
                    tx,
                    owner,
                    channel=channel,
                    slot=slot,
                    state=reminders.PENDING,
                    subject=digest.subject,
                    body=digest.text,
                    html=digest.html,
                    item_keys=keys,
                    lease_until=lease,
                )
            )
            out.append(Prepared(channel, slot, digest, keys))
    claimed: list[ReminderRow] = []
    if lease is not None:
        chosen = set(channels)
        for row in sorted(found, key=lambda r: r.id):
            if row.state != reminders.PENDING or row.channel not in chosen:
                continue
            if reminders.claim(tx, owner, row.id, lease):
                claimed.append(row)
        claimed += fresh_rows
    return out, claimed


def _digest_of(row: ReminderRow) -> Digest:
    lines = [ln[2:] for ln in row.body.splitlines() if ln.startswith("• ")]
    short = "\n".join(lines[:4] + ([f"and {len(lines) - 4} more"] if len(lines) > 4 else []))
    return Digest(row.subject, row.body, row.html, short, ())


# Delivering


def deliver(
    store: Store,
    owner: int,
    row: ReminderRow,
    channel: Channel | None,
    now: datetime,
    error: str = "",
) -> Outcome:
    """Hand one claimed digest to its channel and record the result (its own transactions)."""
    from jobnudge.store import reminders

    def handing_over() -> None:
        with store.transaction(now=now) as tx:
            reminders.finish(tx, owner, row.id, state=reminders.HANDED, attempt=False)

    state, detail = reminders.DELIVERED, ""
    if channel is None:
        state, detail = "failed", error
    else:
        try:
            detail = channel.send(_digest_of(row), handing_over)
        except DeliveryFailed as exc:
            state, detail = "failed", exc.message
        except NudgeError as exc:
            state, detail = "failed", exc.message
    with store.transaction(now=now) as tx:
        if state == "failed":
            current = {r.id: r.state for r in reminders.rows(tx, owner, states=[reminders.HANDED])}
            if row.id in current:  # handed over, then the answer was lost: never resent
                reminders.finish(tx, owner, row.id, state=reminders.HANDED, error=detail)
                state = reminders.HANDED
            else:
                reminders.finish(tx, owner, row.id, state=reminders.PENDING, error=detail)
        else:
            reminders.finish(tx, owner, row.id, state=reminders.DELIVERED)
    return Outcome(row.channel, state, row.slot, row.subject, row.item_count, detail)


def local_channels(session: Session) -> ChannelMaker:
    """The channels of the user running ``nudge remind`` on their own machine."""

    def make(name: str) -> Channel:
        from jobnudge.remind.channels import AppriseChannel, DesktopChannel, EmailChannel
        from jobnudge.remind.secrets import apprise_urls
        from jobnudge.services import mail_account

        settings = session.settings
        if name == "email":
            return EmailChannel(
                mail_account.account(settings), email_address(settings), lambda: session.now
            )
        if name == "apprise":
            return AppriseChannel(apprise_urls(settings.remind))
        return DesktopChannel()

    return make


def email_address(settings: Settings) -> str:
    to = settings.remind.email_to or settings.profile.email or settings.mail.from_address
    if not to:
        raise ConfigError(
            "remind.channels includes email but there is no address to send the digest to: "
            "set remind.email_to (or profile.email)."
        )
    return to


def _channels(settings: Settings, chosen: Sequence[str] | None) -> tuple[str, ...]:
    names = tuple(chosen) if chosen else settings.remind.channels
    if not names:
        raise ConfigError(
            "remind.channels is empty: add the channels the digest goes to, e.g. channels = "
            '["email", "apprise"] under [remind] in your settings file (or --channel).'
        )
    return names


def run(
    session: Session,
    *,
    channels: Sequence[str] | None = None,
    make: ChannelMaker | None = None,
    web_url: str = "",
) -> Report:
    """Prepare today's digest when it is due, then deliver every pending one."""
    settings = session.settings
    names = _channels(settings, channels)
    web_url = web_url or settings.remind.web_url
    tz, country = settings.profile.tz, settings.profile.country
    moment = schedule.decide(settings.remind, tz, country, session.now)
    report = Report(moment)
    if moment.slot is None:  # before the hour, a day off or quiet: not even a retry
        return report
    make = make or local_channels(session)
    made: dict[str, Channel] = {}
    for name in names:  # a channel not set up says so now, not on the first busy morning
        try:
            made[name] = make(name)
        except NudgeError as exc:
            report.outcomes.append(Outcome(name, "failed", moment.slot or "", "", 0, exc.message))
    try:
        with session.store.transaction(now=session.now) as tx:
            prepared, claimed = prepare(
                tx, session.owner, settings, list(made), moment.slot, session.now, web_url
            )
        for p in prepared:
            if p.digest is None:
                report.outcomes.append(Outcome(p.channel, "empty", p.slot, "", 0))
        for row in claimed:
            report.outcomes.append(
                deliver(session.store, session.owner, row, made[row.channel], session.now)
            )
    finally:
        for channel in made.values():
            channel.close()
    return report


class _Preview(Exception):
    def __init__(self, prepared: list[Prepared]) -> None:
        self.prepared = prepared


def preview(
    session: Session, *, channels: Sequence[str] | None = None, web_url: str = ""
) -> Report:
    """What would go out if the digest were due now (``--dry-run``): nothing is written."""
    settings = session.settings
    names = _channels(settings, channels)
    web_url = web_url or settings.remind.web_url
    tz, country = settings.profile.tz, settings.profile.country
    moment = schedule.decide(settings.remind, tz, country, session.now)
    slot = moment.slot or calendar.local_day(session.now, tz).isoformat()
    report = Report(moment)
    try:
        with session.store.transaction(now=session.now) as tx:
            from jobnudge.store import reminders

            pending = [
                r
                for r in reminders.rows(tx, session.owner, states=[reminders.PENDING])
                if r.channel in names and r.slot == slot
            ]
            for row in pending:
                report.outcomes.append(
                    Outcome(
                        row.channel,
                        "pending",
                        row.slot,
                        row.subject,
                        row.item_count,
                        row.last_error,
                        (),
                        _digest_of(row),
                    )
                )
            prepared, _ = prepare(
                tx, session.owner, settings, names, slot, session.now, web_url, claim=False
            )
            raise _Preview(prepared)
    except _Preview as done:
        for p in done.prepared:
            report.outcomes.append(
                Outcome(
                    p.channel,
                    "preview" if p.digest else "empty",
                    p.slot,
                    p.digest.subject if p.digest else "",
                    len(p.keys),
                    "",
                    p.keys,
                    p.digest,
                )
            )
    return report


def send_test(session: Session, channel: str, make: ChannelMaker | None = None) -> str:
    """A test message on one channel (Settings' "send a test"); nothing is recorded."""
    make = make or local_channels(session)
    day = calendar.local_day(session.now, session.settings.profile.tz)
    sample = Item(
        key="test",
        section="due",
        title="This is a test from jobnudge",
        context="",
        when="",
        why="Your digests will arrive here each morning you chose.",
        link="",
    )
    digest = build([sample], day, settings_hint=settings_hint(session.settings.remind.web_url))
    digest = Digest(
        f"jobnudge test: reminders reach you by {channel}",
        digest.text,
        digest.html,
        "Your morning digests will arrive like this.",
        (),
    )
    made = make(channel)
    try:
        return made.send(digest, lambda: None)
    finally:
        made.close()


def due_now_count(session: Session) -> int:
    """The follow-ups due now (overdue or due by now), for the page title."""
    rows = session.store.agenda_rows(session.owner, session.now, session.now)
    return len(rows)
