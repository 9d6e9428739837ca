"""What a copy took (provenance.passages): passages and reworded sentences, as spans of both texts."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import combinations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from provenance.passages import (
    _TOKEN,
    MIN_PASSAGE,
    Taken,
    _inside_all,
    _sentence_spans,
    _source,
    _source_sentences,
    _words,
    align,
    marked_paragraphs,
    taken,
)

from . import scripts

SOURCE = "\n\n".join(scripts.es_src)
QUOTE = (
    '"We will not let the harbour die, and we will not let the fishermen pay for the works," '
    "the mayor told reporters at the town hall on Tuesday morning."
)


def text_of(text: str, start: int, end: int) -> list[str]:
    return text[start:end].split()


def test_a_copy_with_a_changed_word_is_one_passage_whose_spans_hold_the_same_words() -> None:
    copy = "Inicio | Noticias\n\n" + "\n\n".join(scripts.es_src[:3]).replace("martes", "miércoles")
    found = taken(copy, SOURCE)
    assert len(found.passages) == 1  # one changed word does not cut the passage
    (span,) = found.passages
    mine, theirs = text_of(copy, span.copy_start, span.copy_end), text_of(SOURCE, span.source_start, span.source_end)
    assert mine[:6] == theirs[:6] == ["El", "ayuntamiento", "de", "Puerto", "Alto", "aprobó"]
    assert mine[-1] == theirs[-1]
    assert copy[span.copy_start :].startswith("El ayuntamiento")
    assert sum(1 for a, b in zip(mine, theirs, strict=False) if a != b) >= 1  # "miércoles" for "martes"
    assert found.words == len(mine)
    assert found.in_order == 1
    assert found.sentences == ()  # everything is inside the passage


def test_a_shared_quotation_or_caption_is_no_evidence() -> None:
    first = f"The council met on Tuesday to vote on the harbour plan.\n\n{QUOTE}\n\nThe vote was close."
    second = f"Fishermen gathered outside the hall all day long.\n\n{QUOTE}\n\nThey left before dark."
    assert taken(second, first).passages == ()
    said = (  # the quotation's second sentence, read alone, has no quotation mark before it
        '"We will rebuild the old pier before winter. Every fishing boat in the harbour will come back'
        ' to its mooring by spring," the mayor said.'
    )
    first, second = first.replace(QUOTE, said), second.replace(QUOTE, said)
    assert taken(second, first) == Taken()
    caption = "Boats moored at the old pier of the fishing harbour before the storm. (Photo by Ana Ruiz/Getty Images)"
    assert taken(f"Other words entirely, about something else.\n\n{caption}", f"A story.\n\n{caption}").passages == ()


def test_a_sites_template_and_notice_are_no_evidence() -> None:
    story = "\n\n".join(scripts.es_src)
    other = "\n\n".join(scripts.es_other)
    template = (
        "| A publication of the Harbour Publishing Group. |\n\n| Our online edition publishes local news every day. |"
        "\n\n| For complete area coverage pick up a printed copy at a store near you. |"
        "\n\nCopyright 2008 Harbour Publishing Group. All rights reserved. This material may not be redistributed."
    )
    assert taken(f"{other}\n\n{template}", f"{story}\n\n{template}").passages == ()
    assert taken(f"{story}\n\n{template}", story).passages  # the story itself still is


def test_a_rewrite_is_evidenced_by_its_reworded_sentences() -> None:
    for lang, (source, rewrite, other, _) in scripts.SCRIPTS.items():
        found = taken("\n\n".join(rewrite), "\n\n".join(source))
        independent = taken("\n\n".join(other), "\n\n".join(source))
        assert len(found.sentences) + len(found.passages) >= 3, lang
        assert independent.sentences == (), lang
        assert independent.passages == (), lang


def test_spans_round_trip_through_json() -> None:
    copy = "\n\n".join(scripts.es_src[1:4]) + "\n\n" + scripts.es_rewrite[0]
    found = taken(copy, SOURCE)
    assert found.passages
    assert found.sentences
    again = type(found).from_json(*found.to_json(), found.words, found.in_order)
    assert again == found


words = st.sampled_from(
    ["harbour", "plan", "council", "vote", "fishermen", "mayor", "storm", "pier", "boats", "works", "the", "a", "of"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=0, max_size=80), st.lists(words, min_size=0, max_size=80))
def test_passages_lie_inside_both_texts_in_the_copys_order_and_are_long(a: list[str], b: list[str]) -> None:
    copy, source = " ".join(a), " ".join(b)
    found = taken(copy, source)
    end = 0
    for span in found.passages:
        assert end <= span.copy_start < span.copy_end <= len(copy)
        assert 0 <= span.source_start < span.source_end <= len(source)
        assert len(copy[span.copy_start : span.copy_end].split()) >= MIN_PASSAGE
        end = span.copy_end
    assert found.words == sum(len(copy[s.copy_start : s.copy_end].split()) for s in found.passages)


def test_an_alignment_without_evidence_has_the_same_shares_and_counts() -> None:
    """``trace`` shows the shares and paragraph counts only, and skips finding the passages."""
    copy = "\n\n".join(scripts.es_src[:3])
    full, quick = align(copy, SOURCE), align(copy, SOURCE, evidence=False)
    assert full.taken.passages
    assert quick.taken == Taken()
    assert (quick.reuse, quick.coverage, quick.kept, quick.added, quick.dropped) == (
        full.reuse, full.coverage, full.kept, full.added, full.dropped)  # fmt: skip


paragraphs = st.lists(st.lists(words, min_size=0, max_size=12).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@example(["harbour plan council vote", "the storm"], ["harbour plan council vote"])
@example(["storm pier", "harbour plan council vote fishermen"], ["harbour plan council"])  # found: half exactly
@given(paragraphs, paragraphs)
def test_an_alignments_paragraph_counts_are_the_marks_a_story_page_shows(a: list[str], b: list[str]) -> None:
    """The counts ``align`` gives (kept, added, dropped) are those of the paragraphs a story page
    marks found and not found, paragraphs too short to tell left out of both."""
    copy, source = "\n\n".join(a), "\n\n".join(b + a[:1])  # the source holds the copy's first paragraph
    aligned = align(copy, source)
    mine = [found for _, found in marked_paragraphs(copy, source) if found is not None]
    theirs = [found for _, found in marked_paragraphs(source, copy) if found is not None]
    assert (aligned.kept, aligned.added, aligned.dropped) == (sum(mine), len(mine) - sum(mine), theirs.count(False))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=8),
    st.lists(st.integers(0, 90), max_size=40),
)
def test_offsets_inside_set_aside_ranges_are_found_as_one_at_a_time(
    spans: list[tuple[int, int]], offsets: list[int]
) -> None:
    # the vectorised reading agrees with the rule it stands for: the last range starting at or
    # before an offset (of those starting there, the longest) holds it
    ranges = sorted((start, start + length) for start, length in spans)

    def one(offset: int) -> bool:
        i = bisect_right(ranges, (offset, 1 << 62)) - 1
        return i >= 0 and ranges[i][0] <= offset < ranges[i][1]

    assert _inside_all(ranges, np.array(offsets, np.int64)).tolist() == [one(offset) for offset in offsets]


def test_a_source_read_once_for_many_copies_aligns_each_as_if_read_afresh() -> None:
    first = "\n\n".join(scripts.es_src[:2])
    second = "Portada\n\n" + "\n\n".join(scripts.es_src[2:4]) + "\n\n" + QUOTE
    together = [taken(first, SOURCE), taken(second, SOURCE)]
    _source.cache_clear()
    _source_sentences.cache_clear()
    alone = taken(second, SOURCE)
    assert together[1] == alone
    assert together[0].passages
    assert alone.passages
    assert together[0] != together[1]


_TEXT = st.text(  # ASCII, folding that changes lengths (ß, İ), marks, CJK and its stops, quotes, beyond the BMP
    alphabet=st.sampled_from(
        list("aB \n.!?\"')]x1_\u00df\u0130\u00e9\u3002\u65e5\u672c\u3042\u0301\u00a0\u201d\U0001d400\U0001f600")
    ),
    max_size=60,
)


@given(_TEXT)
def test_a_texts_words_are_its_tokens_and_equal_tokens_hash_alike(text: str) -> None:
    words = _words(text)
    found = list(_TOKEN.finditer(text))
    assert list(zip(words.starts.tolist(), words.ends.tolist(), strict=True)) == [m.span() for m in found]
    folded = [m.group().casefold() for m in found]
    for a, b in combinations(range(len(found)), 2):
        assert (folded[a] == folded[b]) == (words.hashes[a] == words.hashes[b])
    again = _words(f"zz {text}")  # the same token hashes alike wherever it stands
    assert again.hashes[1:].tolist() == words.hashes.tolist()


_LAZY_SENTENCE = re.compile(
    r"[^\s].*?(?:[.!?\u061f\u06d4]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)|[\u3002\uff01\uff1f]|\n\n|$)", re.S
)


@given(_TEXT)
def test_sentence_spans_are_the_lazy_expressions_matches(text: str) -> None:
    """Read by searching for each sentence's end, as the lazy expression they were first read by."""
    expected = [(m.start(), m.start() + len(m.group().rstrip())) for m in _LAZY_SENTENCE.finditer(text)]
    assert _sentence_spans(text) == [(start, end) for start, end in expected if end > start]


