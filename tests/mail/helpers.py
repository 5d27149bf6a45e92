"""Building a job search to send and receive mail about."""

from __future__ import annotations

from datetime import timedelta

from jobnudge.domain import Nudge, Opportunity, Role
from jobnudge.services import event_log, records
from jobnudge.services.session import Session

from .conftest import MailWorld


def interviewed(world: MailWorld, session: Session) -> Opportunity:
    """Acme — Data Analyst: applied ten days ago, interviewed by Dana Lee three hours ago."""
    now = session.now
    out = records.add_opportunity(session, "Acme", "Data Analyst", applied=now - timedelta(days=10))
    records.add_contact(
        session,
        "Dana Lee",
        company="Acme",
        email=world.employer_address,
        tz="America/New_York",
        country="US",
        roles=frozenset({Role.INTERVIEWER}),
        salutation="Ms.",
    )
    event_log.log_event(
        session,
        "acme",
        "interviewed",
        at=now - timedelta(hours=3),
        with_=["Dana Lee"],
        round_=2,
        note="the churn dashboard",
    )
    assert out.opportunity is not None
    return out.opportunity


def nudge(session: Session, opportunity_id: int, rule: str) -> Nudge:
    found = [
        n for n in session.store.opportunity_nudges(session.owner, opportunity_id) if n.rule == rule
    ]
    assert found, [n.rule for n in session.store.opportunity_nudges(session.owner, opportunity_id)]
    return found[0]


def rules(session: Session, opportunity_id: int) -> set[str]:
    return {n.rule for n in session.store.opportunity_nudges(session.owner, opportunity_id)}


def filled(session: Session, handle: str) -> str:
    """Save the nudge's email draft with its [[slots]] deleted, as a user would; the handle."""
    import re

    from jobnudge.domain import Channel
    from jobnudge.services import drafting

    composed = drafting.compose(session, handle, Channel.EMAIL)
    text = re.sub(r"\s*\[\[[^\]]*\]\]", "", composed.draft.text)
    path = drafting.saved_path(composed.row)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return handle
