"""The ``[web]`` settings: every bad value is refused naming the key; good ones are normalised
to what a Host header or a peer address looks like."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobnudge.config import parse
from jobnudge.errors import ConfigError
from jobnudge.webconfig import Web, host_name, parse_web


def test_good_values_are_normalised() -> None:
    web = parse_web(
        {
            "trusted_proxies": ["10.0.0.2", "10.0.0.0/24", "::1", "10.1.2.3/32"],
            "allowed_hosts": ["Nudge.Example.org", "*.example.net", "::1", "192.0.2.7"],
        }
    )
    assert web.trusted_proxies == ("10.0.0.2", "10.0.0.0/24", "::1", "10.1.2.3")
    assert web.allowed_hosts == ("nudge.example.org", "*.example.net", "[::1]", "192.0.2.7")
    assert parse({"web": {"allowed_hosts": ["a.example"]}}).web == Web(allowed_hosts=("a.example",))
    assert parse({}).web == Web()


@pytest.mark.parametrize(
    ("section", "named"),
    [
        ({"trusted_proxies": ["proxy.local"]}, "web.trusted_proxies"),
        ({"trusted_proxies": "10.0.0.2"}, "web.trusted_proxies"),
        ({"trusted_proxies": ["10.0.0.0/33"]}, "web.trusted_proxies"),
        ({"allowed_hosts": ["https://nudge.example.org"]}, "web.allowed_hosts"),
        ({"allowed_hosts": ["nudge.example.org:8765"]}, "web.allowed_hosts"),
        ({"allowed_hosts": ["nudge.example.org/app"]}, "web.allowed_hosts"),
        ({"allowed_hosts": ["a b"]}, "web.allowed_hosts"),
        ({"allowed_hosts": ["ex*.org"]}, "web.allowed_hosts"),
        ({"allowed_hosts": [""]}, "web.allowed_hosts"),
        ({"allowed_hosts": [7]}, "web.allowed_hosts"),
        ({"proxies": []}, "web.proxies"),
    ],
)
def test_bad_values_name_the_key(section: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        parse({"web": section}, "config.toml")


@given(st.text(max_size=60))
def test_a_host_name_is_refused_or_fit_for_a_host_header(text: str) -> None:
    try:
        name = host_name(text)
    except ConfigError as exc:
        assert "not a host name or an IP address" in exc.message
        return
    assert name == name.lower() and name.strip() == name
    assert not any(c in name for c in "/@?#: \t\r\n") or name.startswith("[")


def test_an_accounts_own_settings_never_carry_web(tmp_path: Path) -> None:
    """[web] belongs to whoever runs the server: an account's saved settings drop it."""
    from jobnudge.services.preferences import StoredPreferences
    from jobnudge.store import open_store

    folder = tmp_path
    store = open_store(f"sqlite:///{folder / 'w.sqlite'}", data_dir=folder)
    try:
        owner = store.ensure_user("mallory")
        prefs = StoredPreferences(store, folder / "cache")
        prefs.save(owner, {"profile": {"tz": "UTC"}, "web": {"trusted_proxies": ["0.0.0.0/0"]}})
        assert "web" not in prefs.document(owner)
        assert prefs.settings(owner).web == Web()
    finally:
        store.close()
