"""Separate an article's body from the page text around it, in plain-text page dumps.

A page dump is the text of a web page: menus, browser and cookie notices, share buttons, bylines,
related-story links and tracking residue surround the paragraphs of the story. The rules here look
at the *shape* of each paragraph rather than at a list of known sites:

- prose is a paragraph of at least eight words that ends like a sentence, or a long one (twenty
  words or more) that is not a run of capitalised words (a menu bar);
- notices (browser, JavaScript, cookies, sign-up, share and follow lines, "To contact the
  reporter" trailers, copyright lines) are dropped even when they are sentences;
- a line that repeats one phrase ("image beaconimage beacon") is residue;
- everything else short (headlines, bylines, datelines, related links, sub-heads) is not body, but
  the lines before the first paragraph of prose are where the title and date are looked for;
- a line that stands in several page dumps of the same folder is the site's, not the story's
  (see :func:`clean_page_text`).

When the rules would leave almost nothing (a text of short lines, a poem, a list), the body keeps
every paragraph that is not a notice: the text is never lost to the rules.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from ..fingerprint import word_counts as word_counts_of
from .credits import is_trailer
from .dates import find_date

_CLOSERS = "\"'\u201d\u2019)]"  # what may close a sentence after its stop: quotes, brackets
_STOPS = (".", "!", "?", ";", ":")


def ends_like_a_sentence(text: str) -> bool:
    """Whether ``text`` ends as a sentence does: a stop, then any quotes or brackets closing it, or a
    closing double quote ("... the minister said." and "... a 'deal'." do; "Home | World" does not).
    The end of the text or of its last line but a final line break, as a regular expression's
    ``$`` reads it; a look at the end alone, where a search would try every character."""
    for end in (text, text[:-1]) if text.endswith("\n") else (text,):
        if end.endswith(('"', "\u201d")) or end.rstrip(_CLOSERS)[-1:] in _STOPS:
            return True
    return False


_WORD = re.compile(r"[^\W_][\w'\u2019.-]*")
_REPEATED = re.compile(r"^(.{2,60}?)\1+$", re.S)
_NOTICES = [
    re.compile(p, re.I)
    for p in (
        r"\b(older|outdated|unsupported|supported|your|this|modern|latest)\s+(web\s+)?browser\b",
        r"\bbrowser (version|is (not|no longer) supported)\b",
        r"\b(enable|turn on|requires?)\s+javascript\b|\bjavascript is (disabled|required|off)\b",
        r"\b(we|this (site|website)) uses? cookies\b|\b(accept|manage|allow)( all)? cookies\b",
        r"\bcookie (policy|settings|preferences|consent)\b",
        r"^(subscribe|sign (up|in)|log ?in|register|create (a|an) (free )?account)\b",
        r"\b(sign up for|subscribe to) (our|the) \w*\s*newsletters?\b",
        r"^(©|\(c\)\s|copyright\b)|\ball rights reserved\b",
        r"^to contact the (reporters?|editors?|writers?|authors?|journalists?)\b",
    )
]
_SHORT_NOTICE = re.compile(
    r"^(share|tweet|e-?mail|print|save|follow( us)?|like us|comments?|advertisement|advert|"
    r"sponsored|related|read more|see also|more from|click here|watch|listen|play|"
    r"skip to|jump to|back to top|menu|search|home)\b",
    re.I,
)
_BYLINE = re.compile(r"^by\s+\S", re.I)
_PARAGRAPH_MARK = re.compile(r"<[ \t]*\n")
_SITE_SHARE = 0.3  # lines shared across a folder are the site's while they are less of a page than this
_RULE = re.compile(r"^\s*[-=_*~#.\s]{3,}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CleanText:
    """The body paragraphs of a page dump, what its head lines say, and what was dropped."""

    paragraphs: tuple[str, ...]
    title: str | None
    published: str | None
    head: tuple[str, ...] = ()  # the lines before the first paragraph of prose
    notices: tuple[str, ...] = ()  # the notices, trailers and copyright lines dropped

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def clean_page_text(text: str, shared: frozenset[str] = frozenset()) -> CleanText:
    """Split a page dump into its story's paragraphs and the rest.

    ``shared`` holds the lines the page shares with other pages of its folder: they are the
    site's (menus, notices, footers), unless they make up much of the page, as they do in copies
    of one story, whose paragraphs are shared too.
    """
    paragraphs = _paragraphs(text)
    words = word_counts(paragraphs)  # counted once: each rule below asks
    notice = [is_notice(p, n) for p, n in zip(paragraphs, words, strict=True)]
    if shared:
        common = [p in shared for p in paragraphs]
        common_words = sum(n for n, c in zip(words, common, strict=True) if c)
        if common_words < _SITE_SHARE * sum(words):
            notice = [n or c for n, c in zip(notice, common, strict=True)]
    prose = [not n and is_prose(p, w) for p, n, w in zip(paragraphs, notice, words, strict=True)]
    body = [p for p, keep in zip(paragraphs, prose, strict=True) if keep]
    total_words = sum(words)
    if not body or sum(w for w, keep in zip(words, prose, strict=True) if keep) < 0.3 * total_words:
        body = [p for p, n in zip(paragraphs, notice, strict=True) if not n and not _is_menu(p)]
    # the head: the short lines before the story gets going (before its second paragraph of
    # prose: a wire's advisory note may come before the headline and byline)
    starts = [i for i, is_p in enumerate(prose) if is_p][:2]
    end = starts[-1] if starts else min(len(paragraphs), 3)
    head = [p for i, p in enumerate(paragraphs[:end]) if not notice[i] and not prose[i]]
    dropped = tuple(p for p, n in zip(paragraphs, notice, strict=True) if n)
    return CleanText(tuple(body), _title(head), _date(head), tuple(head), dropped)


def _paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    marked = _PARAGRAPH_MARK.search(text) is not None
    if marked:  # wire feeds mark paragraph ends with "<" at a line's end
        text = _PARAGRAPH_MARK.sub("\n\n", text)
    text = _CONTROL.sub(" ", text)
    # a rule ("-----") separates like a blank line
    lines = ["" if _RULE.match(line) else line.strip() for line in text.split("\n")]
    if marked or _looks_wrapped(lines):
        blocks: list[str] = []
        current: list[str] = []
        for line in lines:
            if line:
                current.append(line)
            elif current:
                blocks.append(" ".join(current))
                current = []
        if current:
            blocks.append(" ".join(current))
        return blocks
    return [line for line in lines if line]


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text: lines of similar, moderate length that run on without blank lines."""
    filled = [line for line in lines if line]
    if len(filled) < 6:
        return False
    run_on = sum(1 for a, b in itertools.pairwise(lines) if a and b)
    lengths = sorted(len(line) for line in filled)
    return run_on >= 0.6 * len(filled) and lengths[int(0.9 * (len(lengths) - 1))] <= 100


