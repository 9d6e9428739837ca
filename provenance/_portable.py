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
from bisect import bisect_left
from collections import Counter

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


def count_common(a: np.ndarray, b: np.ndarray) -> int:
    """The number of values two sorted arrays of distinct values share."""
    return int(np.intersect1d(a, b, assume_unique=True).size)


def longest_increasing(values: np.ndarray) -> int:
    """The length of the longest strictly increasing subsequence of ``values`` (patience sorting)."""
    tails: list[int] = []
    for value in values.tolist():
        i = bisect_left(tails, value)
        if i == len(tails):
            tails.append(value)
        else:
            tails[i] = value
    return len(tails)


def align_sentences(
    copy_hashes: np.ndarray, copy_owners: np.ndarray, copy_sizes: np.ndarray,
    source_hashes: np.ndarray, source_owners: np.ndarray, source_sentences: int, least: int, share: float,
) -> tuple[int, int, int]:  # fmt: skip
    """See :func:`._kernels.align_sentences`."""
    counted = int((copy_sizes >= least).sum())
    if counted == 0 or len(source_hashes) == 0:
        return counted, 0, 0
    low = np.searchsorted(source_hashes, copy_hashes, "left")
    repeats = np.searchsorted(source_hashes, copy_hashes, "right") - low
    total = int(repeats.sum())
    if total == 0:
        return counted, 0, 0
    copy_sentence = np.repeat(copy_owners.astype(np.int64), repeats)
    at = np.repeat(low - np.cumsum(repeats) + repeats, repeats) + np.arange(total)
    width = np.int64(source_sentences + 1)
    pairs, counts = np.unique(copy_sentence * width + source_owners[at], return_counts=True)
    first, second = pairs // width, pairs % width
    order = np.lexsort((second, -counts, first))  # the best source sentence of each, the earliest of ties
    first, second, counts = first[order], second[order], counts[order]
    best = np.flatnonzero(np.concatenate(([True], first[1:] != first[:-1])))
    first, second, counts = first[best], second[best], counts[best]
    keep = (copy_sizes[first] >= least) & (counts >= 3) & (counts >= share * copy_sizes[first])
    return counted, int(keep.sum()), longest_increasing(second[keep])


def in_order(a: np.ndarray, a_first: np.ndarray, b: np.ndarray, b_first: np.ndarray) -> int:
    """See :func:`._kernels.in_order`."""
    _, i, j = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    order = np.argsort(a_first[i], kind="stable")
    return longest_increasing(b_first[j][order])


_CLOSING = frozenset(".!?\u061f\u06d4\"'\u201d\u2019\u00bb)]")
_SPACES = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}
_ENDS = re.compile("[.!?\u061f\u06d4\n\u3002\uff01\uff1f]")


def sentence_ends(codes: np.ndarray) -> np.ndarray:
    """See :func:`._kernels.sentence_ends`."""
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    ends: list[int] = []
    size = len(text)
    for found in _ENDS.finditer(text):
        at = found.end()
        mark = text[at - 1]
        if mark not in "\u3002\uff01\uff1f":
            if mark != "\n":
                while at < size and text[at] in _CLOSING:
                    at += 1
            if at >= size or text[at] not in _SPACES:
                continue
        if ends and at <= ends[-1]:
            continue
        ends.append(at)
    return np.array(ends, np.int64)


_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)


