"""Compiled (numba) kernels of the fingerprint stage. Pure functions over numpy arrays.

- :func:`normalise_ascii`: the normalised form of ASCII text (lower-case tokens joined by single
  spaces), the same tokens as :func:`provenance.fingerprint.tokenise`'s ASCII rule;
- :func:`shingle_hashes`: XXH32 (seed 0) of every word ``k``-gram of a normalised byte string,
  bit-identical to ``xxhash.xxh32_intdigest``;
- :func:`minhash`: datasketch's ``affine32`` MinHash (MurmurHash3 finaliser, then
  ``a * h + b mod 2**32``) of a set of 32-bit hashes.

Compiled once per installation (``cache=True``); the property tests compare every kernel with the
library it reproduces.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

_P1 = np.uint32(2654435761)
_P2 = np.uint32(2246822519)
_P3 = np.uint32(3266489917)
_P4 = np.uint32(668265263)
_P5 = np.uint32(374761393)
_FMIX1 = np.uint32(0x85EBCA6B)
_FMIX2 = np.uint32(0xC2B2AE35)
_EMPTY = np.uint32(0xFFFFFFFF)
_SPACE = np.uint8(32)


@njit(inline="always")
def _rotl(x: np.uint32, r: int) -> np.uint32:
    return np.uint32((x << np.uint32(r)) | (x >> np.uint32(32 - r)))


@njit(inline="always")
def _read32(buf: np.ndarray, i: int) -> np.uint32:
    return np.uint32(
        np.uint32(buf[i])
        | (np.uint32(buf[i + 1]) << np.uint32(8))
        | (np.uint32(buf[i + 2]) << np.uint32(16))
        | (np.uint32(buf[i + 3]) << np.uint32(24))
    )


@njit(inline="always")
def _round(acc: np.uint32, value: np.uint32) -> np.uint32:
    acc = np.uint32(acc + np.uint32(value * _P2))
    return np.uint32(_rotl(acc, 13) * _P1)


@njit(cache=True)
def xxh32(buf: np.ndarray, start: int, end: int) -> np.uint32:
    """XXH32 with seed 0 of ``buf[start:end]``."""
    return _xxh32_at(buf, _words32(buf), start, end)


@njit(inline="always")
def _words32(buf: np.ndarray) -> np.ndarray:
    """The little-endian 32-bit word at each byte offset of ``buf`` (where four bytes remain)."""
    n = len(buf)
    words = np.empty(n, np.uint32)
    for i in range(n - 3):
        words[i] = _read32(buf, i)
    return words


@njit(inline="always")
def _is_word(c: np.uint8) -> bool:
    return bool((97 <= c <= 122) or (48 <= c <= 57) or c == 95)  # a-z 0-9 _


@njit(cache=True)
def normalise_ascii(src: np.ndarray) -> np.ndarray:
    """Lower-case ASCII tokens of ``src`` joined by single spaces.

    A token is a run of ``[a-z0-9_]`` (after lower-casing) that may continue over an apostrophe or
    a full stop standing between two word characters ("u.s", "russia's").
    """
    n = len(src)
    low = np.empty(n, np.uint8)
    for i in range(n):
        c = src[i]
        low[i] = c + 32 if 65 <= c <= 90 else c
    out = np.empty(n, np.uint8)
    size = 0
    i = 0
    while i < n:
        if not _is_word(low[i]):
            i += 1
            continue
        if size:
            out[size] = _SPACE
            size += 1
        while i < n:
            c = low[i]
            if _is_word(c) or ((c == 39 or c == 46) and i + 1 < n and _is_word(low[i + 1])):
                out[size] = c
                size += 1
                i += 1
            else:
                break
    return out[:size]


@njit(inline="always")
def _xxh32_at(buf: np.ndarray, words: np.ndarray, start: int, end: int) -> np.uint32:
    """:func:`xxh32` of ``buf[start:end]``, reading each 4 bytes from ``words`` (see shingle_hashes)."""
    n = end - start
    i = start
    if n >= 16:
        v1 = np.uint32(_P1 + _P2)
        v2 = _P2
        v3 = np.uint32(0)
        v4 = np.uint32(np.uint32(0) - _P1)
        while i <= end - 16:
            v1 = _round(v1, words[i])
            v2 = _round(v2, words[i + 4])
            v3 = _round(v3, words[i + 8])
            v4 = _round(v4, words[i + 12])
            i += 16
        h = np.uint32(_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18))
    else:
        h = _P5
    h = np.uint32(h + np.uint32(n))
    while i + 4 <= end:
        h = np.uint32(h + np.uint32(words[i] * _P3))
        h = np.uint32(_rotl(h, 17) * _P4)
        i += 4
    while i < end:
        h = np.uint32(h + np.uint32(np.uint32(buf[i]) * _P5))
        h = np.uint32(_rotl(h, 11) * _P1)
        i += 1
    h = np.uint32(h ^ (h >> np.uint32(15)))
    h = np.uint32(h * _P2)
    h = np.uint32(h ^ (h >> np.uint32(13)))
    h = np.uint32(h * _P3)
    return np.uint32(h ^ (h >> np.uint32(16)))


@njit(cache=True)
def shingle_hashes(norm: np.ndarray, k: int) -> np.ndarray:
    """XXH32 of every word ``k``-gram of a normalised byte string, in order; fewer than ``k``
    tokens make one shingle of all of them; no tokens, none.

    The little-endian 32-bit word at each byte offset is read once for the whole text: the
    shingles overlap, and each would read it again."""
    n = len(norm)
    if n == 0:
        return np.empty(0, np.uint32)
    words = _words32(norm)
    starts = np.empty(n // 2 + 1, np.int64)
    count = 1
    starts[0] = 0
    for i in range(n):
        if norm[i] == _SPACE:
            starts[count] = i + 1
            count += 1
    if count <= k:
        out = np.empty(1, np.uint32)
        out[0] = _xxh32_at(norm, words, 0, n)
        return out
    out = np.empty(count - k + 1, np.uint32)
    for s in range(count - k + 1):
        end = starts[s + k] - 1 if s + k < count else n
        out[s] = _xxh32_at(norm, words, starts[s], end)
    return out


@njit(cache=True)
def minhash(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """datasketch's affine32 MinHash of 32-bit hash values with permutations ``(a, b)``."""
    sig = np.full(len(a), _EMPTY, np.uint32)
    for idx in range(len(hashes)):
        h = hashes[idx]
        h = np.uint32(h ^ (h >> np.uint32(16)))
        h = np.uint32(h * _FMIX1)
        h = np.uint32(h ^ (h >> np.uint32(13)))
        h = np.uint32(h * _FMIX2)
        h = np.uint32(h ^ (h >> np.uint32(16)))
        for j in range(len(a)):
            value = np.uint32(a[j] * h + b[j])
            if value < sig[j]:
                sig[j] = value
    return sig


