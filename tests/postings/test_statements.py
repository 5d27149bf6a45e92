"""The sentence reader against a corpus of stated response times, channels, contacts and
closing dates, each with the values expected from it, and sentences that must yield nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from jobnudge.postings import statements

READ_ON = date(2027, 1, 5)  # the corpus's dates without a year are read from this day
CORPUS = Path(__file__).with_name("corpus.txt")


def _value(text: str) -> object:
    if text in ("true", "false"):
        return text == "true"
    if text.isdigit():
        return int(text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _cases() -> list[tuple[str, dict[str, object]]]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, _, expected = line.partition(" => ")
        wanted = {}
        if expected.strip() != "-":
            for pair in expected.split("; "):
                name, _, value = pair.partition("=")
                wanted[name] = _value(value)
        cases.append((sentence, wanted))
    return cases


CASES = _cases()


def test_the_corpus_is_large_enough() -> None:
    stating = [c for c in CASES if c[1]]
    assert len(stating) >= 40
    assert len(CASES) - len(stating) >= 10


@pytest.mark.parametrize(("sentence", "wanted"), CASES, ids=[c[0][:50] for c in CASES])
def test_sentence(sentence: str, wanted: dict[str, object]) -> None:
    found = statements.read(sentence, READ_ON)
    assert {f.field: f.value for f in found} == wanted
    for finding in found:
        assert finding.source == sentence  # every value is shown with its own sentence


def test_a_posting_is_read_sentence_by_sentence() -> None:
    text = (
        "Senior Data Analyst\n\nAcme is hiring. We aim to respond within two weeks.\n"
        "• No phone calls, please\n• Closing date: 15 January 2027\n"
        "Applications will be reviewed after the closing date."
    )
    found = {f.field: f for f in statements.read(text, READ_ON)}
    assert found["responds_within"].value == 14
    assert found["responds_within"].source == "We aim to respond within two weeks."
    assert found["no_calls"].source == "No phone calls, please"
    assert found["closes"].value == date(2027, 1, 15)
    assert found["wait_until"].value == date(2027, 1, 15)
    assert found["wait_until"].source == "Applications will be reviewed after the closing date."


def test_a_date_without_a_year_is_the_next_one() -> None:
    assert statements.read_date("closes 3 January", date(2027, 3, 1)) == date(2028, 1, 3)
    assert statements.read_date("closes 3 January", date(2027, 1, 20)) == date(2027, 1, 3)
    assert statements.read_date("closes 31 February", READ_ON) is None
