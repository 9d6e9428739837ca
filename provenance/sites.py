"""Web sites: the site a URL is on, and the names of the sites people meet most in news crawls.

A page's own statements about its publisher are not all equally good. JSON-LD's ``publisher`` is
written for machines and names the organisation; ``og:site_name`` is often a section ("U.S.",
"World", "Business") of a big site. So the site's registered domain, where it is one of
:func:`known_sites`, names the publisher before ``og:site_name`` does, and ``og:site_name`` is
taken only where it looks like a name (:func:`looks_like_a_name`).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from urllib.parse import urlsplit

# second-level labels under which sites register (example.co.uk, example.com.au)
_SECOND_LEVEL = frozenset(["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "mil", "nic", "gob"])


@functools.cache
def known_sites() -> dict[str, str]:
    """The registered domain (or host) -> the name of the outlet, for the wires, agencies and
    outlets met most in news crawls: the list kept as data in ``data/outlets.tsv``."""
    text = resources.files("provenance").joinpath("data/outlets.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {domain.strip().casefold(): name.strip() for domain, name in rows}


# Names a site gives its sections, which pages put where the site's name belongs (og:site_name)
_SECTIONS = frozenset(
    ("u.s.", "us", "usa", "uk", "world", "news", "home", "homepage", "business", "politics", "sport",
     "sports", "opinion", "markets", "technology", "tech", "science", "health", "entertainment",
     "lifestyle", "culture", "local", "national", "international", "europe", "asia", "africa",
     "americas", "australia", "middle-east", "latest", "video", "videos", "live", "article",
     "articles", "top-stories", "breaking-news", "economy", "finance", "money", "travel", "weather")
)  # fmt: skip


_LEGAL_FORM = re.compile(
    r"(?:,?\s+(?:Ltd\.?|Limited|Inc\.?|LLC|L\.?L\.?C\.|L\.?P\.?|plc|PLC|GmbH|AG|S\.A\.|SA|Co\.|Corp\.?"
    r"|Corporation|Company|Pty|Pty\.? Ltd\.?|B\.V\.|N\.V\.|S\.p\.A\.))+$"
)


def organisation_name(name: str | None) -> str | None:
    """An organisation's name as readers know it: "Quayside Gazette Ltd" -> "Quayside Gazette"."""
    if not name:
        return None
    return _LEGAL_FORM.sub("", name.strip()) or name.strip()


# What stands around a publisher's name in a copyright line or a page's title: the marks and
# words of a copyright, its years, "All rights reserved"; "by", "from", "at", "courtesy of"
_RIGHTS = re.compile(r"\s*(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|terms of use)\b.*$", re.I)
_COPYRIGHT_MARKS = re.compile(r"©|®|™|\([cC]\)|\bcopyrights?(?:ed)?\b(?:\s+by\b)?|\bcourtesy of\b", re.I)
_YEARS = re.compile(
    r"(?<!\d)(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?(?!\d)|\bM(?:CM|M)[LXVI]*\b,?"  # 2008, 2004-2008, MMVIII
)
_LEAD_WORDS = re.compile(r"^(?:(?:by|from|at|on|via|welcome to)\s+)+", re.I)
_AFTER_WORD = re.compile(r"^.*\s(?:from|at|by)\s+(?=\S+\.[a-z]{2,}\b)", re.I)  # "Autopia from Wired.com"
# Separators between a page title's parts ("Headline - Section | Site", "Site > News")
_SEPARATORS = re.compile(r"\s+[-–—|>:/•·»]+\s+|\s*\|\s*|:\s+")
_DIVISION = re.compile(r",?\s+(?:a|an)\s+(?:division|unit|part|subsidiary|member|company)\s+of\b.*$", re.I)
_FIRST_HOST = re.compile(r"^((?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}),\s")  # "WTNH.com, Connecticut News"
_HOST = re.compile(r"^(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?:[/?#:].*)?$", re.I)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NOT_IN_A_NAME = frozenset(
    ("to", "is", "are", "was", "were", "will", "says", "said", "vs", "vs.", "v", "as", "after", "over", "into",
     "than", "has", "have", "had", "be", "been", "could", "would", "should", "may", "can", "who", "what",
     "why", "how", "when", "where", "this", "that", "these", "those", "it", "its", "their", "his", "her")
)  # fmt: skip
_FUNCTION = frozenset(("the", "a", "an", "of", "and", "by", "from", "at", "on", "in", "for", "via", "&"))
_MOST_WORDS = 6  # an outlet's name: "The Atlanta Journal-Constitution", "South Florida Sun-Sentinel"


def publisher_name(value: str | None, title: str | None = None) -> str | None:
    """The name of the organisation a page's statement names as its publisher ("Copyright (c) 2008
    ABC News Internet Ventures" -> "ABC News Internet Ventures", "Reuters2008All rights reserved"
    -> "Reuters", "Laursen close to new deal - Football News | SPORTBOX.tv" -> "SPORTBOX.tv",
    "example.com?example=1" -> "example.com"); None where it names none: a date, a headline, a
    sentence, a section. A site's address is named by its outlet where :func:`known_sites` has it.
    (Read once for each statement without a title: a feed's publisher, a copyright line's holder.)"""
    if title is None:
        return _named(value)
    return _publisher_name(value, title)


