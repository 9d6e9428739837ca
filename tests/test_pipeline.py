from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import MatchPolicy, Store, build_report, ingest, pipeline
from provenance.models import RawDocument
from provenance.passages import Alignment
from provenance.pipeline import AlignJob, align_here
from provenance.report import summary

from .conftest import SAMPLES
from .strategies import articles, chrome, page, random_articles

SYNDICATION = SAMPLES / "syndication"


def table_dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = ["articles", "bands", "matches", "stories", "links"]
    dump = {}
    for table in tables:
        columns = "*" if table != "articles" else "id, key, location, title, publisher, published, text, content_hash"
        dump[table] = sorted(store.db.execute(f"SELECT {columns} FROM {table}").fetchall())
    return dump


def stories_by_key(store: Store) -> set[tuple[str, frozenset[str]]]:
    return {(s.canonical or "", frozenset(m.key for m in s.members)) for s in build_report(store).stories}


def test_samples_copies_linked_and_seeds_apart(store: Store, samples: str) -> None:
    result = ingest(store, [samples])
    assert (result.read, result.new, result.skipped) == (8, 8, [])
    report = build_report(store, result)
    story, lone = report.stories
    assert story.canonical == "samples/syndication/wire-original.txt"
    # the MSN copy of a Bloomberg story stands alone, its original absent: a story without a canonical
    assert (lone.canonical, lone.origin.source, lone.origin.canonical_present) == (None, "Bloomberg", False)
    assert [m.key for m in lone.members] == ["samples/004_034d8394e554abdd.txt"]
    relations = {m.key: m.relation for m in story.members}
    assert relations == {
        "samples/syndication/wire-original.txt": "canonical",
        "samples/syndication/harbourtimes-copy.txt": "exact",
        "bayherald-2026-03-05-port-expansion": "exact",
        "samples/syndication/morningpost-new-headline.txt": "wholly",
        "samples/syndication/coastdaily-trimmed.txt": "wholly",
    }
    linked = {m.key for m in story.members}
    assert "bayherald-2026-03-02-port-vote-preview" not in linked  # same topic, another story
    assert not linked & {"samples/000_a7592bb494e02b3e.txt", "samples/004_034d8394e554abdd.txt"}
    assert store.count("matches") == 10  # the five copies pairwise, nothing else
    assert (result.exact_duplicates, result.copies_linked) == (2, 5)  # the lone copy of the Bloomberg story too


def test_every_link_has_evidence(store: Store, samples: str) -> None:
    ingest(store, [samples])
    rows = list(store.db.query("SELECT evidence FROM links"))
    assert rows
    for row in rows:
        assert '"verified": "5-gram shingles and content bigrams of both texts"' in row["evidence"]


def test_ingesting_twice_changes_nothing(store: Store, samples: str) -> None:
    ingest(store, [samples])
    before = table_dump(store)
    again = ingest(store, [samples])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 8)
    assert table_dump(store) == before


def test_a_later_run_finds_copies_of_earlier_articles(store: Store, samples: str) -> None:
    first = ingest(store, [f"{samples}/syndication/wire-original.txt", f"{samples}/004_034d8394e554abdd.txt"])
    assert first.copies_linked == 1  # the lone copy of the Bloomberg story
    second = ingest(store, [f"{samples}/syndication/coastdaily-trimmed.txt"])
    assert second.copies_linked == 1
    story, _ = build_report(store).stories  # and the lone copy of the Bloomberg story
    assert [m.key for m in story.members] == [
        "samples/syndication/wire-original.txt", "samples/syndication/coastdaily-trimmed.txt"]  # fmt: skip


def test_a_key_given_new_text_is_updated_and_relinked(store: Store, tmp_path: Path) -> None:
    from .state import filed

    body = page(["Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi. " * 4] * 4)
    other = page(["Rho sigma tau upsilon phi chi psi omega one two three four five six seven eight. " * 4] * 4)
    (tmp_path / "a.txt").write_text(body)
    (tmp_path / "b.txt").write_text(body + "\nA closing line of the copier's own, written here.\n")
    ingest(store, [str(tmp_path)])
    assert len(build_report(store).stories) == 1
    (tmp_path / "b.txt").write_text(other)
    result = ingest(store, [str(tmp_path)])
    assert (result.updated, result.unchanged) == (1, 1)
    assert build_report(store).stories == []
    assert store.count("articles") == 2
    assert len(filed(store.db.conn, "band")[0]) == 2 * store.params.bands  # the old text's band keys gone


def test_skipped_inputs_are_reported_and_remembered(store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "chrome.txt").write_text("Share\nTweet\n© 2026 Example\n")
    (tmp_path / "story.txt").write_text(
        "A sentence long enough to be an article body, really. It goes on to a second sentence."
    )
    result = ingest(store, [str(tmp_path)])
    assert sorted((s.location, s.reason) for s in result.skipped) == [
        (str(tmp_path / "chrome.txt"), "no article text found (only page boilerplate)"),
        (str(tmp_path / "empty.txt"), "empty"),
    ]
    assert result.new == 1
    assert [s.location for s in build_report(store).skipped] == [str(tmp_path / "chrome.txt"),
                                                                 str(tmp_path / "empty.txt")]  # fmt: skip
    (tmp_path / "empty.txt").write_text(
        "Now the file holds a story of its own. It has a sentence or two, and then a third one that "
        "runs a little longer than the others before it ends."
    )
    ingest(store, [str(tmp_path)])
    assert [s.location for s in build_report(store).skipped] == [str(tmp_path / "chrome.txt")]


# -- properties --------------------------------------------------------------------------------


