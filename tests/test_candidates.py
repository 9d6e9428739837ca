"""Candidate search (provenance.candidates): one rule, the same whichever article comes first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import candidates
from provenance.candidates import COMMON, MIN_WORD_KEYS, Probe, find, needed, word_keys
from provenance.match import content_bigrams

from . import scripts


class Filed:
    """A lookup over articles held in memory, filed as the store files them."""

    def __init__(self, probes: Sequence[Probe]) -> None:
        self.probes = {p.id: p for p in probes}

    def band_lookup(self, keys: Sequence[int]) -> Mapping[int, Sequence[int]]:
        return {k: [p.id for p in self.probes.values() if k in p.bands] for k in keys}

    def hash_lookup(self, hashes: Sequence[str]) -> Mapping[str, Sequence[int]]:
        return {h: [p.id for p in self.probes.values() if p.content_hash == h] for h in hashes}

    def word_postings(self, keys: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        found = [(k, p.id) for k in keys for p in self.probes.values() if k in p.words.tolist()]
        return np.array([k for k, _ in found], np.int64), np.array([i for _, i in found], np.int64)

    def word_counts(self, ids: Sequence[int]) -> Mapping[int, int]:
        return {i: len(self.probes[i].words) for i in ids}


def probe(article: int, words: set[int], content_hash: str = "", bands: Sequence[int] = ()) -> Probe:
    return Probe(article, list(bands), content_hash or f"text-{article}", np.array(sorted(words), np.uint32))


def test_word_keys_are_one_bigram_in_four_the_same_in_every_text() -> None:
    source = "\n\n".join(scripts.es_src)
    copy = "\n\n".join(scripts.es_src[:3])
    keys, bigrams = word_keys(content_bigrams(source)), content_bigrams(source)
    assert set(word_keys(content_bigrams(copy)).tolist()) <= set(keys.tolist())
    assert 0.15 < len(keys) / len(bigrams) < 0.35
    assert all(int(k) % candidates.SAMPLE == 0 for k in keys)


def test_a_rewrite_in_each_script_is_a_candidate_of_its_source() -> None:
    for lang, (source, rewrite, other, _) in scripts.SCRIPTS.items():
        texts = {"source": source, "rewrite": rewrite, "other": other}
        probes = [
            probe(i, set(word_keys(content_bigrams("\n\n".join(t))).tolist())) for i, t in enumerate(texts.values())
        ]
        found = find(probes, Filed(probes)).pairs()
        assert (0, 1) in found, lang


def test_how_many_shared_keys_a_pair_needs() -> None:
    assert needed(10, 500) == MIN_WORD_KEYS  # a short text: the floor
    assert needed(100, 300) == 8  # 8% of the smaller one's keys
    assert needed(300, 100) == needed(100, 300)


def test_a_word_key_of_many_articles_is_reported_common_and_joins_nobody() -> None:
    shared = {4, 8}  # two keys shared by every article: too common to tell anything
    probes = [probe(i, shared | {1000 + 4 * i}) for i in range(COMMON)]
    found = find(probes, Filed(probes))
    assert found.common == shared
    assert found.pairs() == set()


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.integers(0, 60).map(lambda k: 4 * k), max_size=40),
    st.sets(st.integers(0, 60).map(lambda k: 4 * k), max_size=40),
    st.booleans(),
)
def test_a_pair_is_found_whichever_article_comes_first(a: set[int], b: set[int], same_text: bool) -> None:
    """A stored article and a new one: the pair is a candidate or not the same whichever of the two
    was stored first (what keeps ingest independent of input order, and equal to Spark)."""
    first, second = probe(1, a, "same" if same_text else ""), probe(2, b, "same" if same_text else "")
    one = find([second], Filed([first, second])).pairs()
    other = find([first], Filed([first, second])).pairs()
    assert one == other
    expected = same_text or len(a & b) >= needed(len(a), len(b))
    assert one == ({(1, 2)} if expected else set())