_GOES_ON = "_'\u2019.-"  # what a word goes on over (_WORD) besides letters and digits


@cache
def _kinds() -> np.ndarray:
    """Each character of Unicode's first plane as :data:`_WORD` reads it: 2 a letter or digit (a
    word's first character), 1 another it goes on over, 0 any other (64 KB, made once a process)."""
    kinds = np.zeros(0x10000, np.uint8)
    for code in range(0x10000):
        char = chr(code)
        kinds[code] = 2 if char.isalnum() else 1 if char in _GOES_ON else 0
    return kinds


def word_counts(paragraphs: list[str]) -> list[int]:
    """The words of each paragraph, as :func:`_words` counts them, all in one compiled pass (a
    search for the words of each took 0.12 ms a page)."""
    text = "\n".join(paragraphs)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    if len(codes) and int(codes.max()) > 0xFFFF:  # beyond the first plane (rare): searched
        return [_words(p) for p in paragraphs]
    ends = np.cumsum(np.fromiter((len(p) + 1 for p in paragraphs), np.int64, len(paragraphs))) - 1
    return word_counts_of(codes, _kinds(), ends).tolist()  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def _words(paragraph: str) -> int:
    """The number of words of a paragraph (asked of each paragraph several times)."""
    return len(_WORD.findall(paragraph))


def is_notice(paragraph: str, words: int | None = None) -> bool:
    """A page notice, share line, wire trailer, copyright line or tracking residue (``words``:
    the paragraph's number of words, where it is known)."""
    if 8 <= len(paragraph) - paragraph.count(" ") <= 200 and _REPEATED.match(paragraph.replace(" ", "")):
        return True
    if words is None:
        words = _words(paragraph)
    if words <= 8 and _SHORT_NOTICE.match(paragraph):
        return True
    if words <= 60 and is_trailer(paragraph):
        return True
    return words <= 40 and _could_be_notice(paragraph) and any(p.search(paragraph) for p in _NOTICES)


# a word each of _NOTICES needs (in any case): a paragraph of ASCII without any of them matches none
_NOTICE_WORDS = ("browser", "javascript", "cookie", "subscribe", "sign", "log", "register", "create",
                 "newsletter", "(c)", "copyright", "all rights reserved", "to contact the")  # fmt: skip


def _could_be_notice(paragraph: str) -> bool:
    """Whether one of :data:`_NOTICES` may match: most paragraphs hold none of their words, and
    searching for the patterns cost 0.4 ms a page. (Outside ASCII, case folding is the
    patterns' own: they are searched.)"""
    if not paragraph.isascii():
        return True
    lowered = paragraph.lower()
    return any(word in lowered for word in _NOTICE_WORDS)


def _is_menu(paragraph: str) -> bool:
    """A run of capitalised items with no sentence in it: a navigation bar."""
    words = _WORD.findall(paragraph)
    if len(words) < 6 or ends_like_a_sentence(paragraph):
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capitalised >= 0.85 * len(words)


def is_prose(paragraph: str, words: int | None = None) -> bool:
    """A paragraph of a story: eight words ending like a sentence, or twenty that are not a menu
    (``words``: the paragraph's number of words, where it is known)."""
    if words is None:
        words = _words(paragraph)
    if words >= 8 and ends_like_a_sentence(paragraph):
        return True
    return words >= 20 and not _is_menu(paragraph)


def _title(head: list[str]) -> str | None:
    """The headline among the head lines: the fullest line that reads like one.

    Lines that carry a date, a byline, separators ("Home | World") or end like a sentence are
    not headlines; a run of capitalised words counts for less, since menus are made of them.
    """
    best: tuple[float, str] | None = None
    for line in head:
        words = _words(line)
        if not 3 <= words <= 25 or _BYLINE.match(line) or line.count("|") >= 2:
            continue
        if find_date(line) is not None or ends_like_a_sentence(line.rstrip('"\u201d')):
            continue
        score = words / 2 if _is_menu(line) else float(words)
        if best is None or score > best[0]:
            best = (score, line)
    return best[1] if best else None


def _date(head: list[str]) -> str | None:
    for line in head:
        found = find_date(line)
        if found:
            return found
    return None
