from __future__ import annotations

import importlib
import itertools
import random
import re

import datasketch
import numpy as np
import pytest
import xxhash
from hypothesis import example, given
from hypothesis import strategies as st

from provenance import _kernels, _portable
from provenance.fingerprint import (
    DEFAULT_PARAMS,
    DEFAULT_THRESHOLD,
    Params,
    band_keys,
    content_hash,
    count_common,
    estimate_jaccard,
    fingerprint,
    lsh_bands,
    minhash,
    normalise,
    normalised_bytes,
    sentence_keys,
    shingle_bytes,
    shingle_hashes,
    sorted_runs,
    sorted_unique,
    story_reading,
    tokenise,
)

fingerprinting = importlib.import_module("provenance.fingerprint")


pytestmark = pytest.mark.usefixtures("each_set_of_kernels")


words = st.text(alphabet=st.characters(categories=["L", "M", "N"]), min_size=1, max_size=12)
token_lists = st.lists(words.map(str.lower), min_size=0, max_size=60)


def datasketch_signature(text: str, params: Params) -> np.ndarray:
    sketch = datasketch.MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=xxhash.xxh32_intdigest)
    sketch.update_batch(shingle_bytes(tokenise(text), params.shingle_size))
    return sketch.hashvalues


@given(
    text=st.text(max_size=400),
    num_perm=st.sampled_from([16, 64, 128, 256]),
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 6),
)
@example(text="The U.S. used a round of talks with Russia this week", num_perm=128, seed=1, k=5)
@example(text="東京タワー हिन्दी भाषा naïve café", num_perm=128, seed=1, k=2)
def test_signature_equals_datasketch(text: str, num_perm: int, seed: int, k: int) -> None:
    params = Params(num_perm=num_perm, seed=seed, shingle_size=k, bands=1, rows=1)
    ours = fingerprint(text, params).signature
    assert ours.dtype == np.uint32
    assert np.array_equal(ours, datasketch_signature(text, params))


@given(tokens=token_lists, k=st.integers(1, 7))
def test_shingle_hashes_are_xxh32_of_the_shingles(tokens: list[str], k: int) -> None:
    expected = [xxhash.xxh32_intdigest(s) for s in shingle_bytes(tokens, k)]
    assert shingle_hashes(tokens, k).tolist() == expected


def test_signature_of_a_long_text_is_computed_in_chunks_without_change() -> None:
    text = " ".join(f"word{i}" for i in range(20_000))
    assert np.array_equal(fingerprint(text).signature, datasketch_signature(text, DEFAULT_PARAMS))


@given(st.text())
@example("Russia’s “diplomatic” spat — ¼ ﬁnal ΣΑΣ ß İstanbul")
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_fast_path_agrees_with_the_unicode_path(text: str) -> None:
    # the trailing "é" sends the text through the Unicode path
    assert tokenise(text + " é") == [*tokenise(text), "é"]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("The U.S. used “Russia’s” leverage", ["the", "u.s", "used", "russia's", "leverage"]),
        ("Ryabkov — said: 3.5% of 300", ["ryabkov", "said", "3.5", "of", "300"]),
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),
        ("Москва и Вашингтон", ["москва", "и", "вашингтон"]),
        ("東京タワー", ["東", "京", "タ", "ワ", "ー"]),
        ("ภาษาไทย", ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"]),
        ("NAÏVE Café", ["naïve", "café"]),
        ("ﬁnal ＡＢＣ", ["final", "abc"]),
    ],
)
def test_tokenise_any_script(text: str, tokens: list[str]) -> None:
    assert tokenise(text) == tokens


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    a = content_hash(normalise("The talks, he said, were  useful."))
    b = content_hash(normalise("the talks he said were useful"))
    assert a == b
    assert len(a) == 32
    assert a != content_hash(normalise("the talks he said were useless"))


