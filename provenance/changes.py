"""What a copier changed, word by word: each paragraph of a copy beside the source paragraph it
was made from, the words inserted, deleted and replaced in it, the headline's change, and a
summary of it all in words ("new headline; 3 words changed in 2 paragraphs; paragraphs 6-9
dropped; 1 paragraph added at the end").

Paragraphs are paired by their content bigrams (a copy's paragraph with the source's that holds
most of them, as :func:`provenance.passages.marked_paragraphs` finds a paragraph in the other
text), so that a paragraph moved by the copier is still compared with its own. Words are
compared by rapidfuzz's Levenshtein alignment of the two paragraphs' words, which names a
replaced word as replaced, not as one deleted and one inserted. Chosen for speed: on a
1,500-word copy with 30 one-word edits (``python -m benchmarks.changes``) it takes 0.54 ms,
difflib's ``SequenceMatcher`` 6.5 ms (15.5 ms without its "junk" heuristic, which otherwise
ignores the words standing in more than 1% of a long text) and diff-match-patch 4.1 ms (words
mapped to characters), all four marking the 30 words edited. Case and the punctuation around a
word are not changes: "Tuesday," and "tuesday" are one word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

import numpy as np
from rapidfuzz.distance import Levenshtein

from .passages import marked_paragraphs, paragraph_bigrams

Op = Literal["equal", "insert", "delete", "replace"]
_EDGES = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Run:
    """A stretch of words that the copy kept (``equal``) or changed: ``source`` and ``copy`` are the
    two texts' words of it, as they are written ("" where one has none)."""

    op: Op
    source: str
    copy: str

    @property
    def words(self) -> int:
        """The words the run changed: the more of its two sides (none where it is ``equal``)."""
        return 0 if self.op == "equal" else max(len(self.source.split()), len(self.copy.split()))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the comparison: a copy's paragraph with the source's it was made from
    (``kept``), one of the copy's own (``added``), or one of the source's it left out
    (``dropped``); numbers count from 1 in each text."""

    kind: Literal["kept", "added", "dropped"]
    source_number: int | None
    copy_number: int | None
    runs: tuple[Run, ...]

    @property
    def changed_words(self) -> int:
        return sum(run.words for run in self.runs) if self.kind == "kept" else 0


@dataclass(frozen=True)
class Changes:
    """A copy against its source: the headline's runs (None where a title is unknown) and the
    paragraphs in the copy's order, each dropped one after the source paragraph it followed."""

    headline: tuple[Run, ...] | None
    paragraphs: tuple[Paragraph, ...]

    @property
    def headline_changed(self) -> bool | None:
        return None if self.headline is None else any(run.op != "equal" for run in self.headline)

    def summary(self) -> str:
        """The changes in a line of words."""
        parts = []
        if self.headline_changed is not None:
            parts.append("new headline" if self.headline_changed else "same headline")
        kept = [p for p in self.paragraphs if p.kind == "kept"]
        changed = [p for p in kept if p.changed_words]
        words = sum(p.changed_words for p in changed)
        if not kept:
            parts.append("no paragraph kept")
        elif not changed:
            parts.append("no word changed")
        else:
            parts.append(f"{_count(words, 'word')} changed in {_count(len(changed), 'paragraph')}")
        dropped = [p.source_number for p in self.paragraphs if p.kind == "dropped" and p.source_number]
        if dropped:
            noun = "paragraph" if len(dropped) == 1 else "paragraphs"
            parts.append(f"{noun} {_ranges(dropped)} dropped")
        added = [p for p in self.paragraphs if p.kind == "added"]
        if added:
            parts.append(f"{_count(len(added), 'paragraph')} added {_places(added, self.paragraphs)}")
        return "; ".join(parts)


def changes(copy: str, source: str, copy_title: str | None = None, source_title: str | None = None) -> Changes:
    """How ``copy`` (paragraphs separated by blank lines, as stored) changed ``source``."""
    headline = word_runs(source_title, copy_title) if copy_title and source_title else None
    copy_paragraphs = copy.split("\n\n")
    source_paragraphs = source.split("\n\n")
    best = _best_sources(copy, source)
    copy_found = [found for _, found in marked_paragraphs(copy, source)]
    source_found = [found for _, found in marked_paragraphs(source, copy)]
    paired: dict[int, int] = {}  # copy paragraph -> source paragraph
    for i, paragraph in enumerate(copy_paragraphs):
        j = best[i]
        if j is None and copy_found[i] is None:  # too short to weigh by bigrams: the same words
            j = _same_words(paragraph, source_paragraphs)
        if j is not None and copy_found[i] is not False:
            paired[i] = j
    used = set(paired.values())
    dropped = [j for j, found in enumerate(source_found) if found is False and j not in used]
    out: list[Paragraph] = []
    for i, paragraph in enumerate(copy_paragraphs):
        j = paired.get(i)
        if j is None:
            out.append(Paragraph("added", None, i + 1, (Run("insert", "", paragraph),)))
        else:
            out.append(Paragraph("kept", j + 1, i + 1, word_runs(source_paragraphs[j], paragraph)))
    return Changes(headline, tuple(_with_dropped(out, dropped, source_paragraphs)))


