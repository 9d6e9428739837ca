"""``provenance ingest`` killed at random moments (SIGKILL) or interrupted (Ctrl-C): the store stays
sound, and running the same ingest again ends exactly where an uninterrupted run does."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from provenance import Store, ingest, pipeline

from .state import problems, state

KILLS = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.corpus import Generator

    path = tmp_path_factory.mktemp("corpus") / "crawl.jsonl"
    Generator(5).write(path, 1700)
    return path


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[object, ...]]]:
    path = tmp_path_factory.mktemp("reference") / "store.db"
    with Store.open(path) as store:
        ingest(store, [str(corpus)], workers=2)
    return state(path)


def _ingest(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "provenance", "ingest", str(corpus), "--db", str(db), "-q", "-j", "2"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _group_gone(pgid: int, within: float = 10.0) -> bool:
    """Whether every process of the group (the ingest and its workers) has exited."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_sigkill_at_random_moments_loses_nothing_and_a_rerun_completes_the_store(
    corpus: Path, uninterrupted: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    rnd = random.Random(2)
    counts = []
    for _ in range(KILLS):  # each kill comes a random moment after the store holds a random number of batches
        batches, delay = rnd.randrange(3), rnd.uniform(0.0, 1.5)
        process = _ingest(corpus, db)
        _wait_for(lambda: process.poll() is not None or _articles(db) >= 500 * batches)  # noqa: B023
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert _group_gone(process.pid), "worker processes outlived the killed ingest"
        assert problems(db) == [], f"after a kill {delay:.2f} s after batch {batches}"
        counts.append(_articles(db))
    assert any(n < len(uninterrupted["articles"]) for n in counts), counts  # some kills fell mid-ingest
    process = _ingest(corpus, db)
    assert process.wait(timeout=300) == 0, process.stderr.read() if process.stderr else ""
    assert problems(db) == []
    assert state(db) == uninterrupted


def test_ctrl_c_stops_at_a_batch_boundary_and_says_what_was_stored(corpus: Path, tmp_path: Path) -> None:
    """The feed comes through a pipe that is held open: once a batch is committed the ingest waits
    for more input, so the interrupt always comes while it runs, however busy the machine."""
    db = tmp_path / "store.db"
    lines = corpus.read_bytes().splitlines(keepends=True)
    command = [sys.executable, "-c", _AS_FROM_A_TERMINAL, "ingest", "-", "--db", str(db), "-q", "-j", "2"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)  # fmt: skip
    assert process.stdin is not None
    # a batch of 500 and the documents the workers are handed ahead of it: the first batch goes in
    process.stdin.write(b"".join(lines[: 500 + pipeline._AHEAD + 4 * pipeline._CHUNK]))
    process.stdin.flush()
    _wait_for(lambda: process.poll() is not None or _articles(db) > 0)
    assert process.poll() is None, "the ingest ended with its input still open"
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to the writer and its workers
    try:  # its input still open: only the interrupt can end it
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the ingest went on after SIGINT") from None
    finally:
        process.stdin.close()
    err = process.stderr.read() if process.stderr else b""
    assert process.returncode == 130, err
    assert b"Traceback" not in err
    assert _articles(db) == 500  # one whole batch
    assert (
        err.decode()
        .strip()
        .endswith(
            "Interrupted: the store keeps every batch committed before the interrupt (500 articles); "
            "run the same ingest again to complete it."
        )
    )
    assert _group_gone(process.pid)
    assert problems(db) == []


# A suite run in the background (nohup, some CI runners) starts with SIGINT ignored, as a shell's
# background job does, and the ingest inherits that: nothing would answer Ctrl-C. The test is of a
# terminal's Ctrl-C, so the ingest starts with Python's own handler, as from a terminal.
_AS_FROM_A_TERMINAL = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('provenance', run_name='__main__', alter_sys=True)"
)


def _wait_for(condition: Callable[[], bool], within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the ingest did not get there in time")
        time.sleep(0.02)


def _articles(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=10)
    try:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the store is being created
        return 0
    finally:
        conn.close()
