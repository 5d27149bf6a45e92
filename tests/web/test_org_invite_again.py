"""The Organisation page takes an updated invitation list: the new people are invited, and
those already invited or already members are named line by line instead of the whole list
being refused; a new link goes to those still invited only when the box asks for it."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.applications import Starlette

from .orgs_world import LINK, start_org
from .test_internal_labels import visible


def test_an_updated_list_invites_the_new_people_and_names_the_rest(
    make_app: Callable[..., Starlette],
) -> None:
    app = make_app(accounts=True)
    admin = start_org(app, "adam", "Northside Careers")
    first = admin.send_form("/org/invitations", {"people": "Sam Lee,sam@example.org"})
    assert first.status_code == 200 and len(LINK.findall(first.text)) == 1

    lines = "name,email\nSam Lee,sam@example.org\nKim Ito,kim@example.org\nAdam,adam@example.org\n"
    again = admin.send_form("/org/invitations", {"people": lines})
    assert again.status_code == 200, again.text[:800]
    shown = visible(again.text)
    assert "Invited 1." in shown and len(LINK.findall(again.text)) == 1  # Kim's link
    assert "Left out 2, already invited or members: see below." in shown
    assert "Line 2: Sam Lee · sam@example.org already has an invitation from" in shown
    assert "Line 4: Adam · adam@example.org is already a member (Adam)" in shown
    assert "“Send a new link to those already invited” ticked" in shown
    assert not re.search(r"--resend|`|\bnudge [a-z]", shown)  # the web's words, no commands

    resent = admin.send_form("/org/invitations", {"people": lines, "resend": "1"})
    assert resent.status_code == 200, resent.text[:800]
    shown = visible(resent.text)
    assert "Invited 2 (2 sent a new link)" in shown, shown
    assert "Line 4: Adam · adam@example.org is already a member" in shown
    waiting = visible(admin.get("/org").text).split("Waiting to sign up")[1]
    assert waiting.count("sam@example.org") == 1 and waiting.count("kim@example.org") == 1
