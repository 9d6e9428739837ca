"""The publisher page (``/DB/-/publisher/NAME``) and the store overview (``/DB/-/overview``).

Each is read in one transaction with a handful of queries, each over an index or one pass of a
table (none a query per row), so that they answer in a fraction of a second on a store of
100,000 articles (``python -m benchmarks.pages`` measures them).
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from datasette.utils.asgi import Response

from ..store import StoryCounts, story_counts
from . import charts
from .timeline import parse_time

PUBLISHER_ROUTE = r"^/(?P<database>[^/]+)/-/publisher/(?P<name>[^/]+)$"
OVERVIEW_ROUTE = r"^/(?P<database>[^/]+)/-/overview$"
_ORIGINS_SHOWN = 15  # bars of the publisher's copies by origin
_COPIES_LISTED = 50  # its latest copies listed
_TOP = 10  # largest stories and busiest republishers of the overview
_DAYS_AT_MOST = 180  # a chart over more days than this counts by month


@dataclass
class Publisher:
    name: str
    articles: int = 0
    copies: int = 0
    originals: int = 0  # the canonical articles of stories with copies
    coverage: float | None = None  # mean share of the source its copies carry
    adding: int = 0  # copies with a paragraph of the publisher's own
    added: float | None = None  # paragraphs added, a copy on average
    delay: str | None = None  # median delay after the origin, in words
    by_origin: list[tuple[str, int]] = field(default_factory=list)
    over_time: list[tuple[str, int, int]] = field(default_factory=list)  # (day, copies, its own)
    latest: list[dict[str, Any]] = field(default_factory=list)


def read_publisher(conn: sqlite3.Connection, name: str) -> Publisher | None:
    """What ``name`` published and how much of it is copy (None where it published nothing)."""
    conn.execute("BEGIN")
    try:
        rows = conn.execute(
            """SELECT a.id, a.title, a.key, a.published, l.story_id, l.relation, l.coverage,
                      l.paragraphs_added, s.source, s.published, s.title, own.members
               FROM articles a
               LEFT JOIN links l ON l.article_id = a.id
               LEFT JOIN stories s ON s.id = l.story_id
               LEFT JOIN stories own ON own.canonical_id = a.id
               WHERE a.publisher = ?""",
            [name],
        ).fetchall()
    finally:
        conn.execute("ROLLBACK")
    if not rows:
        return None
    found = Publisher(name, articles=len(rows))
    copies = [r for r in rows if r[4] is not None]
    found.copies = len(copies)
    found.originals = sum(1 for r in rows if r[11] is not None and r[11] > 1)
    if copies:
        found.coverage = statistics.fmean(r[6] for r in copies)
        found.adding = sum(1 for r in copies if r[7] > 0)
        found.added = statistics.fmean(r[7] for r in copies)
        found.by_origin = Counter(r[8] or "unknown" for r in copies).most_common(_ORIGINS_SHOWN)
        found.delay = _median_delay([(r[3], r[9]) for r in copies])
        latest = sorted(copies, key=lambda r: (r[3] or "", r[0]), reverse=True)[:_COPIES_LISTED]
        found.latest = [
            {"id": r[0], "title": r[1] or r[2], "published": r[3], "story": r[4], "relation": r[5],
             "coverage": r[6], "source": r[8] or "unknown", "story_title": r[10]}
            for r in latest
        ]  # fmt: skip
    found.over_time = _by_day([(r[3], r[4] is not None) for r in rows])
    return found


def _median_delay(pairs: list[tuple[str | None, str | None]]) -> str | None:
    """The median of each copy's delay after its origin, in words ("3.5 hours", "2 days")."""
    delays, timed = [], True
    for published, origin in pairs:
        mine, theirs = parse_time(published), parse_time(origin)
        if mine is None or theirs is None:
            continue
        delays.append((mine[0] - theirs[0]).total_seconds())
        timed &= mine[1] and theirs[1]
    if not delays:
        return None
    middle = statistics.median(delays)
    if timed and abs(middle) < 2 * 86_400:
        return f"{middle / 3600:.1f} hours"
    days = middle / 86_400
    return f"{days:.0f} day{'' if round(days) == 1 else 's'}" if timed else f"{days:.1f} days (dates only)"


def _by_day(dated: list[tuple[str | None, bool]]) -> list[tuple[str, int, int]]:
    """(day, copies, others) for each day with articles, in order; by month over many days."""
    counts: dict[str, list[int]] = {}
    for published, is_copy in dated:
        if published and len(published) >= 10:
            tally = counts.setdefault(published[:10], [0, 0])
            tally[0 if is_copy else 1] += 1
    return _by_month_over_many_days([(day, a, b) for day, (a, b) in sorted(counts.items())])


