"""The plain data that flows between the stages: raw documents, skipped inputs, articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "html", "jsonl"]


@dataclass(frozen=True)
class RawDocument:
    """One document as read, before extraction.

    ``key`` is stable across runs: a JSONL record's ``id``, a crawl record's target URI, else the
    path as given. ``file``: where the document is a whole file, that file's path resolved
    (absolute, symbolic links followed): the same file is one article whatever path names it.
    ``meta`` carries what the input itself states (JSONL ``url``, ``publisher``, ...).
    """

    key: str
    location: str
    kind: Literal["text", "html"]
    content: str
    meta: dict[str, str] = field(default_factory=dict)
    shared_lines: frozenset[str] = frozenset()  # lines this page dump shares with its folder
    file: str | None = None
    template: str | None = None  # the template it shares with other pages of its folder (sources.templates)


@dataclass(frozen=True)
class Skipped:
    """An input, or a part of one, that was not ingested, and why."""

    location: str
    reason: str  # one line, in the project's words
    detail: str | None = None  # what a library said, where it said more (kept in the skipped table)


@dataclass(frozen=True)
class Article:
    """A document after extraction: its clean body and what is known of its origin.

    Every field but the first three is None (or empty) where the input does not say it:
    nothing is invented.
    """

    key: str
    location: str
    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 date or date-time
    publisher: str | None = None  # the site that carried the article
    credit: str | None = None  # the wire or agency the text credits ("Bloomberg", "AP", "PA")
    slug: str | None = None  # the wire's slug ("BC-US-RUSSIA-TALKS")
    dateline: str | None = None  # the place of the dateline ("HELSINKI")
    copyright: str | None = None  # the copyright line ("©2017 Bloomberg L.P.")
    language: str | None = None  # ISO 639-1 code
    url: str | None = None  # where the document was found (a feed's url, a WARC record's URI)
    canonical_url: str | None = None  # the page's rel=canonical
    original_source: str | None = None  # original-source / syndication-source / isBasedOn
    trailer: str | None = None  # a wire's standard trailer lines (contacts, "Reporting by")
    role: str | None = None  # the role the input states ("wire", "newspaper"): evidence of the source
    file: str | None = None  # the file it was read from whole, resolved (see RawDocument.file)
    template: str | None = None  # the page template it shares with other pages of its folder
