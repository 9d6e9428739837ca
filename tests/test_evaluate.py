from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance.cli import app
from provenance.evaluate import adjusted_rand_index, evaluate

from .conftest import SAMPLES

SYNDICATION = SAMPLES / "syndication"


def write_corpus(folder: Path) -> None:
    preview = json.loads((SYNDICATION / "feed.jsonl").read_text().splitlines()[1])
    docs = [
        {"id": "wire", "text": (SYNDICATION / "wire-original.txt").read_text(), "group": "port", "role": "wire",
         "cluster": "port"},
        {"id": "trimmed", "text": (SYNDICATION / "coastdaily-trimmed.txt").read_text(), "group": "port",
         "role": "newspaper", "cluster": "port"},
        {"id": "edited", "text": (SYNDICATION / "morningpost-new-headline.txt").read_text(), "group": "port",
         "role": "newspaper", "cluster": "port"},
        {"id": "preview", "text": preview["text"], "group": "preview", "role": "newspaper", "cluster": "preview"},
        {"id": "seed", "text": (SAMPLES / "000_a7592bb494e02b3e.txt").read_text(), "group": "russia",
         "role": "newspaper", "cluster": "russia"},
    ]  # fmt: skip
    folder.mkdir(exist_ok=True)
    (folder / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    labels = [("wire", "trimmed", "wholly"), ("wire", "edited", "wholly"), ("wire", "preview", "non"),
              ("wire", "seed", "non")]  # fmt: skip
    (folder / "labels.jsonl").write_text(
        "".join(json.dumps({"a": a, "b": b, "label": label}) + "\n" for a, b, label in labels)
    )


def test_evaluate_scores_pairs_groups_and_clusters(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus")
    result = evaluate(tmp_path / "corpus")
    assert (result.documents, result.skipped, result.stories, result.links) == (5, 0, 1, 2)
    assert result.pairs is not None
    assert (result.pairs.pairs, result.pairs.precision, result.pairs.recall, result.pairs.f1) == (4, 1.0, 1.0, 1.0)
    assert result.pairs.confusion == {"wholly": {"wholly": 2}, "partially": {}, "non": {"non": 2}}
    # a perfect result on labels without a partially pair: averaged over the classes they hold
    assert (result.pairs.macro_f1, result.pairs.per_class) == (1.0, {"wholly": 1.0, "non": 1.0})
    assert result.groups is not None
    assert (result.groups.inside_share, result.groups.newspapers_linked, result.groups.newspapers) == (1.0, 2, 4)
    assert result.adjusted_rand == 1.0


def test_eval_command(tmp_path: Path) -> None:
    write_corpus(tmp_path / "corpus")
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "corpus"), "--format", "json", "-j", "1"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["pairs"]["f1"] == 1.0
    assert data["groups"]["linked_share"] == 0.5
    table = CliRunner().invoke(app, ["eval", str(tmp_path / "corpus"), "-j", "1"])
    assert "derived vs non: F1" in table.stdout
    assert re.search(r"macro-F1 over wholly, non +│ +1\.000", table.stdout)


def test_eval_of_a_folder_without_documents_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path} holds no documents.jsonl: not a corpus in the corpora format\n"


@pytest.mark.parametrize(
    ("a", "b", "ari"),
    [
        (["x", "x", "y", "y"], ["1", "1", "2", "2"], 1.0),
        (["x", "x", "y", "y"], ["1", "2", "1", "2"], -0.5),
        (["x", "y", "z"], ["1", "2", "3"], 1.0),
    ],
)
def test_adjusted_rand_index(a: list[str], b: list[str], ari: float) -> None:
    assert adjusted_rand_index(a, b) == pytest.approx(ari)


def test_a_sites_duplicate_is_a_member_and_stories_are_scored(tmp_path: Path) -> None:
    """One site's page at two URLs, a copy of nothing else, makes a story of its own (relation
    version), and eval counts labelled republications that share a story, and labelled non
    pairs that do."""
    preview = json.loads((SYNDICATION / "feed.jsonl").read_text().splitlines()[1])["text"]
    docs = [
        {"id": "wire", "text": (SYNDICATION / "wire-original.txt").read_text(), "publisher": "Northwind Wire"},
        {"id": "copy", "text": (SYNDICATION / "harbourtimes-copy.txt").read_text(), "publisher": "Harbour Times"},
        {"id": "preview", "text": preview, "publisher": "Bay Herald", "url": "https://bayherald.example/a"},
        {"id": "preview-again", "text": preview, "publisher": "Bay Herald", "url": "https://bayherald.example/b"},
    ]  # fmt: skip
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    labels = [("preview", "preview-again", "wholly"), ("wire", "copy", "wholly"), ("wire", "preview", "non")]
    (folder / "labels.jsonl").write_text("".join(json.dumps({"a": a, "b": b, "label": c}) + "\n" for a, b, c in labels))
    result = evaluate(folder)
    assert (result.stories, result.links) == (2, 2)
    assert result.pairs is not None
    assert (result.pairs.wholly_together, result.pairs.wholly, result.pairs.non_together, result.pairs.non) == (
        2, 2, 0, 1)  # fmt: skip
    shown = CliRunner().invoke(app, ["eval", str(folder), "-j", "1"])
    assert re.search(r"labelled wholly pairs in a common story\s+│\s+2/2", shown.stdout)


def test_story_links_outside_the_labelled_pairs_count_as_stray(tmp_path: Path) -> None:
    """Scored as a held-out set is: each story link (member against canonical) whose pair is not
    labelled counts false, and each relation's links are scored on the labelled ones."""
    write_corpus(tmp_path / "corpus")
    labels = tmp_path / "corpus" / "labels.jsonl"
    labels.write_text("".join(line + "\n" for line in labels.read_text().splitlines() if '"edited"' not in line))
    result = evaluate(tmp_path / "corpus")
    assert result.pairs is not None
    p = result.pairs
    assert p.links == {"wholly": {"wholly": 1, "unlabelled": 1}}
    assert (p.link_precision, p.link_recall, round(p.link_f1, 3)) == (0.5, 1.0, 0.667)
    assert (p.link_precision_of("wholly"), p.link_precision_of("partially")) == (1.0, None)
    assert (p.together_precision, p.together_recall) == (1.0, 1.0)
    shown = CliRunner().invoke(app, ["eval", str(tmp_path / "corpus"), "-j", "1"])
    assert re.search(r"wholly links labelled derived \(unlabelled\)\s+│\s+1/1 = 1.00 \(1\)", shown.stdout)
    assert re.search(r"links, stray ones false: P / R / F1\s+│\s+0.500 / 1.000 / 0.667", shown.stdout)
