"""Today's "Due today" on the web is the user's day, as on the command line: just after
midnight UTC, in a zone where it is still the day before, every card under it reads today, or
"Due by" a deadline still ahead for one that fell due on an earlier day."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from jobnudge.config import Profile, Settings
from jobnudge.services import demo as demo_service
from jobnudge.services.session import Session
from jobnudge.web import create_app

from .conftest import Client, store_of
from .test_internal_labels import visible

JUST_AFTER_MIDNIGHT = datetime(2026, 12, 8, 0, 44, tzinfo=UTC)  # Monday 16:44 in Los Angeles
WEST = Settings(profile=Profile(name="Alex Morgan", tz="America/Los_Angeles", country="US"))


def test_due_today_shows_the_users_today_only(tmp_path: Path) -> None:
    app = create_app(
        WEST,
        db=f"sqlite:///{tmp_path / 'web.sqlite'}",
        data_dir=tmp_path / "data",
        settings_path=tmp_path / "config.toml",
        now=lambda tz: JUST_AFTER_MIDNIGHT,
    )
    store = store_of(app)
    owner = store.ensure_user("local")
    demo_service.load(Session(store=store, settings=WEST, owner=owner, now=JUST_AFTER_MIDNIGHT))
    with Client(app) as client:
        html = client.get("/").text
    store.close()
    section = re.search(
        r'<section class="section" aria-labelledby="group-today">.*?</section>', html, re.S
    )
    assert section, html[:2000]
    whens = re.findall(r'<div class="nudge-when">(.*?)</div>', section.group(), re.S)
    assert whens
    for shown in (visible(w) for w in whens):
        assert shown.startswith(("today", "Due by")), shown
        assert "yesterday" not in shown and not re.search(r"\b(Sat|Sun|Fri) \d", shown), shown
