"""A name is one name whether its letters were typed as written or on a keyboard without them.

NFKD decomposes "é" into "e" and an accent, but not the letters whose mark is part of the letter:
Turkish "ı", Polish "ł", Danish "ø", Croatian "đ", Maltese "ħ", the ligatures "æ" and "œ",
Icelandic "þ" and "ð". ``typography.fold`` reads each as the letters a US keyboard writes for it,
so "Oguz Yilmaz" is "Oğuz Yılmaz" wherever names are matched: the store's keys, looking a
contact up, logging an event with someone, the draft checker. And a person written with a title
("Dr. Helen O'Brien") is the same person written without it.
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from jobnudge.config import Profile, Settings
from jobnudge.domain import Contact
from jobnudge.services import records
from jobnudge.services.event_log import log_event
from jobnudge.services.lookup import contact
from jobnudge.services.session import Session, open_session
from jobnudge.typography import (
    fold,
    latin_base,
    name_key,
    person_key,
    same_person,
    untitled,
)
from jobnudge.web.format import for_contact
from tests.pinned import PINNED_NOW

SETTINGS = Settings(profile=Profile(name="Alex Morgan", tz="America/New_York", country="US"))
WRITTEN = {  # what a keyboard without the letter writes: the letters as people write them
    "i": "ıİíîï",
    "l": "łŁľĺ",
    "o": "øØóöő",
    "d": "đĐðÐď",
    "h": "ħĦ",
    "t": "ŧŦţ",
    "ae": "æÆǽ",
    "oe": "œŒ",
    "th": "þÞ",
    "ss": "ßẞ",
    "g": "ğĞǥ",
    "s": "şŞšś",
    "u": "üú",
    "c": "çćč",
    "n": "ñńŋ"[:2],
}
SYLLABLE = st.sampled_from(sorted(WRITTEN) + list("abekmrvyz"))


@st.composite
def typed_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A name written with its letters, and the same name typed in ASCII (any case)."""
    words_written, words_typed = [], []
    for _ in range(draw(st.integers(1, 3))):
        written, typed = "", ""
        for part in draw(st.lists(SYLLABLE, min_size=2, max_size=6)):
            letter = draw(st.sampled_from([part, *WRITTEN.get(part, "")]))
            written += letter
            typed += part
        words_written.append(written)
        words_typed.append(typed)
    typed = " ".join(words_typed)
    return " ".join(words_written), draw(st.sampled_from([typed, typed.upper(), typed.title()]))


@given(pair=typed_pair())
@example(pair=("Oğuz Yılmaz", "Oguz Yilmaz"))
@example(pair=("Łukasz Żółć", "LUKASZ ZOLC"))
@example(pair=("Søren Ødegård", "Soren Odegard"))
@example(pair=("Đorđe Đoković", "Djordje Djokovic".replace("Dj", "D").replace("dj", "d")))
@example(pair=("Þórður Guðmundsson", "Thordur Gudmundsson"))
@example(pair=("Æsa Œuvre", "aesa oeuvre"))
@example(pair=("Straße", "Strasse"))
def test_a_name_typed_without_its_letters_has_its_key(pair: tuple[str, str]) -> None:
    written, typed = pair
    assert name_key(written) == name_key(typed) == name_key(typed.lower())
    assert fold(written).isascii()


LATIN = [
    chr(c)
    for c in range(sys.maxunicode + 1)
    if unicodedata.name(chr(c), "").startswith(("LATIN SMALL LETTER", "LATIN CAPITAL LETTER"))
]


def test_every_latin_letter_with_a_stroke_bar_or_hook_folds_to_its_base_letter() -> None:
    """Read from Unicode's names, so a letter no list names is still folded."""
    marked = [
        c
        for c in LATIN
        if " WITH " in unicodedata.name(c)
        and not unicodedata.decomposition(c)  # NFKD's business ("ŀ" is "l·")
        and len(unicodedata.name(c).split(" LETTER ")[1].split(" WITH ")[0]) == 1
    ]
    assert len(marked) > 150
    for char in marked:
        base = unicodedata.name(char).split(" LETTER ")[1][0].lower()
        assert fold(char) == base, (char, unicodedata.name(char))


def test_other_scripts_and_symbols_are_kept() -> None:
    for name in ("Иван Петров", "王伟", "محمد علي", "Ελένη", "Ⓐ×÷"):
        assert not fold(name).isascii()
    assert latin_base("ж") == "ж" and latin_base("×") == "×"


# Titles


@given(
    title=st.sampled_from(["Dr.", "Dr", "Prof.", "Prof. Dr.", "Ms.", "MR", "Mrs", "Mx.", "dr."]),
    name=st.sampled_from(["Helen O'Brien", "Helen O’Brien", "Oğuz Yılmaz", "Anna van der Berg"]),
)
def test_a_title_does_not_make_another_person(title: str, name: str) -> None:
    assert untitled(f"{title} {name}") == " ".join(name.split())
    assert same_person(f"{title}  {name}", name.upper())
    assert person_key(f"{title} {name}") == name_key(name)


def test_names_that_only_look_titled_stay_whole() -> None:
    assert untitled("Miss Saigon") == "Miss Saigon"
    assert untitled("Dr") == "Dr"
    assert untitled("Dr. Lee") == "Lee"
    assert untitled("M. Night Shyamalan") == "M. Night Shyamalan"
    assert not same_person("Dr. Helen O'Brien", "Helen Brien")


def test_the_first_name_of_a_titled_contact_is_the_name_not_the_title() -> None:
    helen = Contact(id=1, name="Dr. Helen O'Brien", tz="Asia/Tokyo")
    assert helen.first_name == "Helen" and helen.surname == "O'Brien"
    assert Contact(id=2, name="Prof. Dr. Anna Keller").first_name == "Anna"
    noon = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)  # noon in Tokyo
    assert for_contact(noon, "Asia/Tokyo", helen.name, "America/New_York") == "12 pm for Helen"


# Matching in the services: one session per example, a real SQLite file


def _session(folder: str) -> Session:
    opened = open_session(None, settings=SETTINGS, data_dir=Path(folder) / "data")
    opened.now = PINNED_NOW
    return opened


@settings(max_examples=20, deadline=None)
@given(pair=typed_pair(), title=st.sampled_from(["", "Dr. ", "Ms. "]))
@example(pair=("Oğuz Yılmaz", "Oguz Yilmaz"), title="")
@example(pair=("Helen O'Brien", "Helen O'Brien"), title="Dr. ")
def test_logging_with_a_name_typed_plainly_finds_the_contact(
    pair: tuple[str, str], title: str
) -> None:
    written, typed = pair
    with tempfile.TemporaryDirectory() as folder:
        session = _session(folder)
        try:
            records.add_opportunity(session, "Globex", "Analyst")
            person = records.add_contact(session, f"{title}{written}", company="Globex").contact
            assert person is not None
            out = log_event(
                session, "globex", "interviewed", at=PINNED_NOW, with_=[typed], round_=1
            )
            assert out.created_contacts == []
            assert contact(session, typed).id == person.id
            assert contact(session, f"Dr. {typed}").id == person.id
            assert [c.id for c in session.store.contacts(session.owner)] == [person.id]
        finally:
            session.close()