@njit(inline="always")
def _common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Where two sorted arrays of distinct values hold the same values (a merge, no sort): the
    places in ``a``, the places in ``b``, and how many."""
    mine = np.empty(min(len(a), len(b)), np.int64)
    theirs = np.empty(min(len(a), len(b)), np.int64)
    i = j = shared = 0
    while i < len(a) and j < len(b):
        if a[i] < b[j]:
            i += 1
        elif a[i] > b[j]:
            j += 1
        else:
            mine[shared] = i
            theirs[shared] = j
            shared += 1
            i += 1
            j += 1
    return mine, theirs, shared


@njit(cache=True)
def count_common(a: np.ndarray, b: np.ndarray) -> int:
    """The number of values two sorted arrays of distinct values share."""
    return _common(a, b)[2]


@njit(inline="always")
def _lower_bound(ordered: np.ndarray, size: int, value: Any) -> int:
    """The first place among ``ordered[:size]`` (sorted) whose value is not below ``value``."""
    low, high = 0, size
    while low < high:
        middle = (low + high) // 2
        if ordered[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


@njit(cache=True)
def longest_increasing(values: np.ndarray) -> int:
    """The length of the longest strictly increasing subsequence of ``values`` (patience sorting)."""
    tails = np.empty(len(values), values.dtype)
    size = 0
    for value in values:
        low = _lower_bound(tails, size, value)
        tails[low] = value
        if low == size:
            size += 1
    return size


@njit(cache=True)
def align_sentences(
    copy_hashes: np.ndarray, copy_owners: np.ndarray, copy_sizes: np.ndarray,
    source_hashes: np.ndarray, source_owners: np.ndarray, source_sentences: int, least: int, share: float,
) -> tuple[int, int, int]:  # fmt: skip
    """Of a copy's sentences of ``least`` content words or more (each text: its content words
    sorted by hash, with the sentence of each; the copy's sentence sizes), how many there are, how
    many have a source sentence holding ``share`` of their content words (three at least; the
    earliest of the best), and the most of those in the source's order."""
    counted = 0
    for size in copy_sizes:
        if size >= least:
            counted += 1
    order = np.argsort(copy_owners)
    counts = np.zeros(source_sentences + 1, np.int64)
    touched = np.empty(len(source_hashes) + 1, np.int64)
    aligned = np.empty(len(copy_sizes), np.int64)
    found = 0
    k = 0
    n = len(source_hashes)
    while k < len(order):
        sentence = copy_owners[order[k]]
        used = 0
        while k < len(order) and copy_owners[order[k]] == sentence:
            h = copy_hashes[order[k]]
            low = _lower_bound(source_hashes, n, h)
            while low < n and source_hashes[low] == h:
                o = source_owners[low]
                if counts[o] == 0:
                    touched[used] = o
                    used += 1
                counts[o] += 1
                low += 1
            k += 1
        best, best_count = -1, 0
        for t in range(used):
            o = touched[t]
            if counts[o] > best_count or (counts[o] == best_count and o < best):
                best, best_count = o, counts[o]
            counts[o] = 0
        size = copy_sizes[sentence]
        if size >= least and best_count >= 3 and best_count >= share * size:
            aligned[found] = best
            found += 1
    return counted, found, longest_increasing(aligned[:found])


