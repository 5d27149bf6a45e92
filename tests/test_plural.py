"""Counts agree in number: "1 opportunity", "2 opportunities", never "1 days" or "message(s)"."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from jobnudge import plural
from tests.playbook.builders import Story, at, interviewer, recruiter, settings

SRC = Path(__file__).resolve().parents[1] / "src" / "jobnudge"
NOUNS = (
    "opportunity",
    "contact",
    "nudge",
    "event",
    "message",
    "day",
    "working day",
    "item",
    "follow-up",
    "company",
    "row",
    "interview",
    "activity",
    "error",
    "minute",
    "reply",
    "application",
    "active application",
    "employer",
    "invitation",
    "match",
    "entry",
    "person",
)
PLURALS = "|".join(sorted({re.escape(plural.plural(n).split()[-1]) for n in NOUNS}))
# A number put before a plural noun by hand: "{count} opportunities" is wrong when count is 1.
# Only constants (MAX_ROWS, always above one) may stand there.
BY_HAND_PY = re.compile(r"\{(?P<expr>[^{}\n]+)\}\)? (?:" + PLURALS + r")\b")
BY_HAND_HTML = re.compile(r"\}\} (?:" + PLURALS + r")\b")
EITHER = re.compile(r"[a-z]\(s\)[.,:;!]|[a-z]\(s\) (?!for\b|\}\})")  # not code: Stage(s) for
CONSTANT = re.compile(r"^[\w.]*\b[A-Z][A-Z0-9_]+(:[,.\w]*)?$")


@examples(deadline=None)  # a loaded machine; holiday tables load on first use
@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(NOUNS))
def test_a_count_agrees_with_its_noun(number: int, noun: str) -> None:
    text = plural.count(number, noun)
    shown, _, word = text.partition(" ")
    assert shown == f"{number:,}"
    assert (word == noun) is (number == 1)
    if number != 1:
        assert word == plural.plural(noun) != noun
        assert word.rsplit(" ", 1)[-1] in {
            *plural.IRREGULAR.values(),
            noun.rsplit(" ", 1)[-1] + "s",
            noun.rsplit(" ", 1)[-1] + "es",
        }


@examples(deadline=None)  # a loaded machine; holiday tables load on first use
@given(st.floats(min_value=0, max_value=1000, allow_nan=False).filter(lambda f: f != 1))
def test_fractions_and_zero_take_the_plural(number: float) -> None:
    assert plural.count(number, "day").endswith(" days")
    assert plural.count(1.0, "day") == "1 day"


def test_it_and_them() -> None:
    assert [plural.noun(n, "it") for n in (0, 1, 2)] == ["them", "it", "them"]
    assert plural.count(1200, "opportunity") == "1,200 opportunities"


def test_no_text_puts_a_number_before_a_plural_by_hand() -> None:
    """Every count goes through jobnudge.plural; catches the next "{n} opportunities"."""
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".html") or path.name == "plural.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(SRC)}:{number}: {line.strip()}"
            if EITHER.search(line):
                found.append(where)
            if path.suffix == ".html":
                if BY_HAND_HTML.search(line):
                    found.append(where)
                continue
            for match in BY_HAND_PY.finditer(line):
                if not CONSTANT.match(match.group("expr").strip()):
                    found.append(where)
    assert not found, "counts written by hand:\n" + "\n".join(found)


ONE_THING = re.compile(r"(?<![\d.,–-])1 (?:\w+ )?(?:" + PLURALS + r")\b|\(s\)")
MANY_ONE = re.compile(r"(?<![\d.,–-])(?:0|[2-9]|\d{2,}) (?:day|working day|follow-up)\b(?!s)")
SMALL = st.integers(min_value=1, max_value=3)


def _stories(responds_within: int, unanswered: int) -> list[Story]:
    """Histories that reach every reason with a number from the playbook or the posting."""
    dana = interviewer(2, "Dana Lee")
    applied = at("2026-11-03 14:00")
    waiting = Story().with_opportunity(responds_within_days=responds_within)
    waiting.applied(applied)
    rounds = []
    for number in (1, 2):
        story = Story()
        story.applied(applied)
        story.interviewed(at("2026-11-10 10:00"), dana, round=number)
        rounds.append(story)
    silent = Story()
    silent.applied(applied)
    for week in range(unanswered):
        silent.sent(applied + timedelta(days=7 * (week + 1)), recruiter(3, "Raj Patel"))
    return [waiting, *rounds, silent]


@examples(deadline=None)  # a loaded machine; holiday tables load on first use
@given(
    st.fixed_dictionaries(
        {
            "first_round_status_days": SMALL,
            "later_round_status_min_days": SMALL,
            "apply_check_in_days": SMALL,
            "silence_move_on_after": SMALL,
        }
    ),
    SMALL,
    SMALL,
    SMALL,
)
def test_reasons_agree_in_number_whatever_the_numbers(
    numbers: dict[str, int], later_extra: int, responds_within: int, unanswered: int
) -> None:
    config = settings(
        **numbers,
        later_round_status_max_days=numbers["later_round_status_min_days"] + later_extra,
        apply_check_in_window_days=numbers["apply_check_in_days"] + later_extra,
    )
    reasons = [
        n.reason for story in _stories(responds_within, unanswered) for n in story.derive(config)
    ]
    assert reasons
    for reason in reasons:
        assert not ONE_THING.search(reason), reason
        assert not MANY_ONE.search(reason), reason


def test_the_command_line_counts_one_opportunity(tmp_path: Path) -> None:
    from tests.cli.conftest import Nudge

    home = tmp_path / "home"
    home.mkdir()
    nudge = Nudge(home)
    nudge("add", "Acme Corp", "Data Analyst", "--applied", "2026-02-23", now="2026-03-02 10:00")
    replanned = nudge("replan", now="2026-03-02 10:00").stdout
    assert "Re-planned the follow-ups of 1 opportunity." in replanned


TEMPLATES = SRC / "web" / "templates"
CHOICE = re.compile(r'(\w?)\{\{\s*"(\w*)"\s+if\s+[^}]*?==\s*1\s+else\s+"(\w*)"\s*\}\}')


def test_no_page_spells_a_plural_by_hand() -> None:
    """A page counts through the ``count``/``noun`` filters, which also write thousands
    apart ("Import 20,000 opportunities"): a hand-made choice of ending or of word between one
    and many is refused (a verb agreeing with its count, "matches"/"match", is not a noun)."""
    found = []
    for page in sorted(TEMPLATES.glob("*.html")):
        for line_no, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            for glued, one, many in CHOICE.findall(line):
                if glued or plural.plural(one) == many:
                    found.append(f"{page.name}:{line_no}: {one!r}/{many!r}")
    assert not found, found
