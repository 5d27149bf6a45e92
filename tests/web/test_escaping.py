"""Everything a user types is text: a script tag in every text field comes back escaped."""

from __future__ import annotations

from starlette.applications import Starlette

from .conftest import Client

XSS = '<script>alert("x")</script>'


def test_a_script_tag_in_every_text_field_is_escaped(app: Starlette, client: Client) -> None:
    response = client.send_form(
        "/opportunities",
        {
            "company": f"Acme {XSS}",
            "role": f"Analyst {XSS}",
            "applied_on": "yesterday",
            "source": XSS,
            "referred_by": f"Sam {XSS}",
            "recruiter": f"Rae {XSS}",
            "note": XSS,
        },
    )
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    assert (
        client.send_form(
            f"{url}/log",
            {
                "form": "interview",
                "event": "interviewed",
                "at": "today 9am",
                "with": f"Dana {XSS}",
                "note": XSS,
            },
        ).status_code
        == 303
    )
    assert (
        client.send_form(
            f"{url}/log", {"form": "message", "event": "received", "note": XSS, "body": XSS}
        ).status_code
        == 303
    )
    added = client.send_form(
        "/contacts",
        {"name": f"Pat {XSS}", "company": f"Co {XSS}", "title": XSS, "phone": XSS, "notes": XSS},
    )
    assert added.status_code == 303
    assert (
        client.send_form(
            "/settings/profile", {"name": XSS, "signature": XSS, "tz": "UTC", "country": "US"}
        ).status_code
        == 303
    )
    bad = client.send_form("/opportunities", {"company": XSS, "role": "", "applied_on": XSS})
    assert bad.status_code == 422
    pages = [bad.text]
    for path in [
        "/",
        url,
        "/pipeline",
        "/pipeline?view=table",
        "/contacts",
        added.headers["location"],
        "/review",
        "/settings",
        f"/pipeline?q={XSS}",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.text)
    for html in pages:
        assert "<script>alert" not in html
    assert any("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html for html in pages)
