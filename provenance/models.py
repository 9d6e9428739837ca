"""The plain data that flows between the stages: raw documents, skipped inputs, articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "html", "jsonl"]


@dataclass(frozen=True)
class RawDocument:
    """One document as read, before extraction.

    ``key`` is stable across runs: a JSONL record's ``id``, else the path as given.
    ``meta`` carries what the input itself states (JSONL ``url``, ``publisher``, ...).
    """

    key: str
    location: str
    kind: Literal["text", "html"]
    content: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """An input, or a part of one, that was not ingested, and why."""

    location: str
    reason: str


@dataclass(frozen=True)
class Article:
    """A document after extraction: its clean body and what is known of its origin."""

    key: str
    location: str
    text: str
    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    url: str | None = None
