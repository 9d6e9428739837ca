"""The link decision: the ordered evidence it weighs, the regression it is, how it is fitted, and
the shapes of real pages that made wrong links before it (tests/shapes.py)."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from provenance import MatchPolicy, Store, build_report, ingest
from provenance.calibrate import Example, fit, operating_point, read_examples
from provenance.calibrate import main as calibrate
from provenance.cli import app
from provenance.evaluate import evaluate
from provenance.evidence import Decision, Features, Ordered, aligned_sentences, in_order, shipped_decision
from provenance.fingerprint import fingerprint
from provenance.match import STOPWORDS, features, profile

from . import shapes

runner = CliRunner()


def _profile(paragraphs: list[str]):  # type: ignore[no-untyped-def]
    text = "\n\n".join(paragraphs)
    return profile(text, fingerprint(text))


# -- the evidence ----------------------------------------------------------------------------------


def test_sentences_in_the_sources_order_and_out_of_it() -> None:
    """A rewrite that keeps every sentence aligns them all, in order; the same sentences shuffled
    still align, but fewer keep the order; an independent story aligns none."""
    source = _profile(shapes.STRIKE)
    same, _ = features(_profile(shapes.STRIKE[:5]), source)
    shuffled, _ = features(_profile([shapes.STRIKE[i] for i in (4, 0, 3, 1, 2)]), source)
    other, _ = features(_profile(shapes.COACH), source)
    assert (same.sentences, same.sentences_in_order) == (1.0, 1.0)
    assert shuffled.sentences == 1.0
    assert shuffled.sentences_in_order < 1.0
    assert other.sentences <= 1 / 6  # a dateline's words at most
    assert shipped_decision().confidence(other) < 0.5  # (and below the floor: never weighed)


def test_one_shared_sentence_is_little_support() -> None:
    """A story that shares one sentence of another (a lede, a background line) has one aligned
    sentence: support log(2), against a trimmed copy's several."""
    one = _profile([shapes.BRIDGE[2], *shapes.STRIKE[1:]])
    found, _ = features(one, _profile(shapes.BRIDGE))
    trimmed, _ = features(_profile(shapes.BRIDGE[:4]), _profile(shapes.BRIDGE))
    assert found.support == pytest.approx(math.log(2))
    assert trimmed.support == pytest.approx(math.log(5))


def test_in_order_counts_the_longest_run_of_shared_bigrams_in_order() -> None:
    def text(first: list[int]) -> Ordered:
        return Ordered(len(first), np.array(first, np.int32))

    copy = np.array([5, 6, 7, 8], np.uint32)  # hashes, sorted; their first places in the copy: 0 1 2 3
    source = np.array([5, 6, 7, 8, 9], np.uint32)  # ... and in the source: 7 before 5 and 6
    assert in_order(copy, text([0, 1, 2, 3]), source, text([1, 2, 0, 4, 3])) == 3  # 5 6 8 keep the order
    assert in_order(copy, text([0, 1, 2, 3]), np.array([1], np.uint32), text([0])) == 0


@given(st.lists(st.integers(1, 40), min_size=1, max_size=60), st.lists(st.integers(1, 40), min_size=1, max_size=60))
def test_aligned_sentences_are_bounded(copy_words: list[int], source_words: list[int]) -> None:
    """Whatever the texts, the aligned sentences are at most those counted, those in order at most
    those aligned."""

    def text(words: list[int]) -> Ordered:
        hashes = np.array(words, np.uint32)
        starts = np.array(sorted({0, *range(0, len(words), 5)}), np.int32)
        return Ordered.of(hashes, starts, hashes > 3, np.empty(0, np.int32))  # 1, 2, 3 stand for function words

    found = aligned_sentences(text(copy_words), text(source_words))
    assert 0 <= found.in_order <= found.aligned <= found.counted


def test_a_text_against_itself_is_wholly_its_own() -> None:
    a = _profile(shapes.BRIDGE)
    found, _ = features(a, a)
    assert (found.reuse, found.sentences, found.sentences_in_order, found.ratio) == (1.0, 1.0, 1.0, 0.0)


# -- the decision ----------------------------------------------------------------------------------


def test_the_shipped_decision_is_plain_data_fitted_by_the_command() -> None:
    decision = shipped_decision()
    data = json.loads((Path(__file__).parent.parent / "provenance/data/decision.json").read_text())
    assert Decision.from_dict(data) == decision
    assert set(decision.names) <= set(Features.names())
    assert data["fitted"]["leave_one_corpus_out"]  # its cross-validated figures travel with it
    assert 0.0 < decision.min_confidence < 1.0


def test_a_decision_naming_an_unknown_feature_is_refused() -> None:
    with pytest.raises(ValueError, match="decision weights name features there are not: colour"):
        Decision(("colour",), (0.0,), (1.0,), (1.0,), 0.0, {})


