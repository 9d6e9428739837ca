"""Normalise, tokenise, shingle, hash and sketch article text.

The signature of a text is, value for value, what ``datasketch.MinHash(num_perm, seed=seed,
hashfunc=xxhash.xxh32_intdigest)`` holds after ``update_batch`` of the text's shingles (the
``affine32`` scheme of datasketch 2.x). It is computed by compiled kernels (:mod:`._kernels`) in
one pass over the normalised text, or, until a process has fingerprinted enough texts to pay for
loading those, by their portable twins (:mod:`._portable`, see :data:`PORTABLE_TEXTS`); property
tests hold both to datasketch and xxhash.

Shingles are word ``k``-grams of the normalised token stream, encoded as UTF-8 with the tokens
joined by single spaces: ``b"the u.s. used a round"`` for ``k = 5``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt
import xxhash

from . import _portable
from ._lazy import lazy_module

if TYPE_CHECKING:
    from . import _kernels
else:  # numba is loaded (0.7 s of CPU) once a process has fingerprinted enough texts to pay for it
    _kernels = lazy_module("provenance._kernels")

NORMALISER_VERSION = "1"
"""Bumped whenever :func:`normalise` or :func:`tokenise` change what they produce."""

SCHEME = "affine32"
HASHFUNC = "xxh32_intdigest"

U32 = npt.NDArray[np.uint32]

PORTABLE_TEXTS = 500
"""Texts a process normalises with the portable kernels (:mod:`._portable`: xxhash and numpy)
before it loads the compiled ones (:mod:`._kernels`). Both compute the same values bit for bit;
the compiled ones save 1-2 ms an article (its fingerprint and profile: two normalisations) and
cost about 0.7 s of CPU to load, which 250 articles repay. A command that fingerprints a few
texts (``provenance trace`` of one article) never loads them."""


class _Kernels(Protocol):
    """What :mod:`._kernels` and :mod:`._portable` both provide."""

    def normalise_ascii(self, src: np.ndarray) -> np.ndarray: ...
    def shingle_hashes(self, norm: np.ndarray, k: int) -> np.ndarray: ...
    def minhash(self, hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray: ...
    def count_common(self, a: np.ndarray, b: np.ndarray) -> int: ...
    def longest_increasing(self, values: np.ndarray) -> int: ...
    def align_sentences(self, *arrays: Any) -> tuple[int, int, int]: ...
    def in_order(self, a: np.ndarray, a_first: np.ndarray, b: np.ndarray, b_first: np.ndarray) -> int: ...
    def sentence_ends(self, codes: np.ndarray) -> np.ndarray: ...
    def sentence_keys(self, words: np.ndarray, starts: np.ndarray, stop: np.ndarray) -> np.ndarray: ...
    def story_reading(self, marked: np.ndarray, mark: np.uint32, stop: np.ndarray) -> tuple[Any, Any, Any]: ...
    def paragraph_reading(
        self, marked: np.ndarray, mark: np.uint32, stop: np.ndarray, paragraphs: int
    ) -> tuple[Any, Any, Any]: ...
    def seed_runs(self, *arrays: Any) -> np.ndarray: ...
    def word_counts(self, codes: np.ndarray, kinds: np.ndarray, ends: np.ndarray) -> np.ndarray: ...
    def token_spans(self, kinds: np.ndarray, folded: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
    def sentence_spans(self, codes: np.ndarray) -> np.ndarray: ...
    def gram_keys(self, hashes: np.ndarray, size: int) -> np.ndarray: ...
    def shared_counts(self, *arrays: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
    def dfa_visits(
        self, moves: np.ndarray, rows: np.ndarray, outputs: np.ndarray, data: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]: ...


_active: _Kernels = _portable
_texts = 0


def load_compiled() -> None:
    """Fingerprint with the compiled kernels from now on (a process that will fingerprint many
    texts, or that must answer each quickly once warm, loads them up front)."""
    global _active
    _active = _kernels


def _counted() -> _Kernels:
    """The kernels to fingerprint the next text with (counting it)."""
    global _texts
    if _active is _portable:
        _texts += 1
        if _texts > PORTABLE_TEXTS:
            load_compiled()
    return _active


# Punctuation that news text carries outside ASCII: folded before the ASCII fast path.
_APOSTROPHES = ("\u2018", "\u2019", "\u02bc", "\u2032")
_SPACES = ("\u2013", "\u2014", "\u201c", "\u201d", "\u00a0", "\u2026", "\u00ab", "\u00bb")
# Scripts written without spaces between words: each character (with its marks) is a token.
_UNSPACED = (
    "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_HAS_UNSPACED = re.compile(f"[{_UNSPACED}]")
_ASCII_WORD = re.compile(r"[a-z0-9_]+(?:['.][a-z0-9_]+)*")


def _mark_ranges() -> str:
    """A character class of the combining marks (Mn, Mc, Me) of the Basic Multilingual Plane."""
    ranges: list[str] = []
    start = prev = -2
    for code in range(0x300, 0x10000):  # supplementary-plane marks would make the class slow
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if code != prev + 1:
            if start >= 0:
                ranges.append(f"{chr(start)}-{chr(prev)}")
            start = code
        prev = code
    ranges.append(f"{chr(start)}-{chr(prev)}")
    return "".join(ranges)


@cache
def _unicode_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Built on the first non-ASCII text: a word is letters, digits and combining marks."""
    char = f"[\\w{_mark_ranges()}]"
    word = re.compile(f"{char}+(?:['.]{char}+)*")
    unspaced = re.compile(f"([{_UNSPACED}][{_mark_ranges()}]*)")
    return word, unspaced


