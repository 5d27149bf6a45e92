"""Every word of every vocabulary, as docs/cli.md lists it, is understood by the command line and
the web forms and means the value the docs say; the docs list exactly the code's words."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.applications import Starlette
from typer.testing import CliRunner

from jobnudge.cli.main import app as cli_app
from jobnudge.config import Profile, Settings
from jobnudge.domain import Channel, EventType, InterviewFormat, MessageKind, Role, Stage, words
from jobnudge.errors import UsageError
from jobnudge.services import validate
from jobnudge.store import Store
from jobnudge.web import create_app
from tests.web.conftest import Client

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday, 10:00 in New York
VOCABULARIES: dict[str, type[StrEnum] | None] = {
    "channel": Channel,
    "interview format": InterviewFormat,
    "message kind": MessageKind,
    "role": Role,
    "event": None,  # the words of `nudge log`, each an event and maybe a channel
    "stage": Stage,
}


def code_words(name: str) -> dict[str, str]:
    """Each word the code reads for a vocabulary, and the value it means."""
    enum = VOCABULARIES[name]
    if enum is None:
        return {w: w for w in words.EVENT_WORDS} | dict(words.EVENT_SYNONYMS)
    return {m.value: m.value for m in enum} | dict(words.SYNONYMS[enum])


def documented() -> dict[str, dict[str, str]]:
    """The table under "### Words" in docs/cli.md: per vocabulary, each word and its value."""
    text = DOCS.read_text(encoding="utf-8").split("### Words", 1)[1].split("\n### ", 1)[0]
    found: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("field", "---"):
            continue
        meaning = {w: w for w in re.findall(r"`([^`]+)`", cells[2])}
        for group in filter(None, cells[3].split(";")):
            synonyms, value = group.split("→")
            (target,) = re.findall(r"`([^`]+)`", value)
            meaning |= dict.fromkeys(re.findall(r"`([^`]+)`", synonyms), target)
        found[cells[0]] = meaning
    return found


DOCUMENTED = documented()
CASES = [(name, word, value) for name, table in DOCUMENTED.items() for word, value in table.items()]


def test_the_docs_list_exactly_the_words_the_code_reads() -> None:
    assert set(DOCUMENTED) == set(VOCABULARIES)
    for name in VOCABULARIES:
        assert DOCUMENTED[name] == code_words(name), f"docs/cli.md and the {name} words differ"


@pytest.mark.parametrize("name", list(VOCABULARIES))
def test_each_synonym_names_a_value_of_its_own_vocabulary(name: str) -> None:
    table = code_words(name)
    values = {v for w, v in table.items() if w == v}
    for word, value in table.items():
        assert value in values, f"{name}: '{word}' means '{value}', which is not a {name}"
        assert words.normal(word) == word, f"{name}: '{word}' is not written in normal form"


def test_a_word_keeps_its_meaning_in_each_vocabulary() -> None:
    """The fault behind "--kind phone is not one of phone, video, onsite": one table for all."""
    assert validate.choice(InterviewFormat, "Phone", "--kind") is InterviewFormat.PHONE
    assert validate.choice(Channel, "Phone", "--channel") is Channel.CALL
    assert validate.choice(InterviewFormat, "in person", "--kind") is InterviewFormat.ONSITE
    assert validate.choice(Channel, "in person", "--channel") is Channel.IN_PERSON
    assert validate.choice(Stage, "interviewed", "--stage") is Stage.INTERVIEWING
    assert validate.event("interviewed") == "interviewed"


def _spellings(word: str) -> st.SearchStrategy[str]:
    """The ways a person types one word: any case, a space, underscore or hyphen between its
    parts, and stray spaces around it."""
    head, *rest = word.split("-")
    return st.tuples(
        st.lists(
            st.sampled_from(["-", " ", "_", "  ", " - "]), min_size=len(rest), max_size=len(rest)
        ),
        st.sampled_from([str.lower, str.upper, str.title, str.swapcase]),
        st.sampled_from(["", " ", "\t"]),
    ).map(
        lambda t: t[2] + t[1](head + "".join(s + p for s, p in zip(t[0], rest, strict=True))) + t[2]
    )


@given(st.sampled_from(CASES).flatmap(lambda c: st.tuples(st.just(c), _spellings(c[1]))))
def test_any_spelling_of_a_word_means_the_same(case: tuple[tuple[str, str, str], str]) -> None:
    (name, _word, value), typed = case
    enum = VOCABULARIES[name]
    if enum is None:
        assert validate.event(typed) == value
    else:
        assert validate.choice(enum, typed, "--field").value == value


@given(st.text(max_size=30))
def test_an_unknown_word_is_refused_listing_the_words(text: str) -> None:
    for name, enum in VOCABULARIES.items():
        if words.normal(text) in code_words(name):
            continue
        with pytest.raises(UsageError) as refused:
            if enum is None:
                validate.event(text)
            else:
                validate.choice(enum, text, "--field")
        assert "is not one of" in refused.value.message


# Through the command line ----------------------------------------------------------------


class Cli:
    """`nudge` run in-process on a private SQLite file, at a pinned moment."""

    def __init__(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(
            '[profile]\nname = "Alex Morgan"\ntz = "America/New_York"\ncountry = "US"\n',
            encoding="utf-8",
        )
        self.env: dict[str, str | None] = {
            "NUDGE_DATA_DIR": str(home / "data"),
            "NUDGE_CONFIG": str(home / "config.toml"),
            "NUDGE_NOW": NOW.isoformat(),
            "NUDGE_DB": None,
            "NO_COLOR": "1",
        }
        self.runner = CliRunner()

    def __call__(self, *args: str) -> str:
        result = self.runner.invoke(cli_app, list(args), env=self.env)
        assert result.exit_code == 0, f"nudge {' '.join(args)}: {result.output}"
        return result.output

    def json(self, *args: str) -> Any:
        return json.loads(self("--json", *args))

    def events(self, count: int, opp: str = "1") -> list[dict[str, Any]]:
        """The last ``count`` events of an opportunity, oldest first."""
        found: list[dict[str, Any]] = self.json("show", opp)["events"][-count:]
        return found


EXTRA = {"scheduled": ["--for", "tomorrow 3pm", "--again"], "references": ["--with", "Pat Kim"]}


def by_vocabulary(name: str) -> list[tuple[str, str]]:
    return sorted(DOCUMENTED[name].items())


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    run = Cli(tmp_path / "home")
    run("add", "Acme Corp", "Data Analyst", "--applied", "last monday")
    return run


def test_cli_channels(cli: Cli) -> None:
    cases = by_vocabulary("channel")
    for word, _value in cases:
        cli("log", "1", "received", "--channel", word, "--prefers", word, "--note", word)
    for (word, value), event in zip(cases, cli.events(len(cases)), strict=True):
        assert (event["note"], event["channel"], event["prefers"]) == (word, value, value)


@pytest.mark.parametrize(
    ("name", "event"), [("interview format", "interviewed"), ("message kind", "sent")]
)
def test_cli_kinds(cli: Cli, name: str, event: str) -> None:
    cases = by_vocabulary(name)
    for word, _value in cases:
        cli("log", "1", event, "--kind", word, "--note", word)
    for (word, value), logged in zip(cases, cli.events(len(cases)), strict=True):
        assert (logged["note"], logged["kind"]) == (word, value)


def test_cli_roles(cli: Cli) -> None:
    cases = by_vocabulary("role")
    for n, (word, _value) in enumerate(cases):
        cli("contact", "add", f"Person {n}", "--role", word)
    roles = {c["name"]: c["roles"] for c in cli.json("contact", "list")}
    for n, (word, value) in enumerate(cases):
        assert roles[f"Person {n}"] == [value], word


ANSWERS = ("accepted", "declined")
"""Events that answer an offer: each needs an offer of its own not yet answered."""


def test_cli_events(cli: Cli) -> None:
    cases = [(w, v) for w, v in by_vocabulary("event") if v not in ANSWERS]
    for word, value in cases:
        cli("log", "1", word, "--note", word, *EXTRA.get(value, []))
    for (word, value), event in zip(cases, cli.events(len(cases)), strict=True):
        kind, channel = words.EVENT_WORDS[value]
        assert (event["note"], event["type"], event["channel"]) == (word, kind.value, channel)


def test_cli_offer_answers(cli: Cli) -> None:
    for n, (word, value) in enumerate(w for w in by_vocabulary("event") if w[1] in ANSWERS):
        added = cli.json("add", f"Offer Co {n}", "Analyst", "--applied", "last monday")
        cli("log", str(added["id"]), "offer", "--at", "yesterday")
        cli("log", str(added["id"]), word, "--note", word)
        [event] = cli.events(1, str(added["id"]))
        assert (event["note"], event["type"]) == (word, words.EVENT_WORDS[value][0].value)


def _one_per_stage(cli: Cli) -> None:
    """Beside #1 (applied): a lead, and one opportunity in each later stage."""
    cli("add", "Lead Co", "Analyst")
    steps = {
        Stage.INTERVIEWING: "interviewed",
        Stage.OFFER: "offer",
        Stage.REJECTED: "rejected",
        Stage.WITHDRAWN: "withdrawn",
        Stage.NO_RESPONSE: "no-response",
    }
    for stage, step in steps.items():
        added = cli.json("add", f"{stage.value} Co", "Analyst", "--applied", "last monday")
        cli("log", str(added["id"]), step)


