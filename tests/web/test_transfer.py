"""Import & export in the browser: a spreadsheet comes in through a dry run and one confirmed
transaction, every bad file or choice answers 4xx naming the problem and writes nothing, a
backup restores into an empty search only, and every download has its type and file name."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from jobnudge.web import uploads

from .conftest import Client, counts, sign_up, store_of

CSV = (
    b"Company,Role,Date applied,Status,Recruiter email\n"
    b"Acme Corp,Data Analyst,2026-11-02,applied,\n"
    b"Globex,BI Developer,2026-10-20,phone screen,sam@globex.example\n"
    b"Initech,,2026-11-03,applied,\n"
)


def _upload(
    client: Client,
    content: bytes = CSV,
    name: str = "tracker.csv",
    data: dict[str, str] | None = None,
    **kw: Any,
) -> Any:
    return client.send_form(
        "/import-export", data or {}, files={"file": (name, content, "text/csv")}, **kw
    )


def _token(response: Any) -> str:
    assert response.status_code == 303, response.text[:600]
    found = re.fullmatch(r"/import-export/uploads/([\w-]{32})", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', html)
    assert found, f"no message for {field}"
    return unescape(found.group(1))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _held(token: str) -> bool:
    return any(uploads.uploads_root().glob(f"*/{token}"))


def _kept(app: Starlette) -> set[Path]:
    return set(uploads.uploads_for(store_of(app)).iterdir())


def test_the_page_offers_import_restore_and_every_download(client: Client) -> None:
    html = client.get("/import-export").text
    assert '<a href="/import-export" aria-current="page">Import &amp; export</a>' in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert 'action="/import-export/restore"' in html  # the search is empty
    for href in ("jobnudge.xlsx", "contacts.vcf", "backup.json"):
        assert f'href="/import-export/{href}"' in html
    assert 'action="/import-export/sheet.csv"' in html and 'action="/import-export/report"' in html


def test_a_spreadsheet_is_dry_run_then_imported_once(app: Starlette, client: Client) -> None:
    before = counts(store_of(app))
    token = _token(_upload(client))
    assert _held(token)
    page = client.get(f"/import-export/uploads/{token}")
    assert page.status_code == 200
    text = _text(page.text)
    assert counts(store_of(app)) == before, "a dry run writes nothing"
    assert "2 new opportunities" in text and "1 new contact" in text
    assert "Acme Corp Data Analyst" in text and "Globex BI Developer" in text
    assert "4 has no role (job title)" in text
    assert re.search(r'id="col-0" name="col-0">.*?value="company" selected', page.text, re.S)
    assert "Import 2 opportunities" in text
    assert str(uploads.uploads_root()) not in page.text

    done = client.send_form(f"/import-export/uploads/{token}/import", {})
    assert done.status_code == 303 and done.headers["location"] == "/pipeline"
    assert not _held(token)
    pipeline = client.get("/pipeline?view=table&stage=all").text
    assert "Acme Corp" in pipeline and "Globex" in pipeline and "Initech" not in pipeline
    assert "Imported 2 new opportunities, 3 events and 1 contact from tracker.csv." in pipeline
    assert "1 row was skipped." in pipeline
    after = counts(store_of(app))
    assert after["opportunities"] == before["opportunities"] + 2
    store = store_of(app)
    owner = store.ensure_user("local")
    notes = [e.note for e in store.events(owner, store.all_opportunity_ids(owner)[0])]
    assert "Imported from tracker.csv, row 2." in notes
    # A second click, or a replay, finds nothing to import.
    assert client.send_form(f"/import-export/uploads/{token}/import", {}).status_code == 404
    assert counts(store_of(app)) == after

    again = client.get(f"/import-export/uploads/{_token(_upload(client))}")
    assert "Nothing new in this file" in again.text and "Import 2" not in again.text


def test_an_xlsx_workbook_is_read(client: Client) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Employer", "Position", "Applied"])
    sheet.append(["Umbrella", "Data Engineer", "2026-11-10"])
    data = io.BytesIO()
    book.save(data)
    token = _token(_upload(client, data.getvalue(), "jobs.xlsx"))
    text = _text(client.get(f"/import-export/uploads/{token}").text)
    assert "Umbrella Data Engineer" in text and "1 new opportunity" in text


BAD_FILES = [
    (b"", "tracker.csv", 422, "tracker.csv is empty"),
    (b"%PDF-1.7 whatever", "jobs.pdf", 422, "jobs.pdf: is a PDF, not a spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "jobs.xls", 422, "old Excel .xls"),
    (
        b"PK\x03\x04 not really a zip",
        "jobs.xlsx",
        422,
        "jobs.xlsx: cannot be read as an XLSX workbook (the file is cut short or damaged)",
    ),
    (b"Company;Role\n", "x.ods", 422, "x.ods: .ods sheets are not read"),
]


@pytest.mark.parametrize(("content", "name", "status", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_its_reason(
    app: Starlette, client: Client, content: bytes, name: str, status: int, message: str
) -> None:
    before = counts(store_of(app))
    root = uploads.uploads_root()
    held = _kept(app)
    response = _upload(client, content, name)
    assert response.status_code == status
    assert message in _field_error(response.text, "file")
    assert 'aria-invalid="true"' in response.text
    assert str(root) not in response.text
    assert counts(store_of(app)) == before
    assert _kept(app) <= held, "nothing is kept of a refused file"


def test_uploading_needs_a_file(app: Starlette, client: Client) -> None:
    response = client.send_form("/import-export", {"dates": "dmy"})
    assert response.status_code == 422
    assert _field_error(response.text, "file") == "Choose a CSV or XLSX file to upload."


def test_bad_upload_options_name_their_field(app: Starlette, client: Client) -> None:
    before = counts(store_of(app))
    response = _upload(client, data={"dates": "ymd", "mapping": "nope"})
    assert response.status_code == 422
    assert "day first or month first" in _field_error(response.text, "dates")
    assert "No saved column mapping is named 'nope'" in _field_error(response.text, "mapping")
    assert counts(store_of(app)) == before


def test_a_file_over_the_limit_is_refused_before_it_is_kept(
    app: Starlette, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(store_of(app))
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    response = _upload(client)  # larger than the file limit, within the request's slack
    assert response.status_code == 413
    assert "larger than" in _field_error(response.text, "file")
    monkeypatch.setattr(uploads, "ENVELOPE", 0)
    response = _upload(client)  # the declared length alone refuses it
    assert response.status_code == 413
    assert "the most this page takes" in _field_error(response.text, "file")
    assert counts(store_of(app)) == before


def test_columns_that_were_not_recognised_are_chosen_on_the_page(
    app: Starlette, client: Client
) -> None:
    content = b"Name,What,When\nHooli,Analyst,2026-11-03\n"
    token = _token(_upload(client, content, "odd.csv"))
    page = client.get(f"/import-export/uploads/{token}")
    assert "No column holds the company and the role" in page.text
    assert "Import 1" not in page.text
    before = counts(store_of(app))
    form = {"col-0": "company", "col-1": "role", "col-2": "applied_on"}
    partial = client.send_form(f"/import-export/uploads/{token}/preview", {"col-0": "company"})
    assert partial.status_code == 422 and "No column holds the role" in partial.text
    checked = client.send_form(f"/import-export/uploads/{token}/preview", form)
    assert checked.status_code == 303
    text = _text(client.get(f"/import-export/uploads/{token}").text)
    assert "Hooli Analyst" in text and "as you chose" in text
    assert counts(store_of(app)) == before
    assert client.send_form(f"/import-export/uploads/{token}/import", {}).status_code == 303
    assert "Hooli" in client.get("/pipeline?view=table&stage=all").text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"col-0": "company", "col-1": "company"}, "col-1", "already read from column A"),
        ({"col-0": "company", "col-1": "wizardry"}, "col-1", "'wizardry' is not a field"),
        ({"dates": "sideways"}, "dates", "day first or month first"),
        ({"mapping": "never saved"}, "mapping", "No saved column mapping"),
    ],
)
def test_bad_corrections_name_their_field_and_change_nothing(
    app: Starlette, client: Client, data: dict[str, str], field: str, message: str
) -> None:
    token = _token(_upload(client))
    before = counts(store_of(app))
    response = client.send_form(f"/import-export/uploads/{token}/preview", data)
    assert response.status_code == 422
    assert message in _field_error(response.text, field)
    assert counts(store_of(app)) == before
    assert "Import 2 opportunities" in client.get(f"/import-export/uploads/{token}").text


def test_the_date_order_can_be_chosen(client: Client) -> None:
    content = b"Company,Role,Applied\nAcme,Analyst,03/05/2026\n"
    token = _token(_upload(client, content, data={"dates": "dmy"}))
    text = _text(client.get(f"/import-export/uploads/{token}").text)
    assert "Applied: day first, as you chose" in text and "2026-05-03" in text
    response = client.send_form(f"/import-export/uploads/{token}/preview", {"dates": "mdy"})
    assert response.status_code == 303
    text = _text(client.get(f"/import-export/uploads/{token}").text)
    assert "month first, as you chose" in text and "2026-03-05" in text


WINDOWS_CSV = (
    "Company,Role,Contact,Salary,Date applied\n"
    "Müller GmbH,Data Analyst,Renée Dubois,€55k,2026-11-02\n"
    "Café Olé,BI Developer,,,2026-10-20\n"
).encode("cp1252")


def test_a_windows_csv_is_refused_on_automatic_then_read_as_chosen(
    app: Starlette, client: Client
) -> None:
    before = counts(store_of(app))
    held = _kept(app)
    refused = _upload(client, WINDOWS_CSV, "excel.csv")
    assert refused.status_code == 422
    said = _field_error(refused.text, "file")
    assert "excel.csv: is not UTF-8 and has no byte-order mark" in said
    assert "choose its encoding under “Encoding”" in said
    assert "“Windows (Western European, cp1252)”" in said
    assert "--encoding" not in refused.text and "nudge command" not in said
    assert re.search(r'<details class="options" open>', refused.text), "the choice is shown"
    assert 'value="cp1252">Windows (Western European, cp1252)</option>' in refused.text
    assert _kept(app) <= held and counts(store_of(app)) == before

    token = _token(_upload(client, WINDOWS_CSV, "excel.csv", data={"encoding": "cp1252"}))
    page = client.get(f"/import-export/uploads/{token}").text
    text = _text(page)
    assert "read as Windows (Western European, cp1252)" in text
    assert "Müller GmbH Data Analyst" in text and "Café Olé BI Developer" in text
    assert 'value="cp1252" selected' in page
    # The choice survives checking the columns again.
    form = {f"col-{i}": f for i, f in enumerate(["company", "role", "contact", "salary"])}
    form.update({"col-4": "applied_on", "encoding": "cp1252"})
    assert client.send_form(f"/import-export/uploads/{token}/preview", form).status_code == 303
    page = client.get(f"/import-export/uploads/{token}").text
    assert 'value="cp1252" selected' in page and "Müller GmbH" in _text(page)

    done = client.send_form(f"/import-export/uploads/{token}/import", {})
    assert done.status_code == 303 and done.headers["location"] == "/pipeline"
    store = store_of(app)
    owner = store.ensure_user("local")
    found = {o.company: o for o, _stage in store.opportunities(owner)}
    assert set(found) >= {"Müller GmbH", "Café Olé"}
    assert "Salary: €55k" in found["Müller GmbH"].notes
    assert "Renée Dubois" in [c.name for c in store.contacts(owner)]


def test_a_wrong_encoding_chosen_on_the_dry_run_keeps_the_file(client: Client) -> None:
    token = _token(_upload(client, WINDOWS_CSV, "excel.csv", data={"encoding": "cp1252"}))
    wrong = client.send_form(f"/import-export/uploads/{token}/preview", {"encoding": "utf-8"})
    assert wrong.status_code == 422
    said = _field_error(wrong.text, "encoding")
    assert "excel.csv: is not valid utf-8 text" in said and "choose it under “Encoding”" in said
    assert _held(token)
    page = client.get(f"/import-export/uploads/{token}").text
    assert 'value="cp1252" selected' in page and "Müller GmbH" in _text(page)
    auto = client.send_form(f"/import-export/uploads/{token}/preview", {"encoding": ""})
    assert auto.status_code == 422 and "“Encoding”" in _field_error(auto.text, "encoding")
    assert _held(token)


@pytest.mark.parametrize("where", ["upload", "preview"])
def test_an_unknown_encoding_is_refused_naming_its_field(
    app: Starlette, client: Client, where: str
) -> None:
    before = counts(store_of(app))
    bad = {"encoding": "klingon-8"}
    if where == "upload":
        response = _upload(client, WINDOWS_CSV, "excel.csv", data=bad)
    else:
        token = _token(_upload(client, WINDOWS_CSV, "excel.csv", data={"encoding": "cp1252"}))
        response = client.send_form(f"/import-export/uploads/{token}/preview", bad)
        assert _held(token)
        page = client.get(f"/import-export/uploads/{token}").text
        assert 'value="cp1252" selected' in page, "the saved choice is unchanged"
    assert response.status_code == 422
    said = _field_error(response.text, "encoding")
    assert "Encoding: 'klingon-8' is not one this page offers" in said
    assert "Windows (cp1252)" in said
    assert counts(store_of(app)) == before


@pytest.mark.parametrize(
    ("where", "choice", "said"),
    [
        ("upload", "klingon-8", "Encoding: 'klingon-8' is not one this page offers"),
        ("upload", "utf-8", "excel.csv: is not valid utf-8 text"),
        ("upload", "", "excel.csv: is not UTF-8 and has no byte-order mark"),
        ("preview", "klingon-8", "Encoding: 'klingon-8' is not one this page offers"),
        ("preview", "utf-8", "excel.csv: is not valid utf-8 text"),
    ],
)
def test_a_refused_encoding_is_said_once_beside_its_field(
    client: Client, where: str, choice: str, said: str
) -> None:
    if where == "upload":
        response = _upload(client, WINDOWS_CSV, "excel.csv", data={"encoding": choice})
        field = "encoding" if choice == "klingon-8" else "file"
    else:
        token = _token(_upload(client, WINDOWS_CSV, "excel.csv", data={"encoding": "cp1252"}))
        response = client.send_form(f"/import-export/uploads/{token}/preview", {"encoding": choice})
        field = "encoding"
    assert response.status_code == 422
    assert said in _field_error(response.text, field)
    assert _text(response.text).count(said) == 1
    summary = re.search(r'<div class="errors-summary".*?</div>', response.text, re.DOTALL)
    assert summary is not None and f'href="#{field}"' in summary.group(0)


def test_an_xlsx_has_no_encoding_to_choose(client: Client) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Company", "Role"])
    sheet.append(["Müller GmbH", "Analyst"])
    data = io.BytesIO()
    book.save(data)
    sent = _upload(client, data.getvalue(), "book.xlsx", data={"encoding": "mac-roman"})
    page = client.get(f"/import-export/uploads/{_token(sent)}").text
    assert "Müller GmbH Analyst" in _text(page)
    assert 'name="encoding"' not in page


def test_a_mapping_can_be_saved_and_used_again(app: Starlette, client: Client) -> None:
    content = b"Name,What\nHooli,Analyst\n"
    token = _token(_upload(client, content))
    form = {"col-0": "company", "col-1": "role"}
    assert client.send_form(f"/import-export/uploads/{token}/preview", form).status_code == 303
    long_name = client.send_form(f"/import-export/uploads/{token}/import", {"save_as": "x" * 61})
    assert long_name.status_code == 422 and _field_error(long_name.text, "save_as")
    done = client.send_form(f"/import-export/uploads/{token}/import", {"save_as": "my  sheet"})
    assert done.status_code == 303
    assert "Columns saved as “my sheet”" in client.get("/pipeline").text
    assert '<option value="my sheet">Saved: my sheet</option>' in client.get("/import-export").text
    second = _token(_upload(client, b"Name,What\nPied Piper,CEO\n", data={"mapping": "my sheet"}))
    assert "Pied Piper CEO" in _text(client.get(f"/import-export/uploads/{second}").text)


def test_an_account_saves_a_mapping_and_its_settings_still_work(
    accounts_app: Starlette,
) -> None:
    """Saved columns live beside an account's settings without breaking them."""
    alex = sign_up(accounts_app, "alex")
    token = _token(_upload(alex, b"Name,What\nHooli,Analyst\n"))
    form = {"col-0": "company", "col-1": "role"}
    assert alex.send_form(f"/import-export/uploads/{token}/preview", form).status_code == 303
    done = alex.send_form(f"/import-export/uploads/{token}/import", {"save_as": "my sheet"})
    assert done.status_code == 303
    for page in ("/", "/pipeline", "/settings", "/import-export"):
        assert alex.get(page).status_code == 200, page
    profile = {"name": "Alex", "tz": "Europe/Berlin", "country": "DE", "signature": ""}
    assert alex.send_form("/settings/profile", profile).status_code == 303
    assert '<option value="my sheet">' in alex.get("/import-export").text  # kept by the save


