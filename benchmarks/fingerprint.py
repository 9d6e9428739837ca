"""Fingerprint stage against datasketch's default path, side by side on the same texts.

    python -m benchmarks.fingerprint [--articles N] [--repeat R]

Both sides start from the article text and end with a 128-value MinHash signature:
- datasketch default: tokenise and shingle as provenance does, then ``MinHash(num_perm=128)`` and
  ``update_batch`` of the shingle bytes with its default sha1 hash;
- provenance, the stage: ``provenance.fingerprint.signature`` (normalise, shingle, xxh32 of every
  shingle, affine32 MinHash, compiled);
- provenance, all that ingest computes of a text: ``provenance.fingerprint.fingerprint`` (the
  signature, and besides it the sorted shingle set that verification uses and the content hash).
It also checks, on every text, that provenance's signature equals datasketch's with the same
hash function (``hashfunc=xxhash.xxh32_intdigest``). Prints medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import datasketch
import numpy as np
import xxhash

from provenance.fingerprint import DEFAULT_PARAMS, fingerprint, shingle_bytes, signature, tokenise

from .corpus import articles


def datasketch_default(text: str) -> np.ndarray:
    sketch = datasketch.MinHash(num_perm=128)
    sketch.update_batch(shingle_bytes(tokenise(text), DEFAULT_PARAMS.shingle_size))
    return sketch.hashvalues


def ours(text: str) -> np.ndarray:
    return signature(text, DEFAULT_PARAMS)


def ours_whole(text: str) -> np.ndarray:
    return fingerprint(text, DEFAULT_PARAMS).signature


def timed(fn: object, texts: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            fn(text)  # type: ignore[operator]
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = articles(args.articles)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(texts)} generated articles, {words / len(texts):.0f} words each on average")

    for text in texts:
        reference = datasketch.MinHash(num_perm=128, seed=DEFAULT_PARAMS.seed, hashfunc=xxhash.xxh32_intdigest)
        reference.update_batch(shingle_bytes(tokenise(text), DEFAULT_PARAMS.shingle_size))
        if not np.array_equal(reference.hashvalues, ours(text)):
            raise SystemExit("signature differs from datasketch's with the same hash function")
    print(f"signatures equal to datasketch MinHash(hashfunc=xxh32_intdigest): {len(texts)}/{len(texts)}")

    for text in texts[:20]:  # compile, and load what is cached, before the clock starts
        ours(text)
        ours_whole(text)
    base = timed(datasketch_default, texts, args.repeat)
    mine = timed(ours, texts, args.repeat)
    whole = timed(ours_whole, texts, args.repeat)
    print(f"datasketch default (sha1, update_batch):      {len(texts) / base:8.0f} articles/s")
    print(f"provenance signature (the same stage):        {len(texts) / mine:8.0f} articles/s  {base / mine:5.1f}x")
    print(f"provenance fingerprint (+ shingle set, hash): {len(texts) / whole:8.0f} articles/s  {base / whole:5.1f}x")
    print(f"ratio: {base / mine:.1f}x (median of {args.repeat} runs, measured side by side)")


if __name__ == "__main__":
    main()