def test_default_bands_come_from_the_threshold() -> None:
    assert lsh_bands(DEFAULT_THRESHOLD, 128) == (DEFAULT_PARAMS.bands, DEFAULT_PARAMS.rows)
    assert Params.for_threshold(DEFAULT_THRESHOLD) == DEFAULT_PARAMS


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_perm": 0}, "num_perm must be at least 1, got 0"),
        ({"shingle_size": 0}, "shingle_size must be at least 1, got 0"),
        ({"bands": 40, "rows": 4}, "bands x rows must fit in num_perm: 40 x 4 > 128"),
        ({"seed": -1}, "seed must be in [0, 2**32), got -1"),
    ],
)
def test_params_are_validated(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Params(**kwargs)


def test_threshold_is_validated() -> None:
    with pytest.raises(ValueError, match=r"threshold must be between 0 and 1, got 1\.5"):
        lsh_bands(1.5, 128)


def test_band_keys_are_stable_signed_64_bit_and_differ_by_band() -> None:
    sig = minhash(np.arange(100, dtype=np.uint32), DEFAULT_PARAMS)
    keys = band_keys(sig, DEFAULT_PARAMS)
    assert len(keys) == DEFAULT_PARAMS.bands
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert keys == band_keys(sig.copy(), DEFAULT_PARAMS)
    same_values = np.zeros(128, dtype=np.uint32)  # every band holds the same values
    assert len(set(band_keys(same_values, DEFAULT_PARAMS))) == DEFAULT_PARAMS.bands


_HASH_SETS = st.sets(st.one_of(st.integers(0, 500), st.integers(2**32 - 500, 2**32 - 1)), max_size=300)


@given(_HASH_SETS, _HASH_SETS)
def test_count_common_of_sorted_sets_equals_numpy(a: set[int], b: set[int]) -> None:
    first, second = np.array(sorted(a), dtype=np.uint32), np.array(sorted(b), dtype=np.uint32)
    assert count_common(first, second) == len(np.intersect1d(first, second))


def test_estimate_jaccard_rejects_signatures_of_other_length() -> None:
    with pytest.raises(ValueError, match="Expecting signatures of equal length, got 128 and 64"):
        estimate_jaccard(np.zeros(128, np.uint32), np.zeros(64, np.uint32))


def test_empty_text_has_no_shingles() -> None:
    fp = fingerprint("  — … ")
    assert fp.empty
    assert fp.tokens == 0


@given(st.text())
@example("Russia’s U.S. talks — “quoted” 3.5% e.g. x_y 'a' .b c.")
def test_compiled_normalisation_equals_tokenise(text: str) -> None:
    assert normalised_bytes(text) == " ".join(tokenise(text)).encode("utf-8")


# mostly ASCII, as news text is, with symbols that only separate words and some that do not
_NEWSY = st.text(
    alphabet=st.sampled_from(
        [*"abcXYZ019_ .'-,\n", "©", "•", "—", "…", "€", "™", "½", "é", "\u0301", "ﬁ", "℃", "\u00a0", "\u2028", "’"]
    ),
    max_size=60,
)


@given(_NEWSY)
@example("Mr.©Smith’s ™ 5½ café… ﬁne ℃ x\u0301y")
def test_compiled_normalisation_of_mostly_ascii_text_equals_tokenise(text: str) -> None:
    assert normalised_bytes(text) == " ".join(tokenise(text)).encode("utf-8")


@given(_NEWSY, st.sampled_from([DEFAULT_PARAMS, Params(shingle_size=2)]))
@example("", DEFAULT_PARAMS)
def test_the_shingle_set_is_the_fingerprints_without_its_signature(text: str, params: Params) -> None:
    whole = fingerprint(text, params)
    content, shingles = fingerprinting.shingle_set(text, params)
    assert content == whole.content_hash
    assert shingles.tolist() == whole.shingles.tolist()
    assert shingles.dtype == whole.shingles.dtype


@given(st.binary(max_size=80))
def test_compiled_xxh32_equals_xxhash(data: bytes) -> None:
    assert _kernels.xxh32(np.frombuffer(data, np.uint8), 0, len(data)) == xxhash.xxh32_intdigest(data)


@given(st.lists(st.integers(0, 2**32 - 1), max_size=200))
def test_sorted_unique_equals_numpy_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.uint32)
    found = sorted_unique(array)
    assert np.array_equal(found, np.unique(array))
    assert found.dtype == np.uint32


@given(st.lists(st.integers(-(2**40), 2**40), max_size=200))
@example([])
@example([7, 7, 7])
def test_sorted_runs_are_numpys_unique_with_first_places_and_counts(values: list[int]) -> None:
    # the keys of a batch's postings, sorted: each key, where its articles start and how many
    ordered = np.sort(np.array(values, dtype=np.int64))
    found = sorted_runs(ordered)
    expected = np.unique(ordered, return_index=True, return_counts=True)
    for mine, numpys in zip(found, expected, strict=True):
        assert np.array_equal(mine, numpys)
        assert mine.dtype == numpys.dtype


