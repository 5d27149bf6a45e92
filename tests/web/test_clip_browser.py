"""The bookmarklet in headless Chromium: clicked on a posting served from another loopback
port, it opens the local app's Add form filled in from the page, for the user to confirm."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from jobnudge.config import Profile, Settings
from jobnudge.web import create_app
from tests.postings.server import serving

from .conftest import NOW
from .test_browser import _require_browser, launched_chromium, live

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """The app in local mode on a real uvicorn server; stops at teardown or after 5 minutes."""
    _require_browser()

    home = tmp_path_factory.mktemp("clip")
    app = create_app(
        Settings(profile=Profile(tz="America/New_York")),
        db=f"sqlite:///{home / 'web.sqlite'}",
        data_dir=home / "data",
        settings_path=home / "config.toml",
        now=lambda tz: NOW,
    )
    with live(app, 300) as base:
        try:
            yield base, app
        finally:
            app.state.nudge.store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    yield from launched_chromium()


def _bookmarklet(page: Any, base: str) -> str:
    page.goto(f"{base}/pipeline")
    href = page.get_attribute("#clip a", "href")
    assert href and href.startswith("javascript:")
    assert f"'{base}'" in href  # bound to the address it was installed from
    return str(href)


def test_clip_a_posting_from_another_site(app_server: tuple[str, Any], chromium: Any) -> None:
    base, app = app_server
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    code = _bookmarklet(page, base)
    with serving() as site:
        page.goto(f"{site}/posting")
        with context.expect_page() as opened:
            page.evaluate(code.removeprefix("javascript:"))
        popup = opened.value
        popup.wait_for_url(re.compile(r"/opportunities$"))
        popup.wait_for_load_state()
        body = popup.locator("body").inner_text()
        assert popup.locator("#company").count() == 1, body
        assert popup.input_value("#company") == "Acme Inc."
        assert popup.input_value("#role") == "Senior Data Analyst"
        assert popup.input_value("#read_responds_within") == "14"
        assert "No phone calls, please." in popup.locator("body").inner_text()
        store = app.state.nudge.store
        owner = store.ensure_user("local")
        assert store.opportunities(owner) == []  # nothing saved before the user confirms
        popup.click("text=Save the application")
        popup.wait_for_url(re.compile(r"/opportunities/\d+$"))
        opp, _stage = store.opportunities(owner)[0]
        assert opp.posting_url == f"{site}/posting"
        assert "no_calls" in opp.posting_terms
    context.close()


def test_the_bookmarklet_talks_only_to_its_own_address(
    app_server: tuple[str, Any], chromium: Any
) -> None:
    """Pointed at another origin, the page is never handed over (postMessage is addressed
    to the app's origin), and a cross-site form post is refused by the CSRF check."""
    base, _app = app_server
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    code = _bookmarklet(page, base)
    with serving() as site:
        elsewhere = code.replace(f"'{base}'", f"'{site}'")
        page.goto(f"{site}/posting")
        with context.expect_page() as opened:
            page.evaluate(elsewhere.removeprefix("javascript:"))
        popup = opened.value
        popup.wait_for_load_state()
        assert "/opportunities" not in popup.url
        # a page on another port posting to the app without its token is refused
        status = page.evaluate(
            """async (base) => {
                const body = new URLSearchParams({step: 'read', posting_text: 'x'});
                try {
                  const r = await fetch(base + '/opportunities', {method: 'POST', body,
                    credentials: 'include', mode: 'no-cors'});
                  return r.status;
                } catch (e) { return -1; }
            }""",
            base,
        )
        assert status in (0, -1)  # opaque or blocked: the browser hands nothing back
    context.close()
