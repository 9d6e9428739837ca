"""The benchmark scripts run (on a tiny corpus: figures are for the scripts themselves to print)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        ("benchmarks.fingerprint", ["--articles", "20", "--repeat", "1"], "signatures equal to datasketch"),
        (
            "benchmarks.ingest",
            ["--articles", "40", "--workers", "1", "--parts", "2"],
            "file the keys",
        ),
        ("benchmarks.corpus", ["--articles", "3"], '"truth_kind": "wire"'),
        ("benchmarks.compare", ["--articles", "30"], "provenance against the storage floor"),
        ("benchmarks.trace", ["--articles", "40", "--probes", "6"], "trace of 6 articles against 40 stored"),
        ("benchmarks.changes", ["--words", "200", "--edits", "6", "--trials", "2"], "rapidfuzz Levenshtein.opcodes"),
        ("benchmarks.pages", ["--articles", "40", "--copies", "5", "--repeat", "1"], "story page, 5 copies"),
        ("benchmarks.prepare", ["--articles", "20", "--repeat", "1"], "ms a document (best of 1, 20 documents)"),
        ("benchmarks.fold", ["--bands", "200", "--words", "300", "--repeat", "1"], "joined by an upsert (now):"),
        ("benchmarks.presence", ["--articles", "40", "--more", "20", "--rounds", "1"], "the filter let"),
    ],
)
def test_benchmark_scripts_run(module: str, args: list[str], expected: str, tmp_path: Path) -> None:
    if module.split(".")[1] in ("ingest", "compare", "trace", "pages", "presence"):
        args = [*args, "--workdir", str(tmp_path)]
    if module == "benchmarks.fold":  # a store to fold into
        from benchmarks.corpus import Generator
        from provenance import Store, ingest

        with Store.open(tmp_path / "s.db") as store:
            ingest(store, [str(Generator(2).write(tmp_path / "crawl.jsonl", 60))])
        args = [*args, "--db", str(tmp_path / "s.db")]
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_generated_corpus_is_deterministic_with_its_ground_truth() -> None:
    from benchmarks.corpus import Generator

    first = [r.json() for r in Generator(5).records(300)]
    assert first == [r.json() for r in Generator(5).records(300)]
    assert first != [r.json() for r in Generator(6).records(300)]
    records = list(Generator(5).records(300))
    kinds = {r.truth_kind for r in records}
    assert kinds == {"wire", "copy", "version", "independent"}
    for record in records:
        words = len(record.text.split())
        assert words >= 150, record.id  # a copy keeps at least half of a 300-word story
        if record.truth_kind == "wire":
            assert 300 <= words <= 1300
    copies = [r for r in records if r.truth_kind == "copy"]
    wires = {r.truth_story: r for r in records if r.truth_kind == "wire"}
    assert all(c.truth_story in wires and c.publisher != wires[c.truth_story].publisher for c in copies)


def test_stories_on_one_event_print_its_quotations_and_are_not_one_story() -> None:
    from benchmarks.corpus import Generator

    said: dict[str, set[str]] = {}  # a quotation paragraph -> the true stories that print it
    for record in Generator(5).records(300):
        for paragraph in record.text.split("\n\n"):
            if paragraph.startswith("\u201c"):
                said.setdefault(paragraph, set()).add(record.truth_story)
    shared = [stories for stories in said.values() if len(stories) > 1]
    assert len(shared) >= 10  # the hard negatives: other stories, the same quotations


def test_stages_time_the_writer_and_leave_it_as_it_was(tmp_path: Path) -> None:
    from benchmarks.corpus import Generator
    from benchmarks.stages import Stages
    from provenance import Store, candidates, ingest, store

    corpus = tmp_path / "corpus.jsonl"
    Generator(4).write(corpus, 60)
    find, commit = candidates.find, store._immediate
    with Store.open(tmp_path / "s.db") as opened, Stages() as stages:
        ingest(opened, [str(corpus)], workers=1, batch_size=20)
    assert stages.calls["a batch in all"] == 3
    assert stages.calls["insert the articles"] == 60
    assert stages.calls["the keys left for the next fold"] == 1
    assert "fold keys into the key tables" not in stages.calls  # 60 articles' keys are left unfolded
    assert stages.calls["commit"] == 4  # three batches and the keys left
    lines = stages.report(60)
    assert any(line.strip().startswith("find candidates") for line in lines)
    assert (candidates.find, store._immediate) == (find, commit)


def test_trace_stages_time_each_traced_article_and_its_slowest(tmp_path: Path) -> None:
    from benchmarks.corpus import Generator
    from benchmarks.stages import TRACE_STAGES, Stages
    from benchmarks.trace import where_the_time_goes
    from provenance import Store, ingest
    from provenance import trace as tracing

    records = list(Generator(4).records(40))
    corpus, probes = tmp_path / "corpus.jsonl", tmp_path / "probes.jsonl"
    corpus.write_text("".join(r.json() + "\n" for r in records), encoding="utf-8")
    probes.write_text("".join(json.dumps({"id": f"p{r.id}", "text": r.text}) + "\n" for r in records[:5]))
    prepare = tracing.prepare
    with Store.open(tmp_path / "s.db") as store:
        ingest(store, [str(corpus)], workers=1)
        spent, times, sources = [], [], []
        with Stages(TRACE_STAGES) as stages:
            for n, item in enumerate(tracing.trace(store, [str(probes)])):
                spent.append(dict(stages.cpu))
                times.append(float(n))  # the last is the slowest
                sources.append(len(item.sources) if isinstance(item, tracing.Trace) else 0)
    assert stages.calls["extract and fingerprint it"] == 5
    assert stages.calls["find candidates"] == 5
    assert tracing.prepare is prepare
    lines = where_the_time_goes(times, spent, sources, stages.labels())
    assert lines[0].split()[-3:] == ["all", "slowest", "2%"]
    shown = lines[-1].split()
    assert shown[:2] == ["sources", "shown"]
    assert float(shown[-1]) == sources[-1]  # the slowest 2% of five articles: the last
    assert float(shown[-2]) == sum(sources) / 5


def test_detection_is_scored_against_the_ground_truth(tmp_path: Path) -> None:
    from benchmarks.corpus import Generator
    from benchmarks.truth import read_truth, score
    from provenance import Store, ingest

    corpus = tmp_path / "corpus.jsonl"
    Generator(3).write(corpus, 60)
    with Store.open(tmp_path / "s.db") as store:
        ingest(store, [str(corpus)])
    truth = read_truth(corpus)
    found = score(tmp_path / "s.db", truth)
    assert found.copies == sum(kind == "copy" for _, kind in truth.values())
    assert found.recall == 1.0
    assert found.precision == 1.0
    with Store.open(tmp_path / "s.db") as store:  # a link between two true stories is counted wrong
        story, copy = store.db.execute("SELECT story_id, article_id FROM links LIMIT 1").fetchone()
        stranger = store.db.execute("SELECT id FROM articles WHERE key LIKE '%-own' LIMIT 1").fetchone()[0]
        store.db.execute(
            "UPDATE links SET article_id = ? WHERE story_id = ? AND article_id = ?", [stranger, story, copy]
        )
    wrong = score(tmp_path / "s.db", truth)
    assert wrong.right == found.right - 1
    assert wrong.found < found.found


def test_the_alignment_benchmark_realigns_a_stores_links(tmp_path: Path) -> None:
    from provenance import Store, ingest

    from .conftest import SAMPLES

    db = tmp_path / "s.db"
    with Store.open(db) as store:
        ingest(store, [str(SAMPLES)])
        links = store.count("links")
    command = [sys.executable, "-m", "benchmarks.align", "--db", str(db), "--links", "50"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{links} alignments: " in done.stdout


def _hold(megabytes: int, ready: Any, done: Any) -> None:
    held = bytearray(megabytes * 2**20)  # zero-filled: every page written, the child's own
    ready.send(len(held))
    done.recv()


def test_memory_counts_what_children_hold_and_pages_shared_once() -> None:
    import multiprocessing

    from benchmarks.memory import MemoryWatch, children, total_mb

    alone = total_mb()
    context = multiprocessing.get_context("fork")
    ready_out, ready_in = context.Pipe(duplex=False)
    done_out, done_in = context.Pipe(duplex=False)
    child = context.Process(target=_hold, args=(64, ready_in, done_out))
    child.start()
    try:
        ready_out.recv()  # the child holds its 64 MB
        assert child.pid in children(os.getpid())
        with MemoryWatch(interval=60) as watch:  # sampled on entry and exit
            pass
        # the child's own 64 MB, and not again the pages it shares with this process
        assert alone + 60 <= watch.peak_mb <= alone + 64 + 0.5 * alone
    finally:
        done_in.send(None)
        child.join()
