from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from provenance import changes as changes_module
from provenance.changes import changes, word_runs

SOURCE = "\n\n".join(
    [
        "LONDON (Reuters) - The transport minister said on Tuesday that the talks with the rail union would resume"
        " next week.",
        "The union had asked for a pay rise of five percent for its members across the network this year.",
        "Officials said the government would not raise its offer beyond three percent, citing the budget deficit.",
        "The strike has closed stations across the country for two weeks running, the operator said.",
        "Reporting by Jane Doe; Editing by John Roe",
    ]
)
COPY = "\n\n".join(
    [
        "The transport minister said on Wednesday that the talks with the rail union would resume next week.",
        "The union had asked for a pay rise of five percent for its members across the network this year.",
        "The strike has closed stations across the country for two weeks, the operator said.",
        "Read more local news on our website every day of the week, with our weather and traffic reports.",
    ]
)


def test_a_rewritten_wire_copy_is_summed_up_in_words() -> None:
    found = changes(COPY, SOURCE, "Rail talks to resume", "Rail talks to resume next week")
    assert found.summary() == (
        "new headline; 5 words changed in 2 paragraphs; paragraphs 3 and 5 dropped; 1 paragraph added at the end"
    )
    kinds = [(p.kind, p.source_number, p.copy_number) for p in found.paragraphs]
    assert kinds == [
        ("kept", 1, 1),
        ("kept", 2, 2),
        ("dropped", 3, None),
        ("kept", 4, 3),
        ("dropped", 5, None),
        ("added", None, 4),
    ]
    first = [(r.op, r.source, r.copy) for r in found.paragraphs[0].runs if r.op != "equal"]
    assert first == [("delete", "LONDON (Reuters) -", ""), ("replace", "Tuesday", "Wednesday")]
    assert [(r.op, r.source) for r in found.paragraphs[3].runs if r.op != "equal"] == [("delete", "running,")]
    assert [(r.op, r.copy) for r in found.headline or () if r.op != "equal"] == [("delete", "")]


def test_a_moved_paragraph_is_compared_with_its_own() -> None:
    paragraphs = SOURCE.split("\n\n")[:4]
    moved = "\n\n".join([paragraphs[0], paragraphs[3], paragraphs[1], paragraphs[2]])
    found = changes(moved, SOURCE)
    assert [(p.kind, p.source_number) for p in found.paragraphs if p.kind == "kept"] == [
        ("kept", 1), ("kept", 4), ("kept", 2), ("kept", 3)
    ]  # fmt: skip
    assert found.summary() == "no word changed; paragraph 5 dropped"


def test_case_and_punctuation_at_a_word_are_no_change() -> None:
    assert all(
        run.op == "equal" for run in word_runs("Talks resume, the minister said.", "talks resume the Minister said")
    )


def test_additions_are_placed_in_the_copy() -> None:
    own = "A paragraph the copying site wrote itself about its own readers and their views on the matter."
    paragraphs = SOURCE.split("\n\n")[:4]
    copy = "\n\n".join([own, paragraphs[0], paragraphs[1], own.replace("readers", "viewers"), *paragraphs[2:]])
    assert changes(copy, SOURCE).summary() == (
        "no word changed; paragraph 5 dropped; 2 paragraphs added (at the start, after paragraph 3)"
    )


words = st.sampled_from(
    [
        "the",
        "minister",
        "said",
        "talks",
        "union",
        "rail",
        "pay",
        "rise",
        "strike",
        "week",
        "Tuesday,",
        "officials.",
        "budget",
    ]
)
paragraph = st.lists(words, min_size=1, max_size=30).map(" ".join)
texts = st.lists(paragraph, min_size=1, max_size=6).map("\n\n".join)


@given(texts, texts)
def test_runs_hold_every_word_of_both_texts_in_order(source: str, copy: str) -> None:
    runs = word_runs(source, copy)
    assert " ".join(r.source for r in runs if r.source).split() == source.split()
    assert " ".join(r.copy for r in runs if r.copy).split() == copy.split()


@given(texts, texts)
def test_each_paragraph_of_the_copy_stands_once_in_order_and_a_dropped_one_is_not_kept(source: str, copy: str) -> None:
    found = changes(copy, source)
    assert [p.copy_number for p in found.paragraphs if p.copy_number] == list(range(1, copy.count("\n\n") + 2))
    dropped = [p.source_number for p in found.paragraphs if p.kind == "dropped"]
    kept = {p.source_number for p in found.paragraphs if p.kind == "kept"}
    assert len(dropped) == len(set(dropped))
    assert not kept & set(dropped)


@given(texts)
@example("the the minister\n\nthe minister")  # two paragraphs sharing their content bigrams
@example("The minister said the the talks failed.\n\nThe minister said the talks failed.")
@example("minister the\n\nminister the the")
def test_a_text_against_itself_changed_nothing(text: str) -> None:
    found = changes(text, text, "Title", "Title")
    assert found.summary() == "same headline; no word changed"


@given(texts, texts)
def test_words_changed_never_exceed_the_words_of_both_texts(source: str, copy: str) -> None:
    found = changes(copy, source)
    changed = sum(p.changed_words for p in found.paragraphs)
    assert changed <= len(source.split()) + len(copy.split())
    shown = [w for p in found.paragraphs for run in p.runs for w in run.source.split()]
    assert len(shown) <= len(source.split())  # a source word is shown once at most


def test_a_text_cut_into_other_paragraphs_is_compared_across_them() -> None:
    """A release extracted as one paragraph on one site and as a paragraph a sentence on another:
    the same words, so nothing changed, whatever the cut."""
    sentences = [p for p in SOURCE.split("\n\n")[:4]]
    one = " ".join(sentences)
    many = "\n\n".join(sentences)
    found = changes(many, one)
    assert found.summary() == "no word changed"
    assert [(p.kind, p.source_number) for p in found.paragraphs] == [("kept", 1)] * 4
    edited = many.replace("Tuesday", "Wednesday").replace(" running,", ",")
    assert changes(one, edited).summary() == "2 words changed in 1 paragraph"
    assert changes(edited, one).summary() == "2 words changed in 2 paragraphs"


def test_a_stretch_too_long_to_align_as_one_is_compared_paragraph_by_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes_module, "_MOST_CELLS", 10)
    paragraphs = SOURCE.split("\n\n")
    found = changes("\n\n".join(paragraphs[:2]), " ".join(paragraphs[:2]))  # cut otherwise: no paragraph whole
    assert [(p.kind, p.source_number) for p in found.paragraphs] == [("kept", 1), ("added", None)]
    assert found.paragraphs[0].changed_words == len(paragraphs[1].split())
