"""What a page states about itself: JSON-LD ``NewsArticle``, ``og:`` and ``article:`` meta tags,
``<link rel="canonical">``, the syndication tags ``original-source`` and ``syndication-source``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from .dates import parse_date

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "blogposting",
                  "liveblogposting", "socialmediaposting", "webpage"}  # fmt: skip


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    authors: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # authors that are organisations (a wire, a newsroom)
    published: str | None = None
    publisher: str | None = None  # JSON-LD's publisher: the organisation, written for machines
    site_name: str | None = None  # og:site_name (or application-name): at times a section's name
    language: str | None = None
    canonical_url: str | None = None
    original_source: str | None = None


def page_meta(tree: lxml_html.HtmlElement) -> PageMeta:
    """Read a parsed page's own statements about itself. Never raises on odd markup."""
    meta = _meta_tags(tree)
    article = _json_ld_article(tree)
    persons, orgs = _people(article.get("author")) if article else ((), ())
    if not persons:
        named = _split_names(meta.get("author") or meta.get("article:author"))
        persons = tuple(name for name in named if "://" not in name)
    title = _text(article.get("headline")) if article else None
    published = _date(article.get("datePublished")) if article else None
    based_on = _url_or_name(article.get("isBasedOn")) if article else None
    publisher = _name(article.get("publisher")) if article else None
    language = _text(article.get("inLanguage")) if article else None
    lang_attr = tree.get("lang") if hasattr(tree, "get") else None
    canonical = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            canonical = link.get("href").strip()
            break
    return PageMeta(
        title=title or meta.get("og:title") or meta.get("twitter:title"),
        authors=persons,
        organisations=orgs,
        published=published
        or _date(meta.get("article:published_time"))
        or _date(meta.get("og:published_time"))
        or _date(meta.get("date"))
        or _date(meta.get("pubdate")),
        publisher=publisher,
        site_name=meta.get("og:site_name") or meta.get("application-name"),
        language=language_code(language or lang_attr or meta.get("og:locale") or meta.get("content-language")),
        canonical_url=canonical or meta.get("og:url"),
        original_source=meta.get("original-source") or meta.get("syndication-source") or based_on,
    )


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("http-equiv") or "").strip().lower()
        value = (tag.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _json_ld_article(tree: lxml_html.HtmlElement) -> dict[str, Any]:
    """The page's JSON-LD article object: a news article before a plain web page."""
    best: dict[str, Any] = {}
    best_rank = 2
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if raw.startswith("<!--"):
            raw = raw[4:].rsplit("-->", 1)[0]
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _walk(data):
            types = {t.lower() for t in _as_list(item.get("@type")) if isinstance(t, str)}
            rank = 0 if types & _ARTICLE_TYPES - {"webpage"} else 1 if "webpage" in types else 2
            if rank < best_rank:
                best, best_rank = item, rank
    return best


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _walk(data[key], depth + 1)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _people(value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    persons: list[str] = []
    orgs: list[str] = []
    for item in _as_list(value):
        if isinstance(item, str):
            persons.extend(_split_names(item))
        elif isinstance(item, dict):
            name = _text(item.get("name"))
            if not name:
                continue
            kind = str(item.get("@type", "")).lower()
            (orgs if "organization" in kind else persons).append(name)
    return tuple(dict.fromkeys(persons)), tuple(dict.fromkeys(orgs))


def _split_names(value: str | None) -> list[str]:
    """ "Nick Wadhams and Ilya Arkhipov" / "A; B" / "A, B" -> the names."""
    if not value:
        return []
    return [name for chunk in re.split(r";|,|\band\b", value) if (name := chunk.strip())]


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _url_or_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("@id") or value.get("name"))
    return _text(value)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None


def _date(value: Any) -> str | None:
    text = _text(value)
    return parse_date(text) if text else None


def language_code(value: str | None) -> str | None:
    """The ISO 639 code a stated language begins with ("en-GB", "pt_BR", "DE"), or None where it
    begins with none."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