@njit(cache=True)
def in_order(a: np.ndarray, a_first: np.ndarray, b: np.ndarray, b_first: np.ndarray) -> int:
    """Of the values two sorted arrays of distinct values share (each with the first place of each
    value in its text), the most that stand in the same order in both texts."""
    mine, theirs, shared = _common(a, b)
    order = np.argsort(a_first[mine[:shared]], kind="mergesort")
    return longest_increasing(b_first[theirs[:shared]][order])


_CLOSING = np.array(sorted([0x2E, 0x21, 0x3F, 0x61F, 0x6D4, 0x22, 0x27, 0x201D, 0x2019, 0xBB, 0x29, 0x5D]), np.uint32)
_SPACE_CODES = np.array(sorted([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                                0x2028, 0x2029, 0x202F, 0x205F, 0x3000]), np.uint32)  # fmt: skip


@njit(inline="always")
def _in(ordered: np.ndarray, value: Any) -> bool:
    """Whether ``value`` is in ``ordered`` (sorted)."""
    low = _lower_bound(ordered, len(ordered), value)
    return low < len(ordered) and ordered[low] == value


_TABLE_BITS = 11  # slots of a table of function words: 2048, a quarter filled by the 475 shipped


@njit(inline="always")
def _slot(value: Any) -> int:
    return int(((np.uint64(value) * np.uint64(0x9E3779B1)) & np.uint64(0xFFFFFFFF)) >> np.uint64(32 - _TABLE_BITS))