def ingest_texts(
    texts: dict[str, str], order: list[str] | None = None
) -> tuple[set[tuple[str, frozenset[str]]], dict[str, list[tuple[object, ...]]]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in texts.items():
            (folder / name).write_text(text)
        with Store.open(folder / "s.db") as store:
            for name in order or sorted(texts):
                ingest(store, [str(folder / name)])
            stories = {(Path(c).name, frozenset(Path(k).name for k in ks)) for c, ks in stories_by_key(store)}
            return stories, table_dump(store)


@settings(max_examples=25)
@given(source=articles(), garnish=chrome())
def test_a_copy_with_page_boilerplate_around_it_is_linked(
    source: list[str], garnish: tuple[list[str], list[str]]
) -> None:
    stories, _ = ingest_texts({"original.txt": page(source), "copy.txt": page(source, *garnish)})
    assert len(stories) == 1
    ((_, members),) = stories
    assert members == {"original.txt", "copy.txt"}


@settings(max_examples=25)
@given(a=random_articles(), b=random_articles())
def test_two_unrelated_texts_are_not_linked(a: list[str], b: list[str]) -> None:
    stories, _ = ingest_texts({"a.txt": page(a), "b.txt": page(b)})
    assert stories == set() or a == b


@settings(max_examples=20)
@given(
    source=articles(min_paragraphs=6),
    cuts=st.lists(st.integers(1, 3), min_size=3, max_size=3),
    dates=st.lists(st.sampled_from(["March 1, 2020", "March 2, 2020", ""]), min_size=4, max_size=4),
    order=st.permutations(["w.txt", "x.txt", "y.txt", "z.txt"]),
)
def test_canonical_and_members_do_not_depend_on_input_order(
    source: list[str], cuts: list[int], dates: list[str], order: list[str]
) -> None:
    texts = {"w.txt": page(source, [dates[0]])}
    for name, cut, date in zip(["x.txt", "y.txt", "z.txt"], cuts, dates[1:], strict=True):
        texts[name] = page(source[: len(source) - cut], [date] if date else [])
    in_order, _ = ingest_texts(texts, sorted(texts))
    shuffled, _ = ingest_texts(texts, order)
    assert in_order  # the trimmed copies are linked ...
    assert shuffled == in_order  # ... to the same canonical, whatever the order of ingest


@settings(max_examples=15)
@given(docs=st.lists(articles(max_paragraphs=5), min_size=1, max_size=4), garnish=chrome())
def test_ingest_is_idempotent(docs: list[list[str]], garnish: tuple[list[str], list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, doc in enumerate(docs):
            (folder / f"{i}.txt").write_text(page(doc))
            (folder / f"{i}-copy.txt").write_text(page(doc, *garnish))
        with Store.open(folder / "s.db") as store:
            ingest(store, [str(folder)])
            before = table_dump(store)
            result = ingest(store, [str(folder)])
            assert result.new == result.updated == 0
            assert table_dump(store) == before


def test_a_process_pool_gives_the_same_store_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import random

    widened: list[list[int]] = []
    widen = pipeline.widen_pipes
    monkeypatch.setattr(pipeline, "widen_pipes", lambda pool: widened.append(widen(pool)) or widened[-1])

    rnd = random.Random(5)
    words = [f"w{i}" for i in range(3000)]
    stories = [" ".join(rnd.choices(words, k=300)) + "." for _ in range(300)]
    with (tmp_path / "feed.jsonl").open("w") as feed:
        for i in range(700):  # more than one window of documents: the pool starts
            text = stories[i % 300] if i % 7 else stories[(i * 13) % 300][: 900 + i]
            feed.write(json.dumps({"id": f"doc{i}", "text": text, "published": f"2020-01-{1 + i % 28:02d}"}) + "\n")
    dumps = []
    for workers in (1, 2):
        with Store.open(tmp_path / f"w{workers}.db") as store:
            ingest(store, [str(tmp_path / "feed.jsonl")], workers=workers)
            dumps.append(table_dump(store))
    assert dumps[0]["links"]
    assert dumps[0] == dumps[1]
    if _PIPES_RESIZE:  # the pool's two pipes, each holding a chunk of prepared documents and more
        assert widened == [[pipeline.PIPE_BYTES, pipeline.PIPE_BYTES]]


_PIPES_RESIZE = sys.platform == "linux" and (
    os.geteuid() == 0 or int(Path("/proc/sys/fs/pipe-max-size").read_text()) >= pipeline.PIPE_BYTES
)


@pytest.mark.skipif(not _PIPES_RESIZE, reason="pipes are resized on Linux, up to /proc/sys/fs/pipe-max-size")
def test_a_pools_pipes_hold_a_chunk_of_prepared_documents() -> None:
    import fcntl

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pipeline.widen_pipes(pool) == [pipeline.PIPE_BYTES, pipeline.PIPE_BYTES]
        for queue in (pool._call_queue, pool._result_queue):
            assert fcntl.fcntl(queue._writer.fileno(), fcntl.F_GETPIPE_SZ) == pipeline.PIPE_BYTES
        assert pool.submit(sum, [1, 2]).result() == 3


def test_a_pool_whose_pipes_the_system_will_not_widen_works_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    fcntl = pytest.importorskip("fcntl")

    def refused(fd: int, command: int, arg: int = 0) -> int:
        raise PermissionError("the user's pipes hold all the system allows them")

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        monkeypatch.setattr(fcntl, "fcntl", refused)
        assert pipeline.widen_pipes(pool) == []
        monkeypatch.undo()
        assert pool.submit(sum, [1, 2]).result() == 3


SITE_LINE = "The Daily Example brings you trusted local news, weather and sport every single day of the week."


def test_a_line_shared_by_a_sites_pages_is_dropped_but_copies_keep_their_story(tmp_path: Path) -> None:
    import random

    rnd = random.Random(3)
    vocabulary = [f"word{i}" for i in range(2000)]

    def story() -> list[str]:
        return [" ".join(rnd.choices(vocabulary, k=40)) + "." for _ in range(5)]

    site = tmp_path / "site"
    site.mkdir()
    for i in range(4):  # four different stories of one site, each with the site's line
        (site / f"{i}.txt").write_text(page(story(), [SITE_LINE]))
    wire = story()
    copies = tmp_path / "copies"
    copies.mkdir()
    for i in range(4):  # four copies of one story: their shared lines are the story
        (copies / f"{i}.txt").write_text(page(wire, [SITE_LINE]))
    with Store.open(tmp_path / "s.db") as store:
        ingest(store, [str(tmp_path)])
        texts = dict(store.db.execute("SELECT key, text FROM articles").fetchall())
    assert all(SITE_LINE not in text for key, text in texts.items() if "/site/" in key)
    for key, text in texts.items():
        if "/copies/" in key:  # the story's lines are shared too, but they are the page: kept
            assert all(paragraph in text for paragraph in wire)


def links_of(store: Store) -> list[tuple[object, ...]]:
    return sorted(store.db.execute("SELECT * FROM links").fetchall())


@settings(max_examples=15)
@given(stories=st.lists(articles(min_paragraphs=5), min_size=1, max_size=3), garnish=chrome(), other=random_articles())
def test_adding_an_unrelated_article_never_changes_existing_links(
    stories: list[list[str]], garnish: tuple[list[str], list[str]], other: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, story in enumerate(stories):
            (folder / f"{i}.txt").write_text(page(story, ["March 1, 2020"]))
            (folder / f"{i}-copy.txt").write_text(page(story[:-1], *garnish))
        with Store.open(folder / "s.db") as store:
            ingest(store, [str(folder)])
            before = links_of(store)
            (folder / "unrelated.txt").write_text(page(other))
            ingest(store, [str(folder / "unrelated.txt")])
            assert links_of(store) == before


@settings(max_examples=15)
@given(docs=st.lists(articles(max_paragraphs=6), min_size=2, max_size=4), garnish=chrome(), data=st.data())
def test_every_link_is_verified_with_evidence_and_canonicals_are_their_stories_own(
    docs: list[list[str]], garnish: tuple[list[str], list[str]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, doc in enumerate(docs):
            (folder / f"{i}.txt").write_text(page(doc))
            mixed = doc[: len(doc) // 2] + data.draw(st.sampled_from(docs))[len(doc) // 2 :]  # a blend of two
            (folder / f"{i}-blend.txt").write_text(page(mixed, *garnish))
        with Store.open(folder / "s.db") as store:
            ingest(store, [str(folder)])
            pairs = {(a, b) for a, b in store.db.execute("SELECT a_id, b_id FROM matches")}
            links = "SELECT coalesce(via, story_id), article_id, evidence FROM links"
            for source, article, evidence in store.db.execute(links):
                # verified against the canonical, or against the version of its lineage it copies
                assert (min(source, article), max(source, article)) in pairs
                assert json.loads(evidence)["verified"]
            canonicals = [c for (c,) in store.db.execute("SELECT canonical_id FROM stories")]
            assert len(canonicals) == len(set(canonicals))  # the canonical of one story only
            copies = {(s, a) for s, a in store.db.execute("SELECT story_id, article_id FROM links")}
            assert not {(s, a) for s, a in copies if a in canonicals and s == a}


@settings(max_examples=20)
@given(source=articles(min_paragraphs=6, max_paragraphs=9), keep=st.floats(0.34, 1.0), garnish=chrome())
def test_a_copy_trimmed_down_to_a_third_of_its_source_keeps_its_link(
    source: list[str], keep: float, garnish: tuple[list[str], list[str]]
) -> None:
    kept = source[: max(1, round(len(source) * keep))]
    if sum(len(p.split()) for p in kept) < 0.3 * sum(len(p.split()) for p in source):
        kept = source[: len(kept) + 1]
    stories, _ = ingest_texts({"source.txt": page(source, ["March 1, 2020"]), "copy.txt": page(kept, *garnish)})
    assert stories == {("source.txt", frozenset({"source.txt", "copy.txt"}))}


def test_a_copy_of_a_stored_rewrite_joins_the_rewrites_story(tmp_path: Path) -> None:
    """The copy finds the rewrite by LSH and needs no full-text search of its own: the rewrite's
    verified pairs (its source among them) are its candidates, so it is linked to the source too."""
    import random

    rnd = random.Random(3)
    vocabulary = [f"{a}{b}{c}o{a}" for a in "bdfgklmnprst" for b in "aeiu" for c in "lmnrst"]
    sentences = [" ".join(rnd.choices(vocabulary, k=14)).capitalize() + "." for _ in range(60)]
    source = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, 60, 4))
    words = source.split(" ")
    # a rewrite: the source's words with one of the writer's own after every third (no 5-gram survives)
    rewrite = " ".join(w + (" indeed" if i % 3 == 2 else "") for i, w in enumerate(words))
    feed = tmp_path / "first.jsonl"
    records = [
        {"id": "source", "text": source, "publisher": "Wire", "published": "2026-01-01"},
        {"id": "rewrite", "text": rewrite, "publisher": "Paper A", "published": "2026-01-02"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records))
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "copy", "text": rewrite, "publisher": "Paper B", "published": "2026-01-03"}))
    with Store.open(tmp_path / "s.db") as store:
        ingest(store, [str(feed)])
        pair = store.db.execute("SELECT relation FROM matches").fetchall()
        assert pair == [("partially",)]  # found by the full-text search, not by LSH
        ingest(store, [str(later)])
        rows = store.db.execute(
            """SELECT a.key, b.key, m.relation FROM matches m
               JOIN articles a ON a.id = m.a_id JOIN articles b ON b.id = m.b_id ORDER BY 1, 2"""
        ).fetchall()
        assert ("source", "copy", "partially") in rows
        stories = {story.canonical: sorted(m.key for m in story.members[1:]) for story in build_report(store).stories}
        # the rewrite is the canonical of its exact copy, and the copy a partial member of the source's story
        assert stories == {"source": ["copy"], "rewrite": ["copy"]}


def test_an_archives_capture_joins_the_story_of_the_page_it_captured(store: Store, tmp_path: Path) -> None:
    """A crawl holds a page and a web archive's capture of it (with the archive's banner line):
    the page is the original, the capture a version of it, and the capture's publisher is the
    site it captured."""
    text = json.loads((SYNDICATION / "feed.jsonl").read_text(encoding="utf-8").splitlines()[1])["text"]
    page = "https://bayherald.example/news/port-vote-preview"
    records = [
        {"id": "capture", "url": f"https://web.archive.org/web/20260305101500/{page}", "published": "2026-03-04",
         "text": "The Wayback Machine captured this page on 5 March 2026.\n\n" + text},
        {"id": "page", "url": page, "published": "2026-03-04", "text": text},
    ]  # fmt: skip
    feed = tmp_path / "crawl.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ingest(store, [str(feed)])
    (story,) = build_report(store).stories
    assert story.canonical == "page"
    assert [(m.key, m.relation) for m in story.members[1:]] == [("capture", "version")]
    assert story.canonical_reason == "the page itself, not an archive's capture of it"
    (capture,) = [m for m in story.members if m.key == "capture"]
    assert capture.publisher == "bayherald.example"


def test_three_scripts_copies_linked_and_independent_stories_apart(tmp_path: Path) -> None:
    """Ingest of the corpus of three scripts: each copy (inside page furniture) is in its source's
    story, no independent story shares a story with the source or the rewrite, and every rewrite
    is found at even odds, the Chinese one too (its word keys are pairs of characters)."""
    from . import scripts

    folder = scripts.write(tmp_path / "scripts")
    with Store.open(tmp_path / "s.db", policy=MatchPolicy(min_confidence=0.5)) as store:
        ingest(store, [str(folder / "documents.jsonl")], workers=1)
        stories = {s.canonical: {m.key: m.relation for m in s.members[1:]} for s in build_report(store).stories}
    assert set(stories) == {"es-source", "ur-source", "zh-source"}
    for lang in scripts.SCRIPTS:
        assert stories[f"{lang}-source"][f"{lang}-copy"] == "wholly"
        assert f"{lang}-other" not in stories[f"{lang}-source"]
    assert [stories[f"{lang}-source"].get(f"{lang}-rewrite") for lang in scripts.SCRIPTS] == ["partially"] * 3


def _model_loaded() -> int:
    from provenance.extract import language

    return language._identifier.cache_info().currsize


def _kernels_in_use() -> str:
    import importlib

    return str(importlib.import_module("provenance.fingerprint")._active.__name__)


def test_workers_start_with_the_language_model_and_kernels_the_writer_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    # each worker loading its own took 0.7 s of CPU a worker and a pool, before its first page
    # (and as much again for the compiled kernels)
    import importlib
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from provenance import _portable
    from provenance.extract import language
    from provenance.fingerprint import DEFAULT_PARAMS
    from provenance.pipeline import _warm_up

    language._identifier.cache_clear()  # as in a new process
    monkeypatch.setattr(importlib.import_module("provenance.fingerprint"), "_active", _portable)
    _warm_up(DEFAULT_PARAMS)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_model_loaded).result() == 1
        assert pool.submit(_kernels_in_use).result() == "provenance._kernels"


_ALIGNMENT_KERNELS = ("token_spans", "gram_keys", "seed_runs", "sentence_spans", "paragraph_reading")


def test_the_writer_compiles_the_alignments_kernels_before_the_workers_fork() -> None:
    # a worker that met its first alignment compiled (or loaded) them itself, every worker of every pool
    import subprocess

    script = (  # a new interpreter: nothing compiled yet
        "from provenance import _kernels\n"
        "from provenance.fingerprint import DEFAULT_PARAMS\n"
        "from provenance.pipeline import _warm_up\n"
        "_warm_up(DEFAULT_PARAMS)\n"
        f"print(' '.join(name for name in {_ALIGNMENT_KERNELS!r} if getattr(_kernels, name).signatures))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == list(_ALIGNMENT_KERNELS)


def _niceness() -> int:
    import os

    return os.nice(0)


def test_workers_leave_the_writer_a_core_of_its_own() -> None:
    # the writer is the one stage that cannot be shared out: workers at its priority took a third
    # of its time on a machine whose cores they kept busy
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from provenance import pipeline

    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=pipeline._worker_started
    ) as pool:
        assert pool.submit(_niceness).result() == min(19, os.nice(0) + pipeline.WORKER_NICENESS)


def test_an_ingest_leaves_its_log_to_the_checkpoint_thread_and_gives_the_commits_it_back(
    store: Store, samples: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provenance.store import Checkpoints

    told: list[Checkpoints] = []
    behind = Store.checkpoints_behind

    @contextlib.contextmanager
    def noted(self: Store) -> Iterator[Checkpoints]:
        with behind(self) as checkpoints:
            told.append(checkpoints)
            yield checkpoints

    monkeypatch.setattr(Store, "checkpoints_behind", noted)
    ingest(store, [samples], batch_size=3)
    (checkpoints,) = told
    assert checkpoints.asked == 4  # three batches of the eight samples, and the fold at the end
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)


def test_an_ingest_collects_garbage_once_a_batch_and_sets_the_collector_back_after(store: Store, samples: str) -> None:
    import gc

    before = gc.get_threshold()
    during: list[int] = []
    ingest(store, [samples], batch_size=3, progress=lambda done: during.append(gc.get_threshold()[0]))
    assert during
    assert min(during) >= pipeline._YOUNG_OBJECTS
    assert gc.get_threshold() == before

    def interrupted(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(store, [samples], progress=interrupted)
    assert gc.get_threshold() == before


def test_the_collector_is_set_back_when_the_last_of_two_overlapping_ingests_ends() -> None:
    import gc

    before = gc.get_threshold()
    first, second = pipeline.collecting_per_batch(), pipeline.collecting_per_batch()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] >= pipeline._YOUNG_OBJECTS  # the second still writes
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_the_workers_have_the_next_documents_before_the_writer_is_given_these() -> None:
    # so that they prepare the next batch while the writer stores this one; and never more than
    # that many, whatever the input's size
    from provenance import pipeline
    from provenance.fingerprint import DEFAULT_PARAMS
    from provenance.models import RawDocument

    total, read = 3000, 0

    def documents() -> Iterator[RawDocument]:
        nonlocal read
        for i in range(total):
            read += 1
            text = f"Report {i}: the council met on day {i} and agreed the budget for the harbour works."
            yield RawDocument(f"doc{i}", f"feed.jsonl:{i + 1}", "text", text)

    handed = []
    for done, item in enumerate(pipeline._prepare_all(documents(), DEFAULT_PARAMS, 2), 1):
        assert isinstance(item, pipeline.Prepared)
        assert item.article.key == f"doc{done - 1}"
        handed.append(read - done)
    steady = handed[: total - pipeline._AHEAD - 2 * pipeline._CHUNK]
    assert min(steady) >= pipeline._AHEAD
    assert max(handed) <= pipeline._AHEAD + 2 * pipeline._CHUNK


class _HeldPool:
    """A pool whose tasks finish when the test says: it notes what it was handed, in order."""

    def __init__(self) -> None:
        self.handed: list[tuple[str, Future[Any]]] = []
        self.broken = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        if self.broken:
            raise BrokenProcessPool("a worker died")
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        (task,) = args
        self.handed.append((" ".join(doc.key for doc in task) if isinstance(task, list) else task, future))
        return future

    def queued(self) -> list[str]:
        return [name for name, future in self.handed if not future.done()]


def _docs(*keys: str) -> list[RawDocument]:
    return [RawDocument(key, f"feed.jsonl:{n}", "text", f"Text of {key}.") for n, key in enumerate(keys, 1)]


def _fed(pool: _HeldPool, depth: int) -> pipeline._Feed:
    return pipeline._Feed(pool, len, depth)  # type: ignore[arg-type]


def test_the_documents_read_ahead_go_into_the_pool_a_few_chunks_at_a_time() -> None:
    # so that an alignment the writer hands the pool waits behind those few, not behind all the
    # documents read ahead; each chunk given back lets the next in, and each chunk's future is
    # its own result
    pool = _HeldPool()
    feed = _fed(pool, depth=2)
    futures = [feed.add(_docs(*[f"doc{i}"] * (i + 1))) for i in range(6)]
    assert pool.queued() == ["doc0", "doc1 doc1"]
    pool.submit(len, "align")  # the writer's alignments
    assert pool.queued() == ["doc0", "doc1 doc1", "align"]
    pool.handed[0][1].set_result(["one"])
    assert futures[0].result() == ["one"]
    assert pool.queued() == ["doc1 doc1", "align", "doc2 doc2 doc2"]
    for _ in range(5):
        name, future = next((name, f) for name, f in pool.handed if not f.done() and name != "align")
        future.set_result(name.split())
    assert [len(future.result()) for future in futures] == [1, 2, 3, 4, 5, 6]


def test_documents_held_for_a_broken_pool_fail_rather_than_wait() -> None:
    # a worker dying breaks the pool: every chunk still held gets its error (the writer would
    # otherwise wait for ever on documents never handed on)
    pool = _HeldPool()
    feed = _fed(pool, depth=1)
    futures = [feed.add(_docs(f"doc{i}")) for i in range(3)]
    pool.broken = True
    pool.handed[0][1].set_exception(BrokenProcessPool("a worker died"))
    for future in futures:
        with pytest.raises(BrokenProcessPool):
            future.result(timeout=60)


def test_a_closed_feed_hands_the_pool_nothing_more() -> None:
    # closed as the pool shuts down (an interrupt, or the input done): the chunks it still held
    # are cancelled, those in the pool finish as they were, and a chunk added later is cancelled
    pool = _HeldPool()
    feed = _fed(pool, depth=1)
    first, second = feed.add(_docs("a")), feed.add(_docs("b"))
    feed.close()
    assert second.cancelled()
    assert not first.done()
    pool.handed[0][1].set_result(["a"])
    assert first.result() == ["a"]
    assert pool.queued() == []
    assert feed.add(_docs("c")).cancelled()
    assert [name for name, _ in pool.handed] == ["a"]


def test_alignments_shared_with_the_workers_are_those_made_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a pool starts for inputs of more than a window; its workers then make each batch's
    # alignments, and the store is the one a single process makes
    from benchmarks.corpus import Generator
    from provenance import pipeline

    from .state import problems, state

    corpus = tmp_path / "crawl.jsonl"
    Generator(7).write(corpus, 1200)
    shared = []
    align = pipeline._Workers.align

    def counted(
        self: pipeline._Workers, jobs: list[pipeline.AlignJob], meanwhile: Callable[[], object]
    ) -> list[pipeline.Alignment]:
        shared.append(self.pool is not None and len(jobs) >= 2 * pipeline._ALIGN_CHUNK)
        return align(self, jobs, meanwhile)

    monkeypatch.setattr(pipeline._Workers, "align", counted)
    for workers in (1, 2):
        with Store.open(tmp_path / f"{workers}.db") as store:
            ingest(store, [str(corpus)], workers=workers)
    assert any(shared)
    assert state(tmp_path / "2.db") == state(tmp_path / "1.db")
    assert problems(tmp_path / "2.db") == []


_writer = 0  # the test's own process
_done_by_the_writer: list[str] = []


def _counted_align_here(jobs: list[AlignJob]) -> list[Alignment]:
    """:func:`provenance.pipeline.align_here`, noting the jobs the writer aligns itself."""
    if os.getpid() == _writer:
        _done_by_the_writer.append(f"aligned {len(jobs)}")
    return align_here(jobs)


class _NotedPool(ProcessPoolExecutor):
    """A pool that notes when the writer hands it work."""

    def map(self, fn: Any, *iterables: Any, **kwargs: Any) -> Any:
        (groups,) = iterables  # the groups of jobs, one a task
        groups = list(groups)
        _done_by_the_writer.append(f"handed {sum(len(group) for group in groups)}")
        return super().map(fn, groups, **kwargs)


def test_the_writer_hands_the_alignments_to_the_workers_and_does_its_own_work_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every job is handed on first; the writer then does its work of its own (as ingest puts a
    # batch's texts in the full-text index) and aligns none itself; every job's alignment is
    # the one made here
    monkeypatch.setattr(sys.modules[__name__], "_writer", os.getpid())
    monkeypatch.setattr(pipeline, "align_here", _counted_align_here)
    _done_by_the_writer.clear()
    sources = [
        f"Source {s}: the harbour board of town {s} approved the dredging plan on Monday. "
        f"Work on berth {s} starts in spring and ends before the winter storms, officials said."
        for s in range(3)
    ]
    jobs: list[AlignJob] = [
        (f"{source}\n\nCopy {c} adds a closing line of its own about the plan.", source, f"copy {c}", "source", None)
        for source in sources
        for c in range(pipeline._ALIGN_CHUNK)
    ]
    with _NotedPool(1, mp_context=multiprocessing.get_context("fork")) as pool:
        found = pipeline._Workers(pool).align(jobs, meanwhile=lambda: _done_by_the_writer.append("meanwhile"))
    assert _done_by_the_writer == [f"handed {len(jobs)}", "meanwhile"]
    assert found == align_here(jobs)


def _two_crawls(folder: Path) -> tuple[Path, Path]:
    """A crawl of 500 generated articles and a later one of 100 (the generator's seeds 3 and 4)."""
    from benchmarks.corpus import Generator

    corpus, more = folder / "crawl.jsonl", folder / "more.jsonl"
    Generator(3).write(corpus, 500)
    Generator(4).write(more, 100)
    return corpus, more


def test_keys_folded_in_any_batch_or_left_unfolded_give_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a batch's keys are one row of recent_keys, which look-ups read until they are folded into
    # the key tables: folded every few batches (as a large ingest does), at the end, or left for
    # the next fold, the stories are the same; an ingest ends with its unfolded keys in one
    # sorted row a kind (folded where they are more than UNFOLDED), which the next ingest reads;
    # a fold made a part of the keys' range with each of several batches gives it too
    from provenance import store as stored

    from .state import problems, state

    corpus, more = _two_crawls(tmp_path)
    folds, under_way = [], []
    begin, part = stored.Store._begin_fold, stored.Store._fold_part

    def counted(self: stored.Store) -> None:
        folds.append(sum(map(len, self._recent_all().values())))
        begin(self)

    def parted(self: stored.Store, entries: int | None) -> None:
        part(self, entries)
        under_way.append(any(held.folding for held in self._recent_all().values()))

    monkeypatch.setattr(stored.Store, "_begin_fold", counted)
    monkeypatch.setattr(stored.Store, "_fold_part", parted)
    rows = "SELECT kind, count(*) FROM recent_keys GROUP BY kind ORDER BY kind"
    with Store.open(tmp_path / "left.db") as store:
        ingest(store, [str(corpus)], batch_size=50)
        assert store.db.execute(rows).fetchall() == [("band", 1), ("word", 1)]
        assert not folds
        ingest(store, [str(more)], batch_size=50)  # reads them, files more, leaves them so again
        assert store.db.execute(rows).fetchall() == [("band", 1), ("word", 1)]
    monkeypatch.setattr(stored, "UNFOLDED", 0)
    with Store.open(tmp_path / "end.db") as store:
        ingest(store, [str(corpus)], batch_size=50)
        ingest(store, [str(more)], batch_size=50)
        assert store.db.execute(rows).fetchall() == []
    assert len(folds) == 2
    monkeypatch.setattr(stored, "FOLD", 8_000)
    with Store.open(tmp_path / "often.db") as store:
        ingest(store, [str(corpus), str(more)], batch_size=50)
    assert len(folds) > 5
    monkeypatch.setattr(stored, "FOLD", 30_000)
    monkeypatch.setattr(stored, "FOLD_STEPS", 4)
    under_way.clear()
    with Store.open(tmp_path / "parts.db") as store:  # folded a part with each batch
        ingest(store, [str(corpus), str(more)], batch_size=50)
    assert sum(under_way) > 5  # batches that left a fold under way for the next
    assert state(tmp_path / "often.db") == state(tmp_path / "end.db") == state(tmp_path / "left.db")
    assert state(tmp_path / "parts.db") == state(tmp_path / "left.db")
    assert state(tmp_path / "often.db")["links"]
    assert problems(tmp_path / "often.db") == problems(tmp_path / "left.db") == problems(tmp_path / "parts.db") == []


def test_an_ingest_cut_off_with_a_fold_under_way_reads_the_same_and_the_next_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an ingest killed after a batch's commit leaves its fold under way (the batch and the fold's
    # part are one transaction): the store reads as one whose fold is done, and the next ingest
    # goes on with the fold and finishes it, ending where an ingest never cut off does
    from provenance import store as stored

    from .state import problems, state

    corpus, more = _two_crawls(tmp_path)
    folding = "SELECT count(*) FROM folding"
    with Store.open(tmp_path / "whole.db") as store:
        ingest(store, [str(corpus)], batch_size=50)
        ingest(store, [str(more)], batch_size=50)
    monkeypatch.setattr(stored, "FOLD", 30_000)
    monkeypatch.setattr(stored, "FOLD_STEPS", 1_000)  # a fold still under way when the input ends
    compact = stored.Store.compact_keys
    monkeypatch.setattr(stored.Store, "compact_keys", lambda self: None)  # killed after the last commit
    with Store.open(tmp_path / "cut.db") as store:
        ingest(store, [str(corpus)], batch_size=50)
        assert store.db.execute(folding).fetchone() == (2,)  # a fold of each kind under way
    reference = state(tmp_path / "whole.db")
    with Store.open(tmp_path / "first.db") as store:
        monkeypatch.setattr(stored.Store, "compact_keys", compact)
        ingest(store, [str(corpus)], batch_size=50)
    assert state(tmp_path / "cut.db") == state(tmp_path / "first.db")
    assert problems(tmp_path / "cut.db") == []
    with Store.open(tmp_path / "cut.db") as store:
        ingest(store, [str(more)], batch_size=50)  # its candidates looked up across the fold under way
        assert store.db.execute(folding).fetchone() == (0,)
    assert state(tmp_path / "cut.db") == reference
    assert problems(tmp_path / "cut.db") == []


def test_a_file_is_one_article_whatever_path_names_it(store: Store, samples: str) -> None:
    first = ingest(store, [samples])
    before = table_dump(store)
    absolute = str(Path(samples).resolve())
    again = ingest(store, [absolute, f"./{samples}/../{samples}/syndication"])
    assert (again.new, again.updated, again.repeated) == (0, 0, 6)  # the folder's four files and two records, twice
    assert again.unchanged == first.new
    assert table_dump(store) == before  # no article twice, so no copy of itself


def test_a_link_to_a_file_is_that_file(store: Store, samples: str) -> None:
    ingest(store, [f"{samples}/syndication/wire-original.txt"])
    Path("linked.txt").symlink_to(Path(samples, "syndication", "wire-original.txt").resolve())
    result = ingest(store, ["linked.txt"])
    assert (result.new, result.unchanged) == (0, 1)
    assert [key for (key,) in store.db.execute("SELECT key FROM articles")] == ["samples/syndication/wire-original.txt"]


def test_a_file_moved_or_renamed_keeps_its_article_and_links(store: Store, samples: str) -> None:
    ingest(store, [samples])
    links = store.count("links")
    moved = Path(samples, "moved")
    moved.mkdir()
    Path(samples, "syndication", "coastdaily-trimmed.txt").rename(moved / "coastdaily.txt")
    result = ingest(store, [samples])
    assert (result.new, result.moved, result.unchanged) == (0, 1, 8)
    keys = {key for (key,) in store.db.execute("SELECT key FROM articles")}
    assert "samples/moved/coastdaily.txt" in keys
    assert "samples/syndication/coastdaily-trimmed.txt" not in keys
    assert store.count("links") == links
    assert summary(build_report(store, result)).startswith(
        "8 read: 0 new, 0 updated, 8 unchanged (1 moved or renamed),"
    )


def test_two_files_with_the_same_text_in_two_places_are_two_articles(store: Store, tmp_path: Path) -> None:
    """A page saved twice, both copies still there, is an exact duplicate, not one moved file."""
    text = (SYNDICATION / "wire-original.txt").read_text(encoding="utf-8")
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
    ingest(store, [str(tmp_path / "a.txt")])
    result = ingest(store, [str(tmp_path / "b.txt")])
    assert (result.new, result.moved, result.exact_duplicates) == (1, 0, 1)


_MENU = "".join(f"<li><a href='/{n}'>{n}</a></li>" for n in (
    "Front Page", "National", "Tamil Nadu", "Karnataka", "Kerala", "New Delhi", "Other States", "International",
    "Business", "Sport", "Miscellaneous", "Engagements", "Classifieds", "Jobs", "Obituary", "Archives"))  # fmt: skip
_BLURB = (
    "The Harbour Chronicle has served the coast since 1898 with news of the ports, the fleets and the towns "
    "along the estuary, and its reporters cover the council, the courts and the fishing grounds every day of "
    "the week. Republication or redissemination of the contents of this screen are expressly prohibited "
    "without the written consent of the Harbour Chronicle, and every story here is checked by its editors."
)


_OTHER_MENU = "".join(f"<li><a href='/{n}'>{n}</a></li>" for n in (
    "Home", "Valley", "Farming", "Schools", "Weather", "Roads", "Letters", "Photos", "Events", "Obituaries",
    "Property", "Motors", "Puzzles", "Horoscopes", "Subscribe", "Advertise"))  # fmt: skip


def _site_page(story: str, site: str = "Harbour Chronicle", menu: str = _MENU) -> str:
    footer = "<footer><a href='/about'>About us</a> | <a href='/contact'>Contact</a></footer>"
    blurb = _BLURB.replace("Harbour Chronicle", site)
    return (f"<html><head><title>{site}</title></head><body><ul class='menu'>{menu}</ul>"
            f"<article><p>{story}</p><p>{blurb}</p></article>{footer}</body></html>")  # fmt: skip


def test_pages_of_one_template_are_no_copies_of_each_other_without_their_addresses(
    store: Store, tmp_path: Path
) -> None:
    """A site's pages saved as files, half of each extracted text the site's own blurb: what they
    share is the site's, as if their addresses were known (versions of one site, not copies),
    and none is a copy of another."""
    folder = tmp_path / "saved"
    folder.mkdir()
    stories = [
        "The ferry company said on Monday that it would add a second boat to the island route in spring. "
        "Tickets for the new sailings go on sale next month, and the fares will stay as they are until autumn, "
        "the company's manager told a meeting of island residents in the church hall.",
        "Fishermen landed the largest catch of the season at the north quay after a week of calm weather. "
        "Buyers from three cities crowded the market before dawn, and prices for cod fell by a fifth by noon, "
        "according to the harbour master, who expects the boats to go out again tonight.",
        "The council voted to close the old lighthouse road for repairs until the end of the summer. "
        "Drivers heading for the beaches will be sent through the village instead, and the bus company is to "
        "add an extra service on weekends while the contractors rebuild the sea wall.",
        "A new school opened in the valley with room for three hundred pupils from the farming villages. "
        "Parents had campaigned for a decade to replace the old building, whose roof leaked every winter, "
        "and the head teacher thanked the builders for finishing two weeks early.",
    ]
    for n, story in enumerate(stories):
        (folder / f"page{n}.html").write_text(_site_page(story), encoding="utf-8")
    ingest(store, [str(folder)])
    assert {r for (r,) in store.db.execute("SELECT relation FROM matches")} <= {"version"}
    assert store.count("links") == 0
    assert len({t for (t,) in store.db.execute("SELECT template FROM articles")} - {None}) == 1


def test_one_story_on_two_sites_saved_in_one_folder_is_still_a_copy(store: Store, tmp_path: Path) -> None:
    wire = (SYNDICATION / "wire-original.txt").read_text(encoding="utf-8").split("\n\n")
    story = "</p><p>".join(p for p in wire if len(p.split()) > 12)
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.html").write_text(_site_page(story, "Harbour Chronicle"), encoding="utf-8")
    (folder / "b.html").write_text(_site_page(story, "Valley Courier", _OTHER_MENU), encoding="utf-8")
    for n in range(3):  # more pages of the first site, so that its template is known
        (folder / f"c{n}.html").write_text(_site_page(f"Harbour note {n} about the tides and the weather."))
    ingest(store, [str(folder)])
    relations = {r for (r,) in store.db.execute("SELECT relation FROM links")}
    assert relations & {"exact", "wholly"}


def test_the_profiles_kept_at_hand_stay_within_their_budget_the_latest_kept(store: Store) -> None:
    from provenance.fingerprint import fingerprint
    from provenance.match import profile
    from provenance.pipeline import ProfileCache, _held

    line = "Story {}: the harbour council met on day {} and voted to rebuild the pier. "
    texts = [line.format(n, n) * (n + 3) for n in range(6)]
    profiles = [profile(text, fingerprint(text)) for text in texts]
    sizes = [_held(p) for p in profiles]
    cache = ProfileCache(store, budget=sizes[3] + sizes[4] + sizes[5])
    for n, found in enumerate(profiles):
        cache.put(n, found)
        assert cache.used == sum(_held(p) for p in cache.profiles.values()) <= cache.budget
    assert list(cache.profiles) == [3, 4, 5]  # the oldest went first
    cache.put(3, profiles[3])  # used again: now the latest
    cache.put(6, profiles[0])
    assert list(cache.profiles) == [5, 3, 6]
    assert cache.get(4) is None
    assert cache.get(6) is profiles[0]


def test_a_stored_articles_profile_is_the_one_its_text_had_when_it_was_prepared(store: Store, samples: str) -> None:
    """Read again from the stored text (without its MinHash signature), an article's profile
    is what the worker made of it: the same content hash, shingles, bigrams and ordered evidence."""
    from provenance.fingerprint import fingerprint
    from provenance.match import profile
    from provenance.pipeline import ProfileCache

    ingest(store, sorted(str(p) for p in Path(samples).rglob("*.txt")))
    stored = store.texts([i for (i,) in store.db.execute("SELECT id FROM articles ORDER BY id")])
    read = ProfileCache(store).get_many(stored, ordered=True)
    assert len(read) == len(stored) >= 5
    for i, (text, where) in stored.items():
        made = profile(text, fingerprint(text, store.params), where)
        assert (read[i].content_hash, read[i].places) == (made.content_hash, made.places)
        assert read[i].shingles.tolist() == made.shingles.tolist()
        assert read[i].bigrams.tolist() == made.bigrams.tolist()
        assert read[i].ordered is not None
        assert made.ordered is not None
        assert read[i].ordered.hashes.tolist() == made.ordered.hashes.tolist()


def test_a_profile_completed_after_the_floor_is_the_whole_one_without_its_text_read_again(
    store: Store, samples: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shingles and ordered evidence of a profile read without them come from the text and
    story read then (the last few kept), not from a second reading of the stored text, and are
    what reading it whole gives; a profile without them cannot be measured."""
    from provenance.match import measure, verify
    from provenance.pipeline import ProfileCache

    ingest(store, sorted(str(p) for p in Path(samples).rglob("*.txt")))
    ids = [i for (i,) in store.db.execute("SELECT id FROM articles ORDER BY id")]
    whole = ProfileCache(store).get_many(ids, ordered=True)
    monkeypatch.setattr(pipeline, "_READINGS", 3)
    cache = ProfileCache(store)
    shingled: list[str] = []
    shingle_set = pipeline.shingle_set
    monkeypatch.setattr(pipeline, "shingle_set", lambda text, p: shingled.append(text) or shingle_set(text, p))
    cut = cache.get_many(ids)
    assert not shingled  # a candidate ruled out on its content bigrams is never shingled
    assert all(p.ordered is None and p.shingles is None and not p.read for p in cut.values())
    for pair in ((cut[ids[0]], whole[ids[0]]), (whole[ids[0]], cut[ids[0]])):  # the same text
        with pytest.raises(ValueError, match="without its shingles"):
            measure(*pair)
        with pytest.raises(ValueError, match="without its shingles"):
            verify(*pair)
    assert list(cache.readings) == ids[-3:]
    read_again: list[int] = []
    texts = store.texts
    monkeypatch.setattr(store, "texts", lambda wanted: read_again.extend(wanted) or texts(wanted))
    completed = cache.complete(cut)
    assert sorted(read_again) == ids[:-3]
    assert not cache.readings
    assert len(shingled) == len(ids)
    for i in ids:
        mine, theirs = completed[i].ordered, whole[i].ordered
        assert mine is not None
        assert theirs is not None
        assert completed[i].read
        assert completed[i].content_hash == whole[i].content_hash
        assert completed[i].shingles.tolist() == whole[i].shingles.tolist()
        assert mine.words == theirs.words
        for name in ("first", "hashes", "owners", "sizes"):
            assert getattr(mine, name).tolist() == getattr(theirs, name).tolist()
        assert completed[i].bigrams.tolist() == whole[i].bigrams.tolist()


def test_freed_memory_is_handed_back_before_workers_fork_where_the_allocator_can(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ctypes

    from provenance import pipeline

    assert pipeline.release_free_memory() is (hasattr(ctypes.CDLL(None), "malloc_trim"))
    monkeypatch.setattr(pipeline.ctypes, "CDLL", lambda name: object())  # an allocator without it (musl, macOS)
    assert pipeline.release_free_memory() is False
