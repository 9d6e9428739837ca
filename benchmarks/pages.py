"""The browser's pages on a big store: a story page of many copies, a publisher page, the overview.

    python -m benchmarks.pages --articles N [--copies C] [--repeat R] [--workdir DIR]

Copies the store that ``python -m benchmarks.ingest --articles N`` left in DIR (and runs that
first where it is missing), ingests into the copy one story of C copies (each edited: a word
changed, a paragraph dropped, one of its own added), then asks datasette (in process, the
plugin loaded, as ``provenance serve`` does) for that story's page, the page of the publisher
with the most articles and the overview, each R times after one request to warm it, and prints
the median and the slowest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from datasette.app import Datasette

from provenance import Store, ingest

from .corpus import Generator
from .ingest import ingested_store


def story_feed(path: Path, copies: int) -> Path:
    """One source and ``copies`` edited copies of it, as JSONL."""
    source = next(r for r in Generator(77).records(50) if r.truth_kind == "wire")
    paragraphs = source.text.split("\n\n")
    records = [{"id": "pages-source", "publisher": "Pages Wire", "published": "2026-05-01T08:00:00Z",
                "title": source.title, "text": source.text}]  # fmt: skip
    for n in range(copies):
        kept = [p for i, p in enumerate(paragraphs) if i != 1 + n % (len(paragraphs) - 1)]
        kept[0] = kept[0].replace(" the ", f" the {n}th ", 1)
        kept.append(f"Readers of site {n} can send their views on this story to the letters page every weekday.")
        published = f"2026-05-01T{9 + n % 12:02d}:{n % 60:02d}:00Z"
        records.append({"id": f"pages-copy-{n}", "publisher": f"Pages Site {n % 7}", "title": source.title,
                        "published": published, "text": "\n\n".join(kept)})  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


async def timed(ds: Datasette, url: str, repeat: int) -> tuple[float, float, int]:
    status = (await ds.client.get(url)).status_code  # warm: templates, the pages of the store
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        await ds.client.get(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/.work"))
    args = parser.parse_args()
    print(f"$ python -m benchmarks.pages {' '.join(sys.argv[1:])}")
    stored = ingested_store(args.workdir, args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pages.db"
        shutil.copyfile(stored, path)
        with Store.open(path) as store:
            ingest(store, [str(story_feed(Path(tmp) / "story.jsonl", args.copies))], workers=1)
            store.checkpoint()
        with sqlite3.connect(path) as conn:
            story, members = conn.execute(
                "SELECT s.id, s.members FROM stories s JOIN articles a ON a.id = s.canonical_id "
                "WHERE a.key = 'pages-source'"
            ).fetchone()
            publisher, articles = conn.execute(
                "SELECT publisher, count(*) AS n FROM articles WHERE publisher IS NOT NULL "
                "GROUP BY publisher ORDER BY n DESC LIMIT 1"
            ).fetchone()
        ds = Datasette([str(path)], immutables=[])
        name = path.stem
        pages = [
            (f"story page, {members - 1} copies", f"/{name}/-/story/{story}"),
            (f"publisher page, {articles:,} articles", f"/{name}/-/publisher/{quote(publisher, safe='')}"),
            ("overview", f"/{name}/-/overview"),
        ]
        print(f"against a store of {args.articles:,} articles, {args.repeat} requests each (in process):")
        for label, url in pages:
            median, slowest, status = asyncio.run(timed(ds, url, args.repeat))
            print(f"  {label:34s} median {median * 1e3:7.1f} ms, slowest {slowest * 1e3:7.1f} ms (HTTP {status})")
            if status != 200:
                raise SystemExit(f"{url} answered HTTP {status}")


if __name__ == "__main__":
    main()