_BYTES = st.binary(max_size=300).map(lambda b: np.frombuffer(b, np.uint8))
_HASHES = st.lists(st.integers(0, 2**32 - 1), max_size=300).map(lambda v: np.array(v, np.uint32))


@given(_BYTES, st.integers(1, 6))
@example(np.frombuffer(b"it's the u.s. a..b 'x' y. _z AbC", np.uint8), 2)
def test_portable_kernels_equal_the_compiled_ones(data: np.ndarray, k: int) -> None:
    assert np.array_equal(_portable.normalise_ascii(data), _kernels.normalise_ascii(data))
    norm = _kernels.normalise_ascii(data)
    assert np.array_equal(_portable.shingle_hashes(norm, k), _kernels.shingle_hashes(norm, k))


@given(_HASHES, st.sampled_from([1, 64, 128]), st.integers(0, 2**32 - 1))
def test_portable_minhash_equals_the_compiled_one(hashes: np.ndarray, num_perm: int, seed: int) -> None:
    a, b = Params(num_perm=num_perm, seed=seed, bands=1, rows=1).permutations
    assert np.array_equal(_portable.minhash(hashes, a, b), _kernels.minhash(hashes, a, b))


def test_portable_minhash_of_more_hashes_than_one_chunk_equals_the_compiled_one() -> None:
    hashes = np.random.default_rng(5).integers(0, 2**32, 5000, dtype=np.uint32)
    a, b = DEFAULT_PARAMS.permutations
    assert np.array_equal(_portable.minhash(hashes, a, b), _kernels.minhash(hashes, a, b))


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 0x10FFFF)), max_size=200), st.booleans())
@example([(1, 65), (1, 66), (2, 0x65E5), (2, 0x672C), (0, 32), (1, 0xDF), (1, 0x10400)], True)
@example([(1, 97)] * 3, False)
def test_portable_token_spans_equal_the_compiled_ones(chars: list[tuple[int, int]], folded: bool) -> None:
    kinds = np.array([kind for kind, _ in chars], np.int8)
    codes = np.array([code for _, code in chars] if folded else [], np.uint32)
    portable, compiled = _portable.token_spans(kinds, codes), _kernels.token_spans(kinds, codes)
    for mine, theirs in zip(portable, compiled, strict=True):
        assert mine.tolist() == theirs.tolist()
    assert len(compiled[2]) == (len(compiled[0]) if folded else 0)


_SENTENCES = st.text(
    st.sampled_from(
        list("ab .!?\u061f\u06d4\"')]\u00bb\u2019\u201d\u3002\uff01\uff1f\n\t\x1c\x85\u00a0\u3000\U0001d400")
    ),
    max_size=80,
)


@given(_SENTENCES)
@example('a. b!" c?)x d\n\ne\u3002\u3002f.\x1c g ..')
@example("!! a")
def test_portable_sentence_spans_equal_the_compiled_ones(text: str) -> None:
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    assert _portable.sentence_spans(codes).tolist() == _kernels.sentence_spans(codes).tolist()


@given(st.lists(st.integers(0, 2**64 - 1), max_size=40), st.integers(1, 5))
def test_portable_gram_keys_equal_the_compiled_ones(hashes: list[int], size: int) -> None:
    words = np.array(hashes, np.uint64)
    assert _portable.gram_keys(words, size).tolist() == _kernels.gram_keys(words, size).tolist()


@given(_HASHES, _HASHES)
def test_portable_set_kernels_equal_the_compiled_ones(a: np.ndarray, b: np.ndarray) -> None:
    first, second = np.unique(a), np.unique(b)
    assert _portable.count_common(first, second) == _kernels.count_common(first, second)


def test_a_process_loads_the_compiled_kernels_once_it_has_normalised_enough_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fingerprinting, "_active", _portable)
    monkeypatch.setattr(fingerprinting, "_texts", 0)
    text = "The minister said on Tuesday that the talks would go on."
    first = fingerprint(text)
    for _ in range(fingerprinting.PORTABLE_TEXTS - 1):
        normalised_bytes(text)
    assert fingerprinting._active is _portable
    switched = fingerprint(text)
    assert fingerprinting._active is _kernels
    assert first.content_hash == switched.content_hash
    assert np.array_equal(first.shingles, switched.shingles)
    assert np.array_equal(first.signature, switched.signature)


