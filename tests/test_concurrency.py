"""Two ingests into one store at once, and readers while an ingest writes."""

from __future__ import annotations

import multiprocessing
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from provenance import Store, build_report, ingest

from .state import problems, state


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated crawl in two files, each holding copies of the other's stories."""
    from benchmarks.corpus import Generator

    folder = tmp_path_factory.mktemp("halves")
    lines = [r.json() + "\n" for r in Generator(8).records(1200)]
    first, second = folder / "first.jsonl", folder / "second.jsonl"
    first.write_text("".join(lines[0::2]), encoding="utf-8")
    second.write_text("".join(lines[1::2]), encoding="utf-8")
    return first, second


def _ingest(source: Path, db: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "provenance", "ingest", str(source), "--db", str(db), "-q", "-j", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_two_ingests_at_once_end_as_one_after_the_other(halves: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = halves
    serial = tmp_path / "serial.db"
    with Store.open(serial) as store:
        ingest(store, [str(first)])
        ingest(store, [str(second)])
    together = tmp_path / "together.db"
    processes = [_ingest(first, together), _ingest(second, together)]  # both create the store
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
        assert b"locked" not in err
    assert problems(together) == []
    expected, found = state(serial), state(together)
    # every table, the verified pairs too: the candidate rule is symmetric, and a batch looks its
    # candidates up inside its write transaction, after every batch committed before it
    assert found == expected


def test_report_reads_whole_batches_while_an_ingest_writes(halves: tuple[Path, Path], tmp_path: Path) -> None:
    """The second half comes through a pipe held open after its first batch: the reports are
    read while the ingest is certainly under way (its first batch in, the rest to come)."""
    db = tmp_path / "store.db"
    with Store.open(db) as store:
        ingest(store, [str(halves[0])])
        before = store.count("articles")
    lines = halves[1].read_bytes().splitlines(keepends=True)
    command = [sys.executable, "-m", "provenance", "ingest", "-", "--db", str(db), "-q", "-j", "1"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stdin is not None
    process.stdin.write(b"".join(lines[:550]))  # one batch of 500, and the ingest waits for more
    process.stdin.flush()
    seen: list[int] = []
    deadline = time.monotonic() + 300
    with Store.open(db, create=False) as store:

        def read_whole() -> None:
            report = build_report(store)
            assert report.story_count == len(report.stories)
            assert report.copies == sum(len(s.members) - s.origin.canonical_present for s in report.stories)
            seen.append(report.articles)

        while not seen or seen[-1] == before:  # until the first batch of the second half is in
            assert process.poll() is None, "the ingest stopped with its input still open"
            assert time.monotonic() < deadline, "the first batch did not come in"
            read_whole()
        process.stdin.write(b"".join(lines[550:]))
        process.stdin.close()
        while process.poll() is None:
            read_whole()
        read_whole()
    assert process.wait() == 0
    assert before + 500 in seen  # a report read between the two batches, each wholly or not at all
    assert seen[-1] == before + len(lines)


async def test_story_pages_answer_while_an_ingest_rewrites_stories(halves: tuple[Path, Path], tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    with Store.open(db) as store:
        ingest(store, [str(halves[0])])
        ids = [row[0] for row in store.db.execute("SELECT id FROM stories ORDER BY members DESC LIMIT 40")]
    process = _ingest(halves[1], db)
    datasette = Datasette([str(db)])
    pages: dict[int, int] = {}
    deadline = time.monotonic() + 120
    while (process.poll() is None or not pages) and time.monotonic() < deadline:
        for story_id in ids:
            response = await datasette.client.get(f"/store/-/story/{story_id}")
            pages[response.status_code] = pages.get(response.status_code, 0) + 1
    assert process.wait() == 0
    assert set(pages) <= {200, 404}, pages  # a story rewritten meanwhile is there or gone, never half
    assert pages.get(200, 0) > 0


def _open_store(path: str, start: Any, delay: float, answers: Any) -> None:
    start.wait()
    time.sleep(delay)
    try:
        with Store.open(path):
            answers.put("ok")
    except Exception as err:  # any error is the answer the test reads
        answers.put(repr(err))


def test_processes_creating_one_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Switching a new store to WAL needs the file alone, and SQLite says "database is locked"
    without waiting: tried 60 times, two processes a few milliseconds apart."""
    context = multiprocessing.get_context("fork")
    rnd = random.Random(1)
    failures = []
    for n in range(60):
        start, answers = context.Barrier(2), context.Queue()
        path = str(tmp_path / f"store{n}.db")
        processes = [
            context.Process(target=_open_store, args=(path, start, rnd.uniform(0, 0.03), answers)) for _ in range(2)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=120)
        failures += [answer for answer in (answers.get(timeout=10) for _ in processes) if answer != "ok"]
    assert failures == []
