"""Local mode answers only the hosts it was started for: a page elsewhere that rebinds its own
name to 127.0.0.1 gets 400 and nothing else, from every route. With accounts, the hosts in
``web.allowed_hosts`` when given."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from jobnudge.web import create_app
from jobnudge.webconfig import Web

from .conftest import NOW, SETTINGS, Client

FOREIGN = [
    "attacker.example",
    "attacker.example:8765",
    "127.0.0.1.attacker.example",
    "localhost.attacker.example:8765",
    "127.0.0.2:8765",
    "[::2]:8765",
    "0.0.0.0:8765",
    "10.0.0.5",
    "",
    "127.0.0.1:8765:80",
    "local host",
]
SAMPLE = {"int": "1", "id": "1", "str": "abcdef0", "path": "app.css"}


def every_request(app: Starlette) -> list[tuple[str, str]]:
    """(method, path) for every route of ``app``, its parameters filled with sample values."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.append(("GET", route.path + "/app.css"))
            continue
        assert isinstance(route, Route)
        path = re.sub(r"\{\w+:(\w+)\}", lambda m: SAMPLE[m.group(1)], route.path)
        path = re.sub(r"\{\w+\}", "x", path)
        for method in sorted(route.methods or {"GET"}):
            found.append((method, path))
    return found


def test_a_foreign_host_gets_nothing_from_any_route(demo: Starlette, client: Client) -> None:
    requests = every_request(demo)
    assert len(requests) > 60 and ("GET", "/import-export/backup.json") in requests
    assert client.get("/import-export/backup.json").status_code == 200  # the real host: data
    for method, path in requests:
        for host in FOREIGN:
            response = client.request(
                method, path, headers={"host": host}, data={"csrf_token": client.token()}
            )
            assert response.status_code == 400, (method, path, host, response.status_code)
            expected = "" if method == "HEAD" else "Invalid host header"
            assert response.text == expected, (method, path, host)
            assert "set-cookie" not in response.headers


def test_the_loopback_names_and_the_started_host_are_answered(
    make_app: Callable[..., Starlette],
) -> None:
    app = make_app(hosts=("::1",))
    with Client(app) as client:
        for host in ("127.0.0.1", "127.0.0.1:8765", "localhost:8765", "LOCALHOST", "[::1]:8765"):
            assert client.get("/", headers={"host": host}).status_code == 200, host


def test_allowed_hosts_add_names_in_local_mode(tmp_path: Path) -> None:
    app = create_app(
        replace(SETTINGS, web=Web(allowed_hosts=("nudge.home.arpa",))),
        db=f"sqlite:///{tmp_path / 'h.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: NOW,
    )
    try:
        with Client(app) as client:
            assert client.get("/", headers={"host": "nudge.home.arpa:8765"}).status_code == 200
            assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    finally:
        app.state.nudge.store.close()


_ALLOWED = {"127.0.0.1", "localhost", "[::1]"}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=40),
        st.from_regex(r"[a-z0-9.\-\[\]:]{1,30}", fullmatch=True),
        st.sampled_from(sorted(_ALLOWED)).map(lambda h: f"{h}.{h}"),
    )
)
def test_any_other_host_is_refused(client: Client, host: str) -> None:
    try:
        raw = host.encode("latin-1")  # what can travel in a header
    except UnicodeEncodeError:
        return
    if "\r" in host or "\n" in host or "\x00" in host or host != host.strip(" \t"):
        return
    name = re.sub(r":\d+$", "", host.lower())
    response = client.get("/", headers={"host": raw})
    if name in _ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and response.text == "Invalid host header"


def test_accounts_answer_any_host_unless_allowed_hosts_are_set(
    make_app: Callable[..., Starlette], tmp_path: Path
) -> None:
    open_app = make_app(accounts=True)
    with Client(open_app) as client:
        assert client.get("/signin", headers={"host": "nudge.example.org"}).status_code == 200
    app = create_app(
        replace(SETTINGS, web=Web(allowed_hosts=("nudge.example.org",))),
        db=f"sqlite:///{tmp_path / 'a.sqlite'}",
        data_dir=tmp_path / "data2",
        settings_path=tmp_path / "config2.toml",
        now=lambda tz: NOW,
        accounts=True,
    )
    try:
        with Client(app) as client:
            assert client.get("/signin", headers={"host": "nudge.example.org"}).status_code == 200
            assert client.get("/signin", headers={"host": "127.0.0.1:8765"}).status_code == 200
            refused = client.get("/signin", headers={"host": "attacker.example"})
            assert refused.status_code == 400 and refused.text == "Invalid host header"
    finally:
        app.state.nudge.store.close()


def test_a_forged_host_cannot_put_its_name_into_invitation_links(tmp_path: Path) -> None:
    from jobnudge.store import accounts

    from .conftest import PASSWORD

    app = create_app(
        replace(SETTINGS, web=Web(allowed_hosts=("nudge.example.org",))),
        db=f"sqlite:///{tmp_path / 'i.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: NOW,
        accounts=True,
    )
    try:
        token = accounts.create_invitation(app.state.nudge.store, None, "alex", NOW)
        client = Client(app, base_url="http://nudge.example.org")
        form = {"invite": token, "name": "alex", "password": PASSWORD, "confirm": PASSWORD}
        assert client.send_form("/signup", form).status_code == 303
        assert (
            client.send_form("/signin", {"name": "alex", "password": PASSWORD}).status_code == 303
        )
        page = client.send_form("/account/invitations", {"note": "x"})
        assert "http://nudge.example.org/signup?invite=" in page.text
        forged = client.send_form(
            "/account/invitations", {"note": "x"}, headers={"host": "attacker.example"}
        )
        assert forged.status_code == 400 and "attacker.example" not in forged.text
    finally:
        app.state.nudge.store.close()
