"""`nudge server-key`: a key to put in the environment, and rotation of what it sealed."""

from __future__ import annotations

from datetime import datetime

from jobnudge import secretbox
from jobnudge.services import user_secrets
from jobnudge.store import open_store

from .conftest import Nudge


def test_new_prints_a_usable_key_and_rotate_reseals_with_it(
    nudge: Nudge, pinned_now: datetime
) -> None:
    old = nudge("server-key", "new").stdout.strip()
    new = nudge("server-key", "new").stdout.strip()
    assert old != new and secretbox.parse_keys(old, "key").keys
    nudge("demo")  # creates the database file
    store = open_store(None, data_dir=nudge.home / "data")
    try:
        owner = store.ensure_user("alice")
        user_secrets.put(
            store, secretbox.parse_keys(old, "k"), owner, "mail.password", "pw-1234", pinned_now
        )
    finally:
        store.close()

    nudge.env["NUDGE_SERVER_KEY"] = new  # the old key left out: nothing can be re-sealed
    refused = nudge("server-key", "rotate", ok=False)
    assert refused.returncode != 0 and "no longer has" in refused.stderr
    assert "Traceback" not in refused.stderr

    nudge.env["NUDGE_SERVER_KEY"] = f"{new},{old}"
    assert "Re-sealed 1 secret" in nudge("server-key", "rotate").stdout
    store = open_store(None, data_dir=nudge.home / "data")
    try:
        assert (
            user_secrets.get(store, secretbox.parse_keys(new, "k"), owner, "mail.password")
            == "pw-1234"
        )
    finally:
        store.close()


def test_rotate_without_a_key_says_how_to_make_one(nudge: Nudge) -> None:
    result = nudge("server-key", "rotate", ok=False)
    assert result.returncode != 0
    assert "NUDGE_SERVER_KEY" in result.stderr and "server-key new" in result.stderr
