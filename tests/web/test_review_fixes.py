"""What a new user's review of the web app found, each pinned by a request through the app: bad
input answers 4xx with a message at its field (naming it) and writes nothing; pages say things
in the web's words rather than the command line's."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from jobnudge.services import validate
from jobnudge.store.rows import AgendaRow
from jobnudge.web.routes import today as today_route

from .conftest import NOW, Client, counts, nudge_ids, store_of


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', html)
    assert found, f"no message for {field}"
    return unescape(found.group(1))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _flash(html: str) -> str:
    found = re.search(r'<div class="flash" role="status">([^<]*)</div>', html)
    assert found, "no flash message"
    return unescape(found.group(1))


def _opportunity(client: Client) -> str:
    response = client.send_form(
        "/opportunities", {"company": "Acme", "role": "Analyst", "applied_on": "last monday"}
    )
    assert response.status_code == 303
    return str(response.headers["location"])


def _rows(app: Starlette) -> list[AgendaRow]:
    store = store_of(app)
    return store.agenda_rows(store.ensure_user("local"), NOW + timedelta(days=400), NOW)


def _row(app: Starlette, rule: str, *, search_wide: bool = False) -> AgendaRow:
    for row in _rows(app):
        if row.rule == rule and (row.opportunity_id is None) == search_wide:
            return row
    raise AssertionError(f"no pending {rule}")


# 1. An interview scheduled in the past


def test_an_interview_scheduled_in_the_past_is_refused(app: Starlette, client: Client) -> None:
    url = _opportunity(client)
    before = counts(store_of(app))
    pending = nudge_ids(client.get("/").text)
    response = client.send_form(
        f"{url}/log", {"form": "interview", "event": "scheduled", "for": "yesterday 3pm"}
    )
    assert response.status_code == 422
    assert "That time has passed; choose 'It took place'" in _field_error(response.text, "for")
    assert '<details id="form-interview" open>' in response.text
    assert 'value="yesterday 3pm"' in response.text  # what they typed is kept
    assert counts(store_of(app)) == before
    assert nudge_ids(client.get("/").text) == pending  # no follow-up vanished


def test_a_time_scheduled_for_an_interview_that_took_place_is_refused(
    app: Starlette, client: Client
) -> None:
    url = _opportunity(client)
    before = counts(store_of(app))
    response = client.send_form(
        f"{url}/log", {"form": "interview", "event": "interviewed", "for": "tomorrow 2pm"}
    )
    assert response.status_code == 422
    message = _field_error(response.text, "for")
    assert "It is scheduled" in message and "--" not in message
    assert counts(store_of(app)) == before
    ok = client.send_form(
        f"{url}/log", {"form": "interview", "event": "scheduled", "for": "tomorrow 2pm"}
    )
    assert ok.status_code == 303


# 2. A long draft marked sent keeps its text


@pytest.mark.parametrize("action", ["sent", "check"])
def test_a_too_long_draft_comes_back_with_its_text(
    demo: Starlette, client: Client, action: str
) -> None:
    handle = _row(demo, "interview.thank-you").short_id
    text = "Thank you for the conversation. " * 700  # 22,400 characters
    before = counts(store_of(demo))
    response = client.send_form(f"/nudges/{handle}/draft", {"text": text, "action": action})
    assert response.status_code == 422
    shown = re.search(r'<textarea id="draft-text"[^>]*>([^<]*)</textarea>', response.text)
    assert shown and unescape(shown.group(1)) == text
    message = _field_error(response.text, "text")
    assert "22,400 characters" in message and "under 20,000" in message
    assert 'aria-invalid="true"' in response.text and 'href="#draft-text"' in response.text
    assert counts(store_of(demo)) == before


# 3. An empty note


def test_an_empty_note_is_refused(app: Starlette, client: Client) -> None:
    url = _opportunity(client)
    before = counts(store_of(app))
    response = client.send_form(f"{url}/log", {"form": "other", "event": "note", "note": "  "})
    assert response.status_code == 422
    assert "Note is empty" in _field_error(response.text, "note")
    assert 'href="#o-note"' in response.text  # the summary links to the field itself
    assert counts(store_of(app)) == before
    ok = client.send_form(f"{url}/log", {"form": "other", "event": "note", "note": "Call Pat"})
    assert ok.status_code == 303


# 4. Messages name their field; Today's popover opens again with its message


@pytest.mark.parametrize(("form", "label"), [("interview", "With"), ("offer", "From")])
def test_a_name_too_long_says_which_field(
    app: Starlette, client: Client, form: str, label: str
) -> None:
    url = _opportunity(client)
    before = counts(store_of(app))
    event = {"interview": "interviewed", "offer": "offer"}[form]
    response = client.send_form(f"{url}/log", {"form": form, "event": event, "with": "x" * 5000})
    assert response.status_code == 422
    message = _field_error(response.text, "with")
    assert message.startswith(f"{label}: a name is 5000 characters long"), message
    assert counts(store_of(app)) == before


def test_a_services_message_without_its_field_gets_the_label() -> None:
    from jobnudge.errors import UsageError
    from jobnudge.web import forms

    invalid = forms.from_error(UsageError("--with: is 300 characters long; keep it under 200."))
    assert invalid.errors == {"with": "With is 300 characters long; keep it under 200."}
    labelled = forms.from_error(UsageError("--with: is 3 long."), {"with": "From"})
    assert labelled.errors == {"with": "From is 3 long."}


def test_a_blank_dismiss_reason_reopens_that_follow_up(demo: Starlette, client: Client) -> None:
    row = _row(demo, "interview.thank-you")
    before = counts(store_of(demo))
    response = client.send_form(f"/nudges/{row.short_id}/dismiss", {"reason": " "})
    assert response.status_code == 422
    message = _field_error(response.text, f"reason-{row.short_id}")
    assert message.startswith("Reason is required to dismiss “Send a thank-you · ")
    assert row.contact is not None and row.contact in message
    assert f'href="#reason-{row.short_id}"' in response.text
    card = response.text.split(f'data-nudge="{row.short_id}"', 1)[1].split("</li>", 1)[0]
    assert "<details open>\n          <summary>Dismiss</summary>" in card
    assert f'aria-describedby="reason-{row.short_id}-error"' in card
    assert response.text.count("<details open>") == 1  # only that popover
    assert counts(store_of(demo)) == before


# 5. Import previews


def _upload(client: Client, content: bytes, name: str = "tracker.csv") -> str:
    response = client.post(
        "/import-export",
        data={"csrf_token": client.token()},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return str(response.headers["location"])


def test_a_file_with_headers_only_says_it_has_no_rows(app: Starlette, client: Client) -> None:
    before = counts(store_of(app))
    page = client.get(_upload(client, b"Company,Role,Date applied\n"))
    assert page.status_code == 422
    text = _text(page.text)
    assert "tracker.csv has column headers but no rows under them" in text
    assert "No rows in this file" in text
    assert "Everything it holds is already in your search" not in text
    assert counts(store_of(app)) == before


def test_a_file_without_a_company_column_answers_422(app: Starlette, client: Client) -> None:
    before = counts(store_of(app))
    page = client.get(_upload(client, b"Name,What\nHooli,Analyst\n"))
    assert page.status_code == 422
    assert "No column holds the company and the role" in page.text
    assert counts(store_of(app)) == before


# 7. After saving a section, its message shows there


@pytest.mark.parametrize(
    ("path", "data", "section"),
    [
        ("/settings/playbook", {"apply_check_in_days": "8"}, "playbook"),
        ("/settings/profile", {"name": "Alex", "tz": "UTC", "country": "US"}, "profile"),
        ("/settings/checks", {"on": ["spelling"]}, "checks"),
    ],
)
def test_a_saved_section_shows_its_message_beside_it(
    client: Client, path: str, data: dict[str, Any], section: str
) -> None:
    response = client.send_form(path, data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/settings?saved={section}#{section}"
    html = client.get(response.headers["location"]).text
    head = html.partition('<section class="card')[0]
    assert 'class="flash"' not in head  # not at the top of the page, scrolled away
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    assert 'class="flash" role="status"' in part
    assert "saved" in _flash(part).lower()


# 8. The web's words


def test_date_errors_give_examples_not_standards(app: Starlette, client: Client) -> None:
    url = _opportunity(client)
    response = client.send_form(
        f"{url}/log", {"form": "interview", "event": "interviewed", "at": "someday soonish"}
    )
    assert response.status_code == 422
    message = _field_error(response.text, "at")
    assert "ISO" not in message and "2026-03-05" in message and "next friday" in message
    from jobnudge import timeparse

    assert "ISO 8601" in timeparse._EXAMPLES  # the command line keeps its wording


def test_the_checker_points_to_today_not_a_command(demo: Starlette, client: Client) -> None:
    row = min(
        (r for r in _rows(demo) if r.rule == "interview.status-check" and r.due > NOW),
        key=lambda r: r.due,
    )
    html = client.get(f"/nudges/{row.short_id}/draft").text
    assert "Today shows when and why" in html and "nudge today" not in html
    check = client.post(
        f"/nudges/{row.short_id}/check",
        data={"text": "Hello", "csrf_token": client.token()},
        headers={"X-CSRF-Token": client.token()},
    )
    assert check.status_code == 200
    messages = [f["message"] for f in check.json()["findings"]]
    assert any("Today shows when and why" in m for m in messages)
    assert not any("nudge today" in m for m in messages)
    from jobnudge.drafts.checks import timing

    assert "`nudge today`" in Path(timing.__file__).read_text(encoding="utf-8")


def test_settings_speak_plainly(client: Client) -> None:
    html = client.get("/settings").text
    text = _text(html)
    assert "shared with the nudge command" not in text
    assert "Saved on this computer, in the file" in text
    assert "IANA" not in text and "ISO 3166" not in text
    assert "Check in after applying" in text
    assert '<span class="mono setting-name">apply_check_in_days</span>' in html
    assert "seed 00" not in text and "(say so in the cover letter)" in text
    assert '<label for="apply_check_in_days">Check in after applying</label>' in html


def test_a_playbook_error_names_the_setting_by_its_label(client: Client) -> None:
    response = client.send_form("/settings/playbook", {"cooldown_days": "999"})
    assert response.status_code == 422
    message = _field_error(response.text, "cooldown_days")
    assert message.startswith("“Never ask an employer twice within” must be between")


def test_downloads_say_what_each_file_is(client: Client) -> None:
    text = _text(client.get("/import-export").text)
    for label in (
        "Download Excel file (.xlsx)",
        "Download CSV file",
        "Download address cards (.vcf)",
    ):
        assert label in text
    assert "nudge import --mapping" not in text


# 9. Time zones


def test_zones_are_read_whatever_their_case(app: Starlette, client: Client) -> None:
    response = client.send_form(
        "/settings/profile", {"name": "Alex", "tz": "america/denver", "country": "us"}
    )
    assert response.status_code == 303
    html = client.get("/settings").text
    assert 'value="America/Denver"' in html and "times in America/Denver" in html
    assert '<datalist id="zones">' in html and 'list="zones"' in html
    assert '<option value="Europe/Berlin">' in html


@pytest.mark.parametrize(
    ("typed", "suggested"), [("EST", "America/New_York"), ("MST", "America/Denver")]
)
def test_zones_without_daylight_saving_are_refused(
    tmp_path: Path, client: Client, typed: str, suggested: str
) -> None:
    response = client.send_form("/settings/profile", {"name": "Alex", "tz": typed})
    assert response.status_code == 422
    message = _field_error(response.text, "tz")
    assert f"'{typed}' keeps standard time all year" in message and suggested in message
    assert not (tmp_path / "config.toml").exists()


def test_a_contacts_zone_is_read_whatever_its_case(client: Client) -> None:
    response = client.send_form("/contacts", {"name": "Dana Lee", "tz": "europe/berlin"})
    assert response.status_code == 303
    assert "Europe/Berlin" in client.get(response.headers["location"]).text
    bad = client.send_form("/contacts", {"name": "Raj Patel", "tz": "PST"})
    assert bad.status_code == 422
    message = _field_error(bad.text, "tz")
    assert "abbreviation" in message and "America/Los_Angeles" in message
    assert '<datalist id="zones">' in client.get("/contacts").text


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("america/denver", "America/Denver"),
        ("America/New York", "America/New_York"),
        ("Denver", "America/Denver"),
        ("utc", "UTC"),
        ("US/Eastern", "US/Eastern"),  # an old alias, still valid when typed
        ("Europe/Berlin", "Europe/Berlin"),
    ],
)
def test_validate_zone_normalises(typed: str, zone: str) -> None:
    assert validate.zone(typed) == zone


@pytest.mark.parametrize("typed", ["EST", "hst", "PDT", "Mars/Olympus", "Factory"])
def test_validate_zone_refuses(typed: str) -> None:
    from jobnudge.errors import UsageError

    with pytest.raises(UsageError, match=r"^--tz: "):
        validate.zone(typed)


def test_the_zone_list_is_of_places() -> None:
    names = validate.zone_names()
    assert "America/New_York" in names and "UTC" in names
    assert "EST" not in names and not any(n.startswith(("Etc/", "US/")) for n in names)


# 10. The first visit asks who you are


@pytest.fixture
def first_run(tmp_path: Path, make_app: Callable[..., Starlette]) -> Starlette:
    """The app before the user has said anything: an empty settings file."""
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    return make_app()


def test_the_first_visit_asks_about_you(first_run: Starlette, tmp_path: Path) -> None:
    with Client(first_run) as client:
        html = client.get("/").text
        assert 'action="/settings/about"' in html and "About you" in html
        assert "data-browser-defaults" in html  # the browser's zone is offered
        assert re.search(r'<option value="Europe/Berlin"( selected)?>', html)  # any machine zone
        tokens = set(re.findall(r'name="csrf_token" value="([^"]*)"', html))
        assert tokens == {client.cookies["nudge_csrf"]}
    with Client(first_run) as other:  # a kept copy still carries each visitor's own token
        html = other.get("/").text
        assert set(re.findall(r'name="csrf_token" value="([^"]*)"', html)) == {
            other.cookies["nudge_csrf"]
        }
        response = other.send_form(
            "/settings/about", {"name": "Alex Morgan", "tz": "europe/berlin", "country": "de"}
        )
        assert response.status_code == 303 and response.headers["location"] == "/"
        page = other.get("/").text
        assert "Thanks, Alex Morgan" in _flash(page) and "About you" not in page
        assert "times in Europe/Berlin" in page
    saved = tomllib.loads((tmp_path / "config.toml").read_text(encoding="utf-8"))
    assert saved["profile"] == {"name": "Alex Morgan", "tz": "Europe/Berlin", "country": "DE"}


def test_about_you_keeps_the_rest_of_the_profile(first_run: Starlette, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profile]\nemail = "alex@example.com"\ntz = "UTC"\n', encoding="utf-8")
    with Client(first_run) as client:
        assert "data-browser-defaults" not in client.get("/").text  # a zone was chosen
        response = client.send_form("/settings/about", {"name": "Alex", "tz": "UTC"})
        assert response.status_code == 303
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["profile"]["email"] == "alex@example.com" and saved["profile"]["name"] == "Alex"


def test_bad_about_you_answers_on_today(first_run: Starlette, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with Client(first_run) as client:
        response = client.send_form(
            "/settings/about", {"name": "", "tz": "EST", "country": "Atlantis"}
        )
        assert response.status_code == 422
        for field in ("name", "tz", "country"):
            assert _field_error(response.text, field)
            assert f'href="#about-{field}"' in response.text
        assert "About you" in response.text and "Start with one application" in response.text
    assert path.read_text(encoding="utf-8") == ""


def test_today_reminds_a_nameless_user_with_a_search(first_run: Starlette, tmp_path: Path) -> None:
    with Client(first_run) as client:
        _opportunity(client)
        html = client.get("/").text
        assert "[[your name]]" in html and 'href="/settings#profile"' in html


# 11. The interview and message forms


def test_the_interview_form_marks_which_time_is_for_which_case(
    app: Starlette, client: Client
) -> None:
    html = client.get(_opportunity(client)).text
    form = html.split('id="form-interview"', 1)[1].split("</form>", 1)[0]
    assert 'data-switch="event"' in form
    assert re.search(r'data-show-when="interviewed">.*?When it took place', form, re.S)
    assert re.search(r'data-show-when="scheduled">.*?When it is scheduled for', form, re.S)
    assert "Or: when" not in form


def test_the_message_form_lists_email_once(app: Starlette, client: Client) -> None:
    html = client.get(_opportunity(client)).text
    channel = html.split('id="m-channel"', 1)[1].split("</select>", 1)[0]
    assert channel.count(">Email<") == 1
    assert '<option value="email" selected>' in channel


# 12. Dismissing a search-wide follow-up; snoozing on a Sunday


def test_dismissing_a_search_wide_follow_up_says_so(demo: Starlette, client: Client) -> None:
    row = _row(demo, "staffing.keep-in-touch", search_wide=True)
    response = client.send_form(f"/nudges/{row.short_id}/dismiss", {"reason": "Found a job"})
    assert response.status_code == 303
    flash = _flash(client.get("/").text)
    assert flash.startswith("Dismissed") and "opportunity" not in flash
    other = _row(demo, "interview.thank-you")
    client.send_form(f"/nudges/{other.short_id}/dismiss", {"reason": "Already did"})
    assert "opportunity's history" in _flash(client.get("/").text)


def test_next_monday_on_a_sunday_is_a_week_later() -> None:
    sunday = date(2026, 11, 29)
    assert today_route._snooze_day("tomorrow", sunday) == date(2026, 11, 30)
    assert today_route._snooze_day("monday", sunday) == date(2026, 12, 7)
    saturday = date(2026, 11, 28)
    assert today_route._snooze_day("monday", saturday) == date(2026, 11, 30)
    labels = [label for _, label in today_route.snooze_choices(sunday)]
    assert labels == [
        "Tomorrow morning, Mon 30 Nov",
        "Next Monday, Mon 7 Dec",
        "In a week, Sun 6 Dec",
    ]


def test_on_a_monday_next_monday_and_in_a_week_are_one_choice() -> None:
    choices = today_route.snooze_choices(date(2026, 11, 30))
    assert [value for value, _ in choices] == ["tomorrow", "monday"]


# 13. Mark sent goes back where the draft was opened, and says what was sent


def test_mark_sent_from_today_says_what_and_to_whom(demo: Starlette, client: Client) -> None:
    row = _row(demo, "interview.thank-you")
    response = client.send_form(f"/nudges/{row.short_id}/sent", {})
    assert response.status_code == 303 and response.headers["location"] == "/"
    flash = _flash(client.get("/").text)
    assert flash == f"Logged as sent: your thank-you email to {row.contact} ({row.company})."


def test_a_draft_opened_from_today_goes_back_to_today(demo: Starlette, client: Client) -> None:
    row = _row(demo, "interview.thank-you")
    html = client.get(
        f"/nudges/{row.short_id}/draft", headers={"referer": "http://127.0.0.1/"}
    ).text
    assert '<input type="hidden" name="next" value="/">' in html
    assert '<a class="btn btn-ghost" href="/">Cancel</a>' in html
    response = client.send_form(
        f"/nudges/{row.short_id}/draft", {"text": "Thank you!", "action": "sent", "next": "/"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    flash = _flash(client.get("/").text)
    assert flash.startswith(f"Logged as sent to {row.contact}: your thank-you email, with its text")


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_next_never_leaves_the_site(demo: Starlette, client: Client, target: str) -> None:
    row = _row(demo, "interview.thank-you")
    html = client.get(f"/nudges/{row.short_id}/draft", params={"next": target}).text
    assert 'name="next"' not in html
    response = client.send_form(
        f"/nudges/{row.short_id}/draft", {"text": "Thank you!", "action": "sent", "next": target}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/opportunities/{row.opportunity_id}"


def test_a_referer_from_elsewhere_is_ignored(demo: Starlette, client: Client) -> None:
    row = _row(demo, "interview.thank-you")
    html = client.get(
        f"/nudges/{row.short_id}/draft", headers={"referer": "https://evil.example/"}
    ).text
    assert 'name="next"' not in html


def test_contradicting_playbook_numbers_are_named_by_their_labels(
    tmp_path: Path, client: Client
) -> None:
    response = client.send_form(
        "/settings/playbook", {"workday_start_hour": "18", "workday_end_hour": "9"}
    )
    assert response.status_code == 422
    message = _field_error(response.text, "workday_start_hour")
    assert message.startswith("“Working day starts at” (18")
    assert "workday_" not in message
    assert "“Working day starts at”" in _field_error(response.text, "workday_end_hour")
    assert not (tmp_path / "config.toml").exists()


def test_a_duplicate_contact_is_told_where_to_change_them(app: Starlette, client: Client) -> None:
    assert client.send_form("/contacts", {"name": "Dana Lee"}).status_code == 303
    before = counts(store_of(app))
    response = client.send_form("/contacts", {"name": "Dana Lee"})
    assert response.status_code == 409
    message = _field_error(response.text, "name")
    assert "open them from Contacts" in message and "nudge" not in message
    assert counts(store_of(app)) == before


def test_the_live_check_of_a_too_long_draft_says_so_plainly(
    demo: Starlette, client: Client
) -> None:
    handle = _row(demo, "interview.thank-you").short_id
    response = client.post(
        f"/nudges/{handle}/check",
        data={"text": "x" * 20_001, "csrf_token": client.token()},
        headers={"X-CSRF-Token": client.token()},
    )
    assert response.status_code == 422
    assert response.json()["error"].startswith("The message is 20001 characters")
