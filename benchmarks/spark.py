"""The Spark job in local mode against local ingest, on the same generated corpus, in one run.

    python -m benchmarks.spark --articles N [--master local[2]] [--workdir DIR]

Prints the wall time of each (local ingest with one worker per core into a new store; the Spark
job from its JSONL to its Parquet tables, the session's start-up timed apart, then
``provenance import`` of those tables into a new store), their ratio, and whether the two stores
hold the same stories, links and verified pairs.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from provenance import Store, ingest
from provenance.parquet import import_tables, job_settings
from provenance.spark import owned_session, run

from .ingest import corpus_file

_STORIES = """SELECT c.key, s.members, s.canonical_reason FROM stories s JOIN articles c ON c.id = s.canonical_id"""
_PAIRS = """SELECT min(a.key, b.key), max(a.key, b.key), m.relation FROM matches m
            JOIN articles a ON a.id = m.a_id JOIN articles b ON b.id = m.b_id"""
_LINKS = """SELECT c.key, a.key, l.relation FROM links l JOIN stories s ON s.id = l.story_id
            JOIN articles c ON c.id = s.canonical_id JOIN articles a ON a.id = l.article_id"""


def _rows(db: Path, sql: str) -> set[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute(sql).fetchall())
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    args = parser.parse_args(argv)
    print(f"$ python -m benchmarks.spark {' '.join(sys.argv[1:] if argv is None else argv)}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_file(args.workdir, args.articles)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        local, imported, out = Path(tmp) / "local.db", Path(tmp) / "imported.db", Path(tmp) / "out"
        start = time.perf_counter()
        with Store.open(local) as store:
            ingest(store, [str(corpus)], workers=0)
        ingest_s = time.perf_counter() - start

        start = time.perf_counter()
        with owned_session(args.master) as spark:  # a session running already (a test's) is used and kept
            spark.sparkContext.setLogLevel("ERROR")
            startup_s = time.perf_counter() - start
            start = time.perf_counter()
            result = run(spark, [str(corpus)], str(out))
            job_s = time.perf_counter() - start
        start = time.perf_counter()
        params, policy = job_settings(out)
        with Store.open(imported, params, policy=policy) as store:
            import_tables(store, out)
        import_s = time.perf_counter() - start

        n = args.articles
        print(f"local ingest ({n} articles, one worker per core): {ingest_s:.1f} s, {n / ingest_s:.0f} articles/s")
        print(f"Spark session start-up ({args.master}): {startup_s:.1f} s")
        print(f"Spark job ({args.master}): {job_s:.1f} s, {n / job_s:.0f} articles/s; {result}")
        print(f"provenance import of its tables: {import_s:.1f} s")
        print(f"Spark job against local ingest: {ingest_s / job_s:.2f}x the speed "
              f"({ingest_s / (job_s + import_s):.2f}x with the import)")  # fmt: skip
        same = {
            "stories": _rows(local, _STORIES) == _rows(imported, _STORIES),
            "links": _rows(local, _LINKS) == _rows(imported, _LINKS),
        }
        pairs, other = _rows(local, _PAIRS), _rows(imported, _PAIRS)
        print(f"same stories: {same['stories']}; same links: {same['links']}")
        print(f"verified pairs: {len(pairs & other)} in both, {len(pairs - other)} found by ingest only, "
              f"{len(other - pairs)} by the job only")  # fmt: skip


if __name__ == "__main__":
    main()
