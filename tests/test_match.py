from __future__ import annotations

import numpy as np
import pytest

from provenance import MatchPolicy, classify, measure


def shingles(*values: int) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=np.uint32)


def test_measure_counts_shared_shingles_both_ways() -> None:
    m = measure(shingles(*range(100)), shingles(*range(50, 250)))
    assert (m.shared, m.size_a, m.size_b) == (50, 100, 200)
    assert m.similarity == pytest.approx(50 / 250)
    assert m.containment_a == pytest.approx(0.5)
    assert m.containment_b == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("a", "b", "identical", "relation"),
    [
        (range(100), range(100), True, "exact"),
        (range(100), range(10, 110), False, "wholly"),  # 90% of each in the other
        (range(30), range(200), False, "wholly"),  # a trimmed copy: wholly inside its source
        (range(100), range(50, 300), False, "partially"),  # half of one reused in the other
        (range(100), range(70, 400), False, None),  # 30%: not enough
        (range(10), range(10), True, None),  # too short to be a story, even word for word
        (range(14), range(500), False, None),  # a 14-shingle quote inside a long story
    ],
)
def test_classify_with_default_policy(a: range, b: range, identical: bool, relation: str | None) -> None:
    assert classify(measure(shingles(*a), shingles(*b)), identical=identical) == relation


def test_policy_is_validated() -> None:
    with pytest.raises(ValueError, match="thresholds must satisfy 0 < partially <= wholly <= 1"):
        MatchPolicy(wholly=0.5, partially=0.6)
    with pytest.raises(ValueError, match="min_shared must be at least 1, got 0"):
        MatchPolicy(min_shared=0)


def test_policy_is_settable() -> None:
    m = measure(shingles(*range(100)), shingles(*range(70, 400)))
    assert classify(m, identical=False, policy=MatchPolicy(partially=0.3)) == "partially"
