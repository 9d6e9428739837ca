"""Bar charts as SVG drawn on the server (nothing fetched): every bar labelled with its name and
its number, so that a chart reads without colour; two series are told apart by a pattern as
well as a colour. All text is escaped: names are data."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

_WIDTH = 760
_PATTERN = (
    '<defs><pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#fff4e0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ef6c00" stroke-width="3"/>'
    "</pattern></defs>"
)


def bars(items: Sequence[tuple[str, int]], title: str, css: str = "bars") -> Markup:
    """Horizontal bars, one a (name, count), largest first as given."""
    if not items:
        return Markup("")
    row, label_width = 22, 220
    largest = max(count for _, count in items) or 1
    height = row * len(items) + 8
    parts = [f'<svg class="{css}" role="img" width="{_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]  # fmt: skip
    for n, (name, count) in enumerate(items):
        y = 4 + row * n
        width = (_WIDTH - label_width - 60) * count / largest
        shown = name if len(name) <= 32 else name[:31] + "\u2026"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(shown)}</text>'
        )
        parts.append(f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{width:.1f}" height="15" fill="#2e7d32">'
                     f"<title>{escape(name)}: {count}</title></rect>")  # fmt: skip
        parts.append(f'<text x="{label_width + width + 5:.1f}" y="{y + 15}" font-size="12">{count}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (its text is escaped above, the rest numbers)


def days(series: Sequence[tuple[str, int, int]], title: str, first: str, second: str) -> Markup:
    """Vertical bars a day (``(day, first count, second count)``, in order), the second series stacked
    on the first and hatched; the first and last days and the largest count labelled."""
    if not series:
        return Markup("")
    height, bottom, left = 182, 140, 40
    largest = max(a + b for _, a, b in series) or 1
    step = (_WIDTH - left - 10) / len(series)
    width = min(max(step - 1, 1.0), 24.0)  # a few days make narrow bars, not a wall
    parts = [f'<svg class="days" role="img" width="{_WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>", _PATTERN.format(id="hatched")]  # fmt: skip
    parts.append(f'<text x="{left - 4}" y="14" font-size="11" text-anchor="end">{largest}</text>')
    parts.append(f'<line x1="{left}" x2="{_WIDTH - 10}" y1="{bottom}" y2="{bottom}" stroke="#999"/>')
    for n, (day, a, b) in enumerate(series):
        x = left + step * n
        ha, hb = (bottom - 10) * a / largest, (bottom - 10) * b / largest
        tip = escape(f"{day}: {a} {first}, {b} {second}")
        parts.append(f'<g class="day"><title>{tip}</title>'
                     f'<rect x="{x:.1f}" y="{bottom - ha:.1f}" width="{width:.1f}" height="{ha:.1f}" fill="#2e7d32"/>'
                     f'<rect x="{x:.1f}" y="{bottom - ha - hb:.1f}" width="{width:.1f}" height="{hb:.1f}" '
                     'fill="url(#hatched)"/></g>')  # fmt: skip
    parts.append(f'<text x="{left}" y="{bottom + 16}" font-size="11">{escape(series[0][0])}</text>')
    parts.append(
        f'<text x="{_WIDTH - 10}" y="{bottom + 16}" font-size="11" text-anchor="end">{escape(series[-1][0])}</text>'
    )
    parts.append(
        f'<text x="{left}" y="{bottom + 30}" font-size="11">solid: {escape(first)}; hatched: {escape(second)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (its text is escaped above, the rest numbers)
