"""What a copy took from its source, and kept, added and dropped of it: the evidence of a link.

A link's alignment (:func:`align`) counts paragraphs kept, added and dropped, and holds what was
taken, as spans of the two stored texts a reader can check.

Two kinds of evidence, both in the source's text and the copy's, as character offsets:

- **passages**: runs of the same words in the same order, found from shared word 4-grams and
  extended while the words agree; runs a few words apart in both texts (a changed word, a name
  dropped) make one passage. A passage shorter than :data:`MIN_PASSAGE` words is no evidence,
  nor is one that lies mostly inside quotation marks, a photo caption or the site's furniture
  (a copyright notice, a template's table rows) of the copy: two independent reports print the
  same quotes and the wire's captions, and a site's pages its template (as Greedy String Tiling
  keeps only tiles of a least length, and passim aligned passages of reuse).
- **sentences**: for a rewrite, each sentence of the copy outside those passages (and outside its
  quotations and furniture) matched to the source's sentence sharing most of its content words,
  when it shares at least half of them (METER's sentence alignment). ``in_order`` counts the
  longest run of them that keeps the source's order.

Stored with each link (``links.passages``, ``links.sentences``) as JSON lists of
``[copy_start, copy_end, source_start, source_end]``; the story page marks them.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

import numpy as np

from .fingerprint import (
    U32,
    gram_keys,
    paragraph_reading,
    seed_runs,
    sentence_spans,
    token_hashes,
    token_spans,
    tokenise,
    word_hashes,
)
from .match import (
    CJK,
    MARK,
    MARK_HASH,
    NOTICE,
    PARAGRAPH_BREAK,
    QUOTED,
    STOPWORD_HASHES,
    STOPWORDS,
    Overlap,
    content_bigrams,
    is_caption,
    may_hold_notice,
    set_aside,
    sorted_members,
    without_notices,
)

MIN_PASSAGE = 8  # words in a passage that counts as evidence (about one clause)
_SEED = 4  # words of the n-grams that seed a passage
_TRIES = 16  # places of a seed in the source tried, the longest run kept
_GAP = 3  # words between two runs, in both texts, that still make one passage
_SAME_SENTENCE = 0.5  # share of a copy sentence's content words in its source sentence
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]|[^\W\u3040-\u30ff\u3400-\u9fff]+")


@dataclass(frozen=True)
class Span:
    """A stretch of the copy and the stretch of the source it was taken from (character offsets)."""

    copy_start: int
    copy_end: int
    source_start: int
    source_end: int

    def as_list(self) -> list[int]:
        return [self.copy_start, self.copy_end, self.source_start, self.source_end]


@dataclass(frozen=True)
class Taken:
    """What a copy took from its source: verbatim passages and reworded sentences, in the copy's order."""

    passages: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()
    words: int = 0  # words of the copy inside the passages
    in_order: int = 0  # the longest run of aligned sentences (and passages) in the source's order

    def to_json(self) -> tuple[str, str]:
        """The two JSON lists stored with a link."""
        return json.dumps([s.as_list() for s in self.passages]), json.dumps([s.as_list() for s in self.sentences])

    @classmethod
    def from_json(cls, passages: str | None, sentences: str | None, words: int = 0, in_order: int = 0) -> Taken:
        def spans(text: str | None) -> tuple[Span, ...]:
            return tuple(Span(*values) for values in json.loads(text or "[]"))

        return cls(spans(passages), spans(sentences), words, in_order)


@dataclass(frozen=True)
class _Words:
    """A text's tokens (case folded, each as a hash) with their character spans, and which are set aside."""

    hashes: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))
    starts: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    # how many of the tokens before each (and of all, last) lie inside a quotation, a photo caption
    # or furniture: those of tokens i to j are aside[j] - aside[i]
    aside: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    ranges: list[tuple[int, int]] = field(default_factory=list)  # the character ranges set aside


