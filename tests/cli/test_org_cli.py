"""`nudge org ...` through the real command, on a SQLite file and on PostgreSQL: starting an
organisation, inviting a CSV of people (mailed through the server's SMTP settings, a real
server on loopback; or the links printed when no mail is set up), listing and searching the
members, changing a role, deactivating, reactivating and deleting with the web's
confirmations and messages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from jobnudge.services import accounts
from jobnudge.store import Store, open_store
from tests.pinned import PINNED_NOW
from tests.web.inbox import Inbox

from .conftest import PROFILE, Nudge

PEOPLE = (
    "name,email,role\n"
    "Carol Coach,carol@north.example,coach\n"
    "Alice Seeker,alice@north.example,\n"
    "Bo Seeker,bo@north.example,seeker\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite'}"
        return
    from tests.store.conftest import _database

    with _database() as url:
        yield url


@pytest.fixture
def store(db: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(db, data_dir=tmp_path / "data")
    try:
        yield opened
    finally:
        opened.close()


def account(store: Store, name: str, token: str | None = None) -> int:
    """An account signed up the way the web's sign-up page does (an invitation's token)."""
    token = token or accounts.create_invitation(store, None, name, PINNED_NOW)
    return accounts.sign_up(store, token, name, "a long passphrase 1", PINNED_NOW)


def test_an_organisation_is_run_from_the_command_line(
    nudge: Nudge, db: str, store: Store, tmp_path: Path
) -> None:
    def org(*args: str, ok: bool = True) -> str:
        done = nudge("--db", db, "org", *args, ok=ok)
        return done.stdout if ok else done.stderr

    account(store, "adam")
    said = org("create", "Northside  Careers", "--admin", "adam", "--full-name", "Adam Reyes",
               "--email", "adam@north.example")  # fmt: skip
    assert said == "Northside Careers is ready: invite its people (nudge org invite).\n"
    assert "--admin: no account is called 'nobody'" in org(
        "create", "X", "--admin", "nobody", "--full-name", "N", "--email", "n@x.example", ok=False
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email\nCarol,carol@north.example\nAlice,not-an-address\n")
    refused = org("invite", "--as", "adam", "--csv", str(bad), "--url", "https://j.example",
                  ok=False)  # fmt: skip
    assert "line 3, email: 'not-an-address' is not an e-mail address" in refused
    assert "--url: give the address people sign up at" in org(
        "invite", "--as", "adam", "--csv", str(bad), ok=False
    )

    people = tmp_path / "people.csv"
    people.write_text(PEOPLE)
    printed = org("invite", "--as", "adam", "--csv", str(people), "--url", "https://j.example")
    assert printed.startswith("Invited 3. 3 not mailed: pass their links on yourself.\n")
    links = re.findall(r"https://j\.example/signup\?invite=\S+", printed)
    assert len(links) == 3
    for link, name in zip(links, ("carol", "alice", "bo"), strict=True):
        account(store, name, parse_qs(urlsplit(link).query)["invite"][0])

    listed = nudge.json("--db", db, "org", "members", "--as", "adam")
    assert [(m["user"], m["role"], m["active"]) for m in listed] == [
        ("adam", "admin", True),
        ("alice", "seeker", True),
        ("bo", "seeker", True),
        ("carol", "coach", True),
    ]
    coaches = nudge.json("--db", db, "org", "members", "--as", "adam", "--search", "coach")
    assert [m["user"] for m in coaches] == ["carol"]
    assert "Alice Seeker  (alice · alice@north.example)  job seeker, active" in org(
        "members", "--as", "adam", "--search", "ALICE"
    )
    assert "This page is for an organisation's administrators." in org(
        "members", "--as", "carol", ok=False
    )

    assert org("role", "bo", "coach", "--as", "adam") == "bo is now a coach.\n"
    assert "role: 'boss' is not a role; write seeker, coach or admin." in org(
        "role", "bo", "boss", "--as", "adam", ok=False
    )
    assert "you cannot do this to your own account" in org(
        "role", "adam", "seeker", "--as", "adam", ok=False
    )
    assert "member: nobody in Northside Careers has the user name 'zed'" in org(
        "role", "zed", "coach", "--as", "adam", ok=False
    )

    assert org("deactivate", "alice", "--as", "adam") == (
        "alice is deactivated: signed out, history kept. Reactivate any time.\n"
    )
    assert accounts.deactivated(store, accounts.user_id(store, "alice"))
    assert org("reactivate", "alice", "--as", "adam") == "alice can sign in again.\n"
    assert "confirm: type the user name 'alice'" in org("delete", "alice", "--as", "adam", ok=False)
    assert "confirm: type the user name 'alice'" in org(
        "delete", "alice", "--as", "adam", "--confirm", "bo", ok=False
    )
    assert org("delete", "alice", "--as", "adam", "--confirm", "alice") == (
        "alice and everything they recorded are deleted.\n"
    )
    after = nudge.json("--db", db, "org", "members", "--as", "adam")
    assert [m["user"] for m in after] == ["adam", "bo", "carol"]
    assert "Delete removes the account and everything it recorded" in org("delete", "--help")


def test_invitations_go_through_the_servers_smtp(
    nudge: Nudge, db: str, store: Store, tmp_path: Path
) -> None:
    account(store, "adam")
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE)
    with Inbox() as inbox:
        (nudge.home / "config.toml").write_text(
            PROFILE + '\n[mail]\naddress = "invitations@north.example"\nusername = "centre"\n'
            f'smtp_host = "127.0.0.1"\nsmtp_port = {inbox.port}\nsmtp_security = "none"\n'
            'imap_host = "127.0.0.1"\nimap_port = 1\nimap_security = "none"\n'
            'password_source = "env"\ntimeout_seconds = 10\n',
            encoding="utf-8",
        )
        nudge.env["NUDGE_MAIL_PASSWORD"] = "smtp secret"
        nudge("--db", db, "org", "create", "Northside Careers", "--admin", "adam",
              "--full-name", "Adam Reyes", "--email", "adam@north.example")  # fmt: skip
        report = nudge.json("--db", db, "org", "invite", "--as", "adam", "--csv", str(people),
                            "--url", "https://j.example")  # fmt: skip
    assert report["mailed"] == 3 and report["mail_set_up"] is True
    assert [(p["email"], p["mailed"], "link" in p) for p in report["invited"]] == [
        ("carol@north.example", True, False),
        ("alice@north.example", True, False),
        ("bo@north.example", True, False),
    ]
    assert sorted(to[0] for to, _m in inbox.messages) == [
        "alice@north.example",
        "bo@north.example",
        "carol@north.example",
    ]
    body = inbox.messages[0][1].get_payload(decode=True)
    assert isinstance(body, bytes) and b"https://j.example/signup?invite=" in body
    assert inbox.messages[0][1]["Subject"] == "Northside Careers invites you to jobnudge"


def test_an_updated_list_invites_the_new_people_and_names_the_others_by_line(
    nudge: Nudge, db: str, store: Store, tmp_path: Path
) -> None:
    account(store, "adam")
    nudge("--db", db, "org", "create", "Northside Careers", "--admin", "adam",
          "--full-name", "Adam Reyes", "--email", "adam@north.example")  # fmt: skip
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE)

    def invite(*more: str) -> str:
        return nudge("--db", db, "org", "invite", "--as", "adam", "--csv", str(people),
                     "--url", "https://j.example", *more).stdout  # fmt: skip

    assert invite().startswith("Invited 3. 3 not mailed")
    people.write_text(PEOPLE + "Dee New,dee@north.example\nAdam Reyes,adam@north.example,admin\n")
    out = invite()
    assert out.startswith("Invited 1. 1 not mailed"), out
    assert "Left out 4, already invited or members:" in out
    assert "line 2: Carol Coach <carol@north.example> already has an invitation from" in out
    assert "line 6: Adam Reyes <adam@north.example> is already a member (Adam Reyes)" in out
    assert "--resend sends a new link" in out
    assert "Dee New <dee@north.example>: the server has no mail set up" in out
    assert out.count("https://j.example/signup?invite=") == 1  # Dee's link, nobody else's

    report = nudge.json("--db", db, "org", "invite", "--as", "adam", "--csv", str(people),
                        "--url", "https://j.example", "--resend")  # fmt: skip
    assert [(p["email"], p["resent"]) for p in report["invited"]] == [
        ("carol@north.example", True),
        ("alice@north.example", True),
        ("bo@north.example", True),
        ("dee@north.example", True),
    ]
    assert report["skipped"] == [
        {
            "line": 6,
            "name": "Adam Reyes",
            "email": "adam@north.example",
            "why": "is already a member (Adam Reyes)",
        }
    ]
