"""Bulk invitations as people make the lists: blank lines keep the file's line numbers in
messages, and nobody is invited twice (a member, or someone whose link is still open)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.errors import NudgeError, UsageError
from jobnudge.services import accounts, org_invites
from jobnudge.services import orgs as org_service
from jobnudge.store import Store, open_store
from tests.pinned import PINNED_NOW

NOW = PINNED_NOW


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'org.sqlite'}", data_dir=tmp_path)


def _admin(store: Store) -> int:
    from jobnudge.store import accounts as account_rows

    token = account_rows.create_invitation(store, None, "ada", NOW)
    admin = accounts.sign_up(store, token, "ada", "a long enough password", NOW)
    org_service.start(store, admin, "Northside Careers", "Ada Admin", "Ada@Northside.example", NOW)
    return admin


def test_messages_count_the_files_own_lines_blank_ones_included() -> None:
    sheet = (
        "name,email\nZoë Ødegård,zoe@example.org\n\n\nJosé,JOSE@example.org\n"
        "Priya,jose@example.org\n"
    ).encode()
    with pytest.raises(UsageError) as raised:
        org_invites.parse(sheet)
    assert raised.value.message.startswith("line 6, email: jose@example.org is on the list twice")
    people = org_invites.parse(sheet.rsplit(b"Priya", 1)[0])
    assert [(p.full_name, p.line) for p in people] == [("Zoë Ødegård", 2), ("José", 5)]


def test_nobody_is_invited_twice(store: Store) -> None:
    """An updated list invites the new people and leaves out, line by line, those already
    invited or already members, without refusing the rest."""
    admin = _admin(store)
    first = org_invites.parse(b"Sam Lee,sam@example.org\nRiya Das,riya@example.org\n")
    report = org_invites.invite(store, None, admin, first, "http://127.0.0.1:8765", NOW)
    assert len(report.invited) == 2 and report.skipped == []
    again = org_invites.parse(
        b"Kim Ito,kim@example.org\n\nSam Lee,SAM@example.org\nAda,ada@northside.example\n"
    )
    report = org_invites.invite(store, None, admin, again, "http://127.0.0.1:8765", NOW)
    assert [p.email for p, _link in report.invited] == ["kim@example.org"]
    assert [(p.line, p.email, why) for p, why in report.skipped] == [
        (
            3,
            "SAM@example.org",
            f"already has an invitation from {NOW:%Y-%m-%d} still open, so it was not sent again",
        ),
        (4, "ada@northside.example", "is already a member (Ada Admin)"),
    ]
    assert report.already_invited == 1 and not report.resent
    pending = org_service.pending_invitations(store, admin, NOW)
    assert sorted(p.email for p in pending) == [
        "kim@example.org",
        "riya@example.org",
        "sam@example.org",
    ]
    nobody = org_invites.invite(store, None, admin, again[1:], "http://x", NOW)
    assert nobody.invited == [] and len(nobody.skipped) == 2  # nothing new: nothing written
    assert len(org_service.pending_invitations(store, admin, NOW)) == 3


def test_an_open_invitation_is_sent_again_only_when_asked(store: Store) -> None:
    """``resend``: a new link for those still invited, the old link ended with it; a member
    is still left out."""
    admin = _admin(store)
    first = org_invites.invite(
        store, None, admin, org_invites.parse(b"Sam Lee,sam@example.org\n"), "http://x", NOW
    )
    ((_, old_link),) = first.invited
    later = NOW + timedelta(days=2)
    again = org_invites.parse(b"Sam Lee,sam@example.org\nAda,ada@northside.example\n")
    report = org_invites.invite(store, None, admin, again, "http://x", later, resend=True)
    ((person, new_link),) = report.invited
    assert person.email == "sam@example.org" and report.resent == {"sam@example.org"}
    assert new_link != old_link
    assert [why for _p, why in report.skipped] == ["is already a member (Ada Admin)"]
    (open_one,) = org_service.pending_invitations(store, admin, later)
    assert open_one.email == "sam@example.org" and open_one.created_at == later

    def token(link: str) -> str:
        return link.rsplit("invite=", 1)[1]

    with pytest.raises(NudgeError):
        accounts.sign_up(store, token(old_link), "sam", "a long enough password", later)
    sam = accounts.sign_up(store, token(new_link), "sam", "a long enough password", later)
    assert org_service.membership(store, sam) is not None


PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["Renée", "José", "Zoë", "Ødegård", "Ñúñez", "O’Brien", "Dana", "Kim"]),
        st.sampled_from(["Dubois", "Lee", "Müller", "Ståhl", "Ng"]),
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


def _sheet(people: list[tuple[str, str]], newline: str) -> str:
    lines = ["name,email"] + [f"{a} {b},person{n}@example.org" for n, (a, b) in enumerate(people)]
    return newline.join(lines) + newline


@given(
    PEOPLE,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_a_list_in_any_encoding_that_can_be_told_is_read_as_written(
    people: list[tuple[str, str]], encoding: str, newline: str
) -> None:
    """Excel's "Unicode Text" (UTF-16 with a mark), "CSV UTF-8" and plain UTF-8 all read the
    names as typed (a UTF-16 list once crashed the parser and the upload gave a 500)."""
    parsed = org_invites.parse(_sheet(people, newline).encode(encoding))
    assert [p.full_name for p in parsed] == [f"{a} {b}" for a, b in people]


@given(PEOPLE, st.sampled_from(["cp1252", "mac-roman", "latin-1", "cp850"]))
def test_a_list_in_a_code_page_is_refused_naming_the_fix(
    people: list[tuple[str, str]], encoding: str
) -> None:
    """A code page cannot be told apart from another ("Renée" in Mac Roman reads "RenŽe" as
    Windows-1252): the list is refused, naming the file and the fix, never stored garbled."""
    data = _sheet(people, "\r\n").encode(encoding, errors="replace")
    if data.isascii():
        return
    with pytest.raises(UsageError) as raised:
        org_invites.parse(data)
    assert raised.value.message.startswith("file: it is not UTF-8")
    assert "CSV UTF-8" in raised.value.message


@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_message(data: bytes) -> None:
    try:
        org_invites.parse(data)
    except UsageError as refused:
        assert refused.message.startswith(("file:", "line "))
