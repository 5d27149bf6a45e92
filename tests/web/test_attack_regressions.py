"""Classes of attack found by trying the server as an attacker would, each kept as a test over
every route it could reach: ids no database can hold, forms posted from another origin with a
planted token, and templates that nest too deeply to compile."""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.routing import Route

from tests.drafts.payloads import NESTING

from .conftest import Client
from .test_host_check import every_request

HUGE = ("99999999999999999999", "9223372036854775808", "2147483648")


def test_no_route_takes_an_unbounded_integer(demo: Starlette) -> None:
    unbounded = [
        r.path for r in demo.routes if isinstance(r, Route) and re.search(r":int\}", r.path)
    ]
    assert unbounded == [], "use the bounded {name:id} convertor"


def test_ids_no_database_can_hold_are_not_found_on_every_route(
    demo: Starlette, client: Client
) -> None:
    token = client.token()
    for method, path in every_request(demo):
        if "/1" not in path or method == "HEAD":
            continue
        for huge in HUGE:
            target = path.replace("/1", f"/{huge}", 1)
            response = client.request(
                method, target, data={"csrf_token": token}, follow_redirects=False
            )
            assert response.status_code < 500, (method, target, response.status_code)


def test_a_form_from_another_origin_is_refused_even_with_a_planted_token(
    demo: Starlette, client: Client
) -> None:
    token = client.token()
    posts = [path for method, path in every_request(demo) if method == "POST"]
    assert len(posts) > 20  # 404: a route of accounts mode, or an id the demo does not have
    for path in posts:
        for origin in ("http://127.0.0.1:3000", "http://evil.example", "null"):
            response = client.post(
                path,
                data={"csrf_token": token},
                headers={"origin": origin},
                follow_redirects=False,
            )
            assert response.status_code in (403, 404), (path, origin, response.status_code)
        response = client.post(
            path,
            data={"csrf_token": token},
            headers={"referer": "http://localhost:9000/x"},
            follow_redirects=False,
        )
        assert response.status_code in (403, 404), (path, "referer")
    same = client.post(
        "/settings/profile",
        data={"csrf_token": token, "name": "Alex", "tz": "America/New_York"},
        headers={"origin": "http://127.0.0.1"},
        follow_redirects=False,
    )
    assert same.status_code != 403


def test_templates_that_nest_too_deeply_are_refused_not_crashed(client: Client) -> None:
    for name, payload in NESTING.items():
        response = client.send_form(
            "/settings/templates/apply.check-in/email", {"text": "Subject: x\n\n" + payload}
        )
        assert response.status_code == 422, (name, response.status_code)
        assert "nests too deeply" in response.text, name
