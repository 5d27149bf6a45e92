"""The server key: what it seals opens only with the same key and the same context."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge import secretbox
from jobnudge.secretbox import SecretError


def _ring(*keys: str) -> secretbox.KeyRing:
    return secretbox.parse_keys(",".join(keys), "test")


KEY_A, KEY_B = secretbox.new_key(), secretbox.new_key()


@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=40))
def test_what_is_sealed_opens_to_itself_and_never_shows_in_clear(value: str, context: str) -> None:
    ring = _ring(KEY_A)
    sealed = ring.seal(value, context)
    assert ring.open(sealed, context) == value
    if len(value) >= 4:
        assert value not in sealed


def test_the_same_value_seals_differently_each_time() -> None:
    ring = _ring(KEY_A)
    assert ring.seal("hunter2-secret", "user:1:mail") != ring.seal("hunter2-secret", "user:1:mail")


def test_a_value_moved_to_another_user_or_name_does_not_open() -> None:
    ring = _ring(KEY_A)
    sealed = ring.seal("app-password", "user:1:mail.password")
    for context in ("user:2:mail.password", "user:1:remind.apprise.1", "user:11:mail.password"):
        with pytest.raises(SecretError, match="does not open"):
            ring.open(sealed, context)


def test_a_tampered_value_does_not_open() -> None:
    ring = _ring(KEY_A)
    sealed = ring.seal("app-password", "c")
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    for bad in (flipped, sealed[:-5], "jn1:" + ring.current_id + ":", "plain text", ""):
        with pytest.raises(SecretError):
            ring.open(bad, "c")


def test_rotation_new_key_first_opens_old_values_and_seals_with_the_new() -> None:
    old = _ring(KEY_A)
    sealed = old.seal("token", "c")
    rotated = _ring(KEY_B, KEY_A)
    assert rotated.open(sealed, "c") == "token"
    assert not rotated.is_current(sealed)
    assert rotated.is_current(rotated.seal("token", "c"))
    with pytest.raises(SecretError, match="no longer has"):
        _ring(KEY_B).open(sealed, "c")


@pytest.mark.parametrize("text", ["", "# only a comment", "short", "!" * 43, "A" * 43 + "AA"])
def test_a_malformed_key_is_refused_naming_the_fix(text: str) -> None:
    with pytest.raises(SecretError, match="server-key new"):
        secretbox.parse_keys(text, "NUDGE_SERVER_KEY")


def test_keys_come_from_the_environment_before_the_file(tmp_path: Path) -> None:
    path = tmp_path / "server.key"
    path.write_text(f"# rotated in December\n{KEY_B}\n{KEY_A}\n")
    path.chmod(0o600)
    from_file = secretbox.load_keyring({}, str(path))
    assert from_file is not None and len(from_file.keys) == 2
    assert from_file.current_id == _ring(KEY_B).current_id
    from_env = secretbox.load_keyring({secretbox.ENV: KEY_A}, str(path))
    assert from_env is not None and from_env.current_id == _ring(KEY_A).current_id
    assert secretbox.load_keyring({}, None) is None
    with pytest.raises(SecretError, match="no key"):
        secretbox.require(None)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "server.key"
    path.write_text(KEY_A + "\n")
    path.chmod(0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        secretbox.load_keyring({}, str(path))
    with pytest.raises(SecretError, match="no such file"):
        secretbox.load_keyring({}, str(tmp_path / "missing.key"))