def test_cancel_deletes_the_upload(app: Starlette, client: Client) -> None:
    token = _token(_upload(client))
    response = client.send_form(f"/import-export/uploads/{token}/cancel", {})
    assert response.status_code == 303 and response.headers["location"] == "/import-export"
    assert not _held(token)
    assert "tracker.csv is deleted" in client.get("/import-export").text
    assert client.get(f"/import-export/uploads/{token}").status_code == 404
    assert counts(store_of(app))["opportunities"] == 0


def test_an_upload_expires_and_a_new_one_replaces_it(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _token(_upload(client))
    second = _token(_upload(client))
    assert not _held(first) and _held(second)
    monkeypatch.setattr(uploads, "UPLOAD_TTL", -1)
    assert client.get(f"/import-export/uploads/{second}").status_code == 404
    assert not _held(second)
    assert client.get("/import-export/uploads/not-a-token").status_code == 404


def test_forms_without_the_csrf_token_are_refused(app: Starlette, client: Client) -> None:
    before = counts(store_of(app))
    assert _upload(client, csrf=False).status_code == 403
    token = _token(_upload(client))
    for action in ("import", "preview", "cancel"):
        url = f"/import-export/uploads/{token}/{action}"
        assert client.send_form(url, {}, csrf=False).status_code == 403
    assert _held(token)
    assert counts(store_of(app)) == before


# Downloads


def test_downloads_have_their_type_and_file_name(demo: Starlette, client: Client) -> None:
    from openpyxl import load_workbook

    xlsx = client.get("/import-export/jobnudge.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert xlsx.headers["content-disposition"] == 'attachment; filename="jobnudge-2026-11-24.xlsx"'
    assert xlsx.headers["cache-control"] == "no-store"
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert book.sheetnames == ["Opportunities", "Contacts", "Events", "Nudges"]

    csv = client.get("/import-export/sheet.csv?sheet=contacts")
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "jobnudge-contacts-2026-11-24.csv" in csv.headers["content-disposition"]
    assert csv.content.startswith(b"\xef\xbb\xbf") and "Dana Lee" in csv.content.decode()

    backup = client.get("/import-export/backup.json")
    assert backup.headers["content-type"] == "application/json"
    assert "jobnudge-backup-2026-11-24.json" in backup.headers["content-disposition"]
    assert json.loads(backup.content)["format"] == "jobnudge-backup"

    vcf = client.get("/import-export/contacts.vcf")
    assert vcf.headers["content-type"].startswith("text/vcard")
    assert vcf.text.startswith("BEGIN:VCARD") and "Dana Lee" in vcf.text


def test_the_activity_report_opens_as_a_printable_page_or_csv(
    demo: Starlette, client: Client
) -> None:
    page = client.get("/import-export/report?from=2026-10-01&to=2026-11-24&format=html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"] == (
        'inline; filename="job-search-activity-2026-10-01-to-2026-11-24.html"'
    )
    assert "style-src 'unsafe-inline'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]
    assert "Job search activity report" in page.text and "Northwind" in page.text
    csv = client.get("/import-export/report?format=csv")
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "job-search-activity-2026-10-28-to-2026-11-24.csv" in csv.headers["content-disposition"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=the+blursday&to=2026-11-24", "from", "From"),
        ("from=2026-11-20&to=2026-11-01", "from", "is after To"),
        ("to=whenever", "to", "To"),
        ("format=pdf", "format", "printable page or CSV"),
    ],
)
def test_a_bad_report_range_names_its_field(
    demo: Starlette, client: Client, query: str, field: str, message: str
) -> None:
    response = client.get(f"/import-export/report?{query}")
    assert response.status_code == 422
    assert message in _field_error(response.text, field)


def test_an_unknown_sheet_is_refused(client: Client) -> None:
    response = client.get("/import-export/sheet.csv?sheet=secrets")
    assert response.status_code == 422
    assert "Choose one of the sheets" in _field_error(response.text, "sheet")


# Restore


def _backup_of(client: Client) -> bytes:
    content: bytes = client.get("/import-export/backup.json").content
    return content


def _restore(client: Client, content: bytes, name: str = "backup.json", **kw: Any) -> Any:
    return client.send_form(
        "/import-export/restore", {}, files={"backup": (name, content, "application/json")}, **kw
    )


def test_a_backup_restores_into_an_empty_search_only(
    demo: Starlette, client: Client, make_app: Callable[..., Starlette], tmp_path: Path
) -> None:
    saved = _backup_of(client)
    assert 'action="/import-export/restore"' not in client.get("/import-export").text
    before = counts(store_of(demo))
    refused = _restore(client, saved)
    assert refused.status_code == 409
    assert "restored only into an empty search" in _field_error(refused.text, "backup")
    assert counts(store_of(demo)) == before

    fresh = make_app(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    with Client(fresh) as other:
        done = _restore(other, saved)
        assert done.status_code == 303 and done.headers["location"] == "/pipeline"
        assert re.search(r"Restored \d+ opportunities", other.get("/pipeline").text)
        restored = counts(store_of(fresh))
        for table in ("opportunities", "contacts", "companies", "events"):
            assert restored[table] == before[table], table


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "is not a jobnudge backup (not valid JSON"),
        (b'{"format": "something else"}', 'no "format": "jobnudge-backup"'),
        (b'{"format": "jobnudge-backup", "version": 99}', "newer jobnudge"),
    ],
)
def test_a_bad_backup_is_refused_and_writes_nothing(
    app: Starlette, client: Client, content: bytes, message: str
) -> None:
    before = counts(store_of(app))
    response = _restore(client, content, "mine.json")
    assert response.status_code == 422
    error = _field_error(response.text, "backup")
    assert message in error and error.startswith("mine.json:")
    assert counts(store_of(app)) == before