def _example(corpus: str, label: int, sentences: float) -> Example:
    values = dict.fromkeys(Features.names(), 0.0)
    values.update(sentences=sentences, sentences_in_order=sentences, in_order=sentences / 2, support=sentences)
    return Example(corpus, "a", "b", Features(**values), label)


def test_fit_separates_what_the_labels_separate_and_is_calibrated(tmp_path: Path) -> None:
    """On two corpora where derived pairs align most of their sentences and others few, the fitted
    regression ranks every derived pair above every other, and its mean probability on them is
    near their share; the examples written by --examples are read back the same."""
    rng = np.random.default_rng(7)
    examples = [
        _example(corpus, label, float(np.clip(rng.normal(0.7 if label else 0.2, 0.15), 0, 1)))
        for corpus in ("one", "two")
        for label in (0, 1)
        for _ in range(60)
    ]
    decision = fit(examples)
    scores = [decision.confidence(e.features) for e in examples]
    derived = [s for s, e in zip(scores, examples, strict=True) if e.label]
    others = [s for s, e in zip(scores, examples, strict=True) if not e.label]
    assert min(derived) > 0.5 > max(others) or np.mean(derived) - np.mean(others) > 0.6
    assert abs(np.mean(scores) - 0.5) < 0.05
    assert 0.05 <= operating_point(decision, examples) <= 0.95


def test_the_calibration_command_fits_leaving_each_corpus_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(3)
    path = tmp_path / "examples.jsonl"
    with path.open("w") as out:
        for corpus in ("one", "two", "three"):
            for label in (0, 1):
                for _ in range(40):
                    e = _example(corpus, label, float(np.clip(rng.normal(0.7 if label else 0.2, 0.1), 0, 1)))
                    values = dict(zip(Features.names(), e.features.values(), strict=True))
                    out.write(json.dumps({"corpus": corpus, "a": "a", "b": "b", "label": label, **values}) + "\n")
    assert len(read_examples(path)) == 240
    written = tmp_path / "decision.json"
    assert calibrate([str(path), "--out", str(written)]) == 0
    printed = capsys.readouterr().out
    assert [line.split()[0] for line in printed.splitlines()[1:4]] == ["one", "three", "two"]
    decision = Decision.from_dict(json.loads(written.read_text()))
    assert set(decision.fitted["leave_one_corpus_out"]) == {"one", "two", "three"}
    assert f"default --min-confidence {decision.min_confidence}" in printed


# -- the shapes of real pages ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The stories of the corpus of shapes: canonical -> {member: relation}."""
    folder = shapes.write(tmp_path_factory.mktemp("shapes"))
    with Store.open(folder / "s.db") as store:
        ingest(store, [str(folder / "documents.jsonl")], workers=1)
        return {s.canonical or "": {m.key: m.relation for m in s.members[1:]} for s in build_report(store).stories}


def test_a_live_blog_is_a_member_of_each_story_it_carries_never_their_canonical(
    shaped: dict[str, dict[str, str]],
) -> None:
    for wire in ("wire-bridge", "wire-strike", "wire-coach"):
        assert shaped[wire]["live-blog"] == "compilation"
    assert "live-blog" not in shaped  # never a canonical: it carries the wire's stories, it is not their source
    # and no bridge: the three stories stay three
    assert not set(shaped["wire-bridge"]) & {"wire-strike", "wire-coach"}


def test_an_independent_report_of_the_same_event_is_not_linked(shaped: dict[str, dict[str, str]]) -> None:
    assert all("report-bridge" not in members for members in shaped.values())
    assert shaped["wire-bridge"]["copy-bridge"] == "wholly"


def test_a_statement_printed_without_quotation_marks_links_no_two_reports(shaped: dict[str, dict[str, str]]) -> None:
    assert not any({"storm-one", "storm-two"} & ({c} | set(m)) for c, m in shaped.items())


def test_identical_caption_pages_are_exact_duplicates(shaped: dict[str, dict[str, str]]) -> None:
    assert shaped["caption-one"] == {"caption-two": "exact"}


def test_the_credited_outlets_own_page_is_the_canonical_and_the_origin(tmp_path: Path) -> None:
    """A station's copy credited "(CNN) --" and CNN's own page, neither dated: CNN's page is the
    canonical (before any key order: the station's key comes first) and CNN the origin."""
    folder = shapes.write(tmp_path / "shapes")
    with Store.open(tmp_path / "s.db") as store:
        ingest(store, [str(folder / "documents.jsonl")], workers=1)
        (story,) = [s for s in build_report(store).stories if s.canonical == "wire-cnn-senate"]
    assert [m.key for m in story.members] == ["wire-cnn-senate", "kxrt-senate"]
    assert story.canonical_reason == "published by the wire itself"
    assert (story.origin.source, story.origin.canonical_present) == ("CNN", True)


