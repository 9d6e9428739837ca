"""End-to-end ingest of a generated corpus into a new store: speed, memory, size, detection.

    python -m benchmarks.ingest --articles N [--workdir DIR] [--workers W] [--parts P]

Generates N articles with their ground truth (benchmarks.corpus; kept in DIR and reused), then
ingests them into a new store in P equal parts, one ``ingest`` call each, as a user adding a
crawl day by day would, and prints:
- the time and articles/s of the whole and of each part (the last part against the first shows
  whether ingest slows down as the store grows);
- the CPU time of the writer and of the workers, each per article (less noisy than wall time on a
  shared machine), and the writer's by stage (:mod:`benchmarks.stages`);
- peak memory: of this process and its workers together (PSS, :mod:`benchmarks.memory`: a page
  the forked workers share with the writer counts once), and the peak RSS of each;
- the store's size per article, and the bytes per article of the key tables (bands, postings);
- detection against the ground truth: recall of the known copies and precision of the links;
- the same parts ingested again (the daily re-run of a crawl that has not changed): each input
  is known by the hash of its bytes and passed over before extraction.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from provenance import Store, ingest

from .corpus import VERSION, Generator
from .memory import MemoryWatch
from .stages import Stages
from .truth import read_truth, score


def corpus_file(workdir: Path, articles: int, seed: int = 11) -> Path:
    """The generated corpus of ``articles`` records in ``workdir`` (written once, then reused)."""
    path = workdir / f"corpus-v{VERSION}-{articles}-{seed}.jsonl"
    if not path.exists():
        Generator(seed).write(path.with_suffix(".partial"), articles).rename(path)
    return path


def store_file(workdir: Path, articles: int) -> Path:
    """Where the store of the corpus of ``articles`` records is (named, as the corpus, by the
    generator's version: a store of another version's text is never taken for this one's)."""
    return workdir / f"store-v{VERSION}-{articles}.db"


def split(corpus: Path, parts: int, records: int) -> list[Path]:
    """The corpus in ``parts`` files of equal size, written line by line (memory stays flat)."""
    size = -(-records // parts)
    files = [corpus.with_name(f"{corpus.stem}.part{n}.jsonl") for n in range(parts)]
    outs = [file.open("w", encoding="utf-8") for file in files]
    try:
        with corpus.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                outs[min(n // size, parts - 1)].write(line)
    finally:
        for out in outs:
            out.close()
    return files


def ingested_store(workdir: Path, articles: int) -> Path:
    """The store of the corpus of ``articles`` records, as this benchmark leaves it in ``workdir``
    (running it first where it is missing)."""
    path = store_file(workdir, articles)
    if not path.exists():
        command = [sys.executable, "-m", "benchmarks.ingest", "--articles", str(articles), "--workdir", str(workdir)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return path


def table_bytes(store: Path) -> dict[str, int]:
    conn = sqlite3.connect(store)
    try:
        return dict(conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    finally:
        conn.close()


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest of its (finished) children, MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    parser.add_argument("--workers", type=int, default=0, help="worker processes (0: one per core)")
    parser.add_argument("--parts", type=int, default=10)
    args = parser.parse_args()
    print(f"$ python -m benchmarks.ingest {' '.join(sys.argv[1:])}", flush=True)
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_file(args.workdir, args.articles)
    parts = split(corpus, args.parts, args.articles)

    path = store_file(args.workdir, args.articles)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    times = []
    counts = []
    cpu_before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with Store.open(path) as store:
        with Stages() as stages, MemoryWatch() as memory:
            for n, part in enumerate(parts, 1):
                start = time.perf_counter()
                result = ingest(store, [str(part)], workers=args.workers)
                times.append(time.perf_counter() - start)
                counts.append(result.new)
                own, children = peak_rss_mb()
                print(
                    f"  part {n}/{len(parts)}: {result.new} articles in {times[-1]:.1f} s, "
                    f"{result.new / times[-1]:.0f}/s; peak memory {memory.peak_mb:.0f} MB in all "
                    f"(RSS writer {own:.0f} MB, worker {children:.0f} MB)",
                    flush=True,
                )
        cpu_after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        unchanged = sum(ingest(store, [str(part)], workers=args.workers).unchanged for part in parts)
        rerun = time.perf_counter() - start
        store.checkpoint()
    for part in parts:
        part.unlink()
    total, new = sum(times), sum(counts)
    print(f"ingest of {new} generated articles in {args.parts} parts: {total:.1f} s, {new / total:.0f} articles/s")
    rates = [c / t for c, t in zip(counts, times, strict=True)]
    print("  articles/s per part: " + ", ".join(f"{r:.0f}" for r in rates))
    print(f"  last part against the first: {rates[-1] / rates[0]:.2f}x the speed")
    writer, workers = (
        (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        for before, after in zip(cpu_before, cpu_after, strict=True)
    )
    print(
        f"  CPU: writer {writer:.1f} s ({writer / new * 1000:.2f} ms an article), "
        f"workers {workers:.1f} s ({workers / new * 1000:.2f} ms an article)"
    )
    print("  the writer's CPU by stage (benchmarks.stages):")
    print("\n".join(stages.report(new)))
    print(
        f"  the same parts again: {rerun:.1f} s, {unchanged} unchanged ({total / rerun:.1f}x faster than the first run)"
    )
    own, children = peak_rss_mb()
    print(
        f"peak memory, the writer and its workers together (PSS): {memory.peak_mb:.0f} MB; "
        f"peak RSS: writer {own:.0f} MB, largest worker {children:.0f} MB"
    )
    sizes = table_bytes(path)
    on_disk = path.stat().st_size
    print(f"store: {on_disk / 2**20:.1f} MB, {on_disk / new:.0f} bytes per article")
    index = sizes.get("bands", 0) + sizes.get("postings", 0)
    print(
        f"  keys: {index / new:.0f} bytes per article "
        f"(bands {sizes.get('bands', 0) / new:.0f}, word keys' postings {sizes.get('postings', 0) / new:.0f})"
    )
    print(f"  full-text index: {sizes.get('articles_fts_data', 0) / new:.0f} bytes per article")
    found = score(path, read_truth(corpus))
    print(
        f"detection: recall {found.recall:.4f} ({found.found}/{found.copies} known copies), "
        f"precision {found.precision:.4f} ({found.right}/{found.links} links)"
    )


if __name__ == "__main__":
    main()