def test_restoring_needs_a_file_and_the_token(app: Starlette, client: Client) -> None:
    response = client.send_form("/import-export/restore", {})
    assert response.status_code == 422
    assert "Choose the backup file" in _field_error(response.text, "backup")
    assert _restore(client, b"{}", csrf=False).status_code == 403


def test_an_account_restores_a_backup_and_keeps_usable_settings(
    make_app: Callable[..., Starlette],
) -> None:
    app = make_app(accounts=True)
    alex = sign_up(app, "alex")
    backup = {
        "format": "jobnudge-backup",
        "version": 1,
        "settings": {
            "import_mappings": {"old": {"Firm": "company"}},
            "playbook": {"apply_check_in_days": 6},
            "database": "sqlite:////elsewhere.sqlite",
        },
        "companies": [
            {"id": 7, "name": "Acme", "aliases": [], "domains": [], "is_staffing_firm": False}
        ],
        "contacts": [],
        "opportunities": [],
        "events": [],
    }
    response = _restore(alex, json.dumps(backup).encode())
    assert response.status_code == 303, response.text
    store = store_of(app)
    owner = store.find_user("alex")
    assert owner is not None
    doc = store.user_settings(owner)
    assert "import_mappings" not in doc and "database" not in doc
    assert doc["playbook"] == {"apply_check_in_days": 6}
    assert alex.get("/settings").status_code == 200
    sam = sign_up(app, "sam")
    backup["settings"] = {"profile": {"tz": "Mars/Olympus"}}
    bad = _restore(sam, json.dumps(backup).encode(), "sam.json")
    assert bad.status_code == 422
    assert "its settings cannot be used" in _field_error(bad.text, "backup")
    assert store.companies(store.find_user("sam") or 0) == []


