"""Draft wording saved on the Settings page is code the server runs: every template-injection
payload is refused when saved, and refused again (as an error page) if it reaches a draft some
other way, within bounded time and without showing anything of the server's process."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette

from jobnudge.drafts import MESSAGE_CHANNELS
from tests.drafts.payloads import EXHAUST, LEAK, PAYLOADS, REACH_PYTHON

from .conftest import Client, sign_up, store_of

URL = "/settings/templates/interview.thank-you/email"
SECONDS = 3.0


def _clean(html: str) -> None:
    assert not LEAK.search(html) and f"<<{os.getpid()}>>" not in html
    assert "<module" not in html and "Traceback" not in html


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_the_settings_form_refuses_each_payload(name: str, app: Starlette, client: Client) -> None:
    started = time.perf_counter()
    response = client.send_form(URL, {"text": "Subject: x\n\n" + PAYLOADS[name], "action": "save"})
    assert time.perf_counter() - started < SECONDS
    assert response.status_code == 422, response.text
    _clean(response.text)
    assert 'id="text-error"' in response.text
    assert re.search(r"line \d+", response.text, re.IGNORECASE)
    assert app.state.nudge.prefs.templates(0) == {}  # nothing saved


def _write_everywhere(folder: Path, body: str) -> None:
    """``body`` as the wording of every draft (as if saved before templates were sandboxed)."""
    for rule, channels in MESSAGE_CHANNELS.items():
        for channel in channels:
            path = folder / rule / f"{channel}.j2"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"Subject: x\n\n{body}\n", encoding="utf-8")


def _draft_links(client: Client) -> list[str]:
    links = re.findall(r'href="(/nudges/[0-9a-f]{7}/draft)"', client.get("/").text)
    assert links
    return links


def test_a_stored_payload_is_an_error_page_when_a_draft_opens(
    demo: Starlette, client: Client, tmp_path: Path
) -> None:
    link = _draft_links(client)[0]
    folder = tmp_path / "templates"  # beside the settings file the app was given
    for name in sorted(PAYLOADS):
        _write_everywhere(folder, PAYLOADS[name])
        started = time.perf_counter()
        response = client.get(link)
        assert time.perf_counter() - started < SECONDS, name
        assert response.status_code == 422, (name, response.text[:300])
        _clean(response.text)
        assert "Your template" in response.text and "email.j2" in response.text, name
        assert str(tmp_path) not in response.text, name


def test_the_editors_live_check_refuses_too(
    demo: Starlette, client: Client, tmp_path: Path
) -> None:
    link = _draft_links(client)[0]
    _write_everywhere(tmp_path / "templates", REACH_PYTHON["lipsum-globals"])
    response = client.post(
        link.replace("/draft", "/check"),
        data={"text": "Hello", "csrf_token": client.token()},
        headers={"x-csrf-token": client.token()},
    )
    assert response.status_code == 422
    _clean(response.text)


@pytest.mark.parametrize("name", ["lipsum-globals", "format-attribute", "macro-fork"])
def test_accounts_keep_their_templates_sandboxed(name: str, accounts_app: Starlette) -> None:
    """With accounts, templates live in the database; one stored without the save-time check
    (an older version, a restored backup) is still refused when rendered."""
    from jobnudge.services import demo as demo_service
    from jobnudge.services.session import Session

    from .conftest import NOW, SETTINGS

    client = sign_up(accounts_app, "mallory")
    store = store_of(accounts_app)
    owner = store.ensure_user("mallory")
    demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))
    document = store.user_settings(owner)
    document["templates"] = {
        f"{rule}/{channel}.j2": "Subject: x\n\n" + PAYLOADS[name]
        for rule, channels in MESSAGE_CHANNELS.items()
        for channel in channels
    }
    with store.transaction() as tx:
        tx.set_user_settings(owner, document)
    response = client.get(_draft_links(client)[0])
    assert response.status_code == 422
    _clean(response.text)
    assert "is refused" in response.text or "do not provide" in response.text
    saved = client.send_form(URL, {"text": "Subject: x\n\n" + EXHAUST["string-times"]})
    assert saved.status_code == 422