@functools.lru_cache(maxsize=1 << 12)
def _named(value: str | None) -> str | None:
    return _publisher_name(value, None)


def _publisher_name(value: str | None, title: str | None) -> str | None:
    if not value or not value.strip():
        return None
    value = " ".join(value.split())
    value = _DIVISION.sub("", _RIGHTS.sub("", value))
    value = _YEARS.sub(" ", _COPYRIGHT_MARKS.sub(" ", value))
    parts = [_FIRST_HOST.sub(r"\1 | ", part) for part in _SEPARATORS.split(value)]
    parts = [part for piece in parts for part in piece.split(" | ") if part.strip(" ,;-–—|>:/")]
    names = [name for part in parts if (name := _name_of(part, title))]
    hosts = [name for name in names if _HOST.match(name)]
    if hosts:
        return _site_name(hosts[0])
    if len(parts) > 1:  # the parts of a page's title ("Headline - Section | Site"): a site, or none
        outlets = set(known_sites().values())
        return next((name for name in names if name in outlets), None)
    return names[0] if names else None


def _name_of(part: str, title: str | None) -> str | None:
    """One part of a statement, as a name: its leading "by", "from", legal form and years taken off."""
    part = _AFTER_WORD.sub("", _LEAD_WORDS.sub("", part.strip(" ,;-–—|>:/"))).strip()
    part = organisation_name(part) or ""
    words = part.split()
    if not words or len(words) > _MOST_WORDS or not re.search(r"[^\W\d_]", part):
        return None
    folded = [word.casefold().strip(".,'’\"()") for word in words]
    if all(word in _FUNCTION for word in folded) or any(word in _NOT_IN_A_NAME for word in folded):
        return None
    if any(word.isdigit() for word in folded) or (folded[0].startswith(_MONTHS) and len(words) <= 3):
        return None  # a score, a date ("January 2008", "01/07/2008")
    if part.rstrip().endswith(("!", "?")) or not looks_like_a_name(part):
        return None
    if title and len(words) >= 3 and part.casefold() != title.strip().casefold() and part in title:
        return None  # the headline, or a part of it
    return part


def _site_name(host_or_url: str) -> str:
    """A site's address ("www.kansascity.com", "example.com?example=1") as its outlet's name where
    it is known, else as its host."""
    found = _HOST.match(host_or_url)
    host = found[1] if found else host_or_url
    return known_site(f"http://{host}") or host


# Web archives whose capture addresses hold the address they captured: /web/20200101000000/URL
_ARCHIVES = frozenset(
    ("web.archive.org", "wayback.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is",
     "arquivo.pt", "webarchive.nationalarchives.gov.uk", "wayback.archive-it.org", "webarchive.loc.gov")
)  # fmt: skip
_CAPTURE = re.compile(r"/(?:web/|wayback/)?(?:\d+/)?\d{4,14}(?:[a-z]{2}_|\*)?/(?P<url>(?:https?:/?/)?[^/]+\..*)$", re.I)


def captured_url(url: str | None) -> str | None:
    """The address a web archive's capture holds ("https://web.archive.org/web/2021.../https://
    example.com/story" -> "https://example.com/story"); None for an address that is no capture."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    if host not in _ARCHIVES:
        return None
    found = _CAPTURE.search(parts.path + (f"?{parts.query}" if parts.query else ""))
    if not found:
        return None
    inner = re.sub(r"^(https?):/+", r"\1://", found["url"])
    return inner if "://" in inner else f"http://{inner}"


def registered_domain(url: str) -> str | None:
    """The site of a URL: "travel.timesonline.co.uk" and "timesonline.co.uk" are one site."""
    host = (urlsplit(url.strip()).hostname or "").rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or host.replace(".", "").isdigit():
        return host or None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def known_site(url: str | None) -> str | None:
    """The name of the site a URL is on, where it is one of :func:`known_sites` (a subdomain of
    one, "uk.reuters.com", or a known host under a shared domain, "abcnews.go.com"); for a web
    archive's capture, of the site it captured."""
    if not url:
        return None
    url = captured_url(url) or url
    host = (urlsplit(url.strip()).hostname or "").rstrip(".").removeprefix("www.")
    site = registered_domain(url)
    sites = known_sites()
    return sites.get(host.casefold()) or (sites.get(site.casefold()) if site else None)


def looks_like_a_name(value: str | None) -> bool:
    """Whether a page's stated site name names a site: not a section ("U.S.", "World News"), not
    a bare URL, and not a sentence."""
    if not value or not value.strip():
        return False
    words = value.strip().casefold().replace(" ", "-")
    if words in _SECTIONS or words.removesuffix("-news") in _SECTIONS:
        return False
    return ("://" not in value and len(value) <= 80 and not value.rstrip().endswith((".", "!", "?"))) or value == "U.S."
