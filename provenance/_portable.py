"""The fingerprint stage's kernels in xxhash and numpy: bit for bit what :mod:`._kernels` computes.

:mod:`._kernels` is compiled by numba, whose start-up (importing it, initialising its code
generator, loading the cached machine code) costs a process about 0.7 s of CPU; these cost
nothing to load and 1-2 ms more an article. A process uses them until it has fingerprinted
enough texts for the compiled ones to pay for themselves (see
:func:`provenance.fingerprint.load_compiled`), so that ``provenance trace`` of one article
answers in a fraction of a second. The property tests hold each of them to its compiled twin.
"""

from __future__ import annotations

import re

import numpy as np
import xxhash

_WORD = re.compile(rb"[a-z0-9_]+(?:['.][a-z0-9_]+)*")
_EMPTY = np.uint32(0xFFFFFFFF)
_CHUNK = 2048  # hashes a MinHash takes at once: num_perm x _CHUNK values in memory


def normalise_ascii(src: np.ndarray) -> np.ndarray:
    """Lower-case ASCII tokens of ``src`` joined by single spaces (see :func:`._kernels.normalise_ascii`)."""
    return np.frombuffer(b" ".join(_WORD.findall(src.tobytes().lower())), np.uint8)


def shingle_hashes(norm: np.ndarray, k: int) -> np.ndarray:
    """XXH32 of every word ``k``-gram of a normalised byte string (see :func:`._kernels.shingle_hashes`)."""
    text = norm.tobytes()
    if not text:
        return np.empty(0, np.uint32)
    spaces = np.flatnonzero(norm == 32).tolist()
    if len(spaces) < k:
        return np.array([xxhash.xxh32_intdigest(text)], np.uint32)
    starts = [0, *(s + 1 for s in spaces)]
    ends = [*spaces, len(text)]
    digest = xxhash.xxh32_intdigest
    return np.array([digest(text[starts[s] : ends[s + k - 1]]) for s in range(len(starts) - k + 1)], np.uint32)


def minhash(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """datasketch's affine32 MinHash of 32-bit hash values (see :func:`._kernels.minhash`)."""
    sig = np.full(len(a), _EMPTY, np.uint32)
    h = hashes.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    for start in range(0, len(h), _CHUNK):
        values = a[:, None] * h[None, start : start + _CHUNK] + b[:, None]  # uint32: wraps modulo 2**32
        np.minimum(sig, values.min(axis=1), out=sig)
    return sig


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted."""
    return np.unique(values)


def count_common(a: np.ndarray, b: np.ndarray) -> int:
    """The number of values two sorted arrays of distinct values share."""
    return int(np.intersect1d(a, b, assume_unique=True).size)