def tokenise(text: str) -> list[str]:
    """Split text into case-folded word tokens, in any script.

    Letters, digits and combining marks make words; an apostrophe or a full stop between word
    characters stays inside the word ("russia's", "u.s"). Characters of scripts written without
    spaces (Chinese, Japanese kana, Thai, ...) are one token each.
    """
    if not text.isascii():
        text = fold_punctuation(text)
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    word, unspaced = _unicode_patterns()
    if _HAS_UNSPACED.search(folded) is not None:
        folded = unspaced.sub(r" \1 ", folded)
    return word.findall(folded)


def fold_punctuation(text: str) -> str:
    """Curly apostrophes to "'", dashes, curly double quotes, guillemets and no-break spaces to spaces."""
    for mark in _APOSTROPHES:
        if mark in text:
            text = text.replace(mark, "'")
    for mark in _SPACES:
        if mark in text:
            text = text.replace(mark, " ")
    return text


def normalise(text: str) -> str:
    """The normalised form of a text: its tokens joined by single spaces. Idempotent."""
    return " ".join(tokenise(text))


def content_hash(normalised: str) -> str:
    """128-bit xxh3 of the normalised text, as 32 hex digits: equal for exact duplicates."""
    return xxhash.xxh3_128_hexdigest(normalised.encode("utf-8"))


@dataclass(frozen=True)
class Params:
    """Everything that decides a signature or a band key. Stored once in each store."""

    num_perm: int = 128
    seed: int = 1
    shingle_size: int = 5
    bands: int = 32
    rows: int = 2
    scheme: str = SCHEME
    hashfunc: str = HASHFUNC
    normaliser: str = NORMALISER_VERSION

    def __post_init__(self) -> None:
        if self.num_perm < 1:
            raise ValueError(f"num_perm must be at least 1, got {self.num_perm}")
        if self.shingle_size < 1:
            raise ValueError(f"shingle_size must be at least 1, got {self.shingle_size}")
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows must fit in num_perm: {self.bands} x {self.rows} > {self.num_perm}")
        if not 0 <= self.seed < 2**32:
            raise ValueError(f"seed must be in [0, 2**32), got {self.seed}")

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int = 128, *, seed: int = 1, shingle_size: int = 5) -> Params:
        """Parameters whose LSH bands suit a Jaccard ``threshold``.

        Bands and rows come from datasketch's S-curve optimiser, weighted for recall
        (false negatives 9 times as costly as false positives: every candidate is verified).
        """
        bands, rows = lsh_bands(threshold, num_perm)
        return cls(num_perm=num_perm, seed=seed, shingle_size=shingle_size, bands=bands, rows=rows)

    def as_dict(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: Mapping[str, str]) -> Params:
        """The parameters :meth:`as_dict` wrote (names it does not know are left aside)."""
        kinds: dict[str, Any] = {f.name: f.type for f in fields(cls)}
        chosen: dict[str, Any] = {
            k: int(v) if kinds[k] in ("int", int) else v
            for k, v in values.items()
            if k in kinds
            for name, value in values.items()
            if name in kinds
        }
        return cls(**chosen)

    @cached_property
    def permutations(self) -> tuple[U32, U32]:
        """The affine permutations ``(a, b)``, drawn exactly as datasketch draws them."""
        gen = np.random.RandomState(self.seed)
        a = gen.randint(0, 1 << 31, self.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, self.num_perm, dtype=np.uint64).astype(np.uint32)
        return a, b


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for a Jaccard threshold, recall-weighted, from datasketch's optimiser."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    from datasketch.lsh import _optimal_param  # imports scipy: only when a store is created

    bands, rows = _optimal_param(threshold, num_perm, 0.1, 0.9)
    return int(bands), int(rows)


