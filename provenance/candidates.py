"""Which pairs to verify: one rule, looked up in SQLite by ingest and trace, joined by Spark.

An article is filed under three kinds of key, each looked up by equality:

- its **LSH band keys** (:func:`provenance.fingerprint.band_keys`): a copy whose 5-gram shingles
  are largely the source's shares a band with it;
- its **content hash**: the same normalised text;
- its **word keys** (:func:`word_keys`): the content bigrams of its story text (quotations, photo
  captions and site furniture set aside, see :func:`provenance.match.story_text`) whose hash is 0
  modulo :data:`SAMPLE`, a sample of one in four that is the same in every text holding the
  bigram. A rewrite keeps far fewer 5-grams than LSH needs, but keeps bigrams ("deputy
  minister", "embassy staff"): a pair that shares the 15 content bigrams a ``partially`` link
  needs shares about four word keys. Two articles are candidates when they share
  :data:`MIN_WORD_KEYS` of them.

A word key found in :data:`COMMON` articles is a set phrase ("prime minister", "last year") that
joins stories rather than copies: it is retired (its postings deleted, and it is never filed
again), so that no look-up grows with the store.

The rule is symmetric and looks at the two articles only, so the pairs it proposes do not depend
on the order articles come in, or on how many processes prepare them; :func:`spark_pairs` says
the same in DataFrame joins, and gives the same pairs as long as no word key is retired (a key
retires when the store reaches it, where Spark sees the whole input at once).

Measured against the full-text (bm25) search of rare words this replaces, on the development
corpora: of the verified pairs that search led to, all are found on Clough-Stevenson and
l3s-gn1, 1,319 of 1,327 on METER and 62 of 65 on topic-days, and 78 it missed are found (see the
README, "How it decides").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import ceil
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .fingerprint import U32, shared_counts, sorted_runs, sorted_unique

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SAMPLE = 4  # one content bigram in SAMPLE is a word key (those whose hash is 0 modulo SAMPLE)
MIN_WORD_KEYS = 2  # word keys two articles share to be verified ...
SHARE = 0.08  # ... and at least this share of the word keys of the one that has fewer
COMMON = 256  # a word key filed under this many articles is retired
PACKED = "<u4"  # how a key's articles are stored in one row: their ids, little-endian 32-bit


def word_keys(bigrams: U32) -> U32:
    """An article's word keys, from its content bigrams (sorted, unique: :attr:`Profile.bigrams`)."""
    keys: U32 = bigrams[bigrams % SAMPLE == 0]
    return keys


class Lookup(Protocol):
    """Where the keys are filed (the store; anything that answers these three look-ups)."""

    def band_lookup(self, keys: Sequence[int]) -> Mapping[int, Sequence[int]]:
        """Band key -> the articles filed under it."""
        ...

    def hash_lookup(self, hashes: Sequence[str]) -> Mapping[str, Sequence[int]]:
        """Content hash -> the articles of that text."""
        ...

    def word_postings(self, keys: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """The postings of word keys, as two arrays of one length: each key (int64) and an article
        filed under it (retired keys are under none)."""
        ...

    def word_counts(self, ids: Sequence[int]) -> Mapping[int, int]:
        """Article id -> the number of its word keys (filed or retired)."""
        ...


@dataclass(frozen=True)
class Probe:
    """An article as candidate search sees it: its id and its keys."""

    id: int
    bands: Sequence[int]
    content_hash: str
    words: U32


@dataclass(frozen=True)
class Found:
    """What a look-up found: each probe's candidates, and the word keys now common."""

    candidates: dict[int, set[int]]  # probe id -> the articles to verify it against (itself left out)
    common: set[int]  # word keys filed under COMMON articles or more: to retire

    def pairs(self) -> set[tuple[int, int]]:
        """The candidates as unordered pairs (smaller id first)."""
        return {(min(a, b), max(a, b)) for a, others in self.candidates.items() for b in others}


def find(probes: Sequence[Probe], lookup: Lookup) -> Found:
    """The candidates of each probe among the articles ``lookup`` holds (the probes themselves
    may be filed there already: articles of one batch find each other)."""
    bands = lookup.band_lookup([key for probe in probes for key in probe.bands])
    hashes = lookup.hash_lookup([probe.content_hash for probe in probes])
    (owners, others, times), common = _shared_words(probes, lookup)
    filed = sorted_unique(others)
    counts = lookup.word_counts(filed.tolist())
    # needed() of every pair at once, from the word keys of each side
    sizes = np.array([counts.get(other, 0) for other in filed.tolist()], np.int64)[np.searchsorted(filed, others)]
    fewer = np.minimum(np.array([len(probe.words) for probe in probes], np.int64)[owners], sizes)
    enough = times >= np.maximum(MIN_WORD_KEYS, np.ceil(SHARE * fewer))
    candidates: dict[int, set[int]] = {probe.id: set() for probe in probes}
    for at, other in zip(owners[enough].tolist(), others[enough].tolist(), strict=True):
        candidates[probes[at].id].add(other)
    for probe in probes:
        found = candidates[probe.id]
        found.update(other for key in probe.bands for other in bands.get(key, ()))
        found.update(hashes.get(probe.content_hash, ()))
        found.discard(probe.id)
    return Found(candidates, common)


def _shared_words(
    probes: Sequence[Probe], lookup: Lookup
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], set[int]]:
    """Three arrays, (probe index, article, word keys they share), of each pair sharing
    :data:`MIN_WORD_KEYS` or more of the keys filed under fewer than :data:`COMMON` articles; and
    the keys filed under that many or more. A batch's probes meet hundreds of thousands of postings: they are counted
    in one pass of a compiled kernel (:func:`provenance.fingerprint.shared_counts`)."""
    wanted = [probe.words.astype(np.int64) for probe in probes]
    probe_keys = np.concatenate(wanted) if wanted else np.empty(0, np.int64)
    owners = np.repeat(np.arange(len(probes)), [len(w) for w in wanted])
    keys, articles = lookup.word_postings(sorted_unique(probe_keys).tolist())
    order = np.argsort(keys, kind="stable")
    keys, articles = keys[order], articles[order]
    filed, first, filed_under = sorted_runs(keys)
    common = {int(key) for key in filed[filed_under >= COMMON]}
    at = np.searchsorted(filed, probe_keys)
    hit = at < len(filed)
    hit[hit] &= filed[at[hit]] == probe_keys[hit]
    hit[hit] &= filed_under[at[hit]] < COMMON
    at, owners = at[hit], owners[hit]
    return shared_counts(owners, first[at], filed_under[at], articles, MIN_WORD_KEYS), common


