"""Extract stage: a raw document becomes an :class:`~provenance.models.Article`.

The body is the story's own paragraphs, without the page around it and without a wire's standard
trailers (contact lines, copyright), which go to the metadata. Each metadata field is taken from
the most direct statement there is, in this order:

=============  =========================================================================
title          feed > JSON-LD headline / og:title > trafilatura > the page's head lines
authors        JSON-LD / meta author > trafilatura > the byline in the head lines
published      feed > JSON-LD / article:published_time > trafilatura > a date in the head
publisher      feed > JSON-LD publisher > the URL's registered domain, where it is a known
               site ("reuters.com" -> Reuters) > og:site_name or trafilatura's site name,
               where it looks like a name ("U.S." is a section) > the page's own words
               ("the best MSN experience", its copyright line) > URL host
credit         the text's credit forms ("(Bloomberg) --", "By Reuters", "NAME, PA News",
               "©2017 Bloomberg L.P.") > a JSON-LD author that is a wire
language       feed > the page's declared language > detection on the body (when confident)
=============  =========================================================================
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..models import Article, RawDocument
from ..sites import captured_url, known_site, publisher_name
from .credits import Credits, agency, find_credits, is_copyright, is_person_name, is_trailer, parse_byline
from .dates import find_date, parse_date
from .html import HtmlPage, extract_page, html_to_text
from .language import detect_language
from .structured import PageMeta, language_code
from .text import CleanText, clean_page_text, is_notice, is_prose

__all__ = [
    "CleanText",
    "Credits",
    "clean_page_text",
    "extract",
    "find_credits",
    "find_date",
    "html_to_text",
    "is_copyright",
    "is_trailer",
    "parse_date",
]


def extract(raw: RawDocument, *, language: bool = True) -> Article:
    """The article of a raw document; ``language``: whether to identify its language where the page
    does not state it (a caller that never shows it, as ``trace``, saves the model's 0.7 s load)."""
    meta = raw.meta
    page: HtmlPage | None = None
    if raw.kind == "html":
        page = extract_page(raw.content, meta.get("url"))
        clean = _clean_extracted(page.text) if page.text else clean_page_text(html_to_text(raw.content)[0])
    else:
        clean = clean_page_text(raw.content, raw.shared_lines)
    credits = find_credits(clean.head, clean.paragraphs, clean.notices)
    structured = page.meta if page else PageMeta()
    text = clean.text
    authors = tuple(name for name in structured.authors if is_person_name(name))
    authors = authors or _names(page.authors if page else None) or credits.authors
    credit = credits.credit or next((w for o in structured.organisations if (w := agency(o))), None)
    url = meta.get("url")
    title = meta.get("title") or structured.title or (page.title if page else None) or clean.title
    return Article(
        key=raw.key,
        location=raw.location,
        text=text,
        title=title,
        authors=authors,
        published=_first_date(meta.get("published"), structured.published, page.published if page else None)
        or clean.published,
        publisher=_publisher(meta.get("publisher"), structured, page, credits, url, title),
        credit=credit,
        slug=credits.slug,
        dateline=credits.dateline,
        copyright=credits.copyright,
        language=language_code(meta.get("language"))
        or structured.language
        or (detect_language(text) if language else None),
        url=url,
        canonical_url=structured.canonical_url,
        original_source=structured.original_source,
        trailer=credits.trailer,
        role=meta.get("role"),
        file=raw.file,
        template=raw.template,
    )


def _publisher(
    stated: str | None,
    structured: PageMeta,
    page: HtmlPage | None,
    credits: Credits,
    url: str | None,
    title: str | None,
) -> str | None:
    """The site that carried the article, from the most reliable statement there is (see the table
    above), as an organisation's name (:func:`~provenance.sites.publisher_name`): none where no
    statement names one."""
    if stated and stated.strip():
        return publisher_name(stated) or stated.strip()
    named = [structured.site_name, page.sitename if page else None]
    return (
        publisher_name(structured.publisher)
        or known_site(url or structured.canonical_url)
        or next((found for name in named if (found := publisher_name(name, title))), None)
        or publisher_name(credits.site, title)
        or _host(captured_url(url) or url)
    )


def _clean_extracted(text: str) -> CleanText:
    """trafilatura's text, one paragraph a line: it has dropped the page already, so only the
    notices and wire trailers it kept are taken out (into the metadata)."""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    notice = [is_notice(p) for p in paragraphs]
    notices = tuple(p for p, n in zip(paragraphs, notice, strict=True) if n)
    kept = [p for p, n in zip(paragraphs, notice, strict=True) if not n]
    # the headline and byline lines before the first paragraph of prose are head, not body
    start = next((i for i, p in enumerate(kept) if is_prose(p)), 0)
    return CleanText(tuple(kept[start:]), None, None, tuple(kept[:start]), notices)


def _names(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    names, _ = parse_byline("By " + value.replace(";", ","))
    return tuple(name for name in names if is_person_name(name))


def _first_date(*values: str | None) -> str | None:
    for value in values:
        if value:
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url.strip()).hostname or ""  # the host alone: never its query or path
    return host.removeprefix("www.") or None
