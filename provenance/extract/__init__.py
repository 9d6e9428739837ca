"""Extract stage: a raw document becomes an :class:`~provenance.models.Article`.

The body is the story's own paragraphs without the page around it; metadata comes first from what
the input states (a feed's fields), then from the page itself.
"""

from __future__ import annotations

from ..models import Article, RawDocument
from .dates import find_date, parse_date
from .html import html_to_text
from .text import CleanText, clean_page_text

__all__ = ["CleanText", "clean_page_text", "extract", "find_date", "html_to_text", "parse_date"]


def extract(raw: RawDocument) -> Article:
    page_title = None
    content = raw.content
    if raw.kind == "html":
        content, page_title = html_to_text(content)
    clean = clean_page_text(content)
    meta = raw.meta
    published = parse_date(meta["published"]) if meta.get("published") else None
    return Article(
        key=raw.key,
        location=raw.location,
        text=clean.text,
        title=meta.get("title") or clean.title or page_title,
        publisher=meta.get("publisher"),
        published=published or clean.published,
        url=meta.get("url"),
    )