_PARAGRAPHS = st.lists(
    st.lists(st.sampled_from(["the", "harbour", "pier", "Mayor", "votes", '"we', 'rebuild"', "2020", "x.", "y,"]),
             max_size=12).map(" ".join),
    min_size=1, max_size=5,
).map("\n\n".join)  # fmt: skip


@given(_PARAGRAPHS)
def test_paragraph_bigrams_hashed_in_one_pass_are_each_paragraphs_own(text: str) -> None:
    import numpy as np

    from provenance.match import QUOTED, read_story
    from provenance.passages import paragraph_bigrams

    paragraphs, owner, hashes, counts = paragraph_bigrams(text)
    assert paragraphs == tuple(text.split("\n\n"))
    for k, paragraph in enumerate(paragraphs):  # each paragraph's bigrams, as hashed alone
        alone = set(read_story(QUOTED.sub(" \n ", paragraph)).bigrams.tolist())
        assert set(hashes[owner == k].tolist()) == alone
        assert counts[k] == len(alone)
    assert np.all(np.diff(owner) >= 0)


@given(st.text(alphabet=st.sampled_from(list("aBcD eF1 2.-_'Zz")), max_size=60))
def test_an_ascii_sentences_content_words_are_read_as_any_sentences(sentence: str) -> None:
    from provenance.match import STOPWORDS
    from provenance.passages import _content

    words = [w.casefold() for w in _TOKEN.findall(sentence)]
    assert _content(sentence) == {w for w in words if w not in STOPWORDS and len(w) > 2 and not w.isdigit()}
