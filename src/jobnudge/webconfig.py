"""The ``[web]`` settings: which proxies to believe and which host names the web app answers.

Read from the settings file of whoever runs ``nudge serve`` (never from an account's own
settings). See docs/security.md for why each exists.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jobnudge.errors import ConfigError

WEB_KEYS = {
    "trusted_proxies": "addresses or networks of the reverse proxies in front of the app; "
    "only from these are X-Forwarded-For and X-Forwarded-Proto believed (default: none)",
    "allowed_hosts": "host names the app answers (Host header); with accounts, empty answers "
    "any; local mode always answers 127.0.0.1, localhost and ::1 and the --host it listens on",
    "server_key_file": "a file, readable by the server's user alone, holding the key that seals "
    "the users' secrets (or set NUDGE_SERVER_KEY; make one with `nudge server-key new`)",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
"""How the loopback names appear in a Host header (IPv6 literals in brackets)."""

_NAME = re.compile(
    r"(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
)


@dataclass(frozen=True, slots=True)
class Web:
    """How ``nudge serve`` meets the network."""

    trusted_proxies: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()  # as they appear in a Host header, without the port
    server_key_file: str = ""  # jobnudge.secretbox; empty: NUDGE_SERVER_KEY or no key


def host_name(text: str, where: str = "host") -> str:
    """``text`` as it appears in a Host header without its port: lower case, IPv6 literals in
    brackets, ``*.example.org`` for any name under example.org; else a ConfigError."""
    name = text.strip().lower()
    bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        if len(name) <= 253 and _NAME.fullmatch(name):
            return name
        raise ConfigError(
            f"{where}: {text!r} is not a host name or an IP address; give a name like "
            "'nudge.example.org' (or '*.example.org'), without a scheme, port or path."
        ) from None
    return f"[{address}]" if address.version == 6 else str(address)


def _list(section: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: 'web.{key}' must be a list of text, like [\"10.0.0.2\"].")
    return value


def parse_web(section: Any, where: str = "config") -> Web:
    """The ``[web]`` section; every problem names its key and the fix."""
    if not isinstance(section, Mapping):
        raise ConfigError(f"{where}: 'web' must be a table of settings ([web]).")
    for key in section:
        if key not in WEB_KEYS:
            raise ConfigError(
                f"{where}: unknown key 'web.{key}'. Keys: {', '.join(sorted(WEB_KEYS))}."
            )
    proxies = []
    for entry in _list(section, "trusted_proxies", where):
        try:
            network = ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            raise ConfigError(
                f"{where}: web.trusted_proxies: {entry!r} is not an IP address or network; "
                "give the proxy's address, like '10.0.0.2' or '10.0.0.0/24'."
            ) from None
        proxies.append(str(network.network_address) if network.num_addresses == 1 else str(network))
    hosts = [
        host_name(entry, f"{where}: web.allowed_hosts")
        for entry in _list(section, "allowed_hosts", where)
    ]
    key_file = section.get("server_key_file", "")
    if not isinstance(key_file, str):
        raise ConfigError(
            f"{where}: 'web.server_key_file' must be a path in quotes, like "
            '"/etc/jobnudge/server.key".'
        )
    return Web(trusted_proxies=tuple(proxies), allowed_hosts=tuple(hosts), server_key_file=key_file)
