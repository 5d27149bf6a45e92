"""The opportunity page's forms: the prompt to record what they said about timing has a form of
its own (never a command to type); each form refuses a future moment in the words of its own
event; and what logging decided (a message's kind, an interview's time) is said back."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from jobnudge.domain import EventType, MessageKind

from .conftest import NOW, Client, counts, store_of
from .test_internal_labels import visible

COMMAND = re.compile(r"\bnudge (?:log|draft|sent|delete)\b")


def _add(client: Client) -> str:
    response = client.send_form(
        "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "Nov 2"}
    )
    assert response.status_code == 303
    return str(response.headers["location"])


def _interviewed(client: Client) -> str:
    url = _add(client)
    data = {"form": "interview", "event": "interviewed", "at": "today 9am", "with": "Dana Lee"}
    assert client.send_form(f"{url}/log", data).status_code == 303
    return url


def _pending(app: Starlette) -> set[str]:
    store = store_of(app)
    return {r.rule for r in store.agenda_rows(store.ensure_user("local"), NOW + timedelta(30), NOW)}


def test_the_timing_prompt_is_answered_by_a_form(app: Starlette, client: Client) -> None:
    url = _interviewed(client)
    page = client.get(url).text
    assert 'id="form-timeline"' in page
    for shown in (visible(page), visible(client.get("/").text)):
        assert not COMMAND.search(shown) and "--decision-by" not in shown and "`" not in shown
    assert "Record it" in visible(client.get("/").text)
    answer = {"form": "timeline", "event": "note", "decision_by": "next friday", "prefers": "email"}
    done = client.send_form(f"{url}/log", answer)
    assert done.status_code == 303
    assert "what they said about timing" in visible(client.get(url).text)
    assert "interview.ask-timeline" not in _pending(app)
    store = store_of(app)
    note = store.events(store.ensure_user("local"), int(url.rsplit("/", 1)[1]))[-1]
    assert note.type is EventType.NOTE and note.prefers == "email"
    assert note.decision_by is not None and note.decision_by.isoformat() == "2026-12-04"


def test_an_empty_timing_form_is_refused_naming_the_field(app: Starlette, client: Client) -> None:
    url = _interviewed(client)
    before = counts(store_of(app))
    refused = client.send_form(f"{url}/log", {"form": "timeline", "event": "note"})
    assert refused.status_code == 422
    assert 'id="decision_by-error"' in refused.text and 'href="#t-decision_by"' in refused.text
    assert "Give the day they said they decide by" in refused.text
    assert counts(store_of(app)) == before


@pytest.mark.parametrize(
    ("form", "event", "words"),
    [
        ("rejected", "rejected", "the day they told you they chose someone else"),
        ("offer", "offer", "the day the offer came"),
        ("message", "sent", "when you sent it"),
        ("message", "received", "when they wrote or called"),
        ("references", "references", "the day you gave your references"),
        ("other", "withdrawn", "the day you withdrew"),
        ("interview", "interviewed", "choose “It is scheduled”"),
    ],
)
def test_each_form_refuses_a_future_moment_in_its_own_words(
    app: Starlette, client: Client, form: str, event: str, words: str
) -> None:
    url = _add(client)
    before = counts(store_of(app))
    data = {"form": form, "event": event, "at": "tomorrow 10am", "with": "Pat Kim"}
    refused = client.send_form(f"{url}/log", data)
    assert refused.status_code == 422
    message = visible(refused.text)
    assert words in message
    if event != "interviewed":
        assert "interview" not in message.split("Please fix", 1)[1].split("Log what", 1)[0]
    assert counts(store_of(app)) == before


def test_a_message_without_its_kind_is_said_back(app: Starlette, client: Client) -> None:
    url = _interviewed(client)
    data = {"form": "message", "event": "sent", "channel": "email", "with": "Dana Lee"}
    done = client.send_form(f"{url}/log", data)
    assert done.status_code == 303
    shown = visible(client.get(url).text)
    assert "Recorded as a thank-you" in shown and "choosing what it was about" in shown
    assert not COMMAND.search(shown) and "--kind" not in shown
    store = store_of(app)
    sent = store.events(store.ensure_user("local"), int(url.rsplit("/", 1)[1]))[-1]
    assert sent.kind is MessageKind.THANK_YOU


def test_an_interview_logged_later_that_day_took_place_as_scheduled(
    make_app: Callable[..., Starlette],
) -> None:
    early = make_app(now=NOW - timedelta(hours=3))  # 07:30 in New York
    with Client(early) as client:
        url = _add(client)
        data = {"form": "interview", "event": "scheduled", "for": "today 9am", "with": "Dana Lee"}
        assert client.send_form(f"{url}/log", data).status_code == 303
    later = make_app()  # 10:30, the interview over
    with Client(later) as client:
        data = {"form": "interview", "event": "interviewed"}
        assert client.send_form(f"{url}/log", data).status_code == 303
        shown = visible(client.get(url).text)
    assert "It took place at the time it was scheduled for, Tue 24 Nov 09:00" in shown
    store = store_of(later)
    held = store.events(store.ensure_user("local"), int(url.rsplit("/", 1)[1]))[-1]
    assert held.type is EventType.INTERVIEWED
    assert held.at == NOW - timedelta(hours=1, minutes=30)
