"""What a copier changed, word by word: each paragraph of a copy beside the source paragraph it
was made from, the words inserted, deleted and replaced in it, the headline's change, and a
summary of it all in words ("new headline; 3 words changed in 2 paragraphs; paragraphs 6-9
dropped; 1 paragraph added at the end").

Paragraphs are paired in two steps. First the copy's paragraphs that stand whole in the source
(the same words, or most of the content bigrams of both) are paired with theirs: those in the
order of both texts are the backbone, and one that stands elsewhere was moved by the copier and
is compared with its own. Then each stretch between two paragraphs of the backbone is aligned
word by word as one run of words in each text, wherever either text cuts its paragraphs (a
source extracted as one paragraph, its copy as a hundred): each word of the two texts stands in
one run at most, so the words counted as changed never exceed the words of the two. Words are
compared by rapidfuzz's Levenshtein alignment, which names a
replaced word as replaced, not as one deleted and one inserted. Chosen for speed: on a
1,500-word copy with 30 one-word edits (``python -m benchmarks.changes``) it takes 0.54 ms,
difflib's ``SequenceMatcher`` 6.5 ms (15.5 ms without its "junk" heuristic, which otherwise
ignores the words standing in more than 1% of a long text) and diff-match-patch 4.1 ms (words
mapped to characters), all four marking the 30 words edited. Case and the punctuation around a
word are not changes: "Tuesday," and "tuesday" are one word.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

import numpy as np
from rapidfuzz.distance import Indel, Levenshtein

from .passages import paragraph_bigrams

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
    backbone, moved = _same_paragraphs(copy_paragraphs, source_paragraphs)
    out = {i: Paragraph("kept", j + 1, i + 1, word_runs(source_paragraphs[j], copy_paragraphs[i])) for i, j in moved}
    out |= {i: Paragraph("kept", j + 1, i + 1, (Run("equal", source_paragraphs[j], copy_paragraphs[i]),))
            for i, j in backbone}  # fmt: skip
    dropped: list[int] = []
    moved_sources = {j for _, j in moved}
    after = (-1, -1)
    for anchor in [*backbone, (len(copy_paragraphs), len(source_paragraphs))]:
        # the stretch between two paragraphs kept in order, aligned word by word
        mine = [i for i in range(after[0] + 1, anchor[0]) if i not in out]
        theirs = [j for j in range(after[1] + 1, anchor[1]) if j not in moved_sources]
        found, gone = _stretch(mine, theirs, copy_paragraphs, source_paragraphs)
        out |= found
        dropped += gone
        after = anchor
    added = {i for i, paragraph in out.items() if paragraph.kind == "added"}
    for i, j in _moved_and_edited(copy, source, added, set(dropped)):
        out[i] = Paragraph("kept", j + 1, i + 1, word_runs(source_paragraphs[j], copy_paragraphs[i]))
        dropped.remove(j)
    ordered = [out[i] for i in range(len(copy_paragraphs))]
    return Changes(headline, tuple(_with_dropped(ordered, dropped, source_paragraphs)))


def _same_paragraphs(copy: list[str], source: list[str]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The paragraphs of the copy that stand in the source with the same words, one to one: those in
    the order of both texts (the longest such chain) are the backbone the rest is aligned between;
    the others were moved."""
    places: dict[tuple[str, ...], list[int]] = {}
    for j, paragraph in enumerate(source):
        places.setdefault(_bare_words(paragraph), []).append(j)
    same = [
        (i, j)
        for i, paragraph in enumerate(copy)
        if _bare_words(paragraph)
        for j in places.get(_bare_words(paragraph), ())
    ]
    backbone = _longest_chain(same)
    used_copy, used_source = {i for i, _ in backbone}, {j for _, j in backbone}
    moved = []
    for i, j in same:
        if i not in used_copy and j not in used_source:
            moved.append((i, j))
            used_copy.add(i)
            used_source.add(j)
    return backbone, moved


