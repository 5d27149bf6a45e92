"""The web app in a real browser: Debian's Chromium driven by Playwright against a real uvicorn
server on a free loopback port. Screenshots of every page at phone and desktop widths are saved
under ``artifacts/screenshots/``.

Skipped when Chromium is missing, except under CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from jobnudge.config import Profile, Settings
from jobnudge.store import accounts
from jobnudge.web import create_app

from .conftest import NOW, PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WIDTHS = (390, 1280)
XSS = "<script>window.__xss = 1</script>"

pytestmark = pytest.mark.slow


def _require_browser() -> None:
    missing = not Path(CHROMIUM).exists() and not shutil.which("chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        message = f"Chromium ({CHROMIUM}) or the playwright package is missing"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + ": .ci/run installs both")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live(app: Any, lifetime: float) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port for the block (and never longer
    than ``lifetime`` seconds: a stuck test cannot leave it running); its base address."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    stopper = threading.Timer(lifetime, lambda: setattr(server, "should_exit", True))
    stopper.daemon = True
    stopper.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        stopper.cancel()
        thread.join(10)


def launched_chromium() -> Iterator[Any]:
    """The system's Chromium, headless, through Playwright (never a downloaded browser)."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """A real uvicorn server in a thread; it stops at teardown, or by itself after 10 minutes."""
    _require_browser()

    home = tmp_path_factory.mktemp("browser")
    settings = Settings(profile=Profile(tz="America/New_York"))
    app = create_app(
        settings,
        db=f"sqlite:///{home / 'web.sqlite'}",
        data_dir=home / "data",
        settings_path=home / "config.toml",
        accounts=True,
        now=lambda tz: NOW,
    )
    with live(app, 600) as base:
        try:
            yield base, app
        finally:
            app.state.nudge.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_chromium()


def _invite(app: Any, note: str) -> str:
    return accounts.create_invitation(app.state.nudge.store, None, note, NOW)


