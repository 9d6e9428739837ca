"""The ordered evidence of a verified pair, and the one decision that weighs it.

A pair of texts is measured on its *story text* (quotations, captions and a site's notices set
aside: :func:`provenance.match.story_text`), as two sequences of hashed words, in order:

- **passages**: the copy's words inside runs of at least :data:`PASSAGE` words that stand, in the
  same order, in the source (a clause or more taken verbatim), and the longest such run;
- **order**: of the content bigrams the two texts share, how many keep the source's order in the
  copy (the longest increasing run of their positions): a rewrite follows its source sentence by
  sentence, two reports of one event share names and phrases in any order;
- **shares** of bigrams and 5-grams each way, the two texts' **length ratio** (a page five times
  longer than the text it shares is a compilation, not a source), and how many bigrams they share.

:class:`Decision` turns these into one calibrated probability that the copy derives from the
source: a logistic regression whose weights are plain data (``provenance/data/decision.json``),
fitted on the labelled development corpora by ``python -m provenance.calibrate`` (see
``docs/how-it-decides.md``).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from dataclasses import astuple, dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Features:
    """What the decision weighs, for a copy (the text more of which is found in the other) and
    its source. Shares are between 0 and 1; ``longest``, ``ratio`` and ``shared`` are logarithms."""

    reuse: float  # share of the copy's content bigrams found in the source
    coverage: float  # share of the source's content bigrams found in the copy
    verbatim: float  # share of the copy's 5-grams (whole text) found in the source
    in_order: float  # share of the copy's content bigrams shared in the source's order
    sentences: float  # share of the copy's sentences that have a source sentence holding half their content words
    sentences_in_order: float  # share of the copy's sentences aligned so and in the source's order
    support: float  # log(1 + the copy's sentences aligned so): one sentence is a quote or a lede, not a story
    ratio: float  # log of the source's story words over the copy's (clipped to +-4)
    shared: float  # log(1 + content bigrams the two share)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def values(self) -> tuple[float, ...]:
        return astuple(self)


def in_order(copy: tuple[np.ndarray, np.ndarray], source: tuple[np.ndarray, np.ndarray]) -> tuple[int, int]:
    """Of the bigrams two texts share (each text: its bigram hashes and their word positions, in
    order), the most that stand in the same order in both (the first place of each in each), and
    how many they share."""
    mine, mine_at = _first_places(*copy)
    theirs, theirs_at = _first_places(*source)
    _, i, j = np.intersect1d(mine, theirs, assume_unique=True, return_indices=True)
    if len(i) == 0:
        return 0, 0
    order = np.argsort(mine_at[i], kind="stable")
    return _longest_increasing(theirs_at[j][order].tolist()), len(i)


def _first_places(hashes: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, first = np.unique(hashes, return_index=True)
    return unique, at[first]


def _longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for value in values:
        i = bisect_left(tails, value)
        if i == len(tails):
            tails.append(value)
        else:
            tails[i] = value
    return len(tails)


SENTENCE_WORDS = 4  # content words a sentence needs to be aligned
SAME_SENTENCE = 0.5  # share of a copy sentence's content words that its source sentence holds


def _sentence_words(words: np.ndarray, starts: np.ndarray, content: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (sentence, word hash) pairs of a text's content words, sorted by hash."""
    sentence = np.searchsorted(starts, np.arange(len(words)), side="right") - 1
    keys = np.unique((sentence[content].astype(np.uint64) << np.uint64(32)) | words[content].astype(np.uint64))
    hashes, owners = (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), (keys >> np.uint64(32)).astype(np.int64)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], owners[order]


@dataclass(frozen=True)
class Aligned:
    """The sentences of a copy aligned with its source's (see :func:`aligned_sentences`)."""

    counted: int = 0  # the copy's sentences of SENTENCE_WORDS content words or more
    aligned: int = 0  # of those, the ones a source sentence holds SAME_SENTENCE of
    in_order: int = 0  # the most of those that follow the source's order


def aligned_sentences(
    copy: tuple[np.ndarray, np.ndarray, np.ndarray], source: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> Aligned:
    """Each text as (word hashes, sentence starts, whether each word is a content word): of the
    copy's sentences of :data:`SENTENCE_WORDS` content words or more, how many there are, how many
    have a source sentence holding :data:`SAME_SENTENCE` of their content words (three at least),
    and the most of those that follow the source's order (METER's sentence alignment)."""
    mine, mine_owner = _sentence_words(*copy)
    theirs, theirs_owner = _sentence_words(*source)
    sizes = np.bincount(mine_owner, minlength=len(copy[1]))
    counted = int((sizes >= SENTENCE_WORDS).sum())
    if counted == 0 or len(theirs) == 0:
        return Aligned(counted)
    low, high = np.searchsorted(theirs, mine, "left"), np.searchsorted(theirs, mine, "right")
    repeats = high - low
    if repeats.sum() == 0:
        return Aligned(counted)
    copy_sentence = np.repeat(mine_owner, repeats)
    at = np.repeat(low - np.cumsum(repeats) + repeats, repeats) + np.arange(int(repeats.sum()))
    source_sentence = theirs_owner[at]
    width = np.int64(len(source[1]) + 1)
    pairs, counts = np.unique(copy_sentence * width + source_sentence, return_counts=True)
    first, second = pairs // width, pairs % width
    # the best source sentence of each copy sentence (the earliest where two tie)
    order = np.lexsort((second, -counts, first))
    first, second, counts = first[order], second[order], counts[order]
    best = np.flatnonzero(np.concatenate(([True], first[1:] != first[:-1])))
    first, second, counts = first[best], second[best], counts[best]
    keep = (sizes[first] >= SENTENCE_WORDS) & (counts >= 3) & (counts >= SAME_SENTENCE * sizes[first])
    return Aligned(counted, int(keep.sum()), _longest_increasing(second[keep].tolist()))


@dataclass(frozen=True)
class Decision:
    """A logistic regression over :class:`Features` (standardised by ``mean`` and ``scale``)."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    fitted: dict[str, Any]  # how and on what it was fitted (corpora, pairs, cross-validated figures)
    min_confidence: float = 0.5  # the operating point chosen when it was fitted (see provenance.calibrate)

    def __post_init__(self) -> None:
        unknown = set(self.names) - set(Features.names())
        if unknown:
            raise ValueError(f"decision weights name features there are not: {', '.join(sorted(unknown))}")
        if not len(self.mean) == len(self.scale) == len(self.weights) == len(self.names):
            raise ValueError("decision weights, means and scales must have one value a feature")

    def confidence(self, features: Features) -> float:
        """The probability that the copy derives from the source."""
        z = self.intercept + sum(
            w * (getattr(features, name) - m) / s
            for name, w, m, s in zip(self.names, self.weights, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "names": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "intercept": self.intercept,
            "min_confidence": self.min_confidence,
            "fitted": self.fitted,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return cls(
            tuple(data["names"]),
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) for v in data["scale"]),
            tuple(float(v) for v in data["weights"]),
            float(data["intercept"]),
            dict(data.get("fitted", {})),
            float(data.get("min_confidence", 0.5)),
        )


@cache
def shipped_decision() -> Decision:
    """The decision fitted on the development corpora, as the package ships it."""
    text = resources.files("provenance").joinpath("data/decision.json").read_text(encoding="utf-8")
    return Decision.from_dict(json.loads(text))