def _moved_and_edited(copy: str, source: str, added: set[int], dropped: set[int]) -> list[tuple[int, int]]:
    """Of the copy's added paragraphs and the source's dropped ones, the pairs that share at least
    half of the content bigrams of each of the two: a paragraph the copier moved and edited (one
    pair a paragraph, the copy's in order, each with the first source paragraph of most)."""
    pairs = []
    for i, j in _strong_pairs(copy, source):
        if i in added and j in dropped:
            pairs.append((i, j))
            added.discard(i)
            dropped.discard(j)
    return pairs


def _strong_pairs(copy: str, source: str) -> list[tuple[int, int]]:
    """The pairs of a copy's and a source's paragraphs that share at least half of the content
    bigrams of each of the two, most shared first (then in the copy's order, then the source's)."""
    _, copy_owner, copy_hashes, copy_counts = paragraph_bigrams(copy)
    _, source_owner, source_hashes, source_counts = paragraph_bigrams(source)
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
    strong = 2 * shared >= np.maximum(copy_counts[mine], source_counts[theirs])
    ranked = np.lexsort((theirs[strong], mine[strong], -shared[strong]))
    return list(zip(mine[strong][ranked].tolist(), theirs[strong][ranked].tolist(), strict=True))


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of ``pairs`` rising in both places (each copy and source paragraph once):
    a longest increasing subsequence by patience sorting, the earlier pair kept on a tie."""
    ranked = sorted(set(pairs), key=lambda p: (p[0], -p[1]))  # one copy paragraph never takes two places
    tails: list[int] = []  # the source paragraph ending the best chain of each length
    ends: list[int] = []  # the index in ranked of that chain's last pair
    before: list[int] = [-1] * len(ranked)
    for n, (_, j) in enumerate(ranked):
        at = bisect_left(tails, j)
        before[n] = ends[at - 1] if at else -1
        if at == len(tails):
            tails.append(j)
            ends.append(n)
        else:
            tails[at], ends[at] = j, n
    chain = []
    n = ends[-1] if ends else -1
    while n >= 0:
        chain.append(ranked[n])
        n = before[n]
    return chain[::-1]


_MOST_CELLS = 25_000_000  # words x words of a stretch aligned at once (rapidfuzz keeps a bit per cell)
Word = tuple[int, str]  # a word as written, with the paragraph it stands in


def _stretch(
    mine: list[int], theirs: list[int], copy: list[str], source: list[str]
) -> tuple[dict[int, Paragraph], list[int]]:
    """The copy's paragraphs ``mine`` against the source's ``theirs`` (a stretch between two
    paragraphs kept in order), the two texts' words aligned as one run each, wherever either cuts
    its paragraphs. A copy paragraph holding some of the source's words as they are is kept (made
    from the source paragraph it holds most words of), and the others added; a source paragraph
    none of whose words the copy holds is dropped. Each word of the two stands in one run at most."""
    if not theirs or not mine:
        return {i: _added(i, copy[i]) for i in mine}, list(theirs)
    copy_words = [(i, word) for i in mine for word in copy[i].split()]
    source_words = [(j, word) for j in theirs for word in source[j].split()]
    if len(copy_words) * len(source_words) > _MOST_CELLS:  # too long to align as one: paragraph by paragraph
        pairs = list(zip(mine, theirs, strict=False))
        found = {i: Paragraph("kept", j + 1, i + 1, word_runs(source[j], copy[i])) for i, j in pairs}
        return found | {i: _added(i, copy[i]) for i in mine[len(pairs) :]}, theirs[len(pairs) :]
    pieces: list[tuple[int, Op, list[Word], list[Word]]] = []  # (copy paragraph, op, source words, copy words)
    pending: list[Word] = []  # source words deleted before the copy's next word
    for tag, src_start, src_end, dest_start, dest_end in _common_words(
        [_bare(w) for _, w in source_words], [_bare(w) for _, w in copy_words]
    ):
        taken = source_words[src_start:src_end]
        if tag == "delete":
            pending += taken
            continue
        written = copy_words[dest_start:dest_end]
        for i in dict.fromkeys(i for i, _ in written):  # the op cut at the copy's paragraph ends
            part = [word for word in written if word[0] == i]
            if pending:  # with the paragraph before, where there is one in the stretch
                pieces.append((pieces[-1][0] if pieces else i, "delete", pending, []))
                pending = []
            share, taken = (taken[: len(part)], taken[len(part) :]) if tag == "equal" else (taken, [])
            pieces.append((i, tag, share, part))
    if pending:
        pieces.append((pieces[-1][0], "delete", pending, []))
    held: dict[int, Counter[int]] = {i: Counter() for i in mine}  # source paragraphs a copy one holds words of
    for i, op, taken, _ in pieces:
        if op == "equal":
            held[i].update(j for j, _ in taken)
    kept = {j for counts in held.values() for j in counts}
    runs: dict[int, list[Run]] = {i: [] for i in mine}
    for i, op, taken, written in pieces:
        before, after = (" ".join(w for j, w in taken if j in kept), " ".join(w for _, w in written))
        if before and after:  # a replacement's words compared one by one (some may be the same)
            runs[i] += word_runs(before, after) if op == "replace" else [Run(op, before, after)]
        elif before or after:  # a dropped paragraph is shown whole, as dropped, not in a run
            runs[i].append(Run("delete" if before else "insert", before, after))
    found = {
        i: Paragraph("kept", max(held[i], key=lambda j: (held[i][j], -j)) + 1, i + 1, _merged(runs[i]))
        if held[i] else _added(i, copy[i])
        for i in mine
    }  # fmt: skip
    return found, [j for j in theirs if j not in kept]


Span = tuple[Op, int, int, int, int]  # an op and its ranges of the source's words and the copy's


def _common_words(source: list[str], copy: list[str]) -> list[Span]:
    """The two word sequences' longest common subsequence (rapidfuzz's Indel alignment, which keeps
    as many words in place as can be), as ops; the changes between two kept stretches as one
    replacement, and a kept stretch of one or two words between changes longer than it made part
    of them ("the" and "said" are not what two rewritten sentences share)."""
    spans: list[Span] = [(cast(Op, op.tag), op.src_start, op.src_end, op.dest_start, op.dest_end)
                         for op in Indel.opcodes(source, copy)]  # fmt: skip
    kept = [span for n, span in enumerate(spans) if span[0] == "equal" and not _chance(spans, n)]
    merged: list[Span] = []
    at_source = at_copy = 0
    for span in [*kept, ("equal", len(source), len(source), len(copy), len(copy))]:
        _, src_start, src_end, dest_start, dest_end = span
        if src_start > at_source or dest_start > at_copy:  # what lies between two kept stretches
            tag: Op = "replace" if src_start > at_source and dest_start > at_copy else (
                "delete" if src_start > at_source else "insert")  # fmt: skip
            merged.append((tag, at_source, src_start, at_copy, dest_start))
        if src_end > src_start:
            merged.append(span)
        at_source, at_copy = src_end, dest_end
    return merged


def _chance(spans: list[Span], n: int) -> bool:
    """Whether the kept stretch ``spans[n]`` is one or two words between changes longer than it."""
    length = spans[n][2] - spans[n][1]
    if length > 2:
        return False
    around = [spans[k] for k in (n - 1, n + 1) if 0 <= k < len(spans)]
    changed = [max(s[2] - s[1], s[4] - s[3]) for s in around if s[0] != "equal"]
    return len(changed) == len(around) and bool(changed) and min(changed) > length


def _added(i: int, paragraph: str) -> Paragraph:
    return Paragraph("added", None, i + 1, (Run("insert", "", paragraph),))


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with neighbours of the same kind made one (a deletion next to a replacement stays apart)."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].op == run.op:
            last = merged[-1]
            merged[-1] = Run(run.op, " ".join(filter(None, [last.source, run.source])),
                             " ".join(filter(None, [last.copy, run.copy])))  # fmt: skip
        else:
            merged.append(run)
    return tuple(merged)


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
