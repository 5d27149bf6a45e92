"""Caseloads hold job seekers only: a seeker made a coach or an administrator is no longer
readable by their coach, and /org still offers them the Withdraw button; a coach's comments and
notes take the same field checks as the rest of the app (dates 1970-2100, no control
characters, not only invisible characters). SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobnudge.errors import UsageError
from jobnudge.services import caseload
from jobnudge.services import orgs as orgs_service

from .conftest import NOW
from .orgs_world import user_id
from .test_cohort_kept import World, _text, world_fixture  # noqa: F401


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_a_seeker_given_another_role_leaves_the_caseload_and_can_withdraw(
    world: World, role: str
) -> None:
    alice = user_id(world.app, "alice")
    assert world.carol.get(f"/caseload/{alice}").status_code == 200
    orgs_service.set_role(world.store, world.admin_id, alice, role)
    assert world.carol.get(f"/caseload/{alice}").status_code == 404
    assert "Alice Person" not in _text(world.carol.get("/caseload").text)

    page = world.alice.get("/org")
    assert page.status_code == 200
    assert "Coaches who asked you" in _text(page.text)
    assert f'action="/org/coaches/{world.carol_id}/withdraw"' in page.text
    done = world.alice.send_form(f"/org/coaches/{world.carol_id}/withdraw", {})
    assert done.status_code == 303, done.text[:800]

    # A job seeker again: the consent they withdrew stays withdrawn.
    orgs_service.set_role(world.store, world.admin_id, alice, "seeker")
    assert world.carol.get(f"/caseload/{alice}").status_code == 404


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"comment": "Call them", "due_on": "0001-01-01"}, "the year 1 is out of range"),
        ({"comment": "Call them", "due_on": "9999-12-31"}, "the year 9999 is out of range"),
        ({"comment": "Call \x1b[2Jthem"}, "contains the control character"),
        ({"comment": "\u200b\u200b\u200b"}, "type something first"),
        ({"comment": "\ufeff \u200d\n"}, "type something first"),
    ],
)
def test_a_comment_takes_the_apps_field_checks(
    world: World, fields: dict[str, str], said: str
) -> None:
    alice = user_id(world.app, "alice")
    before = caseload.for_today(world.store, alice)
    refused = world.carol.send_form(f"/caseload/{alice}/comments", fields)
    assert refused.status_code == 422, refused.status_code
    assert "Traceback" not in refused.text
    assert said in _text(refused.text).lower()
    assert caseload.for_today(world.store, alice) == before
    kept = world.carol.send_form(
        f"/caseload/{alice}/comments", {"comment": "Call them", "due_on": "2100-12-31"}
    )
    assert kept.status_code == 303


def test_text_that_shows_nothing_is_never_a_comment_or_note(world: World) -> None:
    alice = user_id(world.app, "alice")
    invisible = st.text(st.sampled_from(" \t\n\r\u200b\u200c\u200d\u2060\ufeff\u200e\u00ad"))

    @settings(max_examples=60, deadline=None)
    @given(invisible)
    def refused(text: str) -> None:
        with pytest.raises(UsageError, match=r"^comment: type something first"):
            caseload.comment(world.store, world.carol_id, alice, text, NOW)
        with pytest.raises(UsageError, match=r"^note: type something first"):
            caseload.add_note(world.store, world.carol_id, alice, text, NOW)

    refused()
    assert caseload.for_today(world.store, alice) == []