@njit(inline="always")
def _table_of(stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of ``stop`` in an open-addressed table (a look-up a probe or two, where a binary
    search of the sorted values took nine): slots and whether each is taken."""
    size = 1 << _TABLE_BITS
    while size < 2 * len(stop):  # never more than half full
        size *= 2
    slots = np.zeros(size, np.uint32)
    taken = np.zeros(size, np.bool_)
    for value in stop:
        at = _slot(value) & (size - 1)
        while taken[at] and slots[at] != value:
            at = (at + 1) & (size - 1)
        slots[at] = value
        taken[at] = True
    return slots, taken


@njit(inline="always")
def _held(slots: np.ndarray, taken: np.ndarray, value: Any) -> bool:
    at = _slot(value) & (len(slots) - 1)
    while taken[at]:
        if slots[at] == value:
            return True
        at = (at + 1) & (len(slots) - 1)
    return False


@njit(cache=True)
def sentence_ends(codes: np.ndarray) -> np.ndarray:
    """Where each sentence of a text (its code points) ends: after ., !, ? and their kin, and the
    quotes and brackets that close after them, before a space; at a line's end before a space;
    after 。！？."""
    ends = np.empty(len(codes) + 1, np.int64)
    found = 0
    size = len(codes)
    for i in range(size):
        c = codes[i]
        if c == 0x3002 or c == 0xFF01 or c == 0xFF1F:
            at = i + 1
        elif c == 0x0A:
            at = i + 1
            if at >= size or not _in(_SPACE_CODES, codes[at]):
                continue
        elif c == 0x2E or c == 0x21 or c == 0x3F or c == 0x61F or c == 0x6D4:
            at = i + 1
            while at < size and _in(_CLOSING, codes[at]):
                at += 1
            if at >= size or not _in(_SPACE_CODES, codes[at]):
                continue
        else:
            continue
        if found and at <= ends[found - 1]:
            continue
        ends[found] = at
        found += 1
    return ends[:found]


@njit(cache=True)
def sentence_keys(words: np.ndarray, starts: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """A text's content words (``words``: hashed, in order; ``starts``: the first word of each
    sentence; ``stop``: function words' hashes, sorted), in order, each as its hash times 2**32
    plus its sentence."""
    slots, taken = _table_of(stop)
    keys = np.empty(len(words), np.uint64)
    n = 0
    sentence = -1
    for i in range(len(words)):
        while sentence + 1 < len(starts) and starts[sentence + 1] <= i:
            sentence += 1
        if not _held(slots, taken, words[i]):
            keys[n] = (np.uint64(words[i]) << np.uint64(32)) | np.uint64(sentence)
            n += 1
    return keys[:n]


_BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)


@njit(inline="always")
def _bigram(first: Any, second: Any) -> np.uint64:
    """The 32-bit hash of two words (the first's times an odd constant, xor the second's, mixed)."""
    mixed = (np.uint64(first) * _BIGRAM_MIX) ^ np.uint64(second)
    return ((mixed ^ (mixed >> np.uint64(29))) * _BIGRAM_MIX) >> np.uint64(32)


@njit(cache=True)
def story_reading(marked: np.ndarray, mark: np.uint32, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A story text read once (``marked``: its words' hashes in order, ``mark`` between two
    sentences; ``stop``: function words' hashes, sorted): its words, the first word of each
    sentence, and each content bigram (a pair of adjacent words but a pair of two function
    words) in order, as its hash (the first word's times an odd constant, xor the second's,
    mixed) times 2**32 plus the place of its first word."""
    words = np.empty(len(marked), np.uint32)
    starts = np.empty(len(marked) + 1, np.int32)
    starts[0] = 0
    n, s = 0, 1
    for h in marked:
        if h == mark:
            if n > starts[s - 1]:
                starts[s] = n
                s += 1
        else:
            words[n] = h
            n += 1
    while s > 1 and starts[s - 1] >= n:  # a mark after the last word starts no sentence
        s -= 1
    slots, taken = _table_of(stop)
    keys = np.empty(max(n - 1, 0), np.uint64)
    m = 0
    function = _held(slots, taken, words[0]) if n else False
    for i in range(n - 1):
        following = _held(slots, taken, words[i + 1])
        if not (function and following):
            keys[m] = (_bigram(words[i], words[i + 1]) << np.uint64(32)) | np.uint64(i)
            m += 1
        function = following
    return words[:n], starts[:s], keys[:m]


@njit(cache=True)
def paragraph_reading(
    marked: np.ndarray, mark: np.uint32, stop: np.ndarray, paragraphs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A text's content bigrams by paragraph (``marked``: its words' hashes in order, ``mark``
    between two paragraphs; ``stop``: function words' hashes, sorted; ``paragraphs``: how many),
    hashed as :func:`story_reading` hashes them, no pair across a paragraph's end: the paragraph
    of each and the bigram, sorted by paragraph then bigram, each once a paragraph, and each
    paragraph's count of them."""
    slots, taken = _table_of(stop)
    keys = np.empty(len(marked), np.uint64)
    m = 0
    paragraph = 0
    before = np.uint32(0)
    function = False
    started = False  # a word of this paragraph is before the next one
    for h in marked:
        if h == mark:
            paragraph += 1
            started = False
            continue
        following = _held(slots, taken, h)
        if started and not (function and following):
            keys[m] = (np.uint64(paragraph) << np.uint64(32)) | _bigram(before, h)
            m += 1
        before, function, started = h, following, True
    ordered = np.sort(keys[:m])
    owners = np.empty(m, np.int64)
    hashes = np.empty(m, np.uint32)
    counts = np.zeros(paragraphs, np.int64)
    kept = 0
    for i in range(m):
        if i and ordered[i] == ordered[i - 1]:
            continue
        owners[kept] = np.int64(ordered[i] >> np.uint64(32))
        hashes[kept] = np.uint32(ordered[i] & np.uint64(0xFFFFFFFF))
        counts[owners[kept]] += 1
        kept += 1
    return owners[:kept], hashes[:kept], counts


@njit(cache=True)
def word_counts(codes: np.ndarray, kinds: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The words of each part of a text (``codes``: its code points, all in Unicode's first
    plane; ``kinds``: each such code point's kind, 2 a letter or digit, 1 a character a word
    goes on over (``_ ' ’ . -``), 0 any other; ``ends``: where each part ends, a character of
    kind 0 after each but the last): a word is a run of kinds 1 and 2 that holds a 2, which
    is what ``[^\\W_][\\w'’.-]*`` finds once a run."""
    counts = np.zeros(len(ends), np.int64)
    part = 0
    counted = False  # whether the run at hand holds a letter or digit yet
    for i in range(len(codes)):
        while part < len(ends) - 1 and ends[part] <= i:
            part += 1
        kind = kinds[codes[i]]
        if kind == 0:
            counted = False
        elif kind == 2 and not counted:
            counts[part] += 1
            counted = True
    return counts


@njit(cache=True)
def seed_runs(
    copy: np.ndarray, source: np.ndarray, copy_keys: np.ndarray, keys: np.ndarray, places: np.ndarray,
    seed: int, tries: int,
) -> np.ndarray:  # fmt: skip
    """Maximal runs of equal words (copy place, source place, length) in the copy's order: each
    seeded at a copy place whose ``seed`` words stand in the source too (``copy_keys``: the key of
    the seed at each copy place; ``keys``: the source's, sorted, with ``places``, each key's place,
    in order), extended while the words agree, the longest of the first ``tries`` places found."""
    runs = np.empty((len(copy_keys), 3), np.int64)
    found = 0
    i = 0
    while i < len(copy_keys):
        key = copy_keys[i]
        k = _lower_bound(keys, len(keys), key)
        best, best_length, seen = 0, 0, 0
        while k < len(keys) and keys[k] == key and seen < tries:
            j = places[k]
            k += 1
            same = True
            for d in range(seed):
                if copy[i + d] != source[j + d]:
                    same = False
                    break
            if not same:  # two seeds of one key
                continue
            seen += 1
            length = seed
            while i + length < len(copy) and j + length < len(source) and copy[i + length] == source[j + length]:
                length += 1
            if length > best_length:
                best, best_length = j, length
        if best_length:
            runs[found, 0], runs[found, 1], runs[found, 2] = i, best, best_length
            found += 1
            i += best_length
        else:
            i += 1
    return runs[:found]


@njit(cache=True)
def dfa_visits(
    moves: np.ndarray, rows: np.ndarray, outputs: np.ndarray, data: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The features a byte automaton emits walking ``data`` (a language model's byte n-grams, see
    :mod:`provenance.extract.language`: from state 0, each byte moves to ``moves[rows[state] +
    byte]``, and a state whose ``outputs`` is not negative emits it), each once, in the order
    they are first emitted, with how many times each is (as float32)."""
    found = np.empty(len(data), np.int64)
    count = 0
    state = 0
    for byte in data:
        state = moves[rows[state] + byte]
        feature = outputs[state]
        if feature >= 0:
            found[count] = feature
            count += 1
    found = found[:count]
    order = np.argsort(found, kind="mergesort")  # stable: a feature's places in the order emitted
    firsts = np.empty(count, np.int64)
    times = np.empty(count, np.float32)
    groups = 0
    i = 0
    while i < count:
        j = i + 1
        while j < count and found[order[j]] == found[order[i]]:
            j += 1
        firsts[groups] = order[i]
        times[groups] = j - i
        groups += 1
        i = j
    by_first = np.argsort(firsts[:groups])
    return found[firsts[:groups][by_first]], times[:groups][by_first]


@njit(cache=True)
def shared_counts(
    owners: np.ndarray, starts: np.ndarray, lengths: np.ndarray, articles: np.ndarray, least: int, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each owner (nondecreasing: a probe's keys together), the articles its keys' postings
    hold ``least`` times or more: (owner, article, times), by owner then article. Each key
    ``k`` owns the postings ``articles[starts[k] : starts[k] + lengths[k]]``. Counted in
    ``counts``, no sort of the postings: zeros, one an article at least (unchecked), zeros again
    when it returns (a caller keeps it for the next call: a trace's one probe cleared 8 MB of a
    new one for a million articles, more time than its counting)."""
    total = 0
    for length in lengths:
        total += length
    touched = np.empty(total, np.int64)
    found_owner = np.empty(total, np.int64)
    found_article = np.empty(total, np.int64)
    found_times = np.empty(total, np.int64)
    found = 0
    k = 0
    while k < len(owners):
        owner = owners[k]
        used = 0
        while k < len(owners) and owners[k] == owner:
            for p in range(starts[k], starts[k] + lengths[k]):
                article = articles[p]
                if counts[article] == 0:
                    touched[used] = article
                    used += 1
                counts[article] += 1
            k += 1
        for article in np.sort(touched[:used]):
            if counts[article] >= least:
                found_owner[found], found_article[found], found_times[found] = owner, article, counts[article]
                found += 1
            counts[article] = 0
    return found_owner[:found], found_article[:found], found_times[:found]


_TOKEN_BASE = np.uint64(0x9E3779B97F4A7C15)  # see provenance._portable.token_hashes


@njit(cache=True)
def token_spans(kinds: np.ndarray, folded: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A text's tokens (``kinds``: each character's, 0 none, 1 part of a run of word characters, 2
    a token by itself), as their first and past-the-end places, and each one's hash over
    ``folded`` (the text's code points case folded, where folding kept every offset; else empty,
    and so are the hashes): the polynomial of :func:`provenance._portable.token_hashes`, bit for
    bit, in one pass."""
    size = len(kinds)
    starts = np.empty(size, np.int64)
    ends = np.empty(size, np.int64)
    hashing = len(folded) == size
    hashes = np.empty(size if hashing else 0, np.uint64)
    found = 0
    i = 0
    while i < size:
        kind = kinds[i]
        if kind == 0:
            i += 1
            continue
        start = i
        i += 1
        if kind == 1:
            while i < size and kinds[i] == 1:
                i += 1
        starts[found] = start
        ends[found] = i
        if hashing:
            value = np.uint64(0)
            power = np.uint64(1)
            for at in range(start, i):
                value += np.uint64(folded[at]) * power
                power *= _TOKEN_BASE
            hashes[found] = _splitmix(value ^ (np.uint64(i - start) << np.uint64(56)))
        found += 1
    return starts[:found], ends[:found], hashes[:found] if hashing else hashes


_TERMINATORS = np.array(sorted([0x21, 0x2E, 0x3F, 0x61F, 0x6D4]), np.uint32)  # . ! ? and their kin
_CLOSERS = np.array(sorted([0x22, 0x27, 0x29, 0x5D, 0xBB, 0x2019, 0x201D]), np.uint32)  # quotes, brackets
_PY_SPACES = np.array([0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000], np.uint32)


@njit(inline="always")
def _is_space(c: Any) -> bool:
    """Whether a code point is whitespace as Python's ``str.isspace`` (and ``\\s``) reads it."""
    if c <= 0x20:
        return bool(c == 0x20 or 0x09 <= c <= 0x0D or 0x1C <= c <= 0x1F)
    return c >= 0x85 and _in(_PY_SPACES, c)


@njit(cache=True)
def sentence_spans(codes: np.ndarray) -> np.ndarray:
    """Each sentence of a text (its code points) as (start, end): from a character that is no
    space to the first end after it (a run of . ! ? and their kin with the quotes and brackets
    closing it, before a space or the text's end; 。！？; a paragraph break; the text's end), its
    trailing spaces left out. What :func:`provenance._portable.sentence_spans` reads with regular
    expressions, one search a sentence."""
    size = len(codes)
    spans = np.empty((size, 2), np.int64)
    found = 0
    at = 0
    while True:
        start = at
        while start < size and _is_space(codes[start]):
            start += 1
        if start >= size:
            break
        end = size
        i = start + 1
        while i < size:
            c = codes[i]
            if _in(_TERMINATORS, c):
                j = i + 1
                while j < size and _in(_TERMINATORS, codes[j]):
                    j += 1
                while j < size and _in(_CLOSERS, codes[j]):
                    j += 1
                if j >= size or _is_space(codes[j]):
                    end = j
                    break
            elif c == 0x3002 or c == 0xFF01 or c == 0xFF1F:
                end = i + 1
                break
            elif c == 0x0A and i + 1 < size and codes[i + 1] == 0x0A:
                end = i + 2
                break
            i += 1
        at = end
        while _is_space(codes[end - 1]):
            end -= 1
        spans[found, 0], spans[found, 1] = start, end
        found += 1
    return spans[:found]


@njit(inline="always")
def _splitmix(value: Any) -> np.uint64:
    value = (value ^ (value >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    value = (value ^ (value >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return value ^ (value >> np.uint64(31))  # type: ignore[no-any-return]


@njit(cache=True)
def gram_keys(hashes: np.ndarray, size: int) -> np.ndarray:
    """The key of the ``size`` words starting at each place of a text (``hashes``: its words'), as
    many as places they fit at: the first word's hash, mixed (splitmix64's finaliser) and xored
    with the next, and so on."""
    count = max(0, len(hashes) - size + 1)
    keys = np.empty(count, np.uint64)
    for i in range(count):
        key = hashes[i]
        for d in range(1, size):
            key = _splitmix(key) ^ hashes[i + d]
        keys[i] = key
    return keys