def _join(browser: Any, base: str, app: Any, name: str) -> Any:
    """A new browser context signed up and signed in as ``name``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/signup?invite={_invite(app, name)}")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button[type=submit]")
    try:
        page.wait_for_url(re.compile(r"/signin$"))
    except Exception:
        raise AssertionError(page.url + "\n" + page.locator("body").inner_text()) from None
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    try:
        page.wait_for_url(re.compile(r"/$"))
    except Exception:
        raise AssertionError(page.url + "\n" + page.locator("body").inner_text()) from None
    return page


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def _findings(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#findings li").all_inner_texts()]


def test_a_new_user_runs_a_follow_up_end_to_end(browser: Any, server: tuple[str, Any]) -> None:
    base, app = server
    page = _join(browser, base, app, "alex")
    assert page.locator("h2#start").inner_text() == "Start with one application"
    _shoot(page, "today-empty")

    # Adds an application from the empty state.
    page.fill("#start-company", "Acme Corp")
    page.fill("#start-role", "Data Analyst")
    page.fill("#start-applied_on", "last monday")
    page.click("text=Add application")
    page.wait_for_url(re.compile(r"/opportunities/\d+$"))
    opportunity = page.url
    assert "Added Acme Corp — Data Analyst." in page.locator(".flash").inner_text()

    # Logs an interview with two people.
    page.click("#form-interview summary")
    page.fill("#i-at", "today 9am")
    page.fill("#i-with", "Dana Lee, Raj Patel")
    page.fill("#i-round", "1")
    page.select_option("#i-kind", "video")
    page.fill("#i-note", "the churn dashboard")
    page.click("#form-interview button[type=submit]")
    page.wait_for_url(opportunity)
    assert "Interviewed" in page.locator(".timeline").inner_text()

    # Sees both thank-you nudges on Today.
    page.goto(f"{base}/")
    titles = page.locator(".nudge-title").all_inner_texts()
    assert "Send a thank-you · Dana Lee" in titles and "Send a thank-you · Raj Patel" in titles
    _shoot(page, "today")

    # Keyboard: j selects the first card, d opens its draft.
    page.keyboard.press("j")
    assert page.locator(".nudge.selected").count() == 1

    # Drafts Dana's thank-you.
    card = page.locator(".nudge", has_text="Send a thank-you · Dana Lee")
    card.locator("[data-action=draft]").click()
    page.wait_for_url(re.compile(r"/nudges/[0-9a-f]{7}/draft$"))
    editor = page.locator("#draft-text")
    original = editor.input_value()
    assert "Dana" in original

    # Misspells Dana's name, sees it highlighted as they type, fixes it.
    wrong = original.replace("Dear Dana", "Dear Dnaa", 1)
    assert wrong != original
    editor.fill(wrong)
    page.locator("#findings li", has_text="Dnaa").first.wait_for()
    assert page.locator("#draft-marks mark", has_text="Dnaa").count() >= 1
    _shoot(page, "draft-with-finding")
    editor.fill(original)
    page.locator("#findings li", has_text="Dnaa").first.wait_for(state="detached")
    # Fills the slot the draft left open (the checker flags it), so the text is ready to send.
    assert any("placeholder" in f for f in _findings(page))
    text = re.sub(r"\[\[[^\]]*\]\]", "Alex Morgan", editor.input_value())
    editor.fill(text)
    page.locator("#findings li", has_text="placeholder").first.wait_for(state="detached")

    # Marks it sent: back on Today, where the draft was opened; the timeline shows the message.
    page.click("button[value=sent]")
    page.wait_for_url(f"{base}/")
    assert "Logged as sent to Dana Lee: your thank-you email" in page.locator(".flash").inner_text()
    page.goto(opportunity)
    timeline = page.locator(".timeline")
    assert "You wrote · thank-you" in timeline.inner_text()
    page.locator(".timeline details summary").first.click()
    assert text.splitlines()[-1] in timeline.inner_text()
    _shoot(page, "opportunity")
    page.goto(f"{base}/")
    titles = page.locator(".nudge-title").all_inner_texts()
    assert "Send a thank-you · Dana Lee" not in titles
    assert "Send a thank-you · Raj Patel" in titles

    # The other pages, for the record.
    for path, name in [
        ("/pipeline", "pipeline-board"),
        ("/pipeline?view=table&stage=all", "pipeline-table"),
        ("/contacts", "contacts"),
        ("/review", "review"),
        ("/settings", "settings"),
        ("/account", "account"),
        ("/opportunities/999999", "not-found"),
    ]:
        page.goto(base + path)
        _shoot(page, name)
    page.goto(f"{base}/contacts")
    page.click("text=Dana Lee")
    _shoot(page, "contact")

    # A second user cannot see the first user's data.
    other = _join(browser, base, app, "sam")
    assert other.locator("h2#start").count() == 1
    response = other.goto(opportunity)
    assert response is not None and response.status == 404
    for path in ["/pipeline", "/contacts", "/"]:
        other.goto(base + path)
        shown = other.locator("main").inner_text()
        assert "Acme" not in shown and "Dana Lee" not in shown, path
    other.context.close()
    page.context.close()


def test_a_script_tag_in_every_text_field_renders_as_text(
    browser: Any, server: tuple[str, Any]
) -> None:
    base, app = server
    page = _join(browser, base, app, "mallory")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/pipeline")
    for field in ["company", "role", "source", "referred_by", "recruiter", "note"]:
        page.fill(f"#add #{field}", f"{field} {XSS}")
    page.fill("#add #applied_on", "yesterday")
    page.click("#add button[type=submit]")
    page.wait_for_url(re.compile(r"/opportunities/\d+$"))
    page.click("#form-other summary")
    page.fill("#o-note", XSS)
    page.click("#form-other button[type=submit]")
    page.goto(f"{base}/contacts")
    for field in ["name", "company", "title", "phone", "notes"]:
        page.fill(f"#add #{field}", f"{field} {XSS}")
    page.click("#add button[type=submit]")
    page.wait_for_url(re.compile(r"/contacts/\d+$"))
    page.goto(f"{base}/settings")
    page.fill("#profile #name", XSS)
    page.fill("#profile #signature", XSS)
    page.click("#profile button[type=submit]")
    for path in [
        "/",
        "/pipeline",
        "/pipeline?view=table&stage=all",
        "/contacts",
        "/review",
        "/settings",
    ]:
        page.goto(base + path)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.locator("main script").count() == 0, path
    page.goto(f"{base}/pipeline?view=table&stage=all")
    assert XSS in page.locator("main").inner_text()
    assert dialogs == []
    page.context.close()


def test_signin_page_screenshot(browser: Any, server: tuple[str, Any]) -> None:
    base, _app = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/signin")
    assert page.locator("h1").inner_text() == "Sign in"
    _shoot(page, "signin")
    context.close()


def test_a_spreadsheet_comes_in_through_the_browser(
    browser: Any, server: tuple[str, Any], tmp_path: Path
) -> None:
    base, app = server
    page = _join(browser, base, app, "casey")
    page.click("nav >> text=Import & export")
    page.wait_for_url(re.compile(r"/import-export$"))
    _shoot(page, "import-export")

    tracker = tmp_path / "my-tracker.csv"
    tracker.write_text(  # saved by Excel on Windows as plain "CSV"
        "Company,Role,Date applied,Status,Recruiter email\n"
        "Wayne Enterprises,Data Analyst,2026-11-02,applied,\n"
        "Müller GmbH,BI Developer,2026-10-20,phone screen,renee@mueller.example\n"
        "Bad Row Inc,Analyst,2026-13-45,applied,\n",
        encoding="cp1252",
    )
    page.set_input_files("#file", str(tracker))
    page.click("text=Upload and check")
    page.wait_for_url(re.compile(r"/import-export$"))
    refused = page.locator("#file-error").inner_text()
    assert "choose its encoding under “Encoding”" in refused and "--encoding" not in refused
    assert page.locator("#encoding").is_visible(), "the options open on the refusal"
    page.select_option("#encoding", label="Windows (Western European, cp1252)")
    page.set_input_files("#file", str(tracker))
    page.click("text=Upload and check")
    page.wait_for_url(re.compile(r"/import-export/uploads/[\w-]{32}$"))
    assert page.locator("#encoding").input_value() == "cp1252"
    assert "Müller GmbH" in page.locator("main").inner_text()
    assert "3\nnew opportunities" in page.locator(".stats").inner_text()
    assert "is not a day of the calendar" in page.locator("table.warnings").inner_text()
    assert page.locator("#col-0").input_value() == "company"
    _shoot(page, "import-dry-run")

    page.click("text=Import 3 opportunities")
    page.wait_for_url(re.compile(r"/pipeline$"))
    flash = page.locator(".flash").inner_text()
    assert "Imported 3 new opportunities" in flash and "kept in the notes" in flash
    shown = page.locator("main").inner_text()
    assert "Wayne Enterprises" in shown and "Müller GmbH" in shown
    assert "Bad Row Inc" in shown  # its bad date is a note, the row is in
    page.context.close()


def test_every_nav_link_shows_at_phone_width(browser: Any, server: tuple[str, Any]) -> None:
    base, app = server
    page = _join(browser, base, app, "robin")
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/", "/pipeline", "/import-export", "/settings"):
            page.goto(base + path)
            links = page.locator("nav.nav a")
            assert links.count() == 6
            for link in links.all():
                box = link.bounding_box()
                assert box is not None and box["x"] >= 0, (path, link.inner_text())
                assert box["x"] + box["width"] <= width, (width, path, link.inner_text())
            if width == 375:
                scroll = page.evaluate("() => document.documentElement.scrollWidth")
                assert scroll <= width, (width, path, scroll)
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(base + "/settings")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "nav-375.png"))
    page.context.close()


def test_sign_up_takes_the_browsers_time_zone(browser: Any, server: tuple[str, Any]) -> None:
    base, app = server
    context = browser.new_context(viewport={"width": 390, "height": 900}, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/signup?invite={_invite(app, 'kenji')}")
    assert page.locator("[data-zone-name]").inner_text() == "Asia/Tokyo"
    assert page.locator("#tz").is_hidden()
    _shoot(page, "signup")
    page.fill("#name", "kenji")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/signin$"))
    page.fill("#name", "kenji")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert "times in Asia/Tokyo" in page.locator("footer").inner_text()

    # Another zone can still be chosen before the account is made.
    other = browser.new_context(timezone_id="Europe/Berlin").new_page()
    other.goto(f"{base}/signup?invite={_invite(app, 'lena')}")
    other.click("[data-zone-change]")
    assert other.locator("#tz").is_visible()
    assert other.locator("#tz").input_value() == "Europe/Berlin"
    other.select_option("#tz", "America/Chicago")
    other.fill("#name", "lena")
    other.fill("#password", PASSWORD)
    other.fill("#confirm", PASSWORD)
    other.click("button[type=submit]")
    other.wait_for_url(re.compile(r"/signin$"))
    owner = app.state.nudge.store.find_user("lena")
    assert app.state.nudge.store.user_settings(owner)["profile"]["tz"] == "America/Chicago"
    other.context.close()
    context.close()


def _column_of(page: Any, company: str) -> str:
    card = page.locator("[data-card]", has_text=company)
    return str(card.evaluate("c => c.closest('[data-column]').getAttribute('data-column')"))


def _drag(page: Any, company: str, column: str) -> None:
    card = page.locator("[data-card]", has_text=company)
    card.drag_to(page.locator(f'[data-column="{column}"]'))


def test_board_moves_undo_and_a_phone(browser: Any, server: tuple[str, Any]) -> None:
    """Drag into Interviewing asks about the interview; a move offers Undo; a drag back logs
    nothing; on a phone (with or without JavaScript) the board fits and every card moves."""
    base, app = server
    page = _join(browser, base, app, "jordan")
    page.goto(f"{base}/pipeline")
    for company, status in (("Hooli", "applied"), ("Pied Piper", "lead"), ("Umbrella", "applied")):
        page.goto(f"{base}/pipeline")
        page.fill("#add #company", company)
        page.fill("#add #role", "Data Analyst")
        page.select_option("#add #status", status)
        page.click("#add button[type=submit]")
        page.wait_for_url(re.compile(r"/opportunities/\d+$"))
    page.goto(f"{base}/pipeline")
    assert page.locator("form.move").first.is_hidden()  # desktop: drag, or focus for the form

    # Applied → Interviewing: nothing is logged until the interview is described.
    _drag(page, "Hooli", "interviewing")
    page.wait_for_url(re.compile(r"/pipeline\?interview=\d+$"))
    assert _column_of(page, "Hooli") == "applied"
    assert page.locator("#interview input[value=scheduled]").is_checked()
    _shoot(page, "pipeline-interview")
    page.fill("#when", "next tuesday 2pm")
    page.fill("#with", "Dana Lee")
    page.click("#interview button[type=submit]")
    page.wait_for_url(re.compile(r"/pipeline\?undo=\d+$"))
    assert "interview scheduled for Tue 1 Dec, 2 pm" in page.locator(".flash").inner_text()
    assert _column_of(page, "Hooli") == "interviewing"

    # Interviewing → Offer, then back: refused, with the Undo of "Offer"; the Undo works.
    _drag(page, "Hooli", "offer")
    # The address already ends in ?undo=N: wait for the new page's message instead.
    page.locator(".flash", has_text="now Offer").wait_for()
    page.wait_for_url(re.compile(r"/pipeline\?undo=\d+$"))
    assert "logged “Offer”, now Offer" in page.locator(".flash").inner_text()
    assert _column_of(page, "Hooli") == "offer"
    _drag(page, "Hooli", "interviewing")
    page.locator(".flash", has_text="Not moved").wait_for()
    page.wait_for_url(re.compile(r"/pipeline\?undo=\d+$"))
    assert "Not moved" in page.locator(".flash").inner_text()
    assert _column_of(page, "Hooli") == "offer"
    undo = page.locator(".undo-bar button")
    assert undo.inner_text() == "Undo “Offer” (back to Interviewing)"
    undo.click()
    page.wait_for_url(re.compile(r"/pipeline$"))
    assert "Undid “Offer”" in page.locator(".flash").inner_text()
    assert _column_of(page, "Hooli") == "interviewing"
    page.click("[data-card] >> text=Hooli")
    timeline = page.locator(".timeline").inner_text()
    assert "Interview scheduled" in timeline and "Interviewed" not in timeline
    assert "Offer" not in timeline

    # Closed asks how it ended; Cancel moves nothing.
    page.goto(f"{base}/pipeline")
    _drag(page, "Umbrella", "closed")
    page.locator("#close-dialog").wait_for()
    page.click("#close-dialog button[value=cancel]")
    assert page.url == f"{base}/pipeline" and _column_of(page, "Umbrella") == "applied"
    _shoot(page, "pipeline-board-cards")

    # A phone, by touch: no sideways scrolling, every column in sight, a Move on every card.
    state = page.context.storage_state()
    for js in (True, False):
        phone = browser.new_context(
            viewport={"width": 390, "height": 844},
            has_touch=True,
            is_mobile=True,
            java_script_enabled=js,
            storage_state=state,
        ).new_page()
        phone.set_default_timeout(10_000)
        phone.goto(f"{base}/pipeline")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, (js, width)
        for column in phone.locator("[data-column]").all():
            box = column.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, js
        for move in phone.locator("form.move").all():
            assert move.is_visible(), js
            box = move.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390, js
        card = phone.locator("[data-card]", has_text="Umbrella")
        card.locator("select").select_option("offer")
        card.locator("button", has_text="Move").tap()
        phone.wait_for_url(re.compile(r"/pipeline\?undo=\d+$"))
        assert "logged “Offer”, now Offer" in phone.locator(".flash").inner_text()
        assert _column_of(phone, "Umbrella") == "offer"
        if js:
            SHOTS.mkdir(parents=True, exist_ok=True)
            phone.screenshot(path=str(SHOTS / "pipeline-board-phone-390.png"), full_page=True)
        phone.locator(".undo-bar button").click()
        phone.wait_for_url(re.compile(r"/pipeline$"))
        assert _column_of(phone, "Umbrella") == "applied"
        phone.context.close()
    page.context.close()


def _overflow(page: Any) -> list[str]:
    """Elements reaching past the right edge of the viewport (the page would scroll sideways)."""
    found: list[str] = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          return Array.from(document.querySelectorAll("body *"))
            .filter(el => el.getClientRects().length)
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                 + (el.className && typeof el.className === "string" ? "." + el.className : ""))
            .slice(0, 8);
        }"""
    )
    return found


