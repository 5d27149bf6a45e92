"""``nudge check``'s fast path (``cli/quickcheck.py``) prints exactly what the full command
prints, byte for byte, with the same exit status, and is really taken: the process that
answered never imported Typer, Click, Rich or SQLAlchemy. Compared on the demo search and on
generated searches and drafts (other employers' names and aliases, slips, distinctive parts,
people's names, colour, widths); its kept name tables are rebuilt when the data changes; and
wherever it must not answer, the full command does, as before."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape

from jobnudge.cli import quickcheck, quickcheck_print
from jobnudge.domain import Channel
from jobnudge.services.session import LOCAL_USER
from jobnudge.store import open_store
from tests.cli.test_quick import Answer, Home
from tests.pinned import PINNED_NOW

THANKS = """Dear Ms. Lee,

Thank you for speaking with me today about the role. I enjoyed hearing how the team works,
and I am glad to answer any further questions.

Best regards,
Alex Morgan
"""


def assert_same(full: Answer, fast: Answer, *, taken: bool = True) -> None:
    assert "typer" in full.loaded.split(","), "the comparison must be with the full command"
    if taken:
        assert fast.loaded == "", f"the fast path was not taken: {fast.loaded} {fast.err}"
    assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err)


def test_channels_agree_with_the_domain() -> None:
    assert set(quickcheck.CHANNELS) == {c.value for c in Channel}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("demo"))
    assert home.run("demo", full=True).code == 0
    for name, text in MESSAGES.items():
        (home.root / name).write_text(text, encoding="utf-8")
    return home


MESSAGES = {
    "thanks.txt": THANKS,
    "wrong.txt": THANKS.replace("the role", "the role at Globex and Initech Solutons"),
    "long.txt": THANKS + "I would also like to add that " * 60 + "\n",
    "slot.txt": "Hi [[name]],\n\nthanks for the chat, i realy apreciate it. Please hire me!\n",
    "empty.txt": "  \n",
}


@pytest.mark.parametrize("message", ["thanks.txt", "wrong.txt", "long.txt", "slot.txt"])
@pytest.mark.parametrize(
    "args",
    [
        ("--to", "1"),
        ("--to", "2", "--json"),
        ("--to=3", "--channel", "text"),
        ("--to", "1", "--contact", "1", "--channel=email"),
    ],
)
def test_demo_search_checks_the_same_on_both_paths(
    demo: Home, message: str, args: tuple[str, ...]
) -> None:
    path = str(demo.root / message)
    assert_same(*demo.both("check", path, *args))


def test_global_options_colour_widths_and_standard_input(demo: Home) -> None:
    wrong = str(demo.root / "wrong.txt")
    assert_same(*demo.both("--json", "check", wrong, "--to", "1"))
    assert_same(*demo.both("--now", "tomorrow 9am", "check", wrong, "--to", "1"))
    for columns in ("40", "57", "133"):
        assert_same(*demo.both("check", wrong, "--to", "1", COLUMNS=columns))
    assert_same(*demo.both("check", wrong, "--to", "1", FORCE_COLOR="1"))
    coloured = demo.both("check", wrong, "--to", "1", FORCE_COLOR="1", NO_COLOR="")
    assert "\x1b[" in coloured[0].out
    assert_same(*coloured)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--help"),
        ("check", "{root}/thanks.txt"),  # --to missing
        ("check", "{root}/missing.txt", "--to", "1"),
        ("check", "{root}/empty.txt", "--to", "1"),
        ("check", "{root}/thanks.txt", "--to", "99999"),
        ("check", "{root}/thanks.txt", "--to", "a"),  # several match
        ("check", "{root}/thanks.txt", "--to", "1", "--contact", "nobody at all"),
        ("check", "{root}/thanks.txt", "--to", "1", "--channel", "pigeon"),
        ("check", "{root}/thanks.txt", "--to", "1", "--to", "2"),
        ("check", "{root}/thanks.txt", "--to", "1", "--bogus"),
        ("--now", "not a date", "check", "{root}/thanks.txt", "--to", "1"),
        ("--db", "postgresql://nobody@127.0.0.1:1/none", "check", "{root}/thanks.txt", "--to", "1"),
    ],
)
def test_everything_else_is_the_full_command(demo: Home, args: tuple[str, ...]) -> None:
    filled = [a.format(root=demo.root) for a in args]
    full, entry = demo.both(*filled)
    assert "typer" in entry.loaded.split(",")
    assert (entry.code, entry.out, entry.err) == (full.code, full.out, full.err)


def test_narrow_terminals_and_odd_characters_are_the_full_command(demo: Home) -> None:
    odd = demo.root / "odd.txt"
    odd.write_text(THANKS.replace("the role", "the rôle\tat Globex :smile:"), encoding="utf-8")
    for args, extra in [
        ((str(odd), "--to", "1"), {}),
        ((str(demo.root / "wrong.txt"), "--to", "1"), {"COLUMNS": "30"}),
    ]:
        full, entry = demo.both("check", *args, **extra)
        assert "typer" in entry.loaded.split(",")
        assert (entry.code, entry.out) == (full.code, full.out)


def test_kept_tables_follow_the_data(tmp_path: Path) -> None:
    home = Home(tmp_path)
    assert home.run("demo", full=True).code == 0
    message = tmp_path / "m.txt"
    message.write_text(THANKS.replace("the role", "the role, unlike Zorblax"), encoding="utf-8")
    before = home.both("check", str(message), "--to", "1")
    assert_same(*before)
    assert "Zorblax" not in before[1].out
    added = home.run("add", "Zorblax Dynamics", "Analyst", full=True)
    assert added.code == 0, added.err
    after = home.both("check", str(message), "--to", "1")
    assert_same(*after)
    assert "Zorblax Dynamics" in after[1].out  # another employer: the kept tables were rebuilt
    assert len(list((home.data / "cache").glob("checker-names-*.sqlite"))) == 1


# ------------------------------------------------------------------ Rich's wrapping, alone

SAFE_TEXT = st.text(alphabet="ab cd\nEF“”’-:'[]/.,x", max_size=300)


@settings(max_examples=300, deadline=None)
@given(text=SAFE_TEXT, width=st.integers(min_value=1, max_value=120))
def test_wrap_cuts_lines_where_rich_does(text: str, width: int) -> None:
    assume(not quickcheck_print.EMOJI.search(text))  # the fast path leaves those to Rich
    out = io.StringIO()
    Console(file=out, width=width, highlight=False, soft_wrap=False, color_system=None).print(
        escape(text)
    )
    assert "\n".join(quickcheck_print.wrap(text, width)) + "\n" == out.getvalue()


# ------------------------------------------------------------------ generated searches

WORDS = st.sampled_from(
    [
        "Acme", "Globex", "Initech", "Umbrella", "Parkside", "Brightline", "Health", "Bank",
        "Target", "Apple", "Solutions", "Group", "Labs", "Harbor", "Pine", "Northwind",
        "Contoso", "Fabrikam", "Vandelay", "Hooli", "Pied", "Piper", "Wayne", "Stark",
    ]
)  # fmt: skip
COMPANY = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
FILLER = [
    "thank you", "for the interview", "I realy", "enjoyed", "please", "Hi,", "Dear", "team",
    "\n\n", "[[slot]]", "happy to help", "Best,", "role", ".",
]  # fmt: skip
PERSON = st.sampled_from(["Dana Lee", "Sam Ortiz", "Priya Natarajan", "Jo Becker", "Lee Dana"])


def _slip(name: str, at: int) -> str:
    """``name`` with one letter dropped (a typical slip)."""
    if len(name) < 3:
        return name
    cut = 1 + at % (len(name) - 2)
    return name[:cut] + name[cut + 1 :]


def _swap(name: str, at: int) -> str:
    """``name`` with two neighbouring letters swapped (one slip to the edit distance)."""
    if len(name) < 3:
        return name
    cut = 1 + at % (len(name) - 2)
    return name[:cut] + name[cut + 1] + name[cut] + name[cut + 2 :]


@st.composite
def searches(draw: st.DrawFn) -> tuple[list[tuple[str, list[str]]], list[str], str]:
    companies = draw(
        st.lists(
            st.tuples(COMPANY, st.lists(COMPANY, max_size=2)),
            min_size=1,
            max_size=12,
            unique_by=lambda c: c[0].casefold(),
        )
    )
    people = draw(st.lists(PERSON, max_size=3, unique=True))
    names = [n for name, aliases in companies for n in (name, *aliases)] + people
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(names),
                st.tuples(st.sampled_from(names), st.integers(0, 20)).map(lambda p: _slip(*p)),
                st.tuples(st.sampled_from(names), st.integers(0, 20)).map(lambda p: _swap(*p)),
                st.sampled_from(FILLER),
            ),
            min_size=1,
            max_size=40,
        )
    )
    return companies, people, " ".join(pieces) + "\n"


def build(data: Path, companies: list[tuple[str, list[str]]], people: list[str]) -> None:
    store = open_store(None, data_dir=data, now=PINNED_NOW)
    try:
        owner = store.ensure_user(LOCAL_USER)
        with store.transaction(now=PINNED_NOW) as tx:
            made = [
                tx.get_or_add_company(owner, name, aliases=aliases) for name, aliases in companies
            ]
            opportunity = tx.add_opportunity(owner, company_id=made[0].id, role="Analyst")
            for number, person in enumerate(people):
                contact = tx.add_contact(owner, name=person, company_id=made[number % len(made)].id)
                tx.link_contact(owner, opportunity.id, contact.id)
    finally:
        store.close()


@settings(
    max_examples=int(os.environ.get("QUICK_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    search=searches(),
    args=st.sampled_from(
        [(), ("--json",), ("--contact", "1"), ("--channel", "text"), ("--channel", "call")]
    ),
    columns=st.sampled_from(["80", "41", "120"]),
    colour=st.booleans(),
)
def test_generated_searches_check_the_same_on_both_paths(
    tmp_path_factory: pytest.TempPathFactory,
    search: tuple[list[tuple[str, list[str]]], list[str], str],
    args: tuple[str, ...],
    columns: str,
    colour: bool,
) -> None:
    companies, people, text = search
    home = Home(tmp_path_factory.mktemp("generated"))
    build(home.data, companies, people)
    message = home.root / "draft.txt"
    message.write_text(text, encoding="utf-8")
    if "--contact" in args and not people:
        args = ()
    extra = {"COLUMNS": columns, **({"FORCE_COLOR": "1"} if colour else {})}
    full, fast = home.both("check", str(message), "--to", "1", *args, **extra)
    answered = bool(text.strip())  # an empty message is the full command's to refuse
    assert_same(full, fast, taken=answered)
    again = home.run("check", str(message), "--to", "1", *args, **extra)  # kept tables read
    assert_same(full, again, taken=answered)
