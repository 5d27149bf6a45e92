"""An address in the sheet for a contact already there (matched by name) is never lost: it
fills a blank email, and one that differs is kept in the opportunity's notes with a warning."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobnudge.services import importing
from jobnudge.services.session import Session

HEADER = ["Company", "Role", "Contact"]


def _maya(session: Session) -> list[str]:
    return [c.email for c in session.store.contacts(session.owner) if c.name == "Maya Chen"]


def test_the_email_fills_a_contact_without_one(
    session: Session, write_csv: Callable[..., Path], write_xlsx: Callable[..., Path]
) -> None:
    importing.import_file(
        session, write_csv([HEADER, ["Robert Half", "Analyst", "Maya Chen"]], name="a.csv")
    )
    assert _maya(session) == [""]
    path = write_xlsx([HEADER, ["Robert Half", "Analyst", "Maya Chen <maya@roberthalf.com>"]])
    dry = importing.import_file(session, path, dry_run=True)
    assert dry.counts["contacts_updated"] == 1 and _maya(session) == [""]
    report = importing.import_file(session, path)
    assert report.counts["contacts_new"] == 0 and report.counts["contacts_updated"] == 1
    assert _maya(session) == ["maya@roberthalf.com"]
    again = importing.import_file(session, path)
    assert again.counts["contacts_updated"] == 0 and not again.warnings


_ROLES = itertools.count(1)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.from_regex(r"[a-z]{1,10}@[a-z]{1,10}\.(com|org|io)", fullmatch=True),
    st.booleans(),
)
def test_a_different_email_is_kept_in_the_notes(
    session: Session, write_csv: Callable[..., Path], other: str, new_opportunity: bool
) -> None:
    # Hypothesis runs every example on one search: a number makes each new role its own job
    # (numbers in titles must match exactly), not a near spelling of an earlier example's.
    role = f"Role {next(_ROLES)} {other}" if new_opportunity else "Analyst"
    importing.import_file(
        session,
        write_csv([HEADER, ["Robert Half", "Analyst", "Maya Chen <maya@roberthalf.com>"]]),
    )
    if other == "maya@roberthalf.com":
        return
    report = importing.import_file(
        session, write_csv([HEADER, ["Robert Half", role, f"Maya Chen <{other}>"]], name="b.csv")
    )
    assert _maya(session) == ["maya@roberthalf.com"]
    assert [(w[1], other in w[2]) for w in report.warnings] == [("Contact", True)]
    notes = [o.notes for o, _s in session.store.opportunities(session.owner) if o.role == role]
    assert notes and other in notes[0]
