"""Verify LSH candidates on the two texts and name their relation.

LSH only proposes. Here the two shingle sets are compared exactly:

- ``similarity``: Jaccard similarity of the two shingle sets;
- ``containment`` of A in B: the share of A's shingles that are also B's.

Relations, with the default thresholds of :class:`MatchPolicy`:

=============  ===============================================================================
``exact``      the same normalised text (equal content hashes)
``wholly``     at least 80% of one text lies in the other: a republication, possibly trimmed,
               padded with the copier's own lines, under a new headline, or lightly edited
``partially``  40% to 80% of one text lies in the other: a substantial part reused
=============  ===============================================================================

A pair must also share at least ``min_shared`` shingles (15 five-word shingles, about three
sentences), so that one shared quote never makes a link, and a line such as "The case was
adjourned until tomorrow." is not a story even where it stands alone, word for word, in two
files. Below that there is no relation and nothing is stored: two stories on the same topic,
written independently, stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .fingerprint import U32

Relation = Literal["exact", "wholly", "partially"]
RELATIONS: tuple[Relation, ...] = ("exact", "wholly", "partially")


@dataclass(frozen=True)
class MatchPolicy:
    """Thresholds that turn measurements into a relation (see the module docstring)."""

    wholly: float = 0.8
    partially: float = 0.4
    min_shared: int = 15

    def __post_init__(self) -> None:
        if not 0.0 < self.partially <= self.wholly <= 1.0:
            raise ValueError(
                f"thresholds must satisfy 0 < partially <= wholly <= 1, "
                f"got partially={self.partially}, wholly={self.wholly}"
            )
        if self.min_shared < 1:
            raise ValueError(f"min_shared must be at least 1, got {self.min_shared}")


DEFAULT_POLICY = MatchPolicy()


@dataclass(frozen=True)
class Measures:
    """Exact set measurements of a pair of shingle sets."""

    shared: int
    size_a: int
    size_b: int

    @property
    def similarity(self) -> float:
        union = self.size_a + self.size_b - self.shared
        return self.shared / union if union else 1.0

    @property
    def containment_a(self) -> float:
        """The share of A that lies in B."""
        return self.shared / self.size_a if self.size_a else 0.0

    @property
    def containment_b(self) -> float:
        """The share of B that lies in A."""
        return self.shared / self.size_b if self.size_b else 0.0


def measure(a: U32, b: U32) -> Measures:
    """Measure two sorted, duplicate-free shingle sets against each other."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return Measures(shared=shared, size_a=len(a), size_b=len(b))


def classify(measures: Measures, *, identical: bool, policy: MatchPolicy = DEFAULT_POLICY) -> Relation | None:
    """The relation of a verified pair, or None when the two texts are not related."""
    if measures.shared < policy.min_shared:
        return None
    if identical:
        return "exact"
    reused = max(measures.containment_a, measures.containment_b)
    if reused >= policy.wholly:
        return "wholly"
    if reused >= policy.partially:
        return "partially"
    return None
