"""A filter of the keys a key table holds (a Bloom filter): it says a key is absent for most keys
the table does not hold, and never for one it holds.

Each article's band keys and word keys are looked up in the key tables (``bands``, ``postings``),
and many of those searches find nothing (at 300,000 articles, nearly every band key and half of
the word keys): an article's band keys are its own unless it copies a story, and the copies of a
story mostly come close after it, while its keys are still held in memory (see
:meth:`provenance.store.Store.add_indexes`). Each search that finds nothing reads a page of a
table as one that finds something does; the filter spares nearly all of them for a byte or two a
key (see docs/speed.md, "What the key tables are asked for nothing").

The keys are hashes already, but word keys are sampled by their low bits
(:func:`provenance.candidates.word_keys`), so each probe multiplies the key by an odd constant
and takes the product's high bits (Fibonacci hashing): every bit of a key moves them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

BITS_PER_KEY = 8  # bits a filter is made with for each key it will hold (8-16 as sizes go: 1-5% false hits)
_FULL = 4  # bits a key below which a filter is full, and made again larger (at 4, 15% false hits)
_PROBES = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F))  # odd: each a bit a key
_SMALLEST = 1 << 16  # bits
_ONES = np.array([bin(byte).count("1") for byte in range(256)], np.uint8)  # the bits set in each byte
_SLICE = 1 << 20  # bytes counted at a time
_ADDED = 1 << 18  # keys added at a time


class Presence:
    """A Bloom filter of 64-bit keys (signed or not), its size a power of two."""

    def __init__(self, bits: np.ndarray) -> None:
        size = len(bits) * 8
        if size < _SMALLEST or size & (size - 1) or bits.dtype != np.uint8:
            raise ValueError(f"a filter is a power of two bytes, at least {_SMALLEST // 8}: {len(bits)} given")
        self.bits = bits
        self._shift = np.uint64(64 - size.bit_length() + 1)

    @classmethod
    def for_keys(cls, count: int) -> Presence:
        """An empty filter for about ``count`` keys."""
        size = max(_SMALLEST, 1 << math.ceil(math.log2(max(count, 1) * BITS_PER_KEY)))
        return cls(np.zeros(size // 8, np.uint8))

    @property
    def size(self) -> int:
        """Its bits."""
        return len(self.bits) * 8

    def _places(self, keys: np.ndarray) -> list[np.ndarray]:
        as_unsigned = np.asarray(keys).astype(np.int64, copy=False).view(np.uint64)
        return [(as_unsigned * probe) >> self._shift for probe in _PROBES]

    def add(self, keys: Iterable[int] | np.ndarray) -> None:
        """Add ``keys``, a slice at a time: a fold's millions of keys take a few megabytes here,
        not the 32 bytes a key their places and bits would."""
        keys = np.fromiter(keys, np.int64) if not isinstance(keys, np.ndarray) else keys
        for at in range(0, len(keys), _ADDED):
            for place in self._places(keys[at : at + _ADDED]):
                bit = np.left_shift(np.uint8(1), (place & np.uint64(7)).astype(np.uint8))
                np.bitwise_or.at(self.bits, place >> np.uint64(3), bit)

    def may_hold(self, keys: np.ndarray) -> np.ndarray:
        """For each of ``keys``: False where the filter knows it absent."""
        held = np.ones(len(keys), bool)
        for place in self._places(keys):
            held &= (self.bits[place >> np.uint64(3)] >> (place & np.uint64(7)).astype(np.uint8)) & 1 == 1
        return held

    def keys_held(self) -> float:
        """An estimate of the distinct keys added, from the share of bits set."""
        slices = (self.bits[at : at + _SLICE] for at in range(0, len(self.bits), _SLICE))
        share = sum(int(_ONES[part].sum(dtype=np.int64)) for part in slices) / self.size
        if share >= 1.0:
            return math.inf
        return -self.size / len(_PROBES) * math.log1p(-share)

    def full(self) -> bool:
        """Whether it holds too many keys for its size to tell most absent keys (make a larger one)."""
        return self.keys_held() * _FULL > self.size
