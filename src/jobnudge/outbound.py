"""Where a server with accounts may connect on a user's behalf: public addresses only.

A posting's address, a notification URL, a mailbox's host or an OAuth endpoint typed by one
account would otherwise let it reach what only the server can: its own ports (PostgreSQL,
an admin page), the private network, a cloud's metadata service. On a laptop the user is the
machine's owner and may point jobnudge at 127.0.0.1; on a server these are refused.

The host is resolved and every address it resolves to must be global. (A name that resolves
differently a moment later could still slip through; the fetch and mail code check again at
each hop where they can.)
"""

from __future__ import annotations

import ipaddress
import os
import socket
from urllib.parse import urlsplit

from jobnudge.errors import UsageError


def addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    bare = host.strip("[]")
    try:
        return [ipaddress.ip_address(bare)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(bare, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


ENV = "NUDGE_PRIVATE_HOSTS"
"""Hosts or networks a server may still connect to for its users (its own mail server, say):
comma-separated, like ``mail.internal,10.0.0.0/24``."""


def exempt(host: str) -> bool:
    """Whether the server's administrator let its users reach ``host`` (``NUDGE_PRIVATE_HOSTS``)."""
    listed = [part.strip().lower() for part in os.environ.get(ENV, "").split(",") if part.strip()]
    if not listed or not host:
        return False
    name = host.strip("[]").lower()
    if name in listed:
        return True
    networks = []
    for entry in listed:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return any(address in net for address in addresses(name) for net in networks)


def is_public(host: str) -> bool:
    """Whether every address ``host`` resolves to is a global one (a name that does not
    resolve is not public: nothing could be reached through it)."""
    found = addresses(host)
    return bool(found) and all(address.is_global for address in found)


def check_host(host: str, field: str) -> None:
    """A UsageError naming ``field`` unless ``host`` is public or exempt."""
    if not host or not (exempt(host) or is_public(host)):
        raise UsageError(
            f"{field}: {host or 'that address'} is not a public internet address; this server "
            "connects only to public ones on its users' behalf."
        )


def check_url(url: str, field: str) -> None:
    """A UsageError naming ``field`` unless ``url``'s host is public (its real host: a user
    name before an ``@`` is not the host)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        host = ""
    check_host(host, field)
