"""A posting read from a saved page, fetched bytes or pasted text: its text to keep and the
values it states (page data first, then its sentences), ready to be confirmed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jobnudge.errors import UsageError
from jobnudge.postings import pages, statements
from jobnudge.postings.findings import Reading, merge

MAX_FILE = 32 * 1024 * 1024  # a saved page with its images inlined can run to tens of MB
MAX_PAGE_KEPT = 1_000_000  # characters of the original page stored beside the text
_LOOKS_HTML = ("<html", "<!doctype", "<head", "<body", "<div", "<script", "<meta", "<p>")


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().casefold()
    return any(mark in head for mark in _LOOKS_HTML)


def read_html(html: str, today: date, *, url: str = "") -> Reading:
    items, notes = pages.postings(html)
    found = pages.findings(items[0]) if items else ()
    text = pages.description(items[0]) if items else ""
    if items and found:
        title = next((f.value for f in found if f.field == "title"), "")
        if title and not text.startswith(title):
            text = f"{title}\n\n{text}".strip()
    if not text:
        text = pages.html_text(html)
        if not items:
            notes.append("The page carries no posting data; only its sentences were read.")
    page = html
    if len(html) > MAX_PAGE_KEPT:
        page = ""
        notes.append(
            f"The page is {len(html) / 1_000_000:.1f} MB; its text is kept, the page itself is "
            "over the 1 MB kept with a posting."
        )
    said = statements.read(text, today)
    return Reading(text=text, findings=merge(found, said), url=url, page=page, notes=tuple(notes))


def read_text(text: str, today: date) -> Reading:
    """Pasted text: a page's source if it looks like HTML, else plain sentences."""
    if looks_like_html(text):
        return read_html(text, today)
    text = text.strip()[: pages.MAX_TEXT]
    return Reading(text=text, findings=statements.read(text, today))


def read_bytes(raw: bytes, today: date, *, url: str = "", charset: str | None = None) -> Reading:
    return read_html(pages.decode(raw, charset), today, url=url)


def read_file(path: Path, today: date, field: str = "--posting") -> Reading:
    """A saved page (HTML) or a text file, refused with the field named when unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise UsageError(
                f"{field}: {path} is {size / 1024 / 1024:.0f} MB; a posting file may be at most "
                f"{MAX_FILE // 1024 // 1024} MB. Save the page as 'HTML only', or paste its text."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{field}: cannot read {path} ({exc.strerror}).") from exc
    text = pages.decode(raw)
    if looks_like_html(text):
        return read_html(text, today)
    return read_text(text, today)
