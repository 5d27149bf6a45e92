"""What a digest says: the items in sections, as plain text, as HTML readable on a phone, and
as a short notification. Pure: items in, text out.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jobnudge.plural import count

SECTIONS = (
    ("interview", "Tomorrow's interviews"),
    ("due", "Due today"),
    ("overdue", "Overdue"),
    ("review", "Weekly review"),
)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing the user should do, with its idempotency key (never shown)."""

    key: str
    section: str  # one of SECTIONS' names
    title: str  # what to do and for whom: "Send a thank-you → Dana Lee"
    context: str  # "Acme Corp · Data Analyst"
    when: str  # "by 17:00", "since Fri 4 Dec", "Tue 8 Dec 14:00"
    why: str  # the reason the playbook gives
    link: str  # the web app's address of the draft, or the command that opens it


@dataclass(frozen=True, slots=True)
class Digest:
    subject: str
    text: str
    html: str
    short: str  # a few lines for a desktop notification
    items: tuple[Item, ...]


def _head(items: Sequence[Item], day: date) -> str:
    shown = f"{day:%a} {day.day} {day:%b}"
    follow = sum(i.section in ("due", "overdue") for i in items)
    interviews = sum(i.section == "interview" for i in items)
    parts = []
    if follow:
        parts.append(count(follow, "follow-up"))
    if interviews:
        parts.append(count(interviews, "interview") + " tomorrow")
    if any(i.section == "review" for i in items):
        parts.append("your weekly review")
    return f"jobnudge for {shown}: {', '.join(parts) if parts else 'nothing new'}"


def _is_address(link: str) -> bool:
    return link.startswith(("http://", "https://"))


def build(
    items: Sequence[Item],
    day: date,
    *,
    detail: str = "full",
    still_overdue: int = 0,
    settings_hint: str = "[remind] in your settings file",
) -> Digest:
    """The digest of ``items`` for the local day ``day``; ``still_overdue`` counts overdue
    follow-ups already reminded, mentioned in one line instead of repeated."""
    subject = _head(items, day)
    text: list[str] = []
    page: list[str] = [
        '<div style="font-family:-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;'
        'line-height:1.45;max-width:600px;margin:0 auto;padding:8px;color:#1a1a1a">',
        f'<h1 style="font-size:20px;margin:0 0 12px">{html.escape(subject)}</h1>',
    ]
    for name, heading in SECTIONS:
        chosen = [i for i in items if i.section == name]
        if not chosen:
            continue
        text += [heading.upper(), ""]
        page.append(f'<h2 style="font-size:17px;margin:18px 0 6px">{html.escape(heading)}</h2>')
        page.append('<ul style="padding-left:20px;margin:0">')
        for item in chosen:
            head = f"• {item.title} ({item.context})" if item.context else f"• {item.title}"
            if item.when:
                head += f", {item.when}"
            text.append(head)
            line = f"<strong>{html.escape(item.title)}</strong>"
            if item.context:
                line += f' <span style="color:#555">({html.escape(item.context)})</span>'
            if item.when:
                line += f", {html.escape(item.when)}"
            if detail == "full":
                if item.why:
                    text.append(f"  Why: {item.why}")
                    line += f'<br><span style="color:#444">{html.escape(item.why)}</span>'
                if item.link:
                    label = "Open" if _is_address(item.link) else "Run"
                    text.append(f"  {label}: {item.link}")
                    if _is_address(item.link):
                        href = html.escape(item.link, quote=True)
                        line += f'<br><a href="{href}">Open the draft</a>'
                    else:
                        line += f"<br><code>{html.escape(item.link)}</code>"
            text.append("")
            page.append(f'<li style="margin:0 0 10px">{line}</li>')
        page.append("</ul>")
    if still_overdue:
        note = (
            f"Still open from earlier: {count(still_overdue, 'overdue follow-up')} "
            "(run `nudge` or open the app to see them)."
        )
        text += [note, ""]
        page.append(f'<p style="color:#555">{html.escape(note)}</p>')
    footer = f"Sent by jobnudge. Change when and where in Settings → Reminders or {settings_hint}."
    text.append(f"-- \n{footer}")
    page.append(f'<p style="color:#777;font-size:13px;margin-top:24px">{html.escape(footer)}</p>')
    page.append("</div>")
    lines = [i.title for i in items[:4]]
    if len(items) > 4:
        lines.append(f"and {len(items) - 4} more")
    if still_overdue and not items:
        lines.append(f"{count(still_overdue, 'overdue follow-up')} still open")
    return Digest(subject, "\n".join(text), "\n".join(page), "\n".join(lines), tuple(items))