@given(st.lists(st.integers(0, 50), max_size=80))
def test_longest_increasing_of_both_kernels_equals_a_quadratic_count(values: list[int]) -> None:
    array = np.array(values, np.int64)
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] < values[i]:
                best[i] = max(best[i], best[j] + 1)
    assert _kernels.longest_increasing(array) == _portable.longest_increasing(array) == max(best, default=0)


@given(st.sets(st.integers(0, 200), max_size=60), st.sets(st.integers(0, 200), max_size=60), st.randoms())
def test_in_order_of_both_kernels_agrees(a: set[int], b: set[int], rng: random.Random) -> None:
    first_a, first_b = rng.sample(range(1000), len(a)), rng.sample(range(1000), len(b))
    args = (np.array(sorted(a), np.uint32), np.array(first_a, np.int32), np.array(sorted(b), np.uint32),
            np.array(first_b, np.int32))  # fmt: skip
    assert _kernels.in_order(*args) == _portable.in_order(*args) <= len(a & b)


@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=120),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=120),
)
def test_sentence_alignment_of_both_kernels_agrees(copy: list[tuple[int, int]], source: list[tuple[int, int]]) -> None:
    """Content words (hash, sentence), distinct per sentence, sorted by hash as evidence.Ordered keeps them."""

    def text(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        distinct = sorted(set(pairs))
        hashes = np.array([h for h, _ in distinct], np.uint32)
        owners = np.array([o for _, o in distinct], np.int32)
        order = np.argsort(hashes, kind="stable")
        return hashes[order], owners[order], np.bincount(owners, minlength=7).astype(np.int32)

    (ch, co, cs), (sh, so, ss) = text(copy), text(source)
    args = (ch, co, cs, sh, so, len(ss), 4, 0.5)
    found = _kernels.align_sentences(*args)
    assert tuple(int(v) for v in found) == _portable.align_sentences(*args)
    assert 0 <= found[2] <= found[1] <= found[0]


_SENTENCE_TEXT = st.text(
    alphabet=st.sampled_from(list("ab .!?\"')]\n\u3002\uff01\uff1f\u061f\u06d4\u201d\u00a0\u3000x")), max_size=80
)


@given(_SENTENCE_TEXT)
def test_sentence_ends_of_both_kernels_agree(text: str) -> None:
    codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    ends = _kernels.sentence_ends(codes).tolist()
    assert ends == _portable.sentence_ends(codes).tolist()
    assert ends == sorted(set(ends))
    assert all(0 < end <= len(text) for end in ends)


@given(st.lists(st.integers(1, 12), max_size=60), st.sets(st.integers(0, 59), max_size=8))
def test_sentence_keys_are_each_sentences_content_words_once_sorted_by_word(words: list[int], breaks: set[int]) -> None:
    """With each kernel (the fixture above): 1-3 stand for function words."""
    array = np.array(words, np.uint32)
    starts = sorted({0} | {b for b in breaks if b < max(len(words), 1)})
    stop = np.array([1, 2, 3], np.uint32)
    pairs = sorted({(w, sum(s <= i for s in starts) - 1) for i, w in enumerate(words) if w > 3})
    hashes, owners, sizes = sentence_keys(array, np.array(starts, np.int32), stop)
    assert hashes.tolist() == [w for w, _ in pairs]
    assert owners.tolist() == [o for _, o in pairs]
    assert sizes.tolist() == [sum(o == n for _, o in pairs) for n in range(len(starts))]
    assert (hashes.dtype, owners.dtype, sizes.dtype) == (np.uint32, np.int32, np.int32)


@given(st.sets(st.integers(0, 2**32 - 1), max_size=1500), st.lists(st.integers(0, 2**32 - 1), max_size=50))
@example(set(range(0, 3000, 2)), list(range(40)))  # the table grown past its first size, slots shared
def test_a_word_is_a_function_word_exactly_when_it_is_among_them(stop: set[int], others: list[int]) -> None:
    """The kernels look function words up in a table: every one given is found, no other word."""
    ordered = np.array(sorted(stop), np.uint32)
    words = np.array([*sorted(stop)[:50], *others], np.uint32)
    hashes, _, _ = sentence_keys(words, np.zeros(1, np.int32), ordered)
    assert hashes.tolist() == sorted({w for w in words.tolist() if w not in stop})


@given(st.lists(st.integers(0, 12), max_size=60))
@example([0, 0, 5, 0])  # marks only between sentences, at both ends, twice over
@example([4, 5])  # one bigram of two function words: none
def test_a_story_read_once_is_its_words_sentences_and_bigrams(marked: list[int]) -> None:
    """0 stands for the mark between two sentences, 1-5 for function words: both kernels give the
    words without the marks, a sentence at each mark that has a word after it, and each content
    bigram (not two function words) once, sorted, at the place it first stands."""
    array = np.array(marked, np.uint32)
    stop = np.array([1, 2, 3, 4, 5], np.uint32)
    words = [w for w in marked if w != 0]
    starts, count = {0}, 0
    for w in marked:
        if w == 0 and count < len(words):
            starts.add(count)
        count += w != 0
    mix = 0x9E3779B97F4A7C15
    first: dict[int, int] = {}
    for i, (a, b) in enumerate(itertools.pairwise(words)):
        if a > 5 or b > 5:
            mixed = ((a * mix) % 2**64) ^ b
            mixed = ((mixed ^ (mixed >> 29)) * mix) % 2**64
            first.setdefault(mixed >> 32, i)
    expected = (words, sorted(starts), sorted(first), [first[h] for h in sorted(first)])
    found = story_reading(array, np.uint32(0), stop)  # with each kernel (the fixture above)
    assert tuple(part.tolist() for part in found) == expected
    assert [part.dtype for part in found] == [np.uint32, np.int32, np.uint32, np.int32]


@given(st.lists(st.integers(0, 12), max_size=60))
@example([6, 0, 0, 7, 8, 0])  # an empty paragraph between two, and one at the end
@example([6, 0, 7])  # no pair across a paragraph's end
def test_a_text_read_by_paragraph_is_each_paragraphs_bigrams(marked: list[int]) -> None:
    """0 stands for the mark between two paragraphs, 1-5 for function words: both kernels give
    each paragraph's content bigrams once, sorted by paragraph then bigram, and their counts."""
    array = np.array(marked, np.uint32)
    stop = np.array([1, 2, 3, 4, 5], np.uint32)
    paragraphs: list[list[int]] = [[]]
    for w in marked:
        if w == 0:
            paragraphs.append([])
        else:
            paragraphs[-1].append(w)
    mix = 0x9E3779B97F4A7C15
    keys = set()
    for n, words in enumerate(paragraphs):
        for a, b in itertools.pairwise(words):
            if a > 5 or b > 5:
                mixed = ((a * mix) % 2**64) ^ b
                keys.add((n, ((mixed ^ (mixed >> 29)) * mix) % 2**64 >> 32))
    ordered = sorted(keys)
    expected = (
        [n for n, _ in ordered],
        [h for _, h in ordered],
        [sum(k == n for k, _ in ordered) for n in range(len(paragraphs))],
    )
    for kernels in (_kernels, _portable):
        found = kernels.paragraph_reading(array, np.uint32(0), stop, len(paragraphs))
        assert tuple(part.tolist() for part in found) == expected
        assert [part.dtype for part in found] == [np.int64, np.uint32, np.int64]


_PARAGRAPH = st.text(alphabet=st.sampled_from(list("aZ9 _'\u2019.-,!\u00e9\u4e2d\u0661\u00b2\u2014\t\n")), max_size=40)


@given(st.lists(_PARAGRAPH, max_size=6))
@example(["_a", "'x y", "--", "a.b-c_d", "\u00e9t\u00e9 \u4e2d\u4e2d"])  # runs begun by what a word goes on over
@example(["\U0001d400bc de", "f"])  # beyond the first plane: searched
def test_a_pages_words_are_counted_as_the_pattern_finds_them(paragraphs: list[str]) -> None:
    """With each kernel (the fixture above): the compiled count of each paragraph's words is the
    number of words the page cleaner's pattern finds in it."""
    from provenance.extract.text import _WORD, word_counts

    assert word_counts(paragraphs) == [len(_WORD.findall(p)) for p in paragraphs]


def _runs_by_dictionary(copy: list[int], source: list[int], seed: int, tries: int) -> list[tuple[int, int, int]]:
    """Seeded runs as they were first written: each seed's source places in a dictionary."""
    places: dict[tuple[int, ...], list[int]] = {}
    for j in range(len(source) - seed + 1):
        places.setdefault(tuple(source[j : j + seed]), []).append(j)
    runs, i = [], 0
    while i < len(copy) - seed + 1:
        best = (0, 0)
        for j in places.get(tuple(copy[i : i + seed]), [])[:tries]:
            n = seed
            while i + n < len(copy) and j + n < len(source) and copy[i + n] == source[j + n]:
                n += 1
            if n > best[1]:
                best = (j, n)
        if best[1]:
            runs.append((i, *best))
            i += best[1]
        else:
            i += 1
    return runs


@given(
    st.lists(st.integers(0, 4), max_size=60), st.lists(st.integers(0, 4), max_size=60),
    st.integers(1, 4), st.integers(1, 3), st.sampled_from([0xFFFFFFFFFFFFFFFF, 0x3, 0x0]),
)  # fmt: skip
def test_seeded_runs_of_both_kernels_equal_a_dictionarys(
    copy: list[int], source: list[int], seed: int, tries: int, mask: int
) -> None:
    """``mask`` keeps a few bits of each seed's key (or none): seeds of one key are told apart."""

    def keys(words: np.ndarray) -> np.ndarray:
        count = max(0, len(words) - seed + 1)
        mixed = sum((words[d : d + count] * np.uint64(31**d) for d in range(seed)), np.zeros(count, np.uint64))
        return mixed & np.uint64(mask)

    mine, theirs = np.array(copy, np.uint64), np.array(source, np.uint64)
    source_keys = keys(theirs)
    places = np.argsort(source_keys, kind="stable").astype(np.int64)
    args = (mine, theirs, keys(mine), source_keys[places], places, seed, tries)
    expected = _runs_by_dictionary(copy, source, seed, tries)
    assert [tuple(run) for run in _kernels.seed_runs(*args).tolist()] == expected
    assert [tuple(run) for run in _portable.seed_runs(*args).tolist()] == expected


@given(st.integers(1, 6), st.binary(max_size=80), st.randoms(use_true_random=False))
def test_a_byte_automatons_walk_of_both_kernels_agrees(states: int, data: bytes, rng: random.Random) -> None:
    moves = np.array([rng.randrange(states) for _ in range(states * 256)], np.uint32)
    rows = np.arange(states, dtype=np.int64) * 256
    outputs = np.array([rng.randrange(-1, 4) for _ in range(states)], np.int64)
    walked = np.frombuffer(data, np.uint8)
    features, times = _kernels.dfa_visits(moves, rows, outputs, walked)
    portable = _portable.dfa_visits(moves, rows, outputs, walked)
    assert features.tolist() == portable[0].tolist()
    assert times.tolist() == portable[1].tolist()
    assert times.dtype == portable[1].dtype == np.float32
    assert sum(times.tolist()) <= len(data)


@given(st.lists(st.lists(st.integers(0, 12), max_size=6), max_size=8), st.lists(st.integers(0, 7), max_size=30))
def test_shared_counts_of_both_kernels_agree(postings: list[list[int]], held: list[int]) -> None:
    """``postings``: each key's articles; ``held``: the keys of each owner in turn (an owner's
    keys together, as a batch's probes hold theirs)."""
    keys = [k for k in held if k < len(postings)]
    starts = np.cumsum([0] + [len(p) for p in postings])[:-1].astype(np.int64)
    owners = np.array([i // 3 for i in range(len(keys))], np.int64)  # three keys an owner
    articles = np.array([a for p in postings for a in p], np.int64)
    args = (owners, starts[keys], np.array([len(postings[k]) for k in keys], np.int64), articles, 2)
    zeros = np.zeros(int(articles.max()) + 3 if len(articles) else 1, np.int32)  # as fingerprint keeps them
    compiled = [a.tolist() for a in _kernels.shared_counts(*args, zeros)]
    assert not zeros.any()  # left as given: the next call counts in it
    assert compiled == [a.tolist() for a in _portable.shared_counts(*args, zeros)]
    assert [a.tolist() for a in fingerprinting.shared_counts(*args)] == compiled  # in its kept zeros
    expected: dict[tuple[int, int], int] = {}
    for owner, key in zip(owners.tolist(), keys, strict=True):
        for article in postings[key]:
            expected[owner, article] = expected.get((owner, article), 0) + 1
    assert list(zip(*compiled, strict=True)) == sorted((o, a, n) for (o, a), n in expected.items() if n >= 2)