def test_cli_stages(cli: Cli) -> None:
    _one_per_stage(cli)
    for word, value in by_vocabulary("stage"):
        listed = cli.json("list", "--stage", word)
        assert [o["stage"] for o in listed] == [value], word


# Through the web forms --------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[Client, Store, int]]:
    settings = Settings(profile=Profile(name="Alex Morgan", tz="America/New_York", country="US"))
    app: Starlette = create_app(
        settings,
        db=f"sqlite:///{tmp_path / 'web.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: NOW,
    )
    store: Store = app.state.nudge.store
    with Client(app) as client:
        added = client.send_form(
            "/opportunities",
            {"company": "Acme Corp", "role": "Data Analyst", "applied_on": "last monday"},
        )
        assert added.status_code == 303, added.text
        yield client, store, store.ensure_user("local")
    store.close()


def typed(word: str) -> str:
    """The word as a person types it into a form: "On Site", "Phone"."""
    return word.replace("-", " ").title()


def _log(client: Client, data: dict[str, str], opp: int = 1) -> None:
    response = client.send_form(f"/opportunities/{opp}/log", data)
    assert response.status_code == 303, (data, re.findall(r'-error">([^<]+)<', response.text))


def test_web_channels(web: tuple[Client, Store, int]) -> None:
    client, store, owner = web
    for word, value in by_vocabulary("channel"):
        _log(client, {"form": "message", "event": "received", "channel": typed(word)})
        _log(client, {"form": "interview", "event": "interviewed", "prefers": typed(word)})
        *_, message, interview = store.events(owner, 1)
        assert message.channel == value and interview.prefers == value, word


