"""Charts drawn on the server as SVG: readable without scripts, sharp in print, labelled for
screen readers (each chart has a title and a description, each bar its number in text).

Each chart comes in two layouts: a wide one for a desktop card, and a narrow one (``narrow``)
drawn for a phone's width, so that its labels stay as large as the page's small print instead of
shrinking with a wide drawing. The page shows one or the other by the screen's width.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDE = 560
NARROW = 300


def _svg(width: int, height: int, label: str, body: list[str], *, narrow: bool = False) -> Markup:
    title = escape(label)
    css = "chart narrow" if narrow else "chart"
    return Markup(  # noqa: S704 - every text inside was escaped where it was made
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )


def columns(
    data: Sequence[tuple[str, int]],
    label: str,
    *,
    highlight_last: bool = True,
    narrow: bool = False,
) -> Markup:
    """Vertical bars with the count above each and the label below (weeks of activity); narrow,
    a label's words go on lines of their own ("23" over "Nov")."""
    width = NARROW if narrow else WIDE
    bottom = 40 if narrow else 28
    height, top = 180, 22
    peak = max((v for _, v in data), default=0) or 1
    step = width / max(len(data), 1)
    bar = step * 0.62
    body = [
        f'<line class="axis" x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/>'
    ]
    for n, (name, value) in enumerate(data):
        h = (height - top - bottom) * value / peak
        x = n * step + (step - bar) / 2
        y = height - bottom - h
        middle = x + bar / 2
        css = "bar now" if highlight_last and n == len(data) - 1 else "bar"
        body.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'rx="3"><title>{escape(name)}: {value}</title></rect>'
        )
        body.append(
            f'<text class="value" x="{middle:.1f}" y="{y - 6:.1f}" '
            f'text-anchor="middle">{value}</text>'
        )
        if narrow:
            lines = "".join(
                f'<tspan x="{middle:.1f}" dy="{0 if i == 0 else 15}">{escape(word)}</tspan>'
                for i, word in enumerate(name.split(" ", 1))
            )
            body.append(
                f'<text class="label" x="{middle:.1f}" y="{height - bottom + 17}" '
                f'text-anchor="middle">{lines}</text>'
            )
        else:
            body.append(
                f'<text class="label" x="{middle:.1f}" y="{height - 9}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    return _svg(width, height, label, body, narrow=narrow)


def bars(
    data: Sequence[tuple[str, float | None, str]],
    label: str,
    *,
    max_value: float = 1.0,
    narrow: bool = False,
) -> Markup:
    """Horizontal bars, 0 to ``max_value``, each with its label on the left and a caption on
    the right (a rate with its count); narrow, the label and the caption go above the bar."""
    if narrow:
        return _bars_narrow(data, label, max_value=max_value)
    row, left, right, width = 30, 150, 120, WIDE
    height = row * max(len(data), 1) + 8
    span = width - left - right
    body = []
    for n, (name, value, caption) in enumerate(data):
        y = 4 + n * row
        body.append(
            f'<text class="label" x="{left - 10}" y="{y + row / 2 + 4:.1f}" '
            f'text-anchor="end">{escape(_short(name))}</text>'
        )
        body.append(
            f'<rect class="track" x="{left}" y="{y + 6}" width="{span}" height="{row - 14}" '
            f'rx="4"/>'
        )
        if value:
            w = span * min(value / max_value, 1.0)
            body.append(
                f'<rect class="bar" x="{left}" y="{y + 6}" width="{w:.1f}" height="{row - 14}" '
                f'rx="4"><title>{escape(name)}: {escape(caption)}</title></rect>'
            )
        body.append(
            f'<text class="value" x="{left + span + 10}" y="{y + row / 2 + 4:.1f}">'
            f"{escape(caption)}</text>"
        )
    return _svg(width, height, label, body)


def _bars_narrow(
    data: Sequence[tuple[str, float | None, str]], label: str, *, max_value: float
) -> Markup:
    row, width = 44, NARROW
    height = row * max(len(data), 1) + 4
    body = []
    for n, (name, value, caption) in enumerate(data):
        y = n * row
        body.append(
            f'<text class="label" x="0" y="{y + 15}">{escape(_short(name, 22))}</text>'
            f'<text class="value" x="{width}" y="{y + 15}" text-anchor="end">'
            f"{escape(caption)}</text>"
        )
        body.append(f'<rect class="track" x="0" y="{y + 22}" width="{width}" height="14" rx="4"/>')
        if value:
            w = width * min(value / max_value, 1.0)
            body.append(
                f'<rect class="bar" x="0" y="{y + 22}" width="{w:.1f}" height="14" rx="4">'
                f"<title>{escape(name)}: {escape(caption)}</title></rect>"
            )
    return _svg(width, height, label, body, narrow=True)


def stacked(data: Sequence[tuple[str, int, str]], label: str, *, narrow: bool = False) -> Markup:
    """One bar split into parts (the pipeline by stage), with a legend underneath (narrow: in
    two columns)."""
    width = NARROW if narrow else WIDE
    total = sum(v for _, v, _ in data) or 1
    body = []
    x = 0.0
    for name, value, css in data:
        if not value:
            continue
        w = width * value / total
        body.append(
            f'<rect class="part {css}" x="{x:.1f}" y="0" width="{w:.1f}" height="26">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
        x += w
    if narrow:
        for n, (name, value, css) in enumerate(data):
            lx, ly = (n % 2) * (width // 2), 40 + (n // 2) * 22
            body.append(
                f'<rect class="part {css}" x="{lx}" y="{ly}" width="12" height="12" rx="2"/>'
            )
            text = f"{name} {value}"
            body.append(f'<text class="label" x="{lx + 17}" y="{ly + 11}">{escape(text)}</text>')
        height = 40 + ((len(data) + 1) // 2) * 22
        return _svg(width, height, label, body, narrow=True)
    lx, ly = 0, 42
    for name, value, css in data:
        text = f"{name} {value}"
        room = 17 + 7 * len(text) + 16  # the swatch, the text at about 7 units a letter, a gap
        if lx and lx + room > width:
            lx, ly = 0, ly + 22
        body.append(f'<rect class="part {css}" x="{lx}" y="{ly}" width="12" height="12" rx="2"/>')
        body.append(f'<text class="label" x="{lx + 17}" y="{ly + 11}">{escape(text)}</text>')
        lx += room
    return _svg(width, ly + 20, label, body)


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