def _by_month_over_many_days(series: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A chart's ``(day, a, b)`` series as it is, or summed by month where it has more than
    :data:`_DAYS_AT_MOST` days."""
    if len(series) <= _DAYS_AT_MOST:
        return series
    months: dict[str, list[int]] = {}
    for day, a, b in series:
        month = months.setdefault(day[:7], [0, 0])
        month[0] += a
        month[1] += b
    return [(month, a, b) for month, (a, b) in sorted(months.items())]


@dataclass
class Overview:
    articles: int
    counts: StoryCounts
    largest: list[dict[str, Any]]
    republishers: list[tuple[str, int]]
    per_day: list[tuple[str, int, int]]  # (day, stories first published, copies published)


def read_overview(conn: sqlite3.Connection) -> Overview:
    conn.execute("BEGIN")
    try:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        counts = story_counts(conn)
        largest = [
            {"id": r[0], "title": r[1] or f"story {r[0]}", "source": r[2] or "unknown", "copies": r[3]}
            for r in conn.execute(
                "SELECT id, title, source, members - canonical_present AS copies FROM stories"
                " ORDER BY copies DESC, id LIMIT ?",
                [_TOP],
            )
        ]
        republishers = conn.execute(
            """SELECT a.publisher, count(*) AS n FROM links l JOIN articles a ON a.id = l.article_id
               WHERE a.publisher IS NOT NULL GROUP BY a.publisher ORDER BY n DESC, a.publisher LIMIT ?""",
            [_TOP],
        ).fetchall()
        started = dict(
            conn.execute(
                "SELECT substr(published, 1, 10) AS day, count(*) FROM stories"
                " WHERE length(published) >= 10 GROUP BY day"
            ).fetchall()
        )
        copied = dict(
            conn.execute(
                "SELECT substr(a.published, 1, 10) AS day, count(*) FROM links l "
                "JOIN articles a ON a.id = l.article_id WHERE length(a.published) >= 10 GROUP BY day"
            ).fetchall()
        )
    finally:
        conn.execute("ROLLBACK")
    days = sorted(set(started) | set(copied))
    per_day = _by_month_over_many_days([(day, started.get(day, 0), copied.get(day, 0)) for day in days])
    return Overview(articles, counts, largest, [(str(p), int(n)) for p, n in republishers], per_day)


def publisher_url(datasette: Any, database: str, name: str) -> str:
    return f"{datasette.urls.database(database)}/-/publisher/{quote(name, safe='')}"


async def publisher_page(datasette: Any, request: Any) -> Response:
    from . import _not_found, _stores_of, story_url

    database = request.url_vars["database"]
    if database not in _stores_of(datasette):
        return await _not_found(datasette, request, f"{database} is not a provenance store")
    await datasette.ensure_permissions(
        request.actor, [("view-table", (database, "articles")), ("view-database", database), "view-instance"]
    )
    name = unquote(request.url_vars["name"])
    found = await datasette.get_database(database).execute_fn(lambda conn: read_publisher(conn, name))
    if found is None:
        return await _not_found(datasette, request, f"No articles of a publisher {name[:80]!r} in {database}")
    context = {
        "database": database,
        "publisher": found,
        "origins_chart": charts.bars(found.by_origin, f"{found.name}'s copies by the story's origin"),
        "time_chart": charts.days(found.over_time, f"{found.name}'s articles over time", "copies", "its own"),
        "article_url": lambda article_id: datasette.urls.row(database, "articles", str(article_id)),
        "story_url": lambda story_id: story_url(datasette, database, story_id),
    }
    return Response.html(
        await datasette.render_template("provenance_publisher.html", context, request=request, view_name="publisher")
    )


async def overview_page(datasette: Any, request: Any) -> Response:
    from . import _not_found, _stores_of, story_url

    database = request.url_vars["database"]
    if database not in _stores_of(datasette):
        return await _not_found(datasette, request, f"{database} is not a provenance store")
    await datasette.ensure_permissions(request.actor, [("view-database", database), "view-instance"])
    found = await datasette.get_database(database).execute_fn(read_overview)
    context = {
        "database": database,
        "overview": found,
        "republishers_chart": charts.bars(found.republishers, "The publishers that republish most: their copies"),
        "days_chart": charts.days(found.per_day, "Stories and copies a day", "stories first published", "copies"),
        "story_url": lambda story_id: story_url(datasette, database, story_id),
        "publisher_url": lambda name: publisher_url(datasette, database, name),
    }
    return Response.html(
        await datasette.render_template("provenance_overview.html", context, request=request, view_name="overview")
    )