def _bigrams(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """See :func:`._kernels._bigram`: each pair's hash, as a 64-bit value under 2**32."""
    with np.errstate(over="ignore"):
        mixed = (first.astype(np.uint64) * _BIGRAM_MIX) ^ second.astype(np.uint64)
        return ((mixed ^ (mixed >> np.uint64(29))) * _BIGRAM_MIX) >> np.uint64(32)


def story_reading(marked: np.ndarray, mark: np.uint32, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """See :func:`._kernels.story_reading`."""
    marks = marked == mark
    words = marked[~marks].astype(np.uint32)
    after = np.flatnonzero(marks) - np.arange(int(marks.sum()))
    starts = np.unique(np.concatenate(([0], after[after < len(words)]))).astype(np.int32)
    if len(words) < 2:
        return words, starts, np.empty(0, np.uint64)
    function = np.isin(words, stop)
    keep = ~(function[:-1] & function[1:])
    hashes = _bigrams(words[:-1][keep], words[1:][keep])
    return words, starts, (hashes << np.uint64(32)) | np.flatnonzero(keep).astype(np.uint64)


def paragraph_reading(
    marked: np.ndarray, mark: np.uint32, stop: np.ndarray, paragraphs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """See :func:`._kernels.paragraph_reading`."""
    marks = marked == mark
    words = marked[~marks].astype(np.uint32)
    owner_of = np.cumsum(marks)[~marks]  # the paragraph of each word
    if len(words) < 2:
        return np.empty(0, np.int64), np.empty(0, np.uint32), np.zeros(paragraphs, np.int64)
    function = np.isin(words, stop)
    keep = ~(function[:-1] & function[1:]) & (owner_of[:-1] == owner_of[1:])
    hashes = _bigrams(words[:-1][keep], words[1:][keep])
    keys = np.unique((owner_of[:-1][keep].astype(np.uint64) << np.uint64(32)) | hashes)
    owners = (keys >> np.uint64(32)).astype(np.int64)
    return owners, (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), np.bincount(owners, minlength=paragraphs)


def word_counts(codes: np.ndarray, kinds: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """See :func:`._kernels.word_counts`."""
    kind = kinds[codes]
    run = np.cumsum(kind == 0)  # the runs, told apart by the characters of kind 0 before them
    letters = np.flatnonzero(kind == 2)
    first = letters[np.unique(run[letters], return_index=True)[1]]  # each run's first letter or digit
    part = np.minimum(np.searchsorted(ends, first, side="right"), max(len(ends) - 1, 0))
    return np.bincount(part, minlength=len(ends)).astype(np.int64)


def sentence_keys(words: np.ndarray, starts: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """See :func:`._kernels.sentence_keys`."""
    sentence = np.searchsorted(starts, np.arange(len(words)), side="right") - 1
    content = ~np.isin(words, stop)
    return (words[content].astype(np.uint64) << np.uint64(32)) | sentence[content].astype(np.uint64)


def seed_runs(
    copy: np.ndarray, source: np.ndarray, copy_keys: np.ndarray, keys: np.ndarray, places: np.ndarray,
    seed: int, tries: int,
) -> np.ndarray:  # fmt: skip
    """Maximal runs of equal words in the copy's order (see :func:`._kernels.seed_runs`)."""
    mine, theirs, wanted = copy.tolist(), source.tolist(), copy_keys.tolist()
    ordered, at = keys.tolist(), places.tolist()
    runs = []
    i = 0
    while i < len(wanted):
        k = bisect_left(ordered, wanted[i])
        best, best_length, seen = 0, 0, 0
        while k < len(ordered) and ordered[k] == wanted[i] and seen < tries:
            j = at[k]
            k += 1
            if mine[i : i + seed] != theirs[j : j + seed]:  # two seeds of one key
                continue
            seen += 1
            length = seed
            while i + length < len(mine) and j + length < len(theirs) and mine[i + length] == theirs[j + length]:
                length += 1
            if length > best_length:
                best, best_length = j, length
        if best_length:
            runs.append((i, best, best_length))
            i += best_length
        else:
            i += 1
    return np.array(runs, np.int64).reshape(-1, 3)


def dfa_visits(
    moves: np.ndarray, rows: np.ndarray, outputs: np.ndarray, data: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """See :func:`._kernels.dfa_visits`."""
    visits: Counter[int] = Counter()
    state = 0
    for byte in data.tolist():
        state = int(moves[rows[state] + byte])
        feature = int(outputs[state])
        if feature >= 0:
            visits[feature] += 1
    return (
        np.fromiter(visits.keys(), np.int64, len(visits)),
        np.fromiter(visits.values(), np.float32, len(visits)),
    )


def shared_counts(
    owners: np.ndarray, starts: np.ndarray, lengths: np.ndarray, articles: np.ndarray, least: int, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each owner, the articles its keys' postings hold ``least`` times or more (see
    :func:`._kernels.shared_counts`), counted over every (owner, posting) pair at once (``counts``
    is not needed: it is left as it is)."""
    lengths = lengths.astype(np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    pairs = (np.repeat(owners, lengths).astype(np.int64) << 32) | articles[offsets].astype(np.int64)
    found, times = np.unique(pairs, return_counts=True)
    enough = times >= least
    found, times = found[enough], times[enough]
    return found >> 32, found & 0xFFFFFFFF, times.astype(np.int64)


_TOKEN_BASE = 0x9E3779B97F4A7C15  # odd: its powers have inverses modulo 2**64
_TOKEN_INVERSE = pow(_TOKEN_BASE, -1, 1 << 64)
_powers = (np.ones(1, np.uint64), np.ones(1, np.uint64))  # _TOKEN_BASE**m and _TOKEN_INVERSE**m, grown as texts need
_KEPT_POWERS = 1 << 20  # powers kept for the next text (16 MB); a longer text's are made for it alone


def _powers_to(size: int) -> tuple[np.ndarray, np.ndarray]:
    global _powers
    if len(_powers[0]) >= size:
        return _powers
    grown = max(size, min(2 * len(_powers[0]), _KEPT_POWERS))
    with np.errstate(over="ignore"):
        made = tuple(
            np.concatenate(([np.uint64(1)], np.cumprod(np.full(grown - 1, base, np.uint64))))
            for base in (_TOKEN_BASE, _TOKEN_INVERSE)
        )
    if grown <= _KEPT_POWERS:
        _powers = made  # type: ignore[assignment]
    return made  # type: ignore[return-value]


def token_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each token ``codes[start:end]``: a polynomial over its code points (from
    prefix sums, so all at once), mixed. Equal tokens hash alike in any text and any process."""
    powers, inverses = _powers_to(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(codes.astype(np.uint64) * powers[: len(codes)], out=prefix[1:])
        value = (prefix[ends] - prefix[starts]) * inverses[starts]
        value ^= (ends - starts).astype(np.uint64) << np.uint64(56)
    return _splitmix(value)


def token_spans(kinds: np.ndarray, folded: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """See :func:`._kernels.token_spans`."""
    run, single = kinds == 1, kinds == 2
    before, after = np.zeros(len(run), bool), np.zeros(len(run), bool)
    before[1:], after[:-1] = run[:-1], run[1:]
    starts = np.flatnonzero(single | (run & ~before))
    ends = np.flatnonzero(single | (run & ~after)) + 1
    hashes = token_hashes(folded, starts, ends) if len(folded) == len(kinds) else np.empty(0, np.uint64)
    return starts, ends, hashes


_SENTENCE_END = re.compile(r"[.!?؟۔]+[\"'”’»)\]]*(?=\s|$)|[。！？]|\n\n")
_NOT_SPACE = re.compile(r"\S")


def sentence_spans(codes: np.ndarray) -> np.ndarray:
    """See :func:`._kernels.sentence_spans`."""
    text = codes.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    spans = []
    at = 0
    while (first := _NOT_SPACE.search(text, at)) is not None:
        start = first.start()
        found = _SENTENCE_END.search(text, start + 1)
        at = len(text) if found is None else found.end()
        spans.append((start, start + len(text[start:at].rstrip())))
    return np.array(spans, np.int64).reshape(-1, 2)


def _splitmix(value: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of a value moves every bit of its hash."""
    with np.errstate(over="ignore"):
        value = (value ^ (value >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        value = (value ^ (value >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        mixed: np.ndarray = value ^ (value >> np.uint64(31))
        return mixed


def gram_keys(hashes: np.ndarray, size: int) -> np.ndarray:
    """See :func:`._kernels.gram_keys`."""
    count = max(0, len(hashes) - size + 1)
    keys = hashes[:count].copy()
    for d in range(1, size):
        keys = _splitmix(keys) ^ hashes[d : d + count]
    return keys