def word_runs(source: str, copy: str) -> tuple[Run, ...]:
    """The runs of words by which ``copy`` differs from ``source`` (case and the punctuation at a
    word's edges aside), with the words as each text writes them."""
    theirs, mine = source.split(), copy.split()
    runs = []
    for op in Levenshtein.opcodes(_bare_words(source), _bare_words(copy)):
        runs.append(
            Run(
                cast(Op, op.tag),
                " ".join(theirs[op.src_start : op.src_end]),
                " ".join(mine[op.dest_start : op.dest_end]),
            )
        )
    return tuple(runs)


@lru_cache(maxsize=1 << 16)
def _bare(word: str) -> str:
    """A word as it is compared: its case and the punctuation at its edges aside."""
    return _EDGES.sub("", word).casefold() or word


@lru_cache(maxsize=4096)
def _bare_words(paragraph: str) -> tuple[str, ...]:
    """A paragraph's words as they are compared (a source's paragraphs are compared with every copy's)."""
    return tuple(_bare(w) for w in paragraph.split())


def _best_sources(copy: str, source: str) -> list[int | None]:
    """For each paragraph of the copy, the source paragraph holding most of its content bigrams
    (the first of those that hold as many; None where it shares none). Counted over arrays."""
    copy_paragraphs, copy_owner, copy_hashes, _ = paragraph_bigrams(copy)
    _, source_owner, source_hashes, _ = paragraph_bigrams(source)
    order = np.argsort(source_hashes, kind="stable")
    ordered = source_hashes[order]
    starts = np.searchsorted(ordered, copy_hashes, "left")
    lengths = np.searchsorted(ordered, copy_hashes, "right") - starts
    # each (copy paragraph, source paragraph) a shared bigram joins: a bigram stands once a paragraph
    at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    mine = np.repeat(copy_owner, lengths)
    theirs = source_owner[order[at]]
    width = int(source_owner.max(initial=0)) + 1
    pairs, shared = np.unique(mine * width + theirs, return_counts=True)
    mine, theirs = pairs // width, pairs % width
    best: list[int | None] = [None] * len(copy_paragraphs)
    for i, j in zip(*_first_of_most(mine, theirs, shared), strict=True):
        best[i] = j
    return best


def _first_of_most(mine: np.ndarray, theirs: np.ndarray, shared: np.ndarray) -> tuple[list[int], list[int]]:
    """For each value of ``mine``, the ``theirs`` with the most ``shared`` (the smallest on a tie)."""
    ranked = np.lexsort((theirs, -shared, mine))
    mine, theirs = mine[ranked], theirs[ranked]
    first = np.ones(len(mine), bool)
    first[1:] = mine[1:] != mine[:-1]
    return mine[first].tolist(), theirs[first].tolist()


def _same_words(paragraph: str, paragraphs: list[str]) -> int | None:
    """The first of ``paragraphs`` with the same words as a short ``paragraph`` (a dateline, a sub-head)."""
    words = _bare_words(paragraph)
    for j, other in enumerate(paragraphs):
        if words and _bare_words(other) == words:
            return j
    return None


def _with_dropped(out: list[Paragraph], dropped: list[int], source: list[str]) -> list[Paragraph]:
    """The copy's paragraphs with each dropped source paragraph after the last kept paragraph made
    from a source paragraph before it (at the start where none was), in the source's order."""
    after: dict[int, list[int]] = {}
    for j in sorted(dropped):
        anchors = [n for n, p in enumerate(out) if p.kind == "kept" and (p.source_number or 0) <= j]
        after.setdefault(anchors[-1] if anchors else -1, []).append(j)

    def gone(anchor: int) -> list[Paragraph]:
        return [Paragraph("dropped", j + 1, None, (Run("delete", source[j], ""),)) for j in after.get(anchor, [])]

    placed = gone(-1)
    for n, paragraph in enumerate(out):
        placed += [paragraph, *gone(n)]
    return placed


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _ranges(numbers: list[int]) -> str:
    """``[6, 7, 8, 9, 12]`` as "6-9 and 12" (with an en dash)."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    words = [f"{a}\u2013{b}" if b > a else str(a) for a, b in spans]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _places(added: list[Paragraph], paragraphs: tuple[Paragraph, ...]) -> str:
    """Where the copy's own paragraphs stand, a run of them at a time: "at the start", "at the
    end", "after paragraph 3" (the copy's numbers)."""
    last = max((p.copy_number or 0 for p in paragraphs), default=0)
    numbers = sorted(p.copy_number or 0 for p in added)
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    places = []
    for run in runs:
        if run[0] == 1:
            places.append("at the start")
        elif run[-1] == last:
            places.append("at the end")
        else:
            places.append(f"after paragraph {run[0] - 1}")
    return places[0] if len(places) == 1 else "(" + ", ".join(places) + ")"
