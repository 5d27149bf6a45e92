"""The agenda as a person reads it (a boxed table, readable at 80 columns) and as a program
reads it (JSON with stable keys): the one renderer of both the full command line and its fast
path (``cli/quick.py``), so the two can never print different agendas.

Standard library only, and no Rich: laying out a Rich table cost more than everything else the
agenda does. The table keeps the look it had under Rich (heavy header, a line between rows,
fixed id/due/via columns and a follow-up column taking the rest of the width).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from jobnudge.cli.prompts import record_it
from jobnudge.cli.terminal import Paint, cells, crop, spans, wrap
from jobnudge.playbook.acting import shown_due, today_start
from jobnudge.playbook.titles import title
from jobnudge.plural import noun
from jobnudge.text_safety import printable

GROUP_TITLES = {"overdue": "Overdue", "today": "Due today", "upcoming": "Next 7 days"}
MORE = {"overdue": "overdue", "today": "due today", "upcoming": "coming up"}
COLOURS = {"overdue": "red", "today": "yellow", "upcoming": "cyan"}
CHANNEL_ICONS = {
    "email": "email",
    "call": "call",
    "voicemail": "voicemail",
    "text": "text",
    "card": "card",
    "in-person": "in person",
}
PER_GROUP = 20
"""Rows a group of the agenda table shows unless asked for all: a long backlog stays readable
(and quick to print); the JSON form always lists everything."""

EMPTY = (
    "Nothing to follow up on in the next 7 days. Record what happens with {nudge_add} and "
    "{nudge_log}; the follow-ups appear here."
)


class Line:
    """One follow-up on the agenda, in plain values (both paths build these)."""

    __slots__ = (
        "blocked_by",
        "channel",
        "company",
        "contact",
        "contact_id",
        "contact_tz",
        "due",
        "due_by",
        "group",
        "key",
        "message",
        "opportunity_id",
        "reason",
        "role",
        "rule",
        "short_id",
    )

    def __init__(
        self,
        *,
        short_id: str,
        key: str,
        rule: str,
        group: str,
        opportunity_id: int | None,
        company: str | None,
        role: str | None,
        contact: str | None,
        contact_id: int | None,
        contact_tz: str | None,
        channel: str | None,
        due: datetime,
        due_by: datetime | None,
        blocked_by: tuple[str, ...],
        reason: str,
        message: str | None,
    ) -> None:
        self.short_id = short_id
        self.key = key
        self.rule = rule
        self.group = group
        self.opportunity_id = opportunity_id
        self.company = company
        self.role = role
        self.contact = contact
        self.contact_id = contact_id
        self.contact_tz = contact_tz
        self.channel = channel
        self.due = due
        self.due_by = due_by
        self.blocked_by = blocked_by
        self.reason = reason
        self.message = message

    @property
    def ok_now(self) -> bool:
        return not self.blocked_by


# ----------------------------------------------------------------------------- moments


def iso(value: datetime | None, tz: str) -> str | None:
    return value.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes") if value else None


def when(value: datetime, tz: str, now: datetime | None = None) -> str:
    """'Sat 20 Dec 09:00'; with the year when it is not ``now``'s year in ``tz``."""
    zone = ZoneInfo(tz)
    local = value.astimezone(zone)
    year = f" {local.year}" if now is not None and now.astimezone(zone).year != local.year else ""
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


def contact_time(value: datetime, contact_tz: str | None, name: str | None, tz: str) -> str:
    """'3:10 pm for Dana' when the contact lives on another clock than the user."""
    if not contact_tz or contact_tz == tz or not name:
        return ""
    local = value.astimezone(ZoneInfo(contact_tz))
    if local.utcoffset() == value.astimezone(ZoneInfo(tz)).utcoffset():
        return ""
    hour = local.strftime("%I:%M %p").lstrip("0").lower()
    return f"{hour} for {name.split()[0]}"


# ----------------------------------------------------------------------------- JSON


