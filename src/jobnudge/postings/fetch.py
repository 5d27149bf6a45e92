"""Fetching a posting's page, only ever because the user gave its address and asked.

Bounded every way a page can misbehave: a total time limit, a size limit read as it streams
(a huge body is cut off, never loaded whole), a redirect limit, and a content-type check
(a PDF or an image is refused with a sentence saying what to do instead).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from jobnudge.bounds import is_digits
from jobnudge.errors import UsageError

TIMEOUT = 10.0  # seconds for the whole fetch, connect to last byte
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
ACCEPTED = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "jobnudge (reads one job posting at its user's request)"


@dataclass(frozen=True)
class Page:
    url: str  # where it ended up, after redirects
    body: bytes
    charset: str | None


def fetch(
    url: str,
    *,
    field: str = "--posting",
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    public_only: bool = False,
) -> Page:
    """The page at ``url``, or a UsageError naming ``field`` and what went wrong.

    ``public_only`` (a server with accounts): the first address and every redirect must be a
    public one (``jobnudge.outbound``), never the server's own ports or its network."""
    import httpx

    from jobnudge import outbound

    def guard(request: httpx.Request) -> None:
        outbound.check_url(str(request.url), field)

    # The deadline bounds the whole transfer: httpx's timeouts are per read, so a server
    # that trickles bytes would otherwise never time out.
    started = time.monotonic()
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=max_redirects,
                timeout=httpx.Timeout(timeout),
                headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.8"},
                trust_env=False,
                event_hooks={"request": [guard]} if public_only else {},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise UsageError(
                    f"{field}: {url} answered {response.status_code} "
                    f"{response.reason_phrase}; save the page from your browser and give the "
                    "file instead."
                )
            kind = response.headers.get("content-type", "").split(";")[0].strip().casefold()
            if kind and kind not in ACCEPTED:
                raise UsageError(
                    f"{field}: {url} is {kind}, not a web page; copy the posting's text and "
                    "paste it instead."
                )
            declared = response.headers.get("content-length", "")
            if is_digits(declared) and int(declared) > max_bytes:
                raise _too_big(field, url, max_bytes)
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise _too_big(field, url, max_bytes)
                if time.monotonic() - started > timeout:
                    raise httpx.ReadTimeout("deadline passed")
            return Page(str(response.url), bytes(body), response.charset_encoding)
    except httpx.TooManyRedirects as exc:
        raise UsageError(
            f"{field}: {url} redirected more than {max_redirects} times; open it in your "
            "browser and give the address it ends at."
        ) from exc
    except httpx.TimeoutException as exc:
        raise UsageError(
            f"{field}: {url} did not answer within {timeout:g} seconds; try again, or save the "
            "page and give the file."
        ) from exc
    except httpx.InvalidURL as exc:
        raise UsageError(f"{field}: {url} is not an address that can be fetched.") from exc
    except httpx.HTTPError as exc:
        raise UsageError(
            f"{field}: could not fetch {url} ({type(exc).__name__}); check the address, or "
            "save the page and give the file."
        ) from exc


def _too_big(field: str, url: str, max_bytes: int) -> UsageError:
    return UsageError(
        f"{field}: the page at {url} is larger than {max_bytes // 1024 // 1024} MB; save the "
        "posting from your browser and give the file, or paste its text."
    )
