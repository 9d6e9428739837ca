"""The story pages of a store as one self-contained HTML file (``provenance report --format html``):
its styles inline, its charts SVG, no script, nothing fetched, links between its parts only, so
that it can be mailed or archived and read without a server."""

from __future__ import annotations

import sqlite3
from typing import Any

import jinja2

from .. import __version__
from .story import read_story, story_view

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("provenance.browse", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
)


def html_report(conn: sqlite3.Connection, name: str, limit: int | None = None) -> str:
    """The stories of a store with copies, the largest first (``limit``: how many), each as its page
    shows it, every copy unfolded; ``name``: what the file calls the store."""
    sql = "SELECT id FROM stories WHERE members > 1 ORDER BY members DESC, id"
    ids = [row[0] for row in conn.execute(sql + " LIMIT ?", [limit if limit else -1])]
    views: list[dict[str, Any]] = []
    for story_id in ids:
        story, canonical, links = read_story(conn, story_id)
        if story is not None:  # rewritten by an ingest since it was listed
            views.append(story_view(story, canonical, links, _anchor, shown_open=len(links)))
    template = _ENVIRONMENT.get_template("provenance_report.html")
    return template.render(name=name, views=views, version=__version__, article_url=_anchor)


def _anchor(article_id: int) -> str:
    return f"#article-{article_id}"
