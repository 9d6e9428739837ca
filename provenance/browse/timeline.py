"""A story's timeline as SVG drawn on the server: when each copy appeared after the origin.

One lane a relation (exact, wholly, partially, version), labelled, each with a mark of its own
shape, so that the chart reads without colour; one mark a copy, at its delay after the canonical
article, linked to its row and titled with its headline and time. Delays are in minutes or
hours where every date carries a time of day, in days otherwise. Copies without a date are
counted under the axis, not drawn. All text is escaped: titles are data.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_WIDTH, _LEFT, _RIGHT, _LANE, _TOP = 760, 90, 30, 34, 14
_LANES = ("origin", "exact", "wholly", "partially", "compilation", "version")
_COLOURS = {"origin": "#263238", "exact": "#1b5e20", "wholly": "#2e7d32", "partially": "#ef6c00",
            "compilation": "#6a1b9a", "version": "#1565c0"}  # fmt: skip


@dataclass(frozen=True)
class Mark:
    article_id: int
    title: str
    published: str | None
    relation: str  # "origin" for the canonical article
    via: int | None = None  # the version of the story this copy took, where it took one


def parse_time(value: str | None) -> tuple[dt.datetime, bool] | None:
    """A stored date or time as a UTC datetime, and whether it carried a time of day."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            when = dt.datetime.fromisoformat(text[:10])
        except ValueError:
            return None
        return when.replace(tzinfo=dt.UTC), False
    timed = len(text) > 10
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC), timed


def timeline_svg(marks: Sequence[Mark], href: Callable[[int], str]) -> Markup:
    """The timeline of a story's marks (the first: the canonical article, relation "origin")."""
    known = [(m, parsed) for m in marks if (parsed := parse_time(m.published)) is not None]
    undated = len(marks) - len(known)
    if not known or marks[0].relation != "origin" or parse_time(marks[0].published) is None:
        return Markup('<p class="timeline-none">No timeline: the origin has no date.</p>')
    origin_time = known[0][1][0]
    timed = all(is_timed for _, (_, is_timed) in known)
    delays = [(when - origin_time).total_seconds() for _, (when, _) in known]
    unit, seconds = _unit(timed, max(abs(d) for d in delays))
    low, high = min(0.0, min(delays)), max(delays)
    span = (high - low) or seconds
    lanes = [lane for lane in _LANES if lane == "origin" or any(m.relation == lane for m, _ in known)]
    height = _TOP + _LANE * len(lanes) + 40

    def x(delay: float) -> float:
        return _LEFT + (delay - low) / span * (_WIDTH - _LEFT - _RIGHT)

    parts = [
        f'<svg class="timeline" role="img" width="{_WIDTH}" height="{height}" viewBox="0 0 {_WIDTH} {height}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>When each copy appeared, in {unit} after the origin</title>",
    ]
    axis_y = _TOP + _LANE * len(lanes)
    for n, lane in enumerate(lanes):
        y = _TOP + _LANE * n + _LANE / 2
        parts.append(f'<text class="lane" x="4" y="{y + 4:.0f}" font-size="12">{lane}</text>')
        parts.append(f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y:.0f}" y2="{y:.0f}" stroke="#ddd"/>')
    for tick in _ticks(low, high, seconds):
        tx = x(tick)
        count = tick / seconds
        label = "origin" if tick == 0 else f"{count:+g} {unit if abs(count) != 1 else unit[:-1]}"
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{_TOP}" y2="{axis_y}" stroke="#eee"/>')
        parts.append(
            f'<text class="tick" x="{tx:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle">{label}</text>'
        )
    placed: dict[int, tuple[float, float]] = {}
    taken: dict[tuple[str, int], int] = {}
    for (mark, _), delay in zip(known, delays, strict=True):
        spot = (mark.relation, round(x(delay)))
        side = taken[spot] = taken.get(spot, -1) + 1  # marks of one time stand side by side
        placed[mark.article_id] = (x(delay) + 10 * side, _TOP + _LANE * lanes.index(mark.relation) + _LANE / 2)
    for mark, _ in known:  # which copy took which version: a dashed line from the version
        if mark.via in placed:
            (x1, y1), (x2, y2) = placed[mark.via], placed[mark.article_id]
            parts.append(f'<line class="took" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                         'stroke="#1565c0" stroke-dasharray="3 3"/>')  # fmt: skip
    for mark, (when, _) in known:
        at = f"{when:%Y-%m-%d %H:%M} UTC" if timed else f"{when:%Y-%m-%d}"
        parts.append(
            f'<a class="mark {mark.relation}" href="{escape(href(mark.article_id))}">'
            f"<title>{escape(f'{mark.title} ({mark.relation}, {at})')}</title>"
            f"{_shape(mark.relation, *placed[mark.article_id])}</a>"
        )
    if undated:
        parts.append(f'<text x="{_LEFT}" y="{axis_y + 34}" font-size="11">{undated} without a date, not drawn</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (its text is escaped above, the rest numbers and constants)


def _unit(timed: bool, largest: float) -> tuple[str, float]:
    if not timed:
        return "days", 86_400.0
    if largest < 2 * 3600:
        return "minutes", 60.0
    if largest < 3 * 86_400:
        return "hours", 3600.0
    return "days", 86_400.0


def _step(units: float) -> int:
    """The tick step for a span of ``units``: at most six ticks, on whole numbers a reader counts
    in (1, 2, 5, 10, 15, 30, 60 ...; beyond 1,200, 1, 2 or 5 times a power of ten)."""
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 240, 600, 1200):
        if units / step <= 6:
            return step
    power = int(10 ** math.floor(math.log10(units / 6)))
    return next(m * power for m in (1, 2, 5, 10) if units / (m * power) <= 6)


def _ticks(low: float, high: float, seconds: float) -> list[float]:
    """Up to six ticks at whole numbers of the unit, 0 (the origin) among them."""
    units = max((high - low) / seconds, 1.0)
    step = _step(units)
    first = int(low / seconds // step * step)
    return [n * seconds for n in range(first, int(high / seconds) + step, step) if low <= n * seconds <= high] or [0.0]


def _shape(relation: str, cx: float, cy: float) -> str:
    """A mark of the relation's own shape and colour."""
    colour = _COLOURS.get(relation, "#555")
    if relation == "origin":
        return f'<rect x="{cx - 6:.1f}" y="{cy - 6:.1f}" width="12" height="12" fill="{colour}"/>'
    if relation == "exact":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="{colour}"/>'
    if relation == "wholly":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="white" stroke="{colour}" stroke-width="3"/>'
    if relation == "compilation":  # a hollow square: a page of several stories
        return (
            f'<rect x="{cx - 6:.1f}" y="{cy - 6:.1f}" width="12" height="12" fill="white" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
    if relation == "partially":  # a triangle
        return (
            f'<path d="M{cx:.1f} {cy - 7:.1f} L{cx + 7:.1f} {cy + 6:.1f} L{cx - 7:.1f} {cy + 6:.1f} Z" '
            f'fill="{colour}"/>'
        )
    # a diamond
    return (
        f'<path d="M{cx:.1f} {cy - 7:.1f} L{cx + 7:.1f} {cy:.1f} L{cx:.1f} {cy + 7:.1f} L{cx - 7:.1f} {cy:.1f} Z" '
        f'fill="{colour}"/>'
    )
