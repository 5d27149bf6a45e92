"""A company or person typed without the punctuation of their name ("oreilly" for "O’Reilly
Media", "Jean Luc" for "Jean-Luc", "ACME Inc" for "Acme, Inc.") is still found; the exact
name key is tried first, so this looser match only answers when that finds nothing."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.config import Profile, Settings
from jobnudge.errors import NotFound
from jobnudge.services import records
from jobnudge.services.lookup import contact, opportunity
from jobnudge.services.session import Session, open_session
from tests.pinned import PINNED_NOW

SETTINGS = Settings(profile=Profile(name="Alex Morgan", tz="America/New_York", country="US"))
WORD = st.text(alphabet=list("abcdorlyEJMNRZéñø"), min_size=2, max_size=6)
JOINER = st.sampled_from([" ", "-", "’", "'", ". ", ", ", ".", " & "])


def _session(folder: str, now: datetime) -> Session:
    opened = open_session(None, settings=SETTINGS, data_dir=Path(folder) / "data")
    opened.now = now
    return opened


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str]:
    """A name with punctuation between its words, and the same words typed without it."""
    words = draw(st.lists(WORD, min_size=2, max_size=3))
    name = words[0]
    for word in words[1:]:
        name += draw(JOINER) + word
    name += draw(st.sampled_from(["", "."]))
    typed = draw(st.sampled_from(["", " "])).join(words)
    return name, draw(st.sampled_from([typed, typed.lower(), typed.upper()]))


@settings(max_examples=25, deadline=None)
@given(pair=spelled())
def test_a_name_typed_without_its_punctuation_is_found(pair: tuple[str, str]) -> None:
    name, typed = pair
    with tempfile.TemporaryDirectory() as folder:
        session = _session(folder, PINNED_NOW)
        try:
            added = records.add_opportunity(session, name, "Analyst").opportunity
            person = records.add_contact(session, name).contact
            assert added is not None and person is not None
            assert opportunity(session, typed)[0].id == added.id
            assert contact(session, typed).id == person.id
        finally:
            session.close()


def test_the_reported_names(tmp_path: Path, pinned_now: datetime) -> None:
    session = _session(str(tmp_path), pinned_now)
    try:
        media = records.add_opportunity(session, "O’Reilly Media", "Editor").opportunity
        acme = records.add_opportunity(session, "Acme, Inc.", "Analyst").opportunity
        jean = records.add_contact(session, "Jean-Luc Picard").contact
        assert media and acme and jean
        for typed in ("oreilly", "OReilly", "o'reilly", "O’Reilly"):
            assert opportunity(session, typed)[0].id == media.id
        assert opportunity(session, "ACME Inc")[0].id == acme.id
        assert contact(session, "Jean Luc").id == jean.id
        with pytest.raises(NotFound):
            opportunity(session, "oreily")  # other letters: nothing
    finally:
        session.close()