DEFAULT_THRESHOLD = 0.3
DEFAULT_PARAMS = Params()  # == Params.for_threshold(DEFAULT_THRESHOLD): 32 bands x 2 rows


def shingle_bytes(tokens: list[str], k: int) -> list[bytes]:
    """The shingles of a token list as bytes (the datasketch input). Short texts: one shingle."""
    if not tokens:
        return []
    if len(tokens) <= k:
        return [" ".join(tokens).encode("utf-8")]
    return [" ".join(tokens[i : i + k]).encode("utf-8") for i in range(len(tokens) - k + 1)]


def shingle_hashes(tokens: list[str], k: int) -> U32:
    """xxh32 of every shingle of a token list, in order (duplicates kept)."""
    return _active.shingle_hashes(_as_array(" ".join(tokens).encode("utf-8")), k)


def minhash(hashes: U32, params: Params) -> U32:
    """The affine32 MinHash signature of a set of 32-bit shingle hashes."""
    a, b = params.permutations
    return _active.minhash(hashes.astype(np.uint32, copy=False), a, b)


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


@cache
def _separates(char: str) -> bool:
    """Whether a character only ever separates words (punctuation, a symbol, a space), also once
    :func:`tokenise` has NFKC-normalised it ("™" does not: it becomes "TM")."""
    if unicodedata.category(char)[0] not in "PSZC":
        return False
    return not any(
        c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M" for c in unicodedata.normalize("NFKC", char)
    )


def normalised_bytes(text: str) -> bytes:
    """The normalised text as UTF-8: compiled for ASCII text and for text whose other characters
    only separate words (a copyright sign, a bullet), through :func:`tokenise` otherwise."""
    kernels = _counted()
    if not text.isascii():
        text = fold_punctuation(text)
        if not text.isascii():
            if not all(_separates(char) for char in set(_ASCII_RUNS.sub("", text))):
                return " ".join(tokenise(text)).encode("utf-8")
            # each of them is one "?": a separator to the compiled normaliser, as they are to tokenise
            return kernels.normalise_ascii(_as_array(text.encode("ascii", errors="replace"))).tobytes()
    return kernels.normalise_ascii(_as_array(text.encode("ascii"))).tobytes()


def _as_array(data: bytes) -> npt.NDArray[np.uint8]:
    return np.frombuffer(data, dtype=np.uint8)


def band_keys(signature: U32, params: Params) -> list[int]:
    """One signed 64-bit key per LSH band: xxh3_64 of the band's values, seeded by its number."""
    raw = signature[: params.bands * params.rows].astype("<u4").tobytes()
    width = params.rows * 4
    keys = []
    for band in range(params.bands):
        key = xxhash.xxh3_64_intdigest(raw[band * width : (band + 1) * width], seed=band)
        keys.append(key - (1 << 64) if key >= 1 << 63 else key)
    return keys


@dataclass(frozen=True)
class Fingerprint:
    """What matching needs of a text: its exact hash, its shingle set and its sketch."""

    content_hash: str
    shingles: U32  # sorted, unique
    signature: U32
    tokens: int

    @property
    def empty(self) -> bool:
        return len(self.shingles) == 0


def count_common(a: U32, b: U32) -> int:
    """The number of values two sorted arrays of distinct values share (compiled)."""
    return int(_active.count_common(a, b))


def longest_increasing(values: np.ndarray) -> int:
    """The length of the longest strictly increasing subsequence of an integer array (compiled)."""
    return int(_active.longest_increasing(values))


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of a text ends, as offsets (compiled; see :func:`._kernels.sentence_ends`)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return _active.sentence_ends(codes).tolist()  # type: ignore[no-any-return]