def needed(keys_a: int, keys_b: int) -> int:
    """The word keys two articles of ``keys_a`` and ``keys_b`` word keys must share to be verified.

    A ``partially`` link needs a fifth of the content bigrams of one text in the other, so about a
    fifth of its word keys; asking for :data:`SHARE` leaves room for the sample's chance."""
    return max(MIN_WORD_KEYS, ceil(SHARE * min(keys_a, keys_b)))


def rows(article_id: int, keys: Iterable[int]) -> list[tuple[int, int]]:
    """(key, article id) rows of an article's keys, as the store files them."""
    return [(int(key), article_id) for key in keys]


def spark_pairs(bands: DataFrame, articles: DataFrame, words: DataFrame) -> DataFrame:
    """The same rule over a whole input at once: pairs ``(a, b)``, ``a < b``, of articles that share
    a band key, a content hash or the word keys of fewer than :data:`COMMON` articles that
    :func:`needed` asks. ``bands`` and ``words``: ``(key, article_id)``; ``articles``: ``(id,
    content_hash, word_keys)``."""
    from pyspark.sql import functions as F

    def self_join(table: DataFrame, key: str, article: str) -> DataFrame:
        one, other = table.alias("one"), table.alias("other")
        joined = one.join(other, F.col(f"one.{key}") == F.col(f"other.{key}"))
        return joined.where(F.col(f"one.{article}") < F.col(f"other.{article}")).select(
            F.col(f"one.{article}").alias("a"), F.col(f"other.{article}").alias("b")
        )

    by_band = self_join(bands, "key", "article_id").distinct()
    by_hash = self_join(articles, "content_hash", "id").distinct()
    filed = words.groupBy("key").agg(F.count("*").alias("filed")).where(F.col("filed") < COMMON).select("key")
    counts = articles.select("id", "word_keys")
    count_a = counts.select(F.col("id").alias("a"), F.col("word_keys").alias("keys_a"))
    count_b = counts.select(F.col("id").alias("b"), F.col("word_keys").alias("keys_b"))
    least = F.least(F.col("keys_a"), F.col("keys_b"))
    by_words = (
        self_join(words.join(filed, "key"), "key", "article_id")
        .groupBy("a", "b")
        .agg(F.count("*").alias("shared"))
        .join(count_a, "a")
        .join(count_b, "b")
        .where(F.col("shared") >= F.greatest(F.lit(MIN_WORD_KEYS), F.ceil(F.lit(SHARE) * least)))
        .select("a", "b")
    )
    return by_band.union(by_hash).union(by_words).distinct()