def test_a_coach_downloads_but_never_imports_or_restores(accounts_app: Starlette) -> None:
    from jobnudge.services import demo as demo_service
    from jobnudge.services.session import Session

    from .conftest import NOW, SETTINGS

    alice = sign_up(accounts_app, "alice")
    coach = sign_up(accounts_app, "coach")
    store = store_of(accounts_app)
    alice_id = store.find_user("alice")
    assert alice_id is not None
    demo_service.load(Session(store=store, settings=SETTINGS, owner=alice_id, now=NOW))
    assert alice.send_form("/account/shares", {"coach": "coach"}).status_code == 303
    assert coach.send_form("/account/view", {"owner": str(alice_id)}).status_code == 303
    page = coach.get("/import-export").text
    assert "read-only" in page and 'name="file"' not in page and "backup.json" not in page
    before = counts(store)
    assert _upload(coach).status_code == 403
    assert _restore(coach, b"{}").status_code == 403
    assert counts(store) == before
    sheet = coach.get("/import-export/sheet.csv?sheet=opportunities")
    assert sheet.status_code == 200 and "Northwind" in sheet.content.decode()
    assert coach.get("/import-export/backup.json").status_code == 403


MESSY = (
    b"Company,Position,Date applied,Status,Follow up?,Contact,Email\n"
    b"Pinecrest,Analyst,2026-11-02,Offer,send thanks,Ben Ross,ben@pinecrest\n"
    b"Acme,Engineer,2026-11-01,Interview 2,yes,Dana Lee <dana@acme.example>,\n"
    b"Initech,Dev,2026-10-10,Waiting on HR,no,,\n"
)