def sentence_keys(words: U32, starts: np.ndarray, stop: U32) -> tuple[U32, np.ndarray, np.ndarray]:
    """A text's distinct content words by sentence (``words``: hashed, in order; ``starts``: the
    first word of each sentence; ``stop``: function words' hashes, sorted), sorted by hash (a
    word of several sentences in their order), with the sentence of each, and each sentence's
    count (compiled, see :func:`._kernels.sentence_keys`; sorted by numpy)."""
    keys = sorted_unique(_active.sentence_keys(words, starts, stop))  # a word again in a sentence counts once
    owners = (keys & np.uint64(0xFFFFFFFF)).astype(np.int32)
    return (
        (keys >> np.uint64(32)).astype(np.uint32),
        owners,
        np.bincount(owners, minlength=len(starts)).astype(np.int32),
    )


def story_reading(marked: U32, mark: np.uint32, stop: U32) -> tuple[U32, np.ndarray, U32, np.ndarray]:
    """A story text's words, the first word of each sentence, and its content bigrams, sorted
    and distinct, each with the place of its first word where it first stands: read once
    (compiled, see :func:`._kernels.story_reading`), the bigrams sorted by numpy."""
    words, starts, keys = _active.story_reading(marked, mark, stop)
    keys = np.sort(keys)  # by bigram, then place: the first of each bigram is where it first stands
    bigrams = (keys >> np.uint64(32)).astype(np.uint32)
    first = _firsts(bigrams)
    return words, starts, bigrams[first], (keys[first] & np.uint64(0xFFFFFFFF)).astype(np.int32)


def paragraph_reading(marked: U32, mark: np.uint32, stop: U32, paragraphs: int) -> tuple[np.ndarray, U32, np.ndarray]:
    """A text's content bigrams by paragraph, read once (compiled; see
    :func:`._kernels.paragraph_reading`)."""
    owners, hashes, counts = _active.paragraph_reading(marked, mark, stop, paragraphs)
    return owners, hashes, counts


def in_order(a: U32, a_first: np.ndarray, b: U32, b_first: np.ndarray) -> int:
    """See :func:`provenance.evidence.in_order` (compiled)."""
    return int(_active.in_order(a, a_first, b, b_first))


def align_sentences(*arrays: Any) -> tuple[int, int, int]:
    """See :func:`provenance.evidence.aligned_sentences` (compiled)."""
    counted, aligned, in_order = _active.align_sentences(*arrays)
    return int(counted), int(aligned), int(in_order)


def seed_runs(
    copy: np.ndarray, source: np.ndarray, copy_keys: np.ndarray, keys: np.ndarray, places: np.ndarray, seed: int,
    tries: int,
) -> np.ndarray:  # fmt: skip
    """Runs of equal words of two texts, seeded by shared n-grams (see :func:`._kernels.seed_runs`)."""
    return _active.seed_runs(copy, source, copy_keys, keys, places, seed, tries)