def test_web_interview_formats(web: tuple[Client, Store, int]) -> None:
    client, store, owner = web
    for word, value in by_vocabulary("interview format"):
        _log(client, {"form": "interview", "event": "interviewed", "kind": typed(word)})
        assert store.events(owner, 1)[-1].format == value, word


def test_web_message_kinds(web: tuple[Client, Store, int]) -> None:
    client, store, owner = web
    for word, value in by_vocabulary("message kind"):
        _log(client, {"form": "message", "event": "sent", "kind": typed(word)})
        assert store.events(owner, 1)[-1].kind == value, word


def test_web_roles(web: tuple[Client, Store, int]) -> None:
    client, store, owner = web
    for n, (word, value) in enumerate(by_vocabulary("role")):
        response = client.send_form("/contacts", {"name": f"Person {n}", "roles": typed(word)})
        assert response.status_code == 303, word
        (person,) = store.find_contacts(owner, f"Person {n}")
        assert person.roles == {Role(value)}, word


def test_web_events(web: tuple[Client, Store, int]) -> None:
    client, store, owner = web
    extra = {"scheduled": {"for": "tomorrow 3pm", "again": "on"}, "references": {"with": "Pat Kim"}}
    for word, value in by_vocabulary("event"):
        if value in ANSWERS:  # one answer per offer: test_cli_offer_answers and the offer pages
            continue
        data = {"form": "other", "event": typed(word), "note": "said so"} | extra.get(value, {})
        _log(client, data)
        kind, channel = words.EVENT_WORDS[value]
        event = store.events(owner, 1)[-1]
        assert (event.type, event.channel) == (kind, channel), word


def test_web_stages(web: tuple[Client, Store, int]) -> None:
    """The add form's status takes a lead's or an application's words; a move takes the rest."""
    client, store, owner = web
    for n, (word, value) in enumerate(by_vocabulary("stage")):
        data = {"company": f"Co {n}", "role": "Analyst", "applied_on": "last monday"}
        if value in (Stage.LEAD, Stage.APPLIED):
            response = client.send_form("/opportunities", data | {"status": typed(word)})
            assert response.status_code == 303, word
            opp = int(response.headers["location"].rsplit("/", 1)[1])
        else:
            response = client.send_form("/opportunities", data)
            opp = int(response.headers["location"].rsplit("/", 1)[1])
            move = {"to": typed(word), "next": "/pipeline"}
            if value == Stage.INTERVIEWING:
                move |= {"what": "interviewed", "when": "yesterday 2pm"}
            assert client.send_form(f"/opportunities/{opp}/move", move).status_code == 303
        assert store.stage(owner, opp) == value, word


def test_every_event_word_is_loggable_on_its_page() -> None:
    from jobnudge.web.routes.opportunity import LOGGABLE

    assert set(LOGGABLE) == set(words.EVENT_WORDS)
    assert all(t in EventType for t, _c in words.EVENT_WORDS.values())


def test_a_word_that_names_two_events_asks_which_and_names_only_real_ones() -> None:
    from jobnudge.errors import UsageError
    from jobnudge.services import validate

    for word, question in words.AMBIGUOUS_EVENTS.items():
        assert word not in words.EVENT_WORDS and word not in words.EVENT_SYNONYMS
        named = re.findall(r"'([a-z-]+)'", question)
        assert named and all(n in words.EVENT_WORDS for n in named), word
        with pytest.raises(UsageError, match="could mean more than one thing"):
            validate.event(word.upper())
