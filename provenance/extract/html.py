"""HTML pages: the article body through trafilatura, the metadata from the page's own statements.

The page is parsed once (trafilatura's loader, which also honours a declared charset); its
structured data (:mod:`.structured`) is read from the tree, then trafilatura extracts the main text
and its own metadata. Where trafilatura finds no text, a plain reduction of the page to text
(navigation, scripts and styles removed) goes through the page-dump rules instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from .structured import PageMeta, page_meta

_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
         "form", "button", "select", "iframe", "head"}  # fmt: skip
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
          "th", "table", "section", "article", "blockquote", "pre", "hr", "dd", "dt", "figure",
          "figcaption", "main", "body", "title"}  # fmt: skip
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}  # fmt: skip


@dataclass(frozen=True)
class HtmlPage:
    """The main text of a page (None where trafilatura found none) and what the page states."""

    text: str | None
    meta: PageMeta
    title: str | None  # trafilatura's title
    authors: str | None  # trafilatura's author field ("A; B")
    published: str | None
    sitename: str | None
    hostname: str | None


def extract_page(html: str | bytes, url: str | None = None) -> HtmlPage:
    import trafilatura  # loaded with the first page (0.4 s): commands that read no HTML start without it
    from trafilatura.settings import Document

    tree = trafilatura.load_html(html)
    if tree is None:
        text, title = html_to_text(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
        return HtmlPage(text or None, PageMeta(), title, None, None, None, None)
    meta = page_meta(tree)
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False)
    if not isinstance(doc, Document):
        return HtmlPage(None, meta, None, None, None, None, None)
    main = _quotations_marked(doc.text, doc.body) if doc.text else None
    return HtmlPage(main, meta, doc.title, doc.author, doc.date, doc.sitename, doc.hostname)


_QUOTE_MARK = re.compile(r"[“”\"«»]")


def _quotations_marked(text: str, body: Any) -> str:
    """The extracted text with each line of a block quotation (``<blockquote>``: a statement, an
    embedded post or tweet) inside quotation marks, as the page set it apart: what independent
    reports print alike, and the matcher sets aside (a line that has marks of its own keeps them)."""
    from trafilatura.xml import xmltotxt

    quoted = {
        line.strip()
        for quote in (body.iter("quote") if body is not None else ())
        for line in xmltotxt(quote, include_formatting=False).splitlines()
        if line.strip()
    }
    if not quoted:
        return text
    lines = text.split("\n")
    return "\n".join(
        f"“{line.strip()}”" if line.strip() in quoted and not _QUOTE_MARK.search(line) else line for line in lines
    )


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP and tag not in _VOID:
            self._skip_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None]:
    """The visible text of a page, one block a line, and the page's ``<title>``."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    title = " ".join("".join(collector.title_parts).split()) or None
    return text, title