def word_counts(codes: np.ndarray, kinds: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The words of each part of a text, by the kind of each character (compiled; see
    :func:`._kernels.word_counts`)."""
    counts: np.ndarray = _active.word_counts(codes, kinds, ends)
    return counts


def token_spans(kinds: np.ndarray, folded: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A text's tokens by the kind of each character, with their hashes over its case-folded code
    points (see :func:`._kernels.token_spans`)."""
    return _active.token_spans(kinds, folded)


def sentence_spans(codes: np.ndarray) -> list[tuple[int, int]]:
    """Each sentence of a text (its code points) as (start, end) (see
    :func:`._kernels.sentence_spans`)."""
    return [(start, end) for start, end in _active.sentence_spans(codes).tolist()]


def gram_keys(hashes: np.ndarray, size: int) -> np.ndarray:
    """The key of each run of ``size`` words of a text, by their 64-bit hashes (see
    :func:`._kernels.gram_keys`)."""
    return _active.gram_keys(hashes, size)


def token_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The hash :func:`token_spans` gives a token, of each ``codes[start:end]`` (numpy: for the
    texts that folding lengthens, whose tokens are folded one by one)."""
    return _portable.token_hashes(codes, starts, ends)


def dfa_visits(moves: np.ndarray, rows: np.ndarray, outputs: np.ndarray, data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The features a byte automaton emits walking ``data``, each once in the order first
    emitted, with how many times each is (see :func:`._kernels.dfa_visits`)."""
    return _active.dfa_visits(moves, rows, outputs, np.frombuffer(data, np.uint8))


def shared_counts(
    owners: np.ndarray, starts: np.ndarray, lengths: np.ndarray, articles: np.ndarray, least: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The articles each owner's keys' postings hold ``least`` times or more (see
    :func:`._kernels.shared_counts`)."""
    zeros = _zeros(int(articles.max()) + 1 if len(articles) else 1)
    return _active.shared_counts(owners, starts, lengths, articles, least, zeros)


_counting = threading.local()  # each thread's zeroed array the counting kernel counts in (see shared_counts)


def _zeros(size: int) -> np.ndarray:
    """This thread's array of zeros for :func:`shared_counts`, at least ``size`` long (grown by an
    eighth again where it is short, so that a growing store makes few new ones: 4.5 MB held at a
    million articles, where each call made 8 MB)."""
    held: np.ndarray | None = getattr(_counting, "zeros", None)
    if held is None or len(held) < size:
        _counting.zeros = None  # the short one let go before the new one is made
        held = _counting.zeros = np.zeros(size + size // 8, np.int32)
    return held


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: numpy's sort and one comparison (np.unique's overhead left
    out; numpy's vectorised sort is four times numba's on a text's shingles)."""
    if len(values) < 2:
        return values.copy()
    ordered = np.sort(values)
    found: np.ndarray = ordered[_firsts(ordered)]
    return found


def sorted_runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of sorted ``ordered``: its distinct values, where each first stands and how many times it
    stands there, as ``np.unique(ordered, return_index=True, return_counts=True)`` gives them, but
    without sorting them again (a one-off timing on 360,000 keys of postings: 0.8 ms, np.unique
    5.3)."""
    starts = np.flatnonzero(_firsts(ordered))
    counts = np.diff(starts, append=len(ordered))
    return ordered[starts], starts, counts


def _firsts(ordered: np.ndarray) -> np.ndarray:
    """Whether each of sorted ``ordered`` is the first of its value."""
    first = np.empty(len(ordered), bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first


def word_hashes(text: str) -> U32:
    """XXH32 of each token of a text (the tokens of :func:`tokenise`), in order."""
    norm = normalised_bytes(text)
    return _active.shingle_hashes(_as_array(norm), 1) if norm else np.empty(0, np.uint32)


def signature(text: str, params: Params = DEFAULT_PARAMS) -> U32:
    """The MinHash signature of a text alone: normalise, shingle, hash, MinHash (what
    :func:`fingerprint` computes besides its content hash and shingle set)."""
    a, b = params.permutations
    norm = normalised_bytes(text)
    return _active.minhash(_active.shingle_hashes(_as_array(norm), params.shingle_size), a, b)


def shingle_set(text: str, params: Params = DEFAULT_PARAMS) -> tuple[str, U32]:
    """A text's content hash and its shingles, sorted, unique: its :func:`fingerprint` without
    the MinHash signature, which verifying a stored text does not need (a tenth of the time)."""
    norm = normalised_bytes(text)
    hashes = _active.shingle_hashes(_as_array(norm), params.shingle_size)
    return xxhash.xxh3_128_hexdigest(norm), sorted_unique(hashes)


def fingerprint(text: str, params: Params = DEFAULT_PARAMS) -> Fingerprint:
    norm = normalised_bytes(text)
    hashes = _active.shingle_hashes(_as_array(norm), params.shingle_size)
    a, b = params.permutations
    return Fingerprint(
        content_hash=xxhash.xxh3_128_hexdigest(norm),
        shingles=sorted_unique(hashes),
        signature=_active.minhash(hashes, a, b),
        tokens=norm.count(b" ") + 1 if norm else 0,
    )


def estimate_jaccard(a: U32, b: U32) -> float:
    """The MinHash estimate of the Jaccard similarity of two signatures."""
    if len(a) != len(b):
        raise ValueError(f"Expecting signatures of equal length, got {len(a)} and {len(b)}")
    return float(np.count_nonzero(a == b)) / len(a)
