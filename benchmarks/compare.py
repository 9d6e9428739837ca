"""provenance ingest side by side with what a user would do without it, and with the storage floor.

    python -m benchmarks.compare --articles N [--workdir DIR]

On the same N generated articles (benchmarks.corpus), in one run:
- by hand: the script a user would write with the same libraries and no provenance: read the
  JSONL, shingle each text (word 5-grams), datasketch's default ``MinHash(num_perm=128)``
  (``update_batch``, sha1), an in-memory ``MinHashLSH`` queried then filled, and the rows and the
  candidate pairs inserted with sqlite-utils. It finds candidates only: nothing is verified, no
  boilerplate is removed, the index is lost when the script ends;
- the storage floor: the same article rows inserted through sqlite-utils into a table with the
  same full-text index (FTS5 on title and text, kept by triggers), and nothing else;
- provenance: ``ingest`` into a new store (extraction, fingerprints, the persistent LSH index,
  verification of every candidate, stories, origins, alignments), one worker per core.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils
from datasketch import MinHash, MinHashLSH

from provenance import Store, ingest

from .ingest import corpus_file

_BATCH = 500


def by_hand(corpus: Path, db_path: Path) -> int:
    db = sqlite_utils.Database(db_path)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    rows, pairs = [], []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            words = record["text"].lower().split()
            shingles = {" ".join(words[i : i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))}
            sketch = MinHash(num_perm=128)
            sketch.update_batch(list(shingles))
            pairs += [{"a": other, "b": record["id"]} for other in lsh.query(sketch)]
            lsh.insert(record["id"], sketch)
            rows.append({"id": record["id"], "title": record.get("title"), "text": record["text"]})
            if len(rows) >= _BATCH:
                db["articles"].insert_all(rows, pk="id")
                rows = []
    db["articles"].insert_all(rows, pk="id")
    db["pairs"].insert_all(pairs)
    return db["articles"].count


def storage_floor(corpus: Path, db_path: Path) -> int:
    db = sqlite_utils.Database(db_path)
    db["articles"].create({"id": int, "key": str, "title": str, "publisher": str, "published": str, "url": str,
                           "text": str}, pk="id")  # fmt: skip
    db["articles"].enable_fts(["title", "text"], create_triggers=True, fts_version="FTS5")
    rows = []
    with corpus.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            record = json.loads(line)
            rows.append({"id": n + 1, "key": record["id"], "title": record.get("title"),
                         "publisher": record.get("publisher"), "published": record.get("published"),
                         "url": record.get("url"), "text": record["text"]})  # fmt: skip
            if len(rows) >= _BATCH:
                db["articles"].insert_all(rows)
                rows = []
    db["articles"].insert_all(rows)
    return db["articles"].count


def ours(corpus: Path, db_path: Path) -> int:
    with Store.open(db_path) as store:
        return ingest(store, [str(corpus)], workers=0).new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    args = parser.parse_args()
    print(f"$ python -m benchmarks.compare {' '.join(sys.argv[1:])}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_file(args.workdir, args.articles)
    timings = {}
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for name, run in (("by hand", by_hand), ("storage floor", storage_floor), ("provenance", ours)):
            start = time.perf_counter()
            stored = run(corpus, Path(tmp) / f"{name.replace(' ', '-')}.db")
            timings[name] = time.perf_counter() - start
            print(f"{name:>14}: {stored} articles in {timings[name]:.1f} s, {stored / timings[name]:.0f} articles/s")
    print(f"provenance against the script by hand: {timings['by hand'] / timings['provenance']:.2f}x the speed")
    print(f"provenance against the storage floor:  {timings['storage floor'] / timings['provenance']:.2f}x the speed")


if __name__ == "__main__":
    main()