def test_a_messy_tracker_comes_in_whole_and_the_dry_run_says_what_was_kept(
    app: Starlette, client: Client
) -> None:
    token = _token(_upload(client, MESSY, "messy.csv"))
    page = client.get(f"/import-export/uploads/{token}").text
    text = _text(page)
    assert "3 new opportunities" in text and "Import 3 opportunities" in text
    assert "Statuses jobnudge does not know" in text and "Waiting on HR 4" in text
    assert "Cells kept as notes" in text
    assert "2 Email 'ben@pinecrest' is not an email address; kept in the notes" in text
    assert "offer, date unknown" in text and "interviewed (round 2), date unknown" in text
    # "Follow up?" holds words: the picker shows it as notes, and why.
    assert re.search(r'id="col-4" name="col-4">.*?value="notes" selected', page, re.S)
    assert "read as notes, not as the follow-up date you planned" in text
    # Kept as notes on the user's word, the picker reads it the same; chosen as a follow-up
    # date, it stays one and each odd cell is a warning.
    form = {
        f"col-{i}": f
        for i, f in enumerate(
            ["company", "role", "applied_on", "status", "follow_up_on", "contact", "email"]
        )
    }
    assert client.send_form(f"/import-export/uploads/{token}/preview", form).status_code == 303
    text = _text(client.get(f"/import-export/uploads/{token}").text)
    assert "2 Follow up? 'send thanks' is not a date I can read; kept in the notes" in text
    done = client.send_form(f"/import-export/uploads/{token}/import", {})
    assert done.status_code == 303
    pipeline = client.get("/pipeline?view=table&stage=all").text
    assert "Imported 3 new opportunities" in pipeline
    assert "4 cells that could not be read were kept in the notes." in unescape(pipeline)
    store = store_of(app)
    owner = store.ensure_user("local")
    pinecrest = next(o for o, _s in store.opportunities(owner) if o.company == "Pinecrest")
    timeline = _text(client.get(f"/opportunities/{pinecrest.id}").text)
    assert "date unknown" in timeline


def test_a_stray_quote_closed_rows_later_is_refused_on_the_dry_run(
    app: Starlette, client: Client
) -> None:
    before = counts(store_of(app))
    content = b'Company,Role,Notes\nAcme,"Analyst,x\nGlobex,Dev,y\nHooli,Eng,said "hi"\n'
    page = client.get(f"/import-export/uploads/{_token(_upload(client, content, 'stray.csv'))}")
    assert page.status_code == 422
    assert (
        'stray.csv: a cell starting with " on line 2 runs on over lines 3-4, which look like '
        "rows of their own; close the quote on line 2 or remove it."
    ) in _field_error(page.text, "file")
    assert counts(store_of(app)) == before