def _below_header(page: Any, selector: str) -> bool:
    """Whether ``selector`` is in the viewport and not hidden under the sticky header."""
    header = page.locator("header.top").bounding_box()
    box = page.locator(selector).bounding_box()
    assert header is not None and box is not None
    height = page.viewport_size["height"]
    top = max(0.0, header["y"] + header["height"])  # a header that scrolled away covers nothing
    return bool(top - 1 <= box["y"] < height)


def test_a_new_user_on_a_phone(browser: Any, server: tuple[str, Any]) -> None:
    """What a new user's review found at phone width: About you on the first visit, the
    interview form showing the time that fits, popovers and tables within the screen, readable
    charts, and a saved section's message in sight."""
    base, app = server
    page = _join(browser, base, app, "taylor")
    page.set_viewport_size({"width": 390, "height": 844})

    # The first visit asks who you are.
    assert page.locator("#about h3").inner_text() == "About you"
    page.fill("#about-name", "Taylor Reed")
    page.fill("#about-country", "GB")
    page.click("#about button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert "Thanks, Taylor Reed" in page.locator(".flash").inner_text()
    assert page.locator("#about").count() == 0

    # The interview form shows the time that fits what happened.
    page.fill("#start-company", "Initech")
    page.fill("#start-role", "Analyst")
    page.fill("#start-applied_on", "last monday")
    page.click("text=Add application")
    page.wait_for_url(re.compile(r"/opportunities/\d+$"))
    page.click("#form-interview summary")
    assert page.locator("#i-at").is_visible() and page.locator("#i-for").is_hidden()
    page.select_option("#i-event", "scheduled")
    assert page.locator("#i-at").is_hidden() and page.locator("#i-for").is_visible()
    page.select_option("#i-event", "interviewed")
    page.fill("#i-at", "today 9am")
    page.fill("#i-with", "Dana Lee")
    page.click("#form-interview button[type=submit]")
    page.wait_for_url(re.compile(r"/opportunities/\d+$"))
    assert "Interviewed" in page.locator(".timeline").inner_text()
    assert page.locator("#m-channel option").all_text_contents().count("Email") == 1

    # Today: Snooze and Dismiss open within the screen.
    page.goto(f"{base}/")
    card = page.locator(".nudge").first
    for name in ("Snooze", "Dismiss"):
        card.locator("summary", has_text=name).click()
        popover = card.locator("details[open] .popover")
        box = popover.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, name
        assert _overflow(page) == [], name
        if name == "Snooze":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "today-snooze-390.png"), full_page=True)
        card.locator("summary", has_text=name).click()

    # Settings: the playbook stacks; nothing runs past the screen, down to 320 px.
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{base}/settings")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, width
        assert _overflow(page) == [], width
        for selector in ("#apply_check_in_days", "table.playbook td.why >> nth=0"):
            box = page.locator(selector).bounding_box()
            assert box is not None and box["x"] + box["width"] <= width, (width, selector)
    page.set_viewport_size({"width": 390, "height": 844})
    _shoot(page, "settings")

    # Saving a section shows its message beside it, the heading clear of the sticky header.
    page.goto(f"{base}/settings")
    page.fill("#apply_check_in_days", "8")
    page.click("#playbook button[type=submit]")
    page.wait_for_url(re.compile(r"/settings\?saved=playbook#playbook$"))
    assert "Playbook saved" in page.locator("#playbook .flash").inner_text()
    assert _below_header(page, "#playbook-title") and _below_header(page, "#playbook .flash")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "settings-saved-390.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/settings")
    page.click("#checks button[type=submit]")
    page.wait_for_url(re.compile(r"/settings\?saved=checks#checks$"))
    assert _below_header(page, "#checks-title") and _below_header(page, "#checks .flash")
    page.screenshot(path=str(SHOTS / "settings-saved-1280.png"))
    page.set_viewport_size({"width": 390, "height": 844})

    # The review's charts keep their words legible on a phone.
    page.goto(f"{base}/review")
    assert page.locator(".chart-wide").first.is_hidden()
    heights = page.evaluate(
        """() => Array.from(document.querySelectorAll(".chart-narrow svg text"))
             .filter(t => t.getClientRects().length)
             .map(t => t.getBoundingClientRect().height)"""
    )
    assert heights and min(heights) >= 12, heights
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _shoot(page, "review")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator(".chart-narrow").first.is_hidden()
    page.context.close()
