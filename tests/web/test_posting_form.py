"""The Add form's "Paste the posting": read, shown with its sentences for confirming and
correcting, saved only on confirm; and a second application caught before it is added."""

from __future__ import annotations

from starlette.applications import Starlette

from tests.postings import samples

from .conftest import Client, counts, store_of

PASTED = (
    "Data Analyst at Initech\n"
    "Only shortlisted candidates will be contacted within 10 working days. No phone calls."
)


def test_read_shows_values_with_sentences_and_saves_nothing(app: Starlette, client: Client) -> None:
    before = counts(store_of(app))
    page = client.send_form(
        "/opportunities", {"step": "read", "posting_text": samples.ats_plain(), "status": "lead"}
    )
    assert page.status_code == 200
    html = page.text
    assert 'value="Acme Inc."' in html and 'value="Senior Data Analyst"' in html
    assert 'name="read_responds_within"' in html and 'value="14"' in html
    assert "From “We aim to respond to every application within two weeks.”" in html
    assert "From the page's posting data (validThrough)." in html
    assert 'name="csrf_token" value=""' not in html  # the confirm form carries the token
    assert counts(store_of(app)) == before


def test_confirmed_values_are_saved_with_corrections(app: Starlette, client: Client) -> None:
    said = "Only shortlisted candidates will be contacted within 10 working days."
    form = {
        "step": "save",
        "company": "Initech",
        "role": "Data Analyst",
        "status": "applied",
        "applied_on": "today",
        "posting_text": PASTED,
        "read_responds_within": "21",  # corrected by the user
        "src_responds_within": said,
        "kind_responds_within": "int",
        "read_shortlist_only": "on",
        "src_shortlist_only": said,
        "kind_shortlist_only": "bool",
        "src_no_calls": "No phone calls.",  # unticked: not kept
        "kind_no_calls": "bool",
    }
    saved = client.send_form("/opportunities", form)
    assert saved.status_code == 303, saved.text
    store = store_of(app)
    owner = store.ensure_user("local")
    opp, _stage = store.opportunities(owner)[0]
    assert opp.responds_within_days == 21
    assert set(opp.posting_terms) == {"responds_within", "shortlist_only"}
    kept = store.posting(owner, opp.id)
    assert kept is not None and kept.text == PASTED
    shown = client.get(f"/opportunities/{opp.id}").text
    assert "Only shortlisted candidates will be contacted" in shown
    assert "The posting" in shown and "Data Analyst at Initech" in shown


def test_a_bad_correction_is_a_4xx_naming_the_field(client: Client) -> None:
    form = {
        "step": "save",
        "company": "Initech",
        "role": "Data Analyst",
        "status": "lead",
        "posting_text": PASTED,
        "read_responds_within": "soon",
        "src_responds_within": "x",
        "kind_responds_within": "int",
    }
    bad = client.send_form("/opportunities", form)
    assert bad.status_code in (400, 422)
    assert "is not a number of days" in bad.text


def test_reading_nothing_asks_for_the_posting(client: Client) -> None:
    page = client.send_form("/opportunities", {"step": "read", "status": "lead"})
    assert page.status_code == 422
    assert "Paste the posting" in page.text


def test_the_same_job_twice_is_caught(client: Client) -> None:
    first = {"company": "ACME Inc.", "role": "Senior Data Analyst", "status": "lead"}
    assert client.send_form("/opportunities", first).status_code == 303
    second = {"company": "Acme", "role": "Sr. Data Analyst", "status": "lead"}
    again = client.send_form("/opportunities", second)
    assert again.status_code == 409
    assert "You already track #1 ACME Inc. — Senior Data Analyst (lead, added" in again.text
    assert client.send_form("/opportunities", {**second, "again": "on"}).status_code == 303


def test_the_web_form_never_reads_a_file_on_the_server(client: Client) -> None:
    for path in (
        "/etc/passwd",
        "/proc/self/environ",
        "~/.config/jobnudge/config.toml",
        "/dev/zero",
    ):
        page = client.send_form("/opportunities", {"step": "read", "posting": path})
        assert page.status_code == 422, path
        assert "web address" in page.text and "root:" not in page.text, path


def test_a_server_with_accounts_fetches_public_addresses_only(accounts_app: Starlette) -> None:
    """An account cannot make the server fetch its own ports, its network or a metadata
    service and show the answer (before the request leaves, and at each redirect)."""
    from .conftest import sign_up

    client = sign_up(accounts_app, "mallory")
    for url in (
        "http://127.0.0.1:5432/",
        "http://localhost:8765/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/admin",
        "http://[::1]/",
        "http://127.0.0.1@10.0.0.5/",
    ):
        page = client.send_form("/opportunities", {"step": "read", "posting": url})
        assert page.status_code == 422, url
        assert "not a public internet address" in page.text, url
