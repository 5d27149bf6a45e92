"""Every route and every form, fed whatever hypothesis makes (ids past 64 bits, year 9999,
300-character zones, escapes, zero-width names), answers below 500: bad input is a 4xx with a
message, never a server error. Runs in local mode and with accounts, on a search with data.

The forms are found by crawling the pages, so a new form is fuzzed without editing this file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.web import create_app
from tests.fuzzing import shown, whole_numbers, words

from .conftest import NOW, SETTINGS, Client, pg_database, sign_up, store_of
from .orgs_world import consent, members, start_org

QUERY_NAMES = [
    "all", "channel", "next", "q", "saved", "invite", "token", "week", "sheet", "view",
    "stage", "sort", "format", "from", "to", "days", "page",
]  # fmt: skip
"""Query parameters the pages read, and a few they do not."""

NEVER_POSTED = {"/signout"}
"""Forms the fuzz leaves alone because they end its session."""

FUZZ = settings(
    max_examples=350,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Forms(HTMLParser):
    """Each ``<form method=post>`` of a page: its action and its fields' names and kinds."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.found: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._current = {}
            self.found.append((a.get("action") or self.page, self._current))
        elif tag in ("input", "select", "textarea") and self._current is not None and a.get("name"):
            self._current.setdefault(a["name"], a.get("type", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


@dataclass
class Site:
    app: Starlette
    client: Client
    forms: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    field_names: list[str] = field(default_factory=list)
    routes: list[tuple[str, str]] = field(default_factory=list)


def _crawl(client: Client, limit: int = 250) -> list[tuple[str, dict[str, str]]]:
    """The post forms of every page reachable from Today (one per action), as the user sees."""
    seen: set[str] = set()
    todo = ["/", "/settings", "/account", "/import-export", "/review", "/contacts"]
    forms: dict[str, tuple[str, dict[str, str]]] = {}
    while todo and len(seen) < limit:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        response = client.get(page)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        parser = _Forms(page.split("?")[0])
        parser.feed(response.text)
        for action, fields in parser.found:
            if action not in NEVER_POSTED:
                forms.setdefault(action, (action, fields))
        for link in re.findall(r'href="(/[^"#]*)"', response.text):
            if not link.startswith("/static") and "signout" not in link:
                todo.append(link.replace("&amp;", "&"))
    return sorted(forms.values())


def _site(app: Starlette, client: Client) -> Site:
    forms = _crawl(client)
    assert len(forms) >= 15, [a for a, _ in forms]
    names = sorted({name for _, fields in forms for name in fields} - {"csrf_token"})
    routes = [
        (route.path, method)
        for route in app.routes
        if isinstance(route, Route)
        for method in sorted(route.methods or ())
        if method != "HEAD" and route.path not in NEVER_POSTED
    ]
    return Site(app, client, forms, names, routes)


def _load_demo(app: Starlette, user: str) -> None:
    store = store_of(app)
    owner = store.ensure_user(user)
    demo_service.load(Session(store=store, settings=SETTINGS, owner=owner, now=NOW))


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("fuzz-local")
    app = _app(home)
    _load_demo(app, "local")
    with Client(app, raise_server_exceptions=False) as client:
        yield _site(app, client)
    store_of(app).close()


@pytest.fixture(scope="module")
def accounts_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("fuzz-accounts")
    app = _app(home, accounts=True)
    signed = sign_up(app, "alex")
    coach = sign_up(app, "coach")
    _load_demo(app, "alex")
    _load_demo(app, "coach")
    signed.send_form("/account/shares", {"coach": "coach"})
    coach.send_form("/account/shares", {"coach": "alex"})  # alex may view coach's search
    with Client(app, raise_server_exceptions=False, cookies=signed.cookies) as client:
        yield _site(app, client)
    store_of(app).close()


@pytest.fixture(scope="module")
def org_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """On PostgreSQL (which refuses a NUL in text, where SQLite stores it): an organisation's
    administrator, and a coach with a consenting job seeker's search on their caseload."""
    yield from _org_sites(tmp_path_factory.mktemp("fuzz-org"))


@pytest.fixture
def fresh_org_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """``org_sites`` made anew: for a test that needs every session still signed in, whatever
    the fuzz before it posted (a new password, a deleted account) on the shared sites."""
    yield from _org_sites(tmp_path_factory.mktemp("fuzz-org-fresh"))


def _org_sites(home: Path) -> Iterator[dict[str, Site]]:
    with pg_database() as url:
        app = _app(home, accounts=True, db=url)
        admin = start_org(app, "ada", "Northside Careers")
        people = members(app, admin, [("coach", "coach"), ("sam", "seeker")])
        _load_demo(app, "sam")
        consent(people["coach"], "coach", people["sam"], "sam", app)
        sites = {}
        for name, signed in (("admin", admin), ("coach", people["coach"])):
            with Client(app, raise_server_exceptions=False, cookies=signed.cookies) as client:
                sites[name] = _site(app, client)
        yield sites
        store_of(app).close()


ORG_FUZZ = settings(FUZZ, max_examples=120)


@ORG_FUZZ
@given(data=st.data(), who=st.sampled_from(["admin", "coach"]))
def test_organisation_forms_never_answer_5xx(
    org_sites: dict[str, Site], data: st.DataObject, who: str
) -> None:
    _fuzz_forms(org_sites[who], data)


@ORG_FUZZ
@given(data=st.data(), who=st.sampled_from(["admin", "coach"]))
def test_organisation_routes_never_answer_5xx(
    org_sites: dict[str, Site], data: st.DataObject, who: str
) -> None:
    _fuzz_routes(org_sites[who], data)


def _app(home: Path, **kw: Any) -> Starlette:
    kw.setdefault("db", f"sqlite:///{home / 'web.sqlite'}")
    return create_app(
        SETTINGS,
        data_dir=home / "data",
        settings_path=home / "config.toml",
        now=lambda tz: NOW,
        keep_pages=False,
        mail_interval=0,
        **kw,
    )


def _segment(value: str) -> str:
    return quote(value, safe="") or "x"


@st.composite
def _path(draw: st.DrawFn, template: str) -> str:
    """``template`` with its ``{name:kind}`` parameters (or the ids already in a form's action)
    filled in: real-looking ids, huge ones, or any text."""

    def fill(match: re.Match[str]) -> str:
        kind = match.group(2) or "str"
        if kind == "int":
            return str(draw(whole_numbers().filter(lambda n: n >= 0)))
        return _segment(draw(words()))

    path = re.sub(r"\{(\w+)(?::(\w+))?\}", fill, template)
    if draw(st.integers(0, 3)) == 0:  # the same action with another id in place of each
        path = re.sub(r"(?<=/)\d+(?=/|$)", lambda m: str(draw(whole_numbers())).lstrip("-"), path)
    return path


def _post(site: Site, path: str, fields: dict[str, str], upload: bytes | None) -> Any:
    files = {"file": ("fuzz.csv", upload, "text/csv")} if upload is not None else None
    return site.client.send_form(path, fields, files=files)


def _check(response: Any, what: str) -> None:
    status = response.status_code
    assert status < 500, f"{what} answered {status}: {shown(response.text)}"


def _fuzz_forms(site: Site, data: st.DataObject) -> None:
    action, fields = data.draw(st.sampled_from(site.forms), label="form")
    path = data.draw(_path(action), label="action")
    values = {
        name: data.draw(words(), label=name)
        for name in fields
        if name != "csrf_token" and data.draw(st.integers(0, 4), label=f"send {name}")
    }
    if data.draw(st.booleans(), label="an extra field"):
        values[data.draw(st.sampled_from(site.field_names))] = data.draw(words())
    upload = None
    if "file" in fields.values():
        upload = data.draw(st.one_of(st.binary(max_size=300), words().map(str.encode)))
    _check(_post(site, path, values, upload), f"POST {path} {values!r}")


def _fuzz_routes(site: Site, data: st.DataObject) -> None:
    template, method = data.draw(st.sampled_from(site.routes), label="route")
    path = data.draw(_path(template), label="path")
    query = data.draw(
        st.dictionaries(st.sampled_from(QUERY_NAMES), words(), max_size=3), label="query"
    )
    # httpx refuses to build a URL over 64 KiB (three 5,000-letter "é" values make one): such
    # a request never leaves the client, so there is no answer to check.
    assume(sum(len(quote(v)) for v in query.values()) < 60_000)
    if method == "GET":
        response = site.client.get(path, params=query, follow_redirects=False)
    else:
        fields = data.draw(st.dictionaries(st.sampled_from(site.field_names), words(), max_size=6))
        response = site.client.send_form(path, fields, params=query)
    _check(response, f"{method} {path}?{query!r}")


@FUZZ
@given(data=st.data())
def test_local_forms_never_answer_5xx(local_site: Site, data: st.DataObject) -> None:
    _fuzz_forms(local_site, data)


@FUZZ
@given(data=st.data())
def test_local_routes_never_answer_5xx(local_site: Site, data: st.DataObject) -> None:
    _fuzz_routes(local_site, data)


@FUZZ
@given(data=st.data())
def test_accounts_forms_never_answer_5xx(accounts_site: Site, data: st.DataObject) -> None:
    _fuzz_forms(accounts_site, data)


@FUZZ
@given(data=st.data())
def test_accounts_routes_never_answer_5xx(accounts_site: Site, data: st.DataObject) -> None:
    _fuzz_routes(accounts_site, data)


def test_a_nul_anywhere_is_refused_with_a_message(fresh_org_sites: dict[str, Site]) -> None:
    """PostgreSQL refuses a NUL in text: every form field and every query parameter that
    holds one is answered with a message naming it, never a server error."""
    for site in fresh_org_sites.values():
        for action, fields in site.forms:
            if action in NEVER_POSTED:
                continue
            for name in fields:
                if name == "csrf_token":
                    continue
                response = site.client.send_form(action, {name: "a\x00b"})
                assert response.status_code in (400, 422), (action, name, response.status_code)
                assert "NUL character" in response.text, (action, name, shown(response.text))
        for template, method in site.routes:
            if method != "GET" or "{" in template:
                continue
            for name in QUERY_NAMES:
                response = site.client.get(template, params={name: "a\x00b"})
                assert response.status_code == 400, (template, name, response.status_code)
                assert "NUL character" in response.text
