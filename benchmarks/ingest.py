"""End-to-end ingest of generated articles, and the share of the writer's time spent in the
full-text candidate search (rewrites).

    python -m benchmarks.ingest [--articles N] [--workers W]

Generates N articles (benchmarks.corpus), ingests them into a new store in a temporary folder,
and prints articles/s, the seconds the writer spent in Store.text_neighbours (document
frequencies from the vocabulary, then one MATCH query per article), and the links made. The
generated articles are i.i.d. draws from one Zipf vocabulary: unrelated by construction.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from provenance import Store, ingest
from provenance.store import Store as StoreClass

from .corpus import articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    spent = [0.0]
    search = StoreClass.text_neighbours

    def timed_search(self: StoreClass, *a: Any, **kw: Any) -> dict[int, list[int]]:
        start = time.perf_counter()
        try:
            return search(self, *a, **kw)
        finally:
            spent[0] += time.perf_counter() - start

    StoreClass.text_neighbours = timed_search  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "articles.jsonl"
        with feed.open("w") as out:
            for i, text in enumerate(articles(args.articles)):
                out.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
        with Store.open(Path(tmp) / "bench.db") as store:
            start = time.perf_counter()
            result = ingest(store, [str(feed)], workers=args.workers)
            elapsed = time.perf_counter() - start
            links = store.count("links")
    print(f"ingest of {result.new} generated articles: {elapsed:.1f} s, {result.new / elapsed:.0f} articles/s")
    print(f"full-text candidate search in the writer: {spent[0]:.1f} s ({spent[0] / elapsed:.0%} of the time)")
    print(f"links made between these unrelated articles: {links}")


if __name__ == "__main__":
    main()