def test_eval_scores_the_shapes_and_draws_the_curve(tmp_path: Path) -> None:
    folder = shapes.write(tmp_path / "shapes")
    result = evaluate(folder, workers=1)
    assert result.pairs is not None
    assert (result.pairs.precision, result.pairs.recall) == (1.0, 1.0)
    assert result.pairs.non_together == 0
    assert [p.threshold for p in result.curve] == [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95]
    assert all(later.pairs <= earlier.pairs for earlier, later in zip(result.curve, result.curve[1:], strict=False))
    at_default = next(p for p in result.curve if p.threshold == result.min_confidence)
    assert at_default.precision == 1.0
    printed = runner.invoke(app, ["eval", str(folder), "-j", "1"], env={"COLUMNS": "80"})
    assert printed.exit_code == 0
    assert "pairs kept at each confidence" in printed.stdout
    assert max(len(line) for line in printed.stdout.splitlines()) <= 80


def test_eval_at_another_confidence_links_as_an_ingest_at_it_would(tmp_path: Path) -> None:
    """eval weighs every pair once, then links at the confidence asked: the stories are those an
    ingest at that confidence makes."""
    folder = shapes.write(tmp_path / "shapes")
    strict = evaluate(folder, workers=1, policy=MatchPolicy(min_confidence=0.99))
    with Store.open(tmp_path / "s.db", policy=MatchPolicy(min_confidence=0.99)) as store:
        ingest(store, [str(folder / "documents.jsonl")], workers=1)
        assert (strict.stories, strict.links) == (store.count("stories"), store.count("links"))
    assert strict.min_confidence == 0.99


def test_seeds_and_samples_make_no_false_link(store: Store) -> None:
    from .conftest import SAMPLES

    ingest(store, [str(SAMPLES)])
    linked = {m.key for s in build_report(store).stories for m in s.members}
    assert not {k for k in linked if k.startswith(str(SAMPLES / "000_"))}  # the other seed stands alone
    assert not any("preview" in k for k in linked)  # the feed's preview story: same vote, its own words


def test_an_older_stores_pairs_keep_an_unknown_confidence(tmp_path: Path) -> None:
    """Upgraded to 0014, the pairs and links decided by the old thresholds say their confidence is
    unknown (NULL), and the store takes the default confidence as its own."""
    import sqlite_utils

    from provenance.migrations import migrations

    path = tmp_path / "old.db"
    from provenance.fingerprint import DEFAULT_PARAMS

    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0014_confidence")
    db.table("parameters").insert_all([{"name": k, "value": v} for k, v in DEFAULT_PARAMS.as_dict().items()])
    db.execute("INSERT INTO parameters (name, value) VALUES ('policy.partially', '0.2')")
    db.close()
    with Store.open(path) as store:
        assert store.policy == MatchPolicy()
        assert store.upgraded_from == "0013_files_and_templates"
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM parameters WHERE name LIKE 'policy.%'")}
        assert "policy.partially" not in names
        assert "policy.min_confidence" in names
        columns = {row[1] for row in conn.execute("PRAGMA table_info(matches)")}
        assert "confidence" in columns


def test_function_words_are_no_evidence_of_a_shared_sentence() -> None:
    """Sentences made of function words alone align nothing."""
    words = " ".join(sorted(STOPWORDS)[:40])
    text = ". ".join([words] * 4) + "."
    a = profile(text, fingerprint(text))
    found, _ = features(a, a)
    assert found.sentences == 0.0


def test_a_wires_update_and_the_text_it_updated_are_one_story(shaped: dict[str, dict[str, str]]) -> None:
    """The wire's morning text (copied by two sites) and its evening update (new lede, half the
    text new; copied by two others), all credited to the wire: one story, not two; the update's
    copy says which version it copies."""
    (story,) = [members for members in shaped.values() if "docks-hill" in members]
    assert set(story) == {"docks-hill", "docks-lake", "docks-river"}
    assert not any("docks-lake" in members for members in shaped.values() if members is not story)


def test_pairs_are_weighed_alike_whatever_the_profiles_kept_at_hand(tmp_path: Path) -> None:
    """A cache too small for a batch's candidates still weighs every pair, with the same result:
    the ordered evidence of a stored text is read again where it was not kept."""
    from provenance.pipeline import ProfileCache, _verified

    folder = shapes.write(tmp_path / "shapes")
    with Store.open(tmp_path / "s.db") as store:
        ingest(store, [str(folder / "documents.jsonl")], workers=1)
        ids = [i for (i,) in store.db.execute("SELECT id FROM articles ORDER BY id")]
        candidates = {(a, b) for a in ids for b in ids if a < b}
        roomy = _verified(candidates, ProfileCache(store), store.policy)
        tiny = _verified(candidates, ProfileCache(store, budget=1), store.policy)
    assert roomy == tiny
    assert len(roomy) >= 8
