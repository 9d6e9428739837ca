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
from dataclasses import astuple, dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from .fingerprint import align_sentences, sentence_keys
from .fingerprint import in_order as compiled_in_order


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


@dataclass(frozen=True)
class Ordered:
    """What the ordered evidence needs of one text, read once (in the worker that profiles it):
    its story words, the first place of each of its content bigrams, and its content words by
    sentence."""

    words: int = 0  # words of its story text
    first: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))  # first place of each content bigram
    hashes: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint32))  # content words, sorted
    owners: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))  # the sentence of each
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int32))  # content words of each sentence

    @classmethod
    def of(cls, words: np.ndarray, starts: np.ndarray, stop: np.ndarray, first: np.ndarray) -> Ordered:
        """From a text's hashed words in order, the word each sentence starts at, the hashes of
        function words (sorted), and the first place of each content bigram (in the order of
        their hashes)."""
        hashes, owners, sizes = sentence_keys(words, starts, stop)
        found = cls(len(words), first.astype(np.int32), hashes, owners, sizes)
        for array in (found.first, found.hashes, found.owners, found.sizes):
            array.flags.writeable = False
        return found


def in_order(copy_bigrams: np.ndarray, copy: Ordered, source_bigrams: np.ndarray, source: Ordered) -> int:
    """Of the content bigrams two texts share (their sorted hashes, and each one's first place),
    the most that stand in the same order in both."""
    return compiled_in_order(copy_bigrams, copy.first, source_bigrams, source.first)


SENTENCE_WORDS = 4  # content words a sentence needs to be aligned
SAME_SENTENCE = 0.5  # share of a copy sentence's content words that its source sentence holds


@dataclass(frozen=True)
class Aligned:
    """The sentences of a copy aligned with its source's (see :func:`aligned_sentences`)."""

    counted: int = 0  # the copy's sentences of SENTENCE_WORDS content words or more
    aligned: int = 0  # of those, the ones a source sentence holds SAME_SENTENCE of
    in_order: int = 0  # the most of those that follow the source's order


def aligned_sentences(copy: Ordered, source: Ordered) -> Aligned:
    """Of the copy's sentences of :data:`SENTENCE_WORDS` content words or more, how many there
    are, how many have a source sentence holding :data:`SAME_SENTENCE` of their content words
    (three at least), and the most of those that follow the source's order (METER's sentence
    alignment)."""
    found = align_sentences(copy.hashes, copy.owners, copy.sizes, source.hashes, source.owners, len(source.sizes),
                            SENTENCE_WORDS, SAME_SENTENCE)  # fmt: skip
    return Aligned(*found)


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
