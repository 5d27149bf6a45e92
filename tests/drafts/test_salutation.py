"""Greetings stay professional until first names are invited (guard.formality)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jobnudge.domain import Channel, Contact
from jobnudge.drafts.salutation import addressee, family_name, formal_name, greeting

DANA = Contact(1, "Dana Lee", salutation="Ms.")


@pytest.mark.parametrize(
    ("contact", "channel", "expected"),
    [
        (DANA, Channel.EMAIL, "Dear Ms. Lee,"),
        (DANA, Channel.CARD, "Dear Ms. Lee,"),
        (DANA, Channel.TEXT, "Hello Ms. Lee,"),
        (DANA, Channel.VOICEMAIL, "Hello Ms. Lee,"),
        (replace(DANA, first_name_ok=True), Channel.EMAIL, "Hi Dana,"),
        (replace(DANA, first_name_ok=True), Channel.TEXT, "Hi Dana,"),
        (replace(DANA, first_name_ok=True), Channel.CARD, "Dear Dana,"),
        (replace(DANA, salutation=""), Channel.EMAIL, "Dear Dana Lee,"),
        (replace(DANA, salutation=""), Channel.TEXT, "Hello Dana Lee,"),
        (None, Channel.EMAIL, "Dear Hiring Team,"),
        (None, Channel.TEXT, "Hello,"),
        (
            Contact(2, "María José van der Berg", salutation="Dr."),
            Channel.EMAIL,
            "Dear Dr. van der Berg,",
        ),
        (
            Contact(3, "Siobhán  O'Brien-Smith", salutation="Mx."),
            Channel.EMAIL,
            "Dear Mx. O'Brien-Smith,",
        ),
    ],
)
def test_greeting(contact: Contact | None, channel: Channel, expected: str) -> None:
    assert greeting(contact, channel) == expected


def test_family_name_keeps_particles_but_not_the_first_name() -> None:
    assert family_name(Contact(1, "Ana de la Cruz")) == "de la Cruz"
    assert family_name(Contact(1, "Van Morrison")) == "Morrison"
    assert family_name(Contact(1, "Prince")) == "Prince"


def test_addressee_for_running_text() -> None:
    assert addressee(DANA) == "Ms. Lee"
    assert addressee(replace(DANA, first_name_ok=True)) == "Dana"
    assert addressee(None) == ""
    assert formal_name(replace(DANA, salutation="")) == "Dana Lee"
