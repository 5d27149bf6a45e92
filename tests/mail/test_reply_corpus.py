"""The reply corpus (tests/mail/corpus): realistic messages written for these tests, each with the
outcome a careful reader would give it, filed into the real Dovecot and read by the product's
real sync. The bar: no false cancel, no missed reply, and every other outcome as listed.

Each message gets a fresh mailbox and a fresh search: five companies (US, German, French and
Spanish contacts), each interviewed three hours ago, so each has a status check pending; the
thank-you jobnudge sent to the message's company supplies the Message-ID (``%OUR_ID%``) the
message refers to. A ``before`` message (a bounce) is synced first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jobnudge.domain import EventType, Role
from jobnudge.services import event_log, mail_approve, mail_send, mail_sync, records
from jobnudge.services.session import Session
from jobnudge.store import mail_flagged

from .conftest import MailWorld
from .helpers import filled, nudge

CORPUS = Path(__file__).parent / "corpus"
MANIFEST: list[dict[str, str]] = tomllib.loads(
    (CORPUS / "manifest.toml").read_text(encoding="utf-8")
)["message"]
ME = "alex.morgan@seeker.example"


@dataclass(frozen=True)
class Company:
    name: str
    role: str
    contact: str
    email: str
    tz: str
    country: str


COMPANIES = {
    "acme": Company(
        "Acme Analytics", "Data Analyst", "Dana Lee", "dana.lee@acme.example",
        "America/New_York", "US",
    ),
    "copperleaf": Company(
        "Copperleaf", "Platform Engineer", "Sam Ortiz", "sam.ortiz@copperleaf.example",
        "America/Chicago", "US",
    ),
    "brennwerk": Company(
        "Brennwerk GmbH", "Data Engineer", "Jonas Keller", "jonas.keller@brennwerk.example",
        "Europe/Berlin", "DE",
    ),
    "lumiere": Company(
        "Lumière Conseil", "Consultante data", "Claire Dubois",
        "claire.dubois@lumiere-conseil.example", "Europe/Paris", "FR",
    ),
    "atalaya": Company(
        "Soluciones Atalaya", "Analista de Datos", "Lucía Fernández",
        "lucia.fernandez@atalaya.example", "Europe/Madrid", "ES",
    ),
}  # fmt: skip

CHECK = "interview.status-check"
REPLIES = ("reply", "rejection", "offer", "correction")


def _search(world: MailWorld, session: Session) -> dict[str, int]:
    """The five interviewed opportunities; company key -> opportunity id."""
    now = session.now
    ids: dict[str, int] = {}
    for key, c in COMPANIES.items():
        out = records.add_opportunity(session, c.name, c.role, applied=now - timedelta(days=12))
        assert out.opportunity is not None
        ids[key] = out.opportunity.id
        records.add_contact(
            session, c.contact, company=c.name, email=c.email, tz=c.tz, country=c.country,
            roles=frozenset({Role.INTERVIEWER}),
        )  # fmt: skip
        event_log.log_event(
            session, str(out.opportunity.id), "interviewed", at=now - timedelta(hours=3),
            with_=[c.contact], round_=2,
        )  # fmt: skip
    return ids


def _raw(name: str, our_id: str) -> bytes:
    return (CORPUS / name).read_bytes().replace(b"%OUR_ID%", our_id.encode())


@dataclass
class Seen:
    logged_on: list[int]  # opportunities a RECEIVED event was logged on for the message
    proposals: list[str]  # review item kinds for the message
    automatic: list[str]
    flagged: dict[str, str]
    check: Any  # the company's pending status check, or None
    check_before: Any
    people: list[str]  # the contacts the logged event names


def _run(world: MailWorld, entry: dict[str, str]) -> tuple[Seen, int]:
    world.address = ME
    world.mail["address"] = ME
    session = world.session()
    ids = _search(world, session)
    opp = ids[entry["company"]]
    thanks = nudge(session, opp, "interview.thank-you")
    item = mail_approve.approve(
        session, mail_approve.prepare(session, filled(session, thanks.id)), send_after=session.now
    )
    mail_send.flush(session, world.account())
    if entry.get("before"):
        world.dovecot.append(world.user, "INBOX", _raw(entry["before"], item.message_id))
        mail_sync.sync(session, world.account())
    before = nudge(session, opp, CHECK)
    raw = _raw(entry["file"], item.message_id)
    world.dovecot.append(world.user, "INBOX", raw)
    from jobnudge.mail.parse import parse_headers

    message_id = parse_headers(raw).message_id
    report = mail_sync.sync(session, world.account())
    logged = [lg for lg in report.logged if lg.message_id == message_id]
    items = [
        i
        for i in mail_flagged.review_items(session.store, session.owner)
        if i.message_id == message_id
    ]
    pending = [n for n in session.store.opportunity_nudges(session.owner, opp) if n.rule == CHECK]
    seen = Seen(
        logged_on=[lg.opportunity.id for lg in logged if lg.event.type is EventType.RECEIVED],
        proposals=[i.kind for i in items],
        automatic=report.automatic,
        flagged=dict(mail_sync.bad_addresses(session)),
        check=pending[0] if pending else None,
        check_before=before,
        people=[
            session.store.contact(session.owner, c).name
            for lg in logged
            for c in lg.event.contact_ids
        ],
    )
    return seen, opp


def judge(entry: dict[str, str], seen: Seen, opp: int) -> list[str]:
    """What went wrong, each problem led by its kind ("false cancel", "missed reply", ...)."""
    expect, problems = entry["expect"], []
    company = COMPANIES[entry["company"]]
    if expect in REPLIES:
        if opp not in seen.logged_on:
            problems.append(f"missed reply: logged on {seen.logged_on}, review {seen.proposals}")
        elif seen.check is not None:
            problems.append("missed reply: the status check is still pending")
    elif seen.logged_on or seen.check is None:
        problems.append(f"false cancel: logged on {seen.logged_on}")
    wanted = {"rejection": "rejected", "offer": "offer", "correction": "address"}.get(expect)
    others = [k for k in seen.proposals if k != wanted]
    if wanted and wanted not in seen.proposals:
        problems.append(f"missed {expect}: review {seen.proposals}")
    if others:
        problems.append(f"false proposal: {others}")
    if entry.get("who") and entry["who"] not in seen.people:
        problems.append(f"wrong person: the reply names {seen.people}, not {entry['who']}")
    bounced = company.email in seen.flagged
    if expect == "bounce" and not bounced:
        problems.append("bounce not flagged")
    if expect != "bounce" and bounced and not entry.get("before"):
        problems.append("address flagged without a bounce")
    if expect == "ooo" and seen.check is not None:
        day = seen.check.due.astimezone(ZoneInfo(company.tz)).date().isoformat()
        moved = entry.get("moved_to", "")
        if moved and day != moved:
            problems.append(f"ooo date: the check is due {day}, not {moved}")
        elif moved and "back" not in seen.check.reason:
            problems.append(f"ooo date: the reason does not say why: {seen.check.reason}")
        elif not moved and seen.check.due != seen.check_before.due:
            problems.append(f"ooo date: moved to {day} though no later return was stated")
    return problems


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_corpus_message(world: MailWorld, entry: dict[str, str]) -> None:
    seen, opp = _run(world, entry)
    problems = judge(entry, seen, opp)
    assert not problems, f"{entry['file']} ({entry['note']}): " + "; ".join(problems)


def test_the_corpus_is_large_and_covers_every_outcome() -> None:
    kinds = {e["expect"] for e in MANIFEST}
    assert len(MANIFEST) >= 60
    assert kinds == {"reply", "rejection", "offer", "ooo", "ignore", "bounce", "correction"}
    for entry in MANIFEST:
        assert (CORPUS / entry["file"]).is_file(), entry["file"]
        if entry.get("before"):
            assert (CORPUS / entry["before"]).is_file(), entry["before"]
