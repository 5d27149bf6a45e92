"""The Apprise channel delivering to a real HTTP endpoint on 127.0.0.1 (``json://``), and the
digest's promise: each item once, a failed delivery retried, nothing in quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from jobnudge.remind.channels import AppriseChannel
from jobnudge.remindconfig import parse_quiet
from jobnudge.services import reminding
from jobnudge.services.session import Session

from .world import Hook


def run(session: Session, hook: Hook) -> reminding.Report:
    return reminding.run(session, make=lambda name: AppriseChannel([hook.url()]))


def test_the_digest_reaches_the_endpoint_with_who_what_why_and_the_draft(
    session: Session, hook: Hook
) -> None:
    report = run(session, hook)
    assert [o.state for o in report.outcomes] == ["delivered"]
    assert len(hook.received) == 1
    payload = hook.received[0]
    assert payload["path"] == "/digest"
    assert payload["title"].startswith("jobnudge for Tue 24 Nov:")
    body = payload["message"]
    assert "Send a thank-you → Dana Lee (Acme · Data Analyst)" in body
    assert "Interview at Initech (Analyst · Sam Okafor), Wed 25 Nov 14:00" in body
    assert "Not confirmed yet" in body
    assert "Why: " in body and "Run: nudge draft " in body
    assert "Hooli" not in body  # applied an hour ago: nothing is due
    assert "interview.confirm" not in body and "thank-you@" not in body  # no internal labels


def test_running_again_sends_nothing_twice(session: Session, hook: Hook) -> None:
    run(session, hook)
    for minutes in (0, 10, 20, 600):
        session.now = session.now + timedelta(minutes=minutes)
        again = run(session, hook)
        assert all(o.state != "delivered" for o in again.outcomes)
    assert len(hook.received) == 1
    # The next morning only what is new goes out; what was said stays said.
    session.now = session.now.replace(hour=13, minute=5) + timedelta(days=1)  # Wed 08:05 NY
    run(session, hook)
    later = [r["message"] for r in hook.received[1:]]
    for text in later:
        assert "Send a thank-you → Dana Lee" not in text
        assert "Interview at Initech" not in text


def test_a_failed_delivery_is_retried_next_run_with_the_same_items(
    session: Session, hook: Hook
) -> None:
    hook.status = 500
    first = run(session, hook)
    assert [o.state for o in first.outcomes] == ["failed"]
    assert "Apprise could not deliver" in first.outcomes[0].detail
    assert "127.0.0.1" not in first.outcomes[0].detail or "json://***" in first.outcomes[0].detail
    assert hook.received == []
    hook.status = 200
    session.now += timedelta(minutes=10)
    second = run(session, hook)
    assert [o.state for o in second.outcomes] == ["delivered"]
    assert len(hook.received) == 1
    assert "Send a thank-you → Dana Lee" in hook.received[0]["message"]
    session.now += timedelta(minutes=10)
    run(session, hook)
    assert len(hook.received) == 1


def test_nothing_goes_out_in_quiet_hours_not_even_a_retry(session: Session, hook: Hook) -> None:
    hook.status = 500
    run(session, hook)  # 10:30: prepared, not delivered
    hook.status = 200
    session.settings = replace(
        session.settings,
        remind=replace(session.settings.remind, quiet=parse_quiet("10:00-12:00")),
    )
    session.now += timedelta(minutes=15)
    quiet = run(session, hook)
    assert quiet.moment.quiet and quiet.outcomes == []
    assert hook.received == []
    session.now += timedelta(hours=2)  # 12:45
    assert [o.state for o in run(session, hook).outcomes] == ["delivered"]
    assert len(hook.received) == 1


def test_an_unknown_scheme_is_named_without_its_token(session: Session) -> None:
    report = reminding.run(
        session, make=lambda name: AppriseChannel(["nosuchscheme://secret-token@host"])
    )
    detail = report.outcomes[0].detail
    assert report.outcomes[0].state == "failed"
    assert "secret-token" not in detail and "nosuchscheme://***" in detail


def test_dry_run_shows_the_digest_and_records_nothing(session: Session, hook: Hook) -> None:
    shown = reminding.preview(session)
    assert [o.state for o in shown.outcomes] == ["preview"]
    assert shown.outcomes[0].digest is not None
    assert "Send a thank-you → Dana Lee" in shown.outcomes[0].digest.text
    assert reminding.preview(session).outcomes[0].state == "preview"  # still nothing recorded
    run(session, hook)
    assert len(hook.received) == 1


def test_no_channels_is_a_clear_error(session: Session) -> None:
    from jobnudge.errors import ConfigError

    session.settings = replace(
        session.settings, remind=replace(session.settings.remind, channels=())
    )
    with pytest.raises(ConfigError, match=r"remind\.channels is empty"):
        reminding.run(session)


def test_an_undelivered_digest_waits_for_the_next_morning_not_the_night(
    session: Session, hook: Hook
) -> None:
    hook.status = 500
    run(session, hook)  # Tue 10:30: stored, not delivered
    hook.status = 200
    night = session.now.replace(hour=8, minute=0) + timedelta(days=1)  # Wed 03:00 in New York
    session.now = night
    assert run(session, hook).outcomes == [] and hook.received == []
    session.now = night + timedelta(hours=5, minutes=5)  # Wed 08:05
    run(session, hook)
    [payload] = hook.received  # one message: Wednesday's, carrying Tuesday's items
    assert payload["title"].startswith("jobnudge for Wed 25 Nov")
    assert payload["message"].count("Send a thank-you → Dana Lee") == 1