def json_rows(lines: Iterable[Line], tz: str) -> list[dict[str, object]]:
    """The agenda's JSON form (documented in docs/cli.md; the keys are an interface)."""
    return [
        {
            "id": line.short_id,
            "key": line.key,
            "rule": line.rule,
            "group": line.group,
            "opportunity_id": line.opportunity_id,
            "company": line.company,
            "role": line.role,
            "contact": line.contact,
            "contact_id": line.contact_id,
            "contact_tz": line.contact_tz,
            "channel": line.channel,
            "due": iso(line.due, tz),
            "due_by": iso(line.due_by, tz),
            "ok_now": line.ok_now,
            "blocked_by": list(line.blocked_by),
            "reason": line.reason,
            "message": line.message,
        }
        for line in lines
    ]


_JSON_UNSAFE = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}
"""DEL and the C1 controls, which JSON may carry raw: written as escapes, so the JSON form
keeps every character and still holds no terminal control."""


def json_text(value: object) -> str:
    """``value`` as the command line prints JSON: indented, UTF-8, no terminal control."""
    import json

    return json.dumps(value, indent=2, ensure_ascii=False).translate(_JSON_UNSAFE) + "\n"


# -------------------------------------------------------------------------------- table


# A cell: a list of (text, style) pieces, one list per given line.
Cell = list[list[tuple[str, str]]]


def _cell_lines(cell: Cell, width: int, paint: Paint) -> list[str]:
    """A cell's lines wrapped to ``width`` and styled (each piece keeps its style)."""
    lines: list[str] = []
    for pieces in cell:
        plain = "".join(text for text, _ in pieces).replace("\t", " ")
        styles = [style for text, style in pieces for _ in text]
        for start, end in _paragraph_spans(plain, width):
            if not paint.on:
                lines.append(plain[start:end])
                continue
            runs, begin = [], start
            for index in range(start + 1, end + 1):
                if index == end or styles[index] != styles[begin]:
                    runs.append(paint(plain[begin:index], styles[begin]))
                    begin = index
            lines.append("".join(runs))
    return lines


def _paragraph_spans(text: str, width: int) -> list[tuple[int, int]]:
    """``spans`` of each line of ``text``, as offsets into ``text`` (line breaks kept)."""
    out: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        out += [(offset + start, offset + end) for start, end in spans(paragraph, width)]
        offset += len(paragraph) + 1
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(_unstyled(text)))


def _unstyled(text: str) -> str:
    if "\x1b" not in text:
        return text
    out, skipping = [], False
    for char in text:
        if char == "\x1b":
            skipping = True
        elif skipping:
            skipping = char != "m"
        else:
            out.append(char)
    return "".join(out)


FIXED = (7, 13, 9)
"""Widths of the id, due and via columns; the follow-up column takes the rest."""
LEFT_PAD = (0, 1, 1, 1)
RIGHT_PAD = (1, 1, 1, 0)
MIN_FOLLOW_UP = 12


def widths(total: int) -> tuple[int, int, int, int]:
    """Content widths of the four columns for a table ``total`` columns wide."""
    used = 5 + sum(LEFT_PAD) + sum(RIGHT_PAD) + sum(FIXED)
    return FIXED[0], FIXED[1], max(MIN_FOLLOW_UP, total - used), FIXED[2]


def _rule(left: str, fill: str, middle: str, right: str, sizes: Sequence[int]) -> str:
    spans = [
        fill * (lp + size + rp) for lp, size, rp in zip(LEFT_PAD, sizes, RIGHT_PAD, strict=True)
    ]
    return left + middle.join(spans) + right


def _row(cells_: Sequence[list[str]], sizes: Sequence[int], bar: str) -> list[str]:
    height = max(len(c) for c in cells_)
    out = []
    for index in range(height):
        parts = []
        for column, (lines, size) in enumerate(zip(cells_, sizes, strict=True)):
            text = lines[index] if index < len(lines) else ""
            parts.append(" " * LEFT_PAD[column] + _pad(text, size) + " " * RIGHT_PAD[column])
        out.append(bar + bar.join(parts) + bar)
    return out


