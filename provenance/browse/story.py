"""A story as its page shows it: read in one transaction, each copy beside its source with what
it took and what it changed, and the timeline. Served by the datasette plugin and written into
``provenance report --format html``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from ..changes import changes
from ..passages import Taken, marked_spans
from ..store import copies_of
from .timeline import Mark, timeline_svg

SHOWN_OPEN = 5  # copies shown unfolded on a story page; the rest fold


def story_view(
    story: dict[str, Any],
    canonical: dict[str, Any],
    links: list[dict[str, Any]],
    article_url: Callable[[int], str],
    *,
    shown_open: int = SHOWN_OPEN,
) -> dict[str, Any]:
    """What the story templates show of a story read by :func:`read_story`."""
    copies = []
    for number, link in enumerate(links):
        taken = Taken.from_json(link["passages"], link["sentences"], link["passage_words"], link["in_order"])
        source = link["via_text"] if link["via"] is not None else canonical["text"]  # the version it copies
        source_title = link["via_title"] if link["via"] is not None else canonical["title"]
        copies.append(
            {
                "link": link,
                "changes": changes(link["text"], source, link["title"], source_title),
                "evidence": json.loads(link["evidence"]),
                "in_source": marked_spans(source, link["text"], taken, in_copy=False),
                "in_copy": marked_spans(link["text"], source, taken, in_copy=True),
                "taken": taken,
                "open": number < shown_open,
            }
        )
    origin = json.loads(story["origin"]) if story["origin"] else {}
    marks = [Mark(canonical["id"], canonical["title"] or canonical["key"], canonical["published"], "origin")]
    marks += [Mark(link["article_id"], link["title"] or link["key"], link["published"], link["relation"], link["via"])
              for link in links]  # fmt: skip
    timeline = timeline_svg(marks, article_url)
    return {"story": story, "origin": origin, "canonical": canonical, "copies": copies, "timeline": timeline,
            "web_link": web_link, "copy_count": copies_of(story["members"], story["canonical_present"])}  # fmt: skip


def read_story(
    conn: sqlite3.Connection, story_id: int
) -> tuple[dict[str, Any] | None, dict[str, Any], list[dict[str, Any]]]:
    """A story, its canonical article and its links with their articles, read in one transaction:
    an ingest writing meanwhile (it rewrites stories) is seen wholly or not at all."""

    def rows(sql: str, *params: Any) -> list[dict[str, Any]]:
        cursor = conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    conn.execute("BEGIN")
    try:
        found = rows("SELECT * FROM stories WHERE id = ?", story_id)
        if not found:
            return None, {}, []
        canonical = rows("SELECT * FROM articles WHERE id = ?", found[0]["canonical_id"])[0]
        links = rows(
            """SELECT links.*, articles.key, articles.title, articles.publisher, articles.published,
                      articles.url, articles.text, articles.credit,
                      version.key AS via_key, version.title AS via_title, version.text AS via_text
               FROM links JOIN articles ON articles.id = links.article_id
               LEFT JOIN articles AS version ON version.id = links.via
               WHERE links.story_id = ?
               ORDER BY links.relation DESC, links.reuse DESC, articles.key""",
            story_id,
        )
        return found[0], canonical, links
    finally:
        conn.execute("ROLLBACK")


def web_link(url: str | None) -> Markup | str:
    """An article's own address as a link where it is a web address, else as plain text."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(url)
    return escape(url)
