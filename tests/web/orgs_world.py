"""Building organisations through the pages themselves: an administrator starts one, invites
people by a pasted CSV (links shown on the page when the server has no mail set up), each
person signs up with their link, and job seekers consent to a coach."""

from __future__ import annotations

import re

from starlette.applications import Starlette

from .conftest import PASSWORD, Client, sign_up, store_of

LINK = re.compile(r"/signup\?invite=([\w-]+)")


def start_org(app: Starlette, admin: str, org: str) -> Client:
    client = sign_up(app, admin)
    made = client.send_form(
        "/org", {"organisation": org, "full_name": admin.title(), "email": f"{admin}@example.org"}
    )
    assert made.status_code == 303, made.text[:800]
    return client


def invite_links(admin: Client, people: list[tuple[str, str]]) -> list[str]:
    """Invite (user name, role) pairs; returns their sign-up tokens in order."""
    lines = "\n".join(f"{n.title()} Person,{n}@example.org,{role}" for n, role in people)
    page = admin.send_form("/org/invitations", {"people": "name,email,role\n" + lines})
    assert page.status_code == 200, page.text[:800]
    tokens = LINK.findall(page.text)
    assert len(tokens) == len(people), page.text[:2000]
    return tokens


def join(app: Starlette, token: str, name: str) -> Client:
    client = Client(app)
    made = client.send_form(
        "/signup", {"invite": token, "name": name, "password": PASSWORD, "confirm": PASSWORD}
    )
    assert made.status_code == 303, made.text[:800]
    signed = client.send_form("/signin", {"name": name, "password": PASSWORD})
    assert signed.status_code == 303, signed.text[:800]
    return client


def members(app: Starlette, admin: Client, people: list[tuple[str, str]]) -> dict[str, Client]:
    return {
        name: join(app, token, name)
        for (name, _), token in zip(people, invite_links(admin, people), strict=True)
    }


def consent(
    coach: Client, coach_name: str, seeker: Client, seeker_name: str, app: Starlette
) -> None:
    asked = coach.send_form("/caseload/requests", {"seeker": seeker_name})
    assert asked.status_code == 303, asked.text[:800]
    coach_id = user_id(app, coach_name)
    agreed = seeker.send_form(f"/org/coaches/{coach_id}/consent", {})
    assert agreed.status_code == 303, agreed.text[:800]


def user_id(app: Starlette, name: str) -> int:
    found = store_of(app).find_user(name)
    assert found is not None
    return found