def _table(
    group: str,
    count: int,
    rows: Sequence[Line],
    tz: str,
    now: datetime,
    width: int,
    paint: Paint,
) -> str:
    sizes = widths(width)
    total = 5 + sum(LEFT_PAD) + sum(RIGHT_PAD) + sum(sizes)
    colour = COLOURS[group]
    heading = f"{GROUP_TITLES[group]} ({count})"
    out = [paint(line, f"bold {colour}") + " " * (total - cells(line))
           for line in wrap(heading, total)]  # fmt: skip
    out.append(_rule("┏", "━", "┳", "┓", sizes))
    header = [[paint(h, "bold")] for h in ("id", "due", "follow-up", "via")]
    out += _row(header, sizes, "┃")
    out.append(_rule("┡", "━", "╇", "┩", sizes))
    for number, line in enumerate(rows):
        if number:
            out.append(_rule("├", "─", "┼", "┤", sizes))
        out += _row(_row_cells(line, tz, now, sizes, colour, paint), sizes, "│")
    out.append(_rule("└", "─", "┴", "┘", sizes))
    return "\n".join(out) + "\n"


def _due_cell(line: Line, tz: str, now: datetime, contact: str | None) -> Cell:
    """When it falls due (with the contact's clock when it differs); under "Due today", one
    that fell due on an earlier day shows its deadline instead (``acting.shown_due``)."""
    how, moment = shown_due(line.group, line.due, line.due_by, today_start(now, tz))
    if moment is None:
        return [[("now", "")]]
    due: Cell = [[(f"by {when(moment, tz, now)}" if how == "by" else when(moment, tz), "")]]
    extra = contact_time(moment, line.contact_tz, contact, tz)
    if extra:
        due.append([(f"({extra})", "")])
    return due


def _row_cells(
    line: Line, tz: str, now: datetime, sizes: Sequence[int], colour: str, paint: Paint
) -> list[list[str]]:
    company, role, contact = (None if v is None else printable(v)
                              for v in (line.company, line.role, line.contact))  # fmt: skip
    who = contact or ("—" if line.opportunity_id is None else "hiring team")
    what: Cell = []
    if company:
        what.append([(company, "bold"), (f" · {role}", "")])
    heading = [(title(line.rule), colour)]
    if line.channel is not None or contact:
        heading.append((f" → {who}", ""))
    what.append(heading)
    what.append([(printable(line.reason), "dim")])
    answer = record_it(line.rule, line.opportunity_id)
    if answer:
        what.append([(answer, "bold")])
    due = _due_cell(line, tz, now, contact)
    via = printable(CHANNEL_ICONS.get(line.channel, line.channel)) if line.channel else "—"
    mark = ("ready", "green") if line.ok_now else ("wait", "dim")
    return [
        [paint(crop(printable(line.short_id), sizes[0]), "dim")],
        _cell_lines(due, sizes[1], paint),
        _cell_lines(what, sizes[2], paint),
        _cell_lines([[(via, "")], [mark]], sizes[3], paint),
    ]


def text(
    lines: Sequence[Line],
    tz: str,
    now: datetime,
    *,
    limit: int | None = PER_GROUP,
    width: int = 80,
    paint: Paint | None = None,
) -> str:
    """The agenda as the terminal shows it: a heading, then one table a group, each cut at
    ``limit`` rows with a line saying how many more there are."""
    paint = paint or Paint()
    if not lines:
        message = EMPTY.format(nudge_add="nudge add", nudge_log="nudge log")
        out = wrap(message, width)
        if paint.on:
            out = [
                w.replace("nudge add", paint("nudge add", "bold")).replace(
                    "nudge log", paint("nudge log", "bold")
                )
                for w in out
            ]
        return "\n".join(out) + "\n"
    heading = f"Follow-ups as of {when(now, tz)} ({printable(tz)})"
    parts = []
    for number, line in enumerate(wrap(heading, width)):
        if number == 0 and line.startswith("Follow-ups"):
            line = paint("Follow-ups", "bold") + line[len("Follow-ups") :]
        parts.append(line + "\n")
    for group in ("overdue", "today", "upcoming"):
        rows = [line for line in lines if line.group == group]
        if not rows:
            continue
        shown = rows if limit is None else rows[:limit]
        parts.append(_table(group, len(rows), shown, tz, now, width, paint))
        if len(shown) < len(rows):
            left = len(rows) - len(shown)
            more = f"… and {left} more {MORE[group]}: nudge today --all lists {noun(left, 'it')}."
            for piece in wrap(more, width):
                styled = paint(piece, "dim")
                if paint.on and "nudge today --all" in piece:
                    styled = paint(piece.replace("nudge today --all", "\0"), "dim").replace(
                        "\0", paint("nudge today --all", "bold dim")
                    )
                parts.append(styled + "\n")
    return "".join(parts)
