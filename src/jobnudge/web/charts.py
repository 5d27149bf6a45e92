"""Charts drawn on the server as SVG: readable without scripts, sharp in print, labelled for
screen readers (each chart has a title and a description, each bar its number in text)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    title = escape(label)
    return Markup(  # noqa: S704 - every text inside was escaped where it was made
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{title}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{title}</title>{''.join(body)}</svg>"
    )


def columns(data: Sequence[tuple[str, int]], label: str, *, highlight_last: bool = True) -> Markup:
    """Vertical bars with the count above each and the label below (weeks of activity)."""
    width, height, top, bottom = 560, 180, 22, 28
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
        css = "bar now" if highlight_last and n == len(data) - 1 else "bar"
        body.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'rx="3"><title>{escape(name)}: {value}</title></rect>'
        )
        body.append(
            f'<text class="value" x="{x + bar / 2:.1f}" y="{y - 6:.1f}" '
            f'text-anchor="middle">{value}</text>'
        )
        body.append(
            f'<text class="label" x="{x + bar / 2:.1f}" y="{height - 9}" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    return _svg(width, height, label, body)


def bars(
    data: Sequence[tuple[str, float | None, str]], label: str, *, max_value: float = 1.0
) -> Markup:
    """Horizontal bars, 0 to ``max_value``, each with its label on the left and a caption on
    the right (a rate with its count)."""
    row, left, right, width = 30, 150, 120, 560
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


def stacked(data: Sequence[tuple[str, int, str]], label: str) -> Markup:
    """One bar split into parts (the pipeline by stage), with a legend underneath."""
    width, height = 560, 70
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
    lx = 0
    for name, value, css in data:
        body.append(f'<rect class="part {css}" x="{lx}" y="42" width="12" height="12" rx="2"/>')
        text = f"{name} {value}"
        body.append(f'<text class="label" x="{lx + 17}" y="53">{escape(text)}</text>')
        lx += 17 + 7 * len(text) + 16
    return _svg(max(width, lx), height, label, body)


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