def _words(text: str) -> _Words:
    """The tokens :data:`_TOKEN` reads, found over the text's code points at once: a run of word
    characters, or one character of a script written without spaces."""
    aside = _aside(text)
    kinds = _kinds(_code_points(text))
    folded = text.casefold()
    if len(folded) == len(text):  # folding kept every offset (no "ß" -> "ss"): one pass for all tokens
        starts, ends, hashes = token_spans(kinds, _code_points(folded))
    else:
        starts, ends, _ = token_spans(kinds, _NO_CODES)
        pieces = [text[start:end].casefold() for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
        lengths = np.fromiter(map(len, pieces), np.int64, len(pieces))
        joined_ends = np.cumsum(lengths)
        hashes = token_hashes(_code_points("".join(pieces)), joined_ends - lengths, joined_ends)
    inside = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(_inside_all(aside, starts), out=inside[1:])
    return _Words(hashes, starts, ends, inside, aside)


_NO_CODES = np.empty(0, np.uint32)


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


_WORD_CHARACTER = re.compile(r"\w")
_ASCII_KINDS = np.array([1 if _WORD_CHARACTER.match(chr(code)) else 0 for code in range(128)], np.int8)


def _kind(code: int) -> int:
    """0: no part of a token; 1: part of a run of word characters; 2: a token by itself (a
    character of a script written without spaces, as :data:`_TOKEN` reads them)."""
    if 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF:
        return 2
    return int(_WORD_CHARACTER.match(chr(code)) is not None)


@cache
def _plane_kinds() -> np.ndarray:
    """The kind of every character of Unicode's first plane (64 KB, made once a process)."""
    return np.array([_kind(code) for code in range(0x10000)], np.int8)


def _kinds(codes: np.ndarray) -> np.ndarray:
    if not len(codes) or int(codes.max()) < 128:
        ascii_only: np.ndarray = _ASCII_KINDS[codes]
        return ascii_only
    kinds: np.ndarray = _plane_kinds()[np.minimum(codes, 0xFFFF)]
    for at in np.flatnonzero(codes > 0xFFFF).tolist():  # beyond the first plane: rare
        kinds[at] = _kind(int(codes[at]))
    return kinds


@lru_cache(maxsize=64)
def _source(text: str) -> tuple[_Words, np.ndarray, np.ndarray]:
    """A source's words and its seed n-grams' keys, sorted, with the place of each: read once for
    all the copies aligned with it (a wire story has many)."""
    words = _words(text)
    keys = _gram_keys(words.hashes)
    places = np.argsort(keys, kind="stable")
    return words, keys[places], places.astype(np.int64)


def _gram_keys(hashes: np.ndarray) -> np.ndarray:
    """The key of the seed n-gram at each place of a text (as many as places it fits at)."""
    return gram_keys(hashes, _SEED)


@lru_cache(maxsize=64)
def _source_sentences(text: str) -> list[tuple[int, int, set[str]]]:
    return _sentences(text)


def _aside(text: str) -> list[tuple[int, int]]:
    """The character ranges of a text's quotations, photo captions, table rows and notices, sorted
    (what :func:`provenance.match.story_text` sets aside)."""
    patterns = (QUOTED, NOTICE) if may_hold_notice(text) else (QUOTED,)
    ranges = [(m.start(), m.end()) for pattern in patterns for m in pattern.finditer(text)]
    at = 0
    paragraphs = PARAGRAPH_BREAK.split(text)
    for paragraph, aside in zip(paragraphs, set_aside(paragraphs), strict=True):
        start = text.find(paragraph, at)
        if start >= 0:
            at = start + len(paragraph)
            if aside:
                ranges.append((start, at))
    return sorted(ranges)


def _inside_all(ranges: Sequence[tuple[int, int]], offsets: np.ndarray) -> np.ndarray:
    """Whether each offset lies inside one of the sorted ``ranges`` (the last range starting at or
    before it, which where ranges overlap is the longest of those starting there)."""
    if not ranges:
        return np.zeros(len(offsets), bool)
    bounds = np.asarray(ranges, dtype=np.int64)
    i = np.searchsorted(bounds[:, 0], offsets, side="right") - 1
    inside: np.ndarray = (i >= 0) & (offsets < bounds[np.maximum(i, 0), 1])
    return inside


def taken(copy: str, source: str) -> Taken:
    """The passages and reworded sentences a copy shares with its source."""
    mine = _words(copy)
    theirs, keys, places = _source(source)
    runs = seed_runs(mine.hashes, theirs.hashes, _gram_keys(mine.hashes), keys, places, _SEED, _TRIES).tolist()
    aside = mine.aside
    kept = [
        (i, j, ci, cj)
        for i, j, ci, cj in _merged(runs)
        if ci - i >= MIN_PASSAGE and (aside[ci] - aside[i]) * 2 < ci - i
    ]
    passages = tuple(
        Span(int(mine.starts[i]), int(mine.ends[ci - 1]), int(theirs.starts[j]), int(theirs.ends[cj - 1]))
        for i, j, ci, cj in kept
    )
    covered = [(s.copy_start, s.copy_end) for s in passages] + mine.ranges  # a quoted sentence is no evidence either
    aligned = tuple(_aligned(copy, source, covered))
    order = sorted([*passages, *aligned], key=lambda s: s.copy_start)
    words = sum(ci - i for i, _, ci, _ in kept)
    return Taken(passages, aligned, words, _longest_increasing([s.source_start for s in order]))


def _merged(runs: list[list[int]]) -> list[tuple[int, int, int, int]]:
    """Runs a few words apart in both texts, in order, joined into one passage: (copy start,
    source start, copy end, source end), in words, ends exclusive."""
    merged: list[tuple[int, int, int, int]] = []
    for i, j, n in runs:
        if merged:
            pi, pj, ci, cj = merged[-1]
            if 0 <= i - ci <= _GAP and 0 <= j - cj <= _GAP:
                merged[-1] = (pi, pj, i + n, j + n)
                continue
        merged.append((i, j, i + n, j + n))
    return merged


def _content(sentence: str) -> set[str]:
    if sentence.isascii():  # folded at once, and no word of a script written without spaces
        return {w for w in _TOKEN.findall(sentence.lower()) if len(w) > 2 and w not in STOPWORDS and not w.isdigit()}
    words = [w.casefold() for w in _TOKEN.findall(sentence)]
    singles = {w for w in words if not CJK.match(w) and w not in STOPWORDS and len(w) > 2 and not w.isdigit()}
    pairs = {a + b for a, b in pairwise(words) if CJK.match(a) and CJK.match(b)}
    return singles | pairs


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence's span: from a character that is no space to the first end after it (a run of
    . ! ? and their kin with the quotes and brackets closing it, before a space or the text's end;
    。！？; a paragraph break; the text's end), its trailing spaces left out (compiled, see
    :func:`provenance.fingerprint.sentence_spans`)."""
    return sentence_spans(_code_points(text))


def _sentence_words(text: str, start: int, end: int) -> set[str] | None:
    """The content words of a sentence, or None where it is too short to align or a caption."""
    body = text[start:end]
    words = _content(without_notices(QUOTED.sub(" ", body), " "))
    return words if len(words) >= 4 and not is_caption(body) else None


def _sentences(text: str) -> list[tuple[int, int, set[str]]]:
    found = []
    for start, end in _sentence_spans(text):
        words = _sentence_words(text, start, end)
        if words is not None:
            found.append((start, end, words))
    return found


def _aligned(copy: str, source: str, covered: list[tuple[int, int]]) -> list[Span]:
    """Each sentence of the copy outside ``covered`` with the source sentence it rewords, if any.
    (The source's sentences are read only when a sentence of the copy is outside the passages:
    a republication's are all inside them.)"""
    theirs: list[tuple[int, int, set[str]]] | None = None
    aligned = []
    for start, end in _outside(_sentence_spans(copy), covered):
        words = _sentence_words(copy, start, end)
        if words is None:
            continue
        if theirs is None:
            theirs = _source_sentences(source)
        best, share = None, 0.0
        for s_start, s_end, s_words in theirs:
            common = len(words & s_words)
            if common >= 3 and common / len(words) > share:
                best, share = (s_start, s_end), common / len(words)
        if best is not None and share >= _SAME_SENTENCE:
            aligned.append(Span(start, end, *best))
    return aligned


def _outside(spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans less than half of whose characters ``covered`` holds (a character held by two of
    its ranges counted twice)."""
    if not spans or not covered:
        return spans
    at, ranges = np.array(spans, np.int64), np.array(covered, np.int64)
    inside = np.maximum(0, np.minimum(at[:, 1:2], ranges[None, :, 1]) - np.maximum(at[:, 0:1], ranges[None, :, 0])).sum(
        axis=1
    )
    return [span for span, held in zip(spans, (inside * 2 < at[:, 1] - at[:, 0]).tolist(), strict=True) if held]


def _longest_increasing(values: list[int]) -> int:
    """The length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for value in values:
        i = bisect_right(tails, value - 1)
        if i == len(tails):
            tails.append(value)
        else:
            tails[i] = value
    return len(tails)


@dataclass(frozen=True)
class Alignment:
    """What a copy kept, added and dropped of its source, paragraph by paragraph."""

    reuse: float  # the share of the copy's content bigrams found in the source
    coverage: float  # the share of the source's content bigrams found in the copy
    kept: int  # paragraphs of the copy found in the source
    added: int  # paragraphs of the copy not found in the source: the copier's own
    dropped: int  # paragraphs of the source not found in the copy: cut by the copier
    headline_changed: bool | None  # None where either title is unknown
    taken: Taken = Taken()  # the passages and sentences the copy took (see :func:`taken`)


_FOUND = 0.5  # a paragraph is found in the other text when half its content bigrams are there
_TOLD = 3  # content bigrams a paragraph needs to be told found or not


def align(
    copy: str,
    source: str,
    copy_title: str | None = None,
    source_title: str | None = None,
    *,
    bigrams: tuple[U32, U32] | None = None,
    evidence: bool = True,
) -> Alignment:
    """Align a copy with its source (paragraphs are separated by blank lines, as stored);
    ``bigrams``: the two texts' :func:`content_bigrams`, where the caller has them already;
    ``evidence``: whether to find what the copy took (:func:`taken`), which a caller that shows
    only the shares and paragraph counts does without."""
    copy_bigrams, source_bigrams = bigrams or (content_bigrams(copy), content_bigrams(source))
    overlap = Overlap.of(copy_bigrams, source_bigrams)
    kept, added = _paragraphs_found(copy, source_bigrams)
    _, dropped = _paragraphs_found(source, copy_bigrams)
    changed = None
    if copy_title and source_title:
        changed = tokenise(copy_title) != tokenise(source_title)
    found = taken(copy, source) if evidence else Taken()
    return Alignment(overlap.containment_a, overlap.containment_b, kept, added, dropped, changed, found)


def marked_paragraphs(text: str, other: str) -> list[tuple[str, bool | None]]:
    """The paragraphs of ``text``, each with whether it is found in ``other`` (half its content
    bigrams are there), or None where it is too short to tell (a dateline, a one-line sub-head).

    This is the reading :func:`align` counts: found paragraphs of a copy are kept, the others
    added; the source's paragraphs not found in the copy are dropped.
    """
    return _marked(text, content_bigrams(other))


Segment = tuple[str, str]  # a stretch of a paragraph and how it was taken: "passage", "sentence" or ""


def marked_spans(text: str, other: str, taken: Taken, *, in_copy: bool) -> list[tuple[list[Segment], bool | None]]:
    """The paragraphs of ``text`` as :func:`marked_paragraphs` reads them, each cut at the spans of
    ``taken`` (the copy's spans where ``in_copy``, else the source's) into segments a page marks."""
    spans = sorted(
        [(s.copy_start, s.copy_end, "passage") if in_copy else (s.source_start, s.source_end, "passage")
         for s in taken.passages]
        + [(s.copy_start, s.copy_end, "sentence") if in_copy else (s.source_start, s.source_end, "sentence")
           for s in taken.sentences]
    )  # fmt: skip
    marked = []
    at = 0
    for paragraph, found in marked_paragraphs(text, other):
        start = text.find(paragraph, at)
        start = at if start < 0 else start
        end = start + len(paragraph)
        at = end
        segments: list[Segment] = []
        cursor = start
        for s, e, kind in spans:
            s, e = max(s, cursor), min(e, end)
            if s >= e:
                continue
            if s > cursor:
                segments.append((text[cursor:s], ""))
            segments.append((text[s:e], kind))
            cursor = e
        if cursor < end or not segments:
            segments.append((text[cursor:end], ""))
        marked.append((segments, found))
    return marked


def _found(text: str, other: U32) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The paragraphs of ``text``, whether each is long enough to tell (:data:`_TOLD` content
    bigrams or more), and whether half its content bigrams are in ``other``: all paragraphs in
    one vectorised pass."""
    paragraphs, owner, hashes, counts = paragraph_bigrams(text)
    found = np.bincount(owner[sorted_members(hashes, other)], minlength=len(paragraphs))
    return paragraphs, counts >= _TOLD, found >= _FOUND * counts


def _marked(text: str, other: U32) -> list[tuple[str, bool | None]]:
    """Each paragraph of ``text`` with whether it is found in ``other`` (None: too short to tell)."""
    paragraphs, told, found = _found(text, other)
    return [
        (paragraph, bool(is_found) if is_told else None)
        for paragraph, is_told, is_found in zip(paragraphs, told.tolist(), found.tolist(), strict=True)
    ]


@lru_cache(maxsize=64)
def paragraph_bigrams(text: str) -> tuple[tuple[str, ...], np.ndarray, U32, np.ndarray]:
    """A text's paragraphs, its content bigrams (quotations left out) each with the paragraph it
    stands in, and each paragraph's count of them: read once for a source and all its copies."""
    paragraphs = tuple(text.split("\n\n"))
    # every paragraph hashed in one pass, a mark between two (as read_story marks sentences)
    marked = word_hashes(f" {MARK} ".join(QUOTED.sub(" \n ", paragraph) for paragraph in paragraphs))
    owner, hashes, counts = paragraph_reading(marked, MARK_HASH, STOPWORD_HASHES, len(paragraphs))
    for shared in (owner, hashes, counts):  # one copy serves every caller: none may change it
        shared.flags.writeable = False
    return paragraphs, owner, hashes, counts


def _paragraphs_found(text: str, other: U32) -> tuple[int, int]:
    """How many paragraphs of ``text`` are found in ``other`` and how many are not, those too
    short to tell left out (the counts of :func:`_marked`, without a Python object a paragraph)."""
    _, told, found = _found(text, other)
    kept = int(np.count_nonzero(told & found))
    return kept, int(np.count_nonzero(told)) - kept
