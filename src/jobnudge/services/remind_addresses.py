"""Where a server's account may have its e-mail digest sent, and how often the server sends on
its behalf.

On a server with accounts the digest leaves through the server's own mail account, to an
address the account typed. Without a check, anyone with an account could make the server mail
a stranger every morning, or press "send a test" a thousand times. So the e-mail digest (and
its test) goes only to an address whose holder opened a link sent to it, and the server sends
at most :data:`TESTS_PER_HOUR` tests and :data:`CONFIRMS_PER_DAY` confirmation links a day for
an account, and an address gets at most :data:`LINKS_TO_AN_ADDRESS_PER_DAY` links a day and
one every :data:`ASK_AGAIN_AFTER`, whichever accounts ask (accounts are cheap to make). A
person's own computer (no accounts) needs none of this: the user mails only themselves.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from jobnudge.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from jobnudge.remind.channels import Channel
    from jobnudge.store import Store

TESTS_PER_HOUR = 5
CONFIRMS_PER_DAY = 5
LINKS_TO_AN_ADDRESS_PER_DAY = 3  # by every account together
ASK_AGAIN_AFTER = timedelta(minutes=10)  # between links to one address, from any account
LINK_LASTS = timedelta(days=2)
CONFIRM_PATH = "/reminders/confirm"


_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
    r"[A-Za-z0-9])?)+"
)


def check(address: str) -> str:
    """``address`` if the server can mail it: one address, in plain letters (the local part
    of an address with accents needs a mail server that takes them, which few do; a domain
    with accents is sent in its ASCII form)."""
    cleaned = address.strip()
    local, at, domain = cleaned.rpartition("@")
    if at and domain and not domain.isascii():
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("idna").decode("ascii")
    candidate = f"{local}@{domain}" if at else cleaned
    if len(candidate) > 254 or not _ADDRESS.fullmatch(candidate):
        raise UsageError(
            f"email_to: '{cleaned[:80]}' is not one e-mail address this server can send to; "
            "write a single address in plain letters, like sam@example.org."
        )
    return candidate


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _at(moment: datetime) -> str:
    return f"{moment:%H:%M} UTC"


def is_confirmed(store: Store, owner: int, address: str) -> bool:
    from jobnudge.store import remind_addresses

    return remind_addresses.is_confirmed(store, owner, address)


def state(store: Store, owner: int, address: str) -> str:
    """ "confirmed", "asked" (a link is out) or "new", for the Reminders section."""
    from jobnudge.store import remind_addresses

    asked, confirmed = remind_addresses.state(store, owner, address)
    return "confirmed" if confirmed is not None else ("asked" if asked is not None else "new")


def require_confirmed(store: Store, owner: int, address: str) -> None:
    """Refuse to send the e-mail digest to an address its holder has not confirmed."""
    if not is_confirmed(store, owner, address):
        raise ConfigError(
            f"E-mail reminders go to {address} once it is confirmed: open the link sent "
            "there (Settings → Reminders sends another)."
        )


def count_test(store: Store, owner: int, now: datetime) -> None:
    """Count one "send a test" for ``owner``, or refuse it past the hourly limit."""
    from jobnudge.store import remind_addresses

    with remind_addresses.counting(store, owner, "test", now) as conn:
        since = now - timedelta(hours=1)
        if remind_addresses.sent_since(conn, owner, "test", since) >= TESTS_PER_HOUR:
            raise UsageError(
                f"channel: at most {TESTS_PER_HOUR} tests an hour; the next one can go an "
                "hour after the first of them."
            )


def ask(
    store: Store,
    email_to: Callable[[str], Channel],
    owner: int,
    address: str,
    base_url: str,
    now: datetime,
) -> str:
    """Send ``address`` a link that confirms it for ``owner``'s digest; what happened, for
    the page. The limits are checked and the link recorded before anything is sent."""
    from jobnudge.errors import NudgeError
    from jobnudge.remind.digest import Digest
    from jobnudge.store import remind_addresses

    address = check(address)
    token = secrets.token_urlsafe(32)
    day_ago = now - timedelta(days=1)
    with remind_addresses.counting(store, owner, "confirm", now, address) as conn:
        if remind_addresses.sent_since(conn, owner, "confirm", day_ago) >= CONFIRMS_PER_DAY:
            raise UsageError(
                f"email_to: at most {CONFIRMS_PER_DAY} confirmation links a day; use one "
                "already sent, or try again tomorrow."
            )
        last = remind_addresses.asked_at(conn, address)
        if last is not None and now - last < ASK_AGAIN_AFTER:
            raise UsageError(
                f"email_to: a link went to {address} at {_at(last)}; look for it (and in the "
                f"spam folder), or ask for another after {_at(last + ASK_AGAIN_AFTER)}."
            )
        if remind_addresses.sent_to_since(conn, address, day_ago) >= LINKS_TO_AN_ADDRESS_PER_DAY:
            raise UsageError(
                f"email_to: {address} has had {LINKS_TO_AN_ADDRESS_PER_DAY} confirmation links "
                "today; use one of them, or ask again tomorrow."
            )
        remind_addresses.ask(conn, owner, address, _hash(token), now)
    link = f"{base_url.rstrip('/')}{CONFIRM_PATH}?token={quote(token)}"
    text = (
        "Someone with an account on this jobnudge server asked for its morning reminders to\n"
        f"come to {address}.\n\n"
        "If that was you, open this link and press the button on its page (it works for two\n"
        "days):\n\n"
        f"{link}\n\n"
        "If it was not you, do nothing: no reminders come here unless someone presses that\n"
        "button.\n"
    )
    page = (
        "<p>Someone with an account on this jobnudge server asked for its morning reminders "
        f"to come to {html.escape(address)}.</p><p>If that was you, "
        f'<a href="{html.escape(link)}">open this link</a> and press the button on its page '
        "(it works for two days).</p><p>If it was not you, do nothing: no reminders come here "
        "unless someone presses that button.</p>"
    )
    message = Digest("Confirm where your jobnudge reminders go", text, page, "", ())
    try:
        channel = email_to(address)
        try:
            channel.send(message, lambda: None)
        finally:
            channel.close()
    except (NudgeError, OSError, UnicodeError) as exc:
        remind_addresses.forget_ask(store, owner, address, _hash(token))
        why = exc.message if isinstance(exc, NudgeError) else type(exc).__name__
        raise UsageError(f"email_to: the link to {address} could not be sent: {why}.") from None
    return f"a link to confirm it went to {address}"


def pending(store: Store, token: str, now: datetime) -> str | None:
    """The address a still-open link would confirm (for the page that asks), or None."""
    from jobnudge.store import remind_addresses

    found = remind_addresses.opened(store, _hash(token[:200]), now - LINK_LASTS)
    return None if found is None else found[1]


def confirm(store: Store, token: str, now: datetime) -> str:
    """Confirm the address of an open link; the address, or NotFound's message."""
    from jobnudge.errors import NotFound
    from jobnudge.store import remind_addresses

    found = remind_addresses.confirm(store, _hash(token[:200]), now - LINK_LASTS, now)
    if found is None:
        raise NotFound(
            "This confirmation link is used, replaced by a newer one or more than two days "
            "old; ask for another in Settings → Reminders."
        )
    return found[1]
