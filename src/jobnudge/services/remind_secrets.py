"""Apprise URLs on a server with accounts: each user's are sealed with the server key
(``user_secrets``, name :data:`~jobnudge.remind.secrets.SECRET_NAME`), never stored in clear,
never shown back in full (the Settings page shows only their schemes)."""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from jobnudge.errors import ConfigError
from jobnudge.remind.secrets import SECRET_NAME, check_urls, split_urls

if TYPE_CHECKING:
    from jobnudge.config import Settings
    from jobnudge.secretbox import KeyRing
    from jobnudge.store import Store

MAX_URLS = 10


def server_keyring(settings: Settings) -> KeyRing | None:
    """The server's key ring (``NUDGE_SERVER_KEY`` or ``web.server_key_file``), or None."""
    from jobnudge.secretbox import load_keyring

    return load_keyring(os.environ, settings.web.server_key_file or None)


def apprise_urls(store: Store, keyring: KeyRing | None, owner: int) -> list[str]:
    """The user's sealed Apprise URLs, or a ConfigError saying where to add them."""
    from jobnudge.secretbox import require
    from jobnudge.services import user_secrets

    found = user_secrets.get(store, require(keyring), owner, SECRET_NAME)
    urls = check_reachable(split_urls(found or ""))  # again: a name may resolve elsewhere now
    if not urls:
        raise ConfigError(
            "No Apprise URL is saved for you: add one in Settings → Reminders (like "
            "ntfy://ntfy.sh/your-topic)."
        )
    return urls


def check_reachable(urls: list[str]) -> list[str]:
    """``urls``, refused if one names a host on the server's own network: an account must not
    make the server post to its database port, an admin page or a metadata service. A host
    that does not resolve (a bot token in the host's place) is left to Apprise."""
    from jobnudge import outbound

    for url in urls:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        if not host or host.isdigit() or outbound.exempt(host):
            continue  # a bare number is a bot's id (tgram://123456:token/...), not a host
        found = outbound.addresses(host)
        if found and not all(address.is_global for address in found):
            raise ConfigError(
                f"Apprise URLs: {urlsplit(url).scheme}://… names an address on this server's "
                "own network; use a public service (ntfy.sh, Telegram, ...)."
            )
    return urls


def save_apprise_urls(
    store: Store, keyring: KeyRing | None, owner: int, text: str, now: datetime
) -> int:
    """Seal the URLs in ``text`` (one a line) for ``owner``; empty text removes them.
    Returns how many are kept."""
    from jobnudge.secretbox import require
    from jobnudge.services import user_secrets

    urls = check_reachable(check_urls(split_urls(text), "Apprise URLs"))
    if len(urls) > MAX_URLS:
        raise ConfigError(f"Apprise URLs: keep to {MAX_URLS} at most; you gave {len(urls)}.")
    if not urls:
        user_secrets.delete(store, owner, SECRET_NAME)
        return 0
    user_secrets.put(store, require(keyring), owner, SECRET_NAME, "\n".join(urls), now)
    return len(urls)


def shown_schemes(store: Store, keyring: KeyRing | None, owner: int) -> list[str]:
    """What the page may show of the saved URLs: their schemes ("ntfy://…")."""
    from jobnudge.services import user_secrets

    if keyring is None or SECRET_NAME not in user_secrets.names(store, owner):
        return []
    try:
        urls = apprise_urls(store, keyring, owner)
    except ConfigError:
        return []
    return [f"{urlsplit(u).scheme}://…" for u in urls]
