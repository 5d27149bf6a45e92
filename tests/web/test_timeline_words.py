"""The pages word the timeline for people: a follow-up marked done, snoozed or dismissed by
its title, never "nudge-done" or a rule id; and a reason that carries a command to type on the
command line says on a page what to click instead."""

from __future__ import annotations

import re
from datetime import timedelta

from starlette.applications import Starlette

from .conftest import NOW, Client, nudge_ids, store_of
from .test_internal_labels import labels_in, visible

STORED = re.compile(r"\bnudge[- ](?:done|snoozed|dismissed)\b", re.IGNORECASE)


def test_decided_follow_ups_read_by_their_title(demo: Starlette, client: Client) -> None:
    ids = nudge_ids(client.get("/").text)
    assert client.send_form(f"/nudges/{ids[0]}/snooze", {"until": "week"}).status_code == 303
    assert client.send_form(f"/nudges/{ids[1]}/dismiss", {"reason": "No"}).status_code == 303
    assert client.send_form(f"/nudges/{ids[2]}/done", {}).status_code == 303
    store = store_of(demo)
    owner = store.ensure_user("local")
    pages = ["/review", "/"]
    pages += [f"/opportunities/{opp.id}" for opp, _stage in store.opportunities(owner)]
    pages += [f"/contacts/{c.id}" for c in store.contacts(owner)]
    seen = ""
    for page in pages:
        response = client.get(page, follow_redirects=True)
        assert response.status_code == 200, page
        text = visible(response.text)
        assert STORED.findall(text) == [] and labels_in(text) == [], page
        seen += text
    for word in ("Follow-up snoozed: ", "Follow-up dismissed: ", "Follow-up done: "):
        assert word in seen


def test_closing_after_silence_is_worded_for_the_page(app: Starlette, client: Client) -> None:
    response = client.send_form(
        "/opportunities", {"company": "Quietco", "role": "Analyst", "applied_on": "Oct 20"}
    )
    assert response.status_code == 303
    url = response.headers["location"]
    for day in ("Oct 27", "Nov 3", "Nov 10"):
        form = {"form": "message", "event": "sent", "at": f"{day} 10am", "kind": "Follow-up"}
        assert client.send_form(f"{url}/log", form).status_code == 303
    for page in ("/", url):
        text = visible(client.get(page).text)
        assert "moved on" in text, page  # the silence.move-on follow-up is shown
        assert "`" not in text and "nudge log" not in text, page
        assert "Close it: no response" in text, page
    store = store_of(app)
    rows = store.agenda_rows(store.ensure_user("local"), NOW + timedelta(days=30), NOW)
    (move_on,) = [r.short_id for r in rows if r.rule == "silence.move-on"]
    response = client.get(f"/nudges/{move_on}/draft", follow_redirects=True)
    assert "moved on" in visible(response.text) and "`" not in visible(response.text)
